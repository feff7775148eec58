"""Display filters for fund supervision: fen as yuan (with thousands separators), limits, percentages used."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from smartcourt.core.money import fen_to_grouped_yuan

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """12345678 -> "123,456.78": grouped so a judge reads large sums at a glance (core.money)."""
    return fen_to_grouped_yuan(int(fen or 0))


@register.filter
def limit(fen: int | None) -> str:
    return _("No limit") if fen is None else yuan(fen)


@register.filter
def used_percent(used: int | None, limit_fen: int | None) -> int:
    """Share of a limit used, 0-100, for a progress bar; 0 when there is no limit."""
    if not limit_fen:
        return 0
    return min(100, int((used or 0) * 100 // limit_fen))


@register.inclusion_tag("funds/_stuck_requests.html", takes_context=True)
def stuck_payment_requests(context: dict[str, Any]) -> dict[str, Any]:
    """The supervision board's alert: payment requests waiting for the court with nobody to take the next step
    (issue 15.15). A template reference from the board, not an import (ADR 0006)."""
    from smartcourt.funds.selectors import stuck_requests

    return {"stuck": stuck_requests(context["request"].user)}
