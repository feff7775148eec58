"""The roster and appointments over the JSON API: read the court's roster, read an appointment with its draw
re-checked. Appointing is ``POST /api/v1/intake/cases/{id}/appointment`` (it records node N02 too)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router

from smartcourt.accounts.models import Organisation
from smartcourt.accounts.web import signed_in_user
from smartcourt.administrators.draw import verify_draw
from smartcourt.administrators.models import Appointment, RosterEntry
from smartcourt.administrators.schemas import AppointmentOut, RosterOut
from smartcourt.administrators.selectors import get_appointment_for, roster_court_for, roster_entries
from smartcourt.core.schemas import ERRORS

router = Router(tags=["administrators"])


def firm_out(firm: Organisation) -> dict[str, Any]:
    return {"id": firm.pk, "name": firm.name, "credit_code": firm.credit_code}


def _entry(entry: RosterEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "position": entry.position,
        "firm": firm_out(entry.firm),
        "grade": entry.grade,
        "active": entry.active,
        "listed_on": entry.listed_on,
        "appointment_count": entry.appointment_count,  # type: ignore[attr-defined]
        "last_appointed_at": entry.last_appointed_at,  # type: ignore[attr-defined]
    }


def appointment_out(appointment: Appointment) -> dict[str, Any]:
    check = verify_draw(appointment)
    return {
        "id": appointment.pk,
        "case_id": appointment.case_id,
        "case_number": appointment.case.number,
        "firm": firm_out(appointment.firm),
        "method": appointment.method,
        "grade": appointment.grade,
        "seed": appointment.seed,
        "candidates": appointment.candidates,
        "digest": appointment.digest,
        "drawn_index": appointment.drawn_index,
        "appointed_on": appointment.appointed_on,
        "appointed_at": appointment.appointed_at,
        "appointed_by": appointment.appointed_by.full_name,
        "verification": {
            "ok": check.ok,
            "recomputed_digest": check.recomputed_digest,
            "recomputed_index": check.recomputed_index,
            "problems": check.problems,
        },
    }


@router.get(
    "/roster",
    response={200: RosterOut, **ERRORS},
    summary="Your court's administrator roster (court staff)",
    operation_id="get_roster",
)
def get_roster(request: HttpRequest) -> dict[str, Any]:
    court = roster_court_for(signed_in_user(request))
    return {"court": court.court_code, "entries": [_entry(entry) for entry in roster_entries(court)]}


@router.get(
    "/appointments/{appointment_id}",
    response={200: AppointmentOut, **ERRORS},
    summary="An appointment, with its draw recomputed and compared with the audit log",
    operation_id="get_appointment",
)
def get_appointment(request: HttpRequest, appointment_id: uuid.UUID) -> dict[str, Any]:
    return appointment_out(get_appointment_for(signed_in_user(request), appointment_id))
