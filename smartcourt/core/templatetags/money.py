"""``{% load money %}``: amounts in fen shown as yuan on every page the same way."""

from __future__ import annotations

from decimal import Decimal

from django import template

from smartcourt.core.money import fen_to_grouped_yuan

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """12345678 -> "123,456.78"; nothing shown as 0.00."""
    return fen_to_grouped_yuan(int(fen or 0))


@register.filter
def grouped(value: object) -> object:
    """A figure in a table, grouped by thousands: a Decimal (yuan) with two decimals, an int as it is; anything
    else (a label) unchanged."""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value
