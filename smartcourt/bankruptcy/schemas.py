"""Shapes of the bankruptcy API: requests and answers. No rules live here: the answers read the selectors'
views and the models."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from smartcourt.bankruptcy.choices import ReconsiderationOutcome
from smartcourt.bankruptcy.models import ConsolidatedDebtor, Consolidation, NodeOutput
from smartcourt.bankruptcy.selectors import NodeRow, OutputRow, ProceedingView
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
    dossier_entry: int | None = Field(
        None, validation_alias="dossier_entry.number", description="Number of the dossier entry holding the file."
    )
    file_name: str | None = Field(None, validation_alias="dossier_entry.file_name")

    @staticmethod
    def resolve_value(provided: NodeOutput) -> Any:
        return (provided.data or {}).get("value")


class NodeOutputOut(Schema):
    """Reads a selectors.OutputRow: the output as defined, with what was provided for it."""

    key: str = Field(validation_alias="output.key")
    kind: str
    name: str = Field(validation_alias="output.name_zh")
    name_en: str = Field(validation_alias="output.name_en")
    required: bool = Field(validation_alias="output.required")
    value_type: str | None
    provided: list[ProvidedOut]

    @staticmethod
    def resolve_kind(row: OutputRow) -> str:
        return row.output.kind.value

    @staticmethod
    def resolve_value_type(row: OutputRow) -> str | None:
        return row.output.value_type or None


class NodeTransitionOut(Schema):
    from_status: str
    to_status: str
    action: str
    actor: PersonRef | None
    at: dt.datetime
    reason: str


class NodeOut(Schema):
    """Reads a selectors.NodeRow: the node as the rule pack defines it and its record in this case."""

    key: str = Field(validation_alias="node.key")
    name: str = Field(validation_alias="node.name_zh")
    name_en: str = Field(validation_alias="node.name_en")
    procedure: str = Field(validation_alias="record.procedure")
    status: str = Field(validation_alias="record.status")
    version: int = Field(
        validation_alias="record.version", description="Send it back as `version` to guard against concurrent changes."
    )
    actor: str
    operator: str
    court_confirms: bool = Field(validation_alias="node.court_confirms")
    deadline_key: str | None
    due_on: dt.date | None = Field(validation_alias="record.due_on")
    holiday_data: bool | None = Field(
        validation_alias="record.holiday_data", description="False when a year involved had no published holiday data."
    )
    calendar_version: int | None = Field(validation_alias="record.calendar_version")
    due_basis: str = Field(validation_alias="record.due_basis")
    colour: str = Field(description="none, green, yellow (due within 3 working days) or red (overdue).")
    started_at: dt.datetime | None = Field(validation_alias="record.started_at")
    started_by: PersonRef | None = Field(validation_alias="record.started_by")
    submitted_at: dt.datetime | None = Field(validation_alias="record.submitted_at")
    completed_at: dt.datetime | None = Field(validation_alias="record.completed_at")
    completed_by: PersonRef | None = Field(validation_alias="record.completed_by")
    outputs: list[NodeOutputOut]
    missing_outputs: list[str]
    transitions: list[NodeTransitionOut]

    @staticmethod
    def resolve_actor(row: NodeRow) -> str:
        return row.node.actor.value

    @staticmethod
    def resolve_operator(row: NodeRow) -> str:
        return row.node.operator.value

    @staticmethod
    def resolve_deadline_key(row: NodeRow) -> str | None:
        return row.record.deadline_key or None

    @staticmethod
    def resolve_colour(row: NodeRow) -> str:
        return row.colour.value

    @staticmethod
    def resolve_missing_outputs(row: NodeRow) -> list[str]:
        return [output.key for output in row.missing]


class CaseRefOut(Schema):
    id: uuid.UUID
    number: str


class ProceedingOut(Schema):
    """Reads a selectors.ProceedingView."""

    case: CaseRefOut
    procedure: str = Field(validation_alias="proceeding.procedure")
    branch: str = Field(validation_alias="proceeding.branch")
    status: str = Field(validation_alias="proceeding.status")
    opened_on: dt.date = Field(validation_alias="proceeding.opened_on")
    converted_on: dt.date | None = Field(validation_alias="proceeding.converted_on")
    closed_on: dt.date | None = Field(validation_alias="proceeding.closed_on")
    anchor_dates: dict[str, dt.date]
    nodes: list[NodeOut] = Field(validation_alias="rows")

    @staticmethod
    def resolve_anchor_dates(view: ProceedingView) -> dict[str, dt.date]:
        return {anchor.name: anchor.value for anchor in view.anchors if anchor.value is not None}


class StatisticsRowOut(Schema):
    court_code: str
    court: str = Field(validation_alias="court_name")
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
    registry_entry: int = Field(
        validation_alias="registry_entry.number", description="Number of the dossier entry holding its registry record."
    )
    merged_case: str | None = Field(
        None,
        validation_alias="merged_case.number",
        description="Its own bankruptcy case, administered in the lead case.",
    )
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
    ruling_entry: int = Field(validation_alias="ruling_entry.number")
    served_on: dt.date | None = Field(default=None, description="When the ruling was served.")
    reconsideration_ends_on: dt.date | None = Field(
        default=None,
        description="Last day to apply to the court at the next level up for reconsideration: 15 days from "
        "service, past rest days (SPC Minutes 法〔2018〕53号 para. 34).",
    )
    revoked: bool = Field(default=False, description="The higher court revoked the ruling on reconsideration.")
    reconsiderations: list[ReconsiderationOut] = Field(default_factory=list)
    debtors: list[ConsolidatedDebtorOut]

    @staticmethod
    def resolve_debtors(consolidation: Consolidation) -> list[ConsolidatedDebtor]:
        return list(consolidation.debtors.select_related("registry_entry", "merged_case").order_by("position"))

    @staticmethod
    def resolve_reconsiderations(consolidation: Consolidation) -> list[Any]:
        return list(consolidation.reconsiderations.all())


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
