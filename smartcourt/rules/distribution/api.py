"""Public distribution and fee calculators over the JSON API (no sign-in), mounted under /api/v1/rules.

Glue only: the schemas parse and bound the body, ``distribute`` and ``administrator_fee_cap`` compute, the
output schemas read their results."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from smartcourt.core.schemas import ErrorOut
from smartcourt.rules.distribution.calculator import ClaimClass, ClaimIn, DistributionResult, distribute
from smartcourt.rules.distribution.schemas import DistributionIn, DistributionOut, FeeIn, FeeOut
from smartcourt.rules.fees import FeeCap, administrator_fee_cap

router = Router(tags=["rules"])


@router.post(
    "/distribution",
    auth=None,
    response={200: DistributionOut, 422: ErrorOut},
    by_alias=True,
    summary="Distribution of an estate by statutory priority (public)",
    description=(
        "Pays `available` over the claims class by class (Enterprise Bankruptcy Law art. 41-43, 113): "
        "expenses, then common-benefit debts, then employee claims, then social insurance and taxes, then "
        "ordinary claims; pro rata within the class the money runs out in, in fen, the remainder fen by "
        "largest remainder (ties: larger claim, then input order). The payouts sum exactly to what is paid."
    ),
    operation_id="compute_distribution",
)
def distribution(request: HttpRequest, payload: DistributionIn) -> DistributionResult:
    return distribute(
        payload.available,
        [ClaimIn(id=c.id, claim_class=ClaimClass(c.claim_class), amount_fen=c.amount) for c in payload.claims],
    )


@router.post(
    "/administrator-fee",
    auth=None,
    response={200: FeeOut, 422: ErrorOut},
    by_alias=True,
    summary="Cap on the administrator's remuneration (public)",
    description=(
        "Marginal rates on the value distributed (SPC provisions on administrators' remuneration, art. 2): "
        "up to 1M yuan 12%; 1M-5M 10%; 5M-10M 8%; 10M-50M 6%; 50M-100M 3%; 100M-500M 1%; above 0.5%."
    ),
    operation_id="compute_administrator_fee",
)
def administrator_fee(request: HttpRequest, payload: FeeIn) -> FeeCap:
    return administrator_fee_cap(payload.distributed_value)
