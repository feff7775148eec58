"""``{% claim_distribution claim %}``: what the distribution plan gives a claim and what the bank paid, for a
creditor's own pages (the claims tracker). A template tag rather than an import, because the claims app sits
below distributions in the layers and may not import it."""

from __future__ import annotations

from typing import Any

from django import template

from smartcourt.accounts.models import User
from smartcourt.distributions.selectors import amounts_for_creditor

register = template.Library()


@register.inclusion_tag("distributions/_claim_distribution.html", takes_context=True)
def claim_distribution(context: dict[str, Any], claim: Any) -> dict[str, Any]:
    user = context["request"].user
    cache_key = "_distribution_amounts"
    # One query set per page, whatever the number of claims shown.
    if cache_key not in context.dicts[0]:  # type: ignore[attr-defined]
        context.dicts[0][cache_key] = amounts_for_creditor(user) if isinstance(user, User) else {}  # type: ignore[attr-defined]
    amounts = context.dicts[0][cache_key].get(claim.pk)  # type: ignore[attr-defined]
    return {"amounts": amounts}
