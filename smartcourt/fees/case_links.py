"""The case page's link to each fee of the case the user may open (fees.policies.can_open_fee)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.cases.links import CaseLink, register
from smartcourt.cases.models import Case
from smartcourt.fees.models import LitigationFee
from smartcourt.fees.policies import can_open_fee


@register
def fee_links(user: User, case: Case) -> list[CaseLink]:
    fees = [fee for fee in LitigationFee.objects.filter(case=case).order_by("created_at") if can_open_fee(user, fee)]
    return [
        CaseLink(
            # One fee per payer: with several, the payer's name tells them apart.
            label=_("Case acceptance fee") + (f"（{fee.payer_name}）" if len(fees) > 1 else ""),
            url=reverse("fees:fee", kwargs={"fee_id": fee.pk}),
            icon="bi-receipt",
            testid="fee-link",
        )
        for fee in fees
    ]
