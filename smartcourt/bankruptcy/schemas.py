"""Shapes of the bankruptcy API: requests and answers. No rules live here."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from smartcourt.bankruptcy.choices import ReconsiderationOutcome
from smartcourt.core.schemas import MAX_VERSION


class VersionIn(Schema):
    """Optional compare-and-set guard: the node's ``version`` as last read. A stale one answers 409."""

    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, ge=1, le=MAX_VERSION, description="The node's version as you last read it.")


class ReturnIn(VersionIn):
    reasons: str = Field(..., min_length=1, max_length=4000, description="Why the court sends the node back.")


class ConvertIn(Schema):
    model_config = ConfigDict(extra="forbid")

    declared_on: dt.date = Field(..., description="Date of the ruling declaring the debtor bankrupt.")
    reason: str = Field(..., min_length=1, max_length=4000, description="Grounds, e.g. 重整计划未获通过.")


class DateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., description="Anchor name from smartcourt.rules, e.g. announced_on.")
    date: dt.date


class ExtendIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., min_length=1, max_length=4000)


class PersonRef(Schema):
    id: uuid.UUID
    full_name: str


class ProvidedOut(Schema):
    id: uuid.UUID
    provided_at: dt.datetime
    provided_by: PersonRef
    value: Any = Field(None, description="A data output's value.")
    dossier_entry: int | None = Field(None, description="Number of the dossier entry holding the file.")
    file_name: str | None = None


class NodeOutputOut(Schema):
    key: str
    kind: str
    name: str
    name_en: str
    required: bool
    value_type: str | None
    provided: list[ProvidedOut]


class NodeTransitionOut(Schema):
    from_status: str
    to_status: str
    action: str
    actor: PersonRef | None
    at: dt.datetime
    reason: str


class NodeOut(Schema):
    key: str
    name: str
    name_en: str
    procedure: str
    status: str
    version: int = Field(description="Send it back as `version` to guard against concurrent changes.")
    actor: str
    operator: str
    court_confirms: bool
    deadline_key: str | None
    due_on: dt.date | None
    holiday_data: bool | None = Field(description="False when a year involved had no published holiday data.")
    calendar_version: int | None
    due_basis: str
    colour: str = Field(description="none, green, yellow (due within 3 working days) or red (overdue).")
    started_at: dt.datetime | None
    started_by: PersonRef | None
    submitted_at: dt.datetime | None
    completed_at: dt.datetime | None
    completed_by: PersonRef | None
    outputs: list[NodeOutputOut]
    missing_outputs: list[str]
    transitions: list[NodeTransitionOut]


class CaseRefOut(Schema):
    id: uuid.UUID
    number: str


class ProceedingOut(Schema):
    case: CaseRefOut
    procedure: str
    branch: str
    status: str
    opened_on: dt.date
    converted_on: dt.date | None
    closed_on: dt.date | None
    anchor_dates: dict[str, dt.date]
    nodes: list[NodeOut]


class StatisticsRowOut(Schema):
    court_code: str
    court: str
    year: int
    counts: dict[str, int] = Field(description="破申, 破, 强清申 and 强清 cases.")
    total: int


class StatisticsOut(Schema):
    rows: list[StatisticsRowOut]


class ConsolidationIn(Schema):
    credit_codes: list[str] = Field(
        ..., min_length=1, max_length=50, description="Unified social credit codes of the related debtors."
    )
    reasons: str = Field(..., min_length=1, max_length=4000, description="Why they are consolidated.")
    ruled_on: dt.date


class ConsolidatedDebtorOut(Schema):
    position: int
    name: str
    credit_code: str
    address: str
    registration_authority: str
    registry_entry: int = Field(description="Number of the dossier entry holding its registry record.")
    merged_case: str | None = Field(description="Its own bankruptcy case, administered in the lead case.")
    deregistered_on: dt.date | None
    plan_fate: str = Field(
        default="",
        description="A consolidated reorganisation or settlement: survivor, merged or separate (empty: not "
        "recorded; SPC Minutes para. 37).",
    )
    claims_taken_over_on: dt.date | None = Field(
        default=None, description="When its own case's claims were moved into this case and that case closed."
    )


class ReconsiderationOut(Schema):
    id: uuid.UUID
    applicant: str
    filed_on: dt.date
    late: bool = Field(description="Made after the 15 days from service had ended.")
    outcome: ReconsiderationOutcome
    decided_on: dt.date | None
    reference: str = Field(description="The higher court's decision number.")


class ConsolidationOut(Schema):
    case_id: uuid.UUID
    ruled_on: dt.date
    reasons: str
    ruling_entry: int
    served_on: dt.date | None = Field(default=None, description="When the ruling was served.")
    reconsideration_ends_on: dt.date | None = Field(
        default=None,
        description="Last day to apply to the court at the next level up for reconsideration: 15 days from "
        "service, past rest days (SPC Minutes 法〔2018〕53号 para. 34).",
    )
    revoked: bool = Field(default=False, description="The higher court revoked the ruling on reconsideration.")
    reconsiderations: list[ReconsiderationOut] = Field(default_factory=list)
    debtors: list[ConsolidatedDebtorOut]


class PlanStructureIn(Schema):
    survivor: str = Field(..., min_length=1, max_length=40, description="Credit code of the debtor that continues.")
    separate: list[str] = Field(
        default_factory=list, max_length=50, description="Credit codes of the debtors the plan keeps separate."
    )


class ServiceIn(Schema):
    served_on: dt.date


class ReconsiderationIn(Schema):
    applicant: str = Field(..., min_length=1, max_length=200, description="The interested party who applied.")
    filed_on: dt.date


class DecidedOutcome(StrEnum):
    UPHELD = ReconsiderationOutcome.UPHELD.value
    REVOKED = ReconsiderationOutcome.REVOKED.value


class ReconsiderationDecisionIn(Schema):
    outcome: DecidedOutcome
    decided_on: dt.date
    reference: str = Field(..., min_length=1, max_length=100, description="The higher court's decision number.")
