"""Shapes of the public calculators' requests and answers. The rules themselves live in deadlines.py."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, WithJsonSchema

from smartcourt.rules.deadlines import Procedure
from smartcourt.rules.models import MAX_YEAR, MIN_YEAR

# ASCII digits only (\d would take any script's) and the whole text (a "$" would let a final newline through).
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> dt.date:
    # Only "YYYY-MM-DD": pydantic would also take numbers (Unix time) and other spellings.
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value} is not a calendar date") from exc
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError(f"{value} is out of range: years {MIN_YEAR} to {MAX_YEAR}")
    return parsed


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "example": "2026-09-10"}),
]

OptionalIsoDate = Annotated[
    dt.date | None,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "example": "2026-09-10"}),
]


class DeadlinesIn(Schema):
    """The case's dates; give those you know. Every deadline they determine is answered."""

    model_config = ConfigDict(extra="forbid")

    procedure: Procedure = Field(
        ...,
        description="liquidation (破产清算), reorganisation (重整), settlement (和解) or civil (民事一审). The civil "
        "procedure takes only the civil dates below; the bankruptcy procedures require accepted_on.",
    )
    # A null is refused like any other non-date; only leaving the field out means "not given".
    accepted_on: OptionalIsoDate = Field(
        None, description="Date of the acceptance ruling (裁定受理); required for the bankruptcy procedures."
    )
    announced_on: IsoDate | None = Field(None, description="Date of the acceptance announcement (受理公告).")
    claims_period_ends_on: IsoDate | None = Field(None, description="End of the claim-declaration period.")
    meeting_on: IsoDate | None = Field(None, description="Date of a creditors' meeting (for the notice deadline).")
    reorganisation_ruled_on: IsoDate | None = Field(None, description="Date of the reorganisation ruling (裁定重整).")
    plan_submitted_on: IsoDate | None = Field(None, description="Date the court received the draft plan.")
    plan_adopted_on: IsoDate | None = Field(None, description="Date the reorganisation plan was adopted.")
    plan_approval_requested_on: IsoDate | None = Field(
        None, description="Date the court received the request to approve the plan."
    )
    declared_bankrupt_on: IsoDate | None = Field(None, description="Date of the declaration of bankruptcy (宣告破产).")
    termination_requested_on: IsoDate | None = Field(
        None, description="Date the court received the administrator's request to terminate."
    )
    terminated_on: IsoDate | None = Field(None, description="Date of the termination ruling (终结破产程序).")
    filing_received_on: IsoDate | None = Field(
        None, description="Civil: date the court received the complaint (deadline filing_decision, 7 days)."
    )
    complaint_served_on: IsoDate | None = Field(
        None, description="Civil: date the defendant was served the complaint (deadline defence, 15 days)."
    )
    judgment_served_on: IsoDate | None = Field(
        None, description="Civil: date the judgment was served (deadline appeal_judgment, 15 days)."
    )
    ruling_served_on: IsoDate | None = Field(
        None, description="Civil: date a ruling was served (deadline appeal_ruling, 10 days)."
    )
    mediation_agreement_effective_on: IsoDate | None = Field(
        None,
        description="Civil: date the mediation agreement took effect (deadline judicial_confirmation_application, "
        "30 days).",
    )


class DeadlineOut(Schema):
    key: str = Field(..., description="Stable name of the deadline, e.g. notify_creditors.")
    due_on: dt.date = Field(..., description="Last day, after moving a rest day to the next working day.")
    unadjusted_on: dt.date = Field(..., description="Last day before the rest-day rule.")
    holiday_data: bool = Field(
        ..., description="False when a year involved has no published holiday data: only weekends were counted."
    )
    basis: str = Field(
        ..., validation_alias="rule.basis.text", description="Legal basis, e.g. 《中华人民共和国企业破产法》第十四条."
    )
    basis_en: str = Field(..., validation_alias="rule.basis.text_en")
    description: str = Field(
        ..., validation_alias="rule.description_zh", description="What must happen by then (Chinese)."
    )
    description_en: str = Field(..., validation_alias="rule.description_en")
    anchor: str = Field(..., validation_alias="rule.anchor", description="The date the period runs from.")
    anchor_on: dt.date
    period: str = Field(
        ...,
        validation_alias="rule.period.label_en",
        description="The period, e.g. '25 days after' or '15 days before'.",
    )
    calculation: str = Field(..., description="How the date was computed (Chinese).")
    calculation_en: str


class DeadlinesOut(Schema):
    procedure: Procedure
    holiday_calendar_version: int = Field(..., description="Version of the holiday table the answer used.")
    deadlines: list[DeadlineOut]
