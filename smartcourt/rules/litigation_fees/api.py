"""Public litigation-fee calculator over the JSON API (no sign-in), mounted under /api/v1/rules.

Glue only: parse, call ``compute_litigation_fee``; the output schema reads its result."""

from __future__ import annotations

import json

from django.http import HttpRequest
from ninja import Router

from smartcourt.core.schemas import ErrorOut
from smartcourt.rules.litigation_fees.calculator import FeeResult, amount_to_fen, compute_litigation_fee
from smartcourt.rules.litigation_fees.schemas import LitigationFeeIn, LitigationFeeOut

router = Router(tags=["rules"])


def _text(value: object) -> str:
    # A number or a list where a name belongs is refused by the calculator as an unknown name.
    return value if isinstance(value, str) else json.dumps(value)


@router.post(
    "/litigation-fee",
    auth=None,
    response={200: LitigationFeeOut, 422: ErrorOut},
    by_alias=True,
    summary="Litigation fee of a case or an application (public)",
    description=(
        "诉讼费用交纳办法 (2006): property cases by bands summed (art. 13(一)); divorce, personality rights, other "
        "non-property, IP without an amount and jurisdiction objections within ranges the province sets "
        "(`fee` null, `fee_min`/`fee_max` given); labour 10, administrative 50 or 100; application fees per art. 14 "
        "(enforcement by bands, preservation capped at 5,000, a payment order a third of the property fee, "
        "bankruptcy half of it capped at 300,000, public notice 100, arbitration review 400); none for special "
        "procedures (art. 8). The case acceptance fee is halved under the simplified procedure (art. 16) or when "
        "the case ends by mediation or withdrawal (art. 15), once. Exact to the fen, rounded half up; the "
        "schedule is at /rules/litigation-fees/."
    ),
    operation_id="litigation_fee",
)
def litigation_fee(request: HttpRequest, payload: LitigationFeeIn) -> FeeResult:
    return compute_litigation_fee(
        _text(payload.kind),
        amount_to_fen(payload.amount),
        procedure=_text(payload.procedure),
        closed_by=_text(payload.closed_by),
    )
