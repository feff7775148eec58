"""``{% load money %}``: amounts in fen shown as yuan on every page the same way."""

from __future__ import annotations

from django import template

from smartcourt.core.money import fen_to_grouped_yuan

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """12345678 -> "123,456.78"; nothing shown as 0.00."""
    return fen_to_grouped_yuan(int(fen or 0))
