"""The roster and appointments over the JSON API: read the court's roster, read an appointment with its draw
re-checked. Appointing is ``POST /api/v1/intake/cases/{id}/appointment`` (it records node N02 too)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router

from smartcourt.accounts.web import signed_in_user
from smartcourt.administrators.models import Appointment
from smartcourt.administrators.schemas import AppointmentOut, RosterOut
from smartcourt.administrators.selectors import get_appointment_for, roster_court_for, roster_entries
from smartcourt.core.schemas import ERRORS

router = Router(tags=["administrators"])


@router.get(
    "/roster",
    response={200: RosterOut, **ERRORS},
    summary="Your court's administrator roster (court staff)",
    operation_id="get_roster",
)
def get_roster(request: HttpRequest) -> dict[str, object]:
    court = roster_court_for(signed_in_user(request))
    return {"court": court.court_code, "entries": list(roster_entries(court))}


@router.get(
    "/appointments/{appointment_id}",
    response={200: AppointmentOut, **ERRORS},
    summary="An appointment, with its draw recomputed and compared with the audit log",
    operation_id="get_appointment",
)
def get_appointment(request: HttpRequest, appointment_id: uuid.UUID) -> Appointment:
    return get_appointment_for(signed_in_user(request), appointment_id)
