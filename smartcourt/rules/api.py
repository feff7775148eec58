"""Public statutory calculators over the JSON API. No sign-in: the answers are the law applied to dates.

Glue only: parse, call ``compute_deadlines``; the output schema reads the deadlines."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from smartcourt.core.errors import DomainError
from smartcourt.core.schemas import ErrorOut
from smartcourt.rules.calendar import current_calendar
from smartcourt.rules.deadlines import ALL_ANCHOR_NAMES, Procedure, compute_deadlines
from smartcourt.rules.schemas import DeadlinesIn, DeadlinesOut

router = Router(tags=["rules"])


@router.post(
    "/deadlines",
    auth=None,
    response={200: DeadlinesOut, 422: ErrorOut},
    summary="Statutory deadlines of a bankruptcy procedure or a civil case (public)",
    description=(
        "Give the case's dates; the answer lists every deadline they determine, with its legal basis. "
        "A last day on a statutory rest day moves to the next working day (Civil Procedure Law art. 85); "
        "`holiday_data` is false where a year involved has no published holiday arrangement."
    ),
    operation_id="compute_deadlines",
)
def deadlines(request: HttpRequest, payload: DeadlinesIn) -> dict[str, object]:
    dates = {name: value for name in ALL_ANCHOR_NAMES if (value := getattr(payload, name)) is not None}
    if payload.procedure is not Procedure.CIVIL and payload.accepted_on is None:
        # Worded like the schema's own refusal of a missing field: it was one until civil cases came.
        raise DomainError("accepted_on: " + _("This value is required"), field="accepted_on")
    calendar = current_calendar()
    found = compute_deadlines(payload.procedure, dates, calendar=calendar)
    return {"procedure": payload.procedure, "holiday_calendar_version": calendar.version, "deadlines": found}


# The vote and distribution calculators live in their own modules; their routes share /rules.
from smartcourt.rules.distribution.api import router as distribution_router  # noqa: E402
from smartcourt.rules.litigation_fees.api import router as litigation_fee_router  # noqa: E402
from smartcourt.rules.votes.api import router as votes_router  # noqa: E402

router.add_router("", votes_router)
router.add_router("", distribution_router)
router.add_router("", litigation_fee_router)
