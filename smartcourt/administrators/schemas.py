"""Shapes of the administrators API. No rules live here."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from smartcourt.administrators.choices import AppointmentMethod, Grade
from smartcourt.administrators.draw import DrawCheck, verify_draw
from smartcourt.administrators.models import Appointment


class FirmOut(Schema):
    id: uuid.UUID
    name: str
    credit_code: str


class RosterEntryOut(Schema):
    id: uuid.UUID
    position: int = Field(description="Listing order on the court's roster.")
    firm: FirmOut
    grade: Grade
    active: bool
    listed_on: dt.date
    appointment_count: int = Field(description="Appointments of the firm in this court's cases.")
    last_appointed_at: dt.datetime | None


class RosterOut(Schema):
    court: str = Field(description="Court code, e.g. 苏0623.")
    entries: list[RosterEntryOut]


class DrawCheckOut(Schema):
    ok: bool
    recomputed_digest: str
    recomputed_index: int | None
    problems: list[str]


class AppointmentOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    case_number: str = Field(validation_alias="case.number")
    firm: FirmOut
    method: AppointmentMethod
    grade: str = Field(description="Grade the case required (rotation, draw); empty: any grade.")
    seed: str = Field(description="Random draw: the seed. index = int(HMAC-SHA256(seed, canonical list), 16) mod n.")
    candidates: list[dict[str, Any]] = Field(description="Ordered candidate list as drawn from.")
    digest: str
    drawn_index: int | None
    appointed_on: dt.date
    appointed_at: dt.datetime
    appointed_by: str = Field(validation_alias="appointed_by.full_name")
    verification: DrawCheckOut

    @staticmethod
    def resolve_verification(appointment: Appointment) -> DrawCheck:
        # Recomputed on every read, so a tampered draw shows here.
        return verify_draw(appointment)
