"""Display filters for claims: fen as yuan, rates as percent, masked identifiers and accounts."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from smartcourt.core.identifiers import mask_identity_number
from smartcourt.core.money import fen_to_grouped_yuan

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """The platform's one way of showing an amount to people (core.money): 1,234,567.89."""
    return fen_to_grouped_yuan(int(fen or 0))


@register.filter
def percent(rate: str | Decimal) -> str:
    return f"{(Decimal(str(rate)) * 100).normalize():f}%"


@register.filter
def mask_id(value: str) -> str:
    return mask_identity_number(value or "")


@register.filter
def mask_account(value: str) -> str:
    """The last four digits only."""
    value = value or ""
    return f"****{value[-4:]}" if len(value) > 4 else "*" * len(value)


REASON_LABELS = {
    "principal": _("Principal"),
    "interest": _("Interest"),
    "penalties": _("Penalties"),
    "costs": _("Costs"),
    "nature": _("Nature"),
    "general": _("General remarks"),
}


@register.filter
def reason_label(key: str) -> str:
    return str(REASON_LABELS.get(key, key))
