"""The bankruptcy engine over the JSON API: the rule pack (public), statistics, and a case's node work.

Glue only: parse, call one action or selector, shape the answer. Errors come back in the common shape:
404 for a case you cannot see, 403 for node work that is not yours, 409 for a node someone else changed or
that is not in a state to do this, 422 for a refused request (e.g. a required output missing)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, UploadedFile
from ninja.responses import Status

from smartcourt.accounts.web import signed_in_user
from smartcourt.bankruptcy import actions
from smartcourt.bankruptcy import consolidation as merged
from smartcourt.bankruptcy.models import Consolidation
from smartcourt.bankruptcy.rulepack import pack_data
from smartcourt.bankruptcy.schemas import (
    ConsolidationIn,
    ConsolidationOut,
    ConvertIn,
    DateIn,
    ExtendIn,
    NodeOut,
    PlanStructureIn,
    ProceedingOut,
    ReconsiderationDecisionIn,
    ReconsiderationIn,
    ReturnIn,
    ServiceIn,
    StatisticsOut,
    VersionIn,
)
from smartcourt.bankruptcy.selectors import NodeRow, ProceedingView, case_statistics, proceeding_for
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import NotFound
from smartcourt.core.schemas import ERRORS, ErrorOut

router = Router(tags=["bankruptcy"])


def _case_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        # A malformed id answers exactly like a missing or hidden case.
        raise NotFound(_("No such case")) from exc


def _version(payload: VersionIn | None) -> int | None:
    return payload.version if payload is not None else None


@router.get(
    "/rulepack", auth=None, summary="The rule pack: procedures, nodes, deadlines (public)", operation_id="rulepack"
)
def rulepack(request: HttpRequest) -> dict[str, Any]:
    return pack_data()


@router.get(
    "/statistics",
    response={200: StatisticsOut, 401: ErrorOut},
    summary="破申, 破, 强清申 and 强清 cases per court and year, among the cases you see",
    operation_id="bankruptcy_statistics",
)
def statistics(request: HttpRequest) -> dict[str, object]:
    return {"rows": case_statistics(signed_in_user(request))}


@router.get(
    "/cases/{case_id}/nodes",
    response={200: ProceedingOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A case's proceeding and every node against its deadline",
    operation_id="list_nodes",
)
def list_nodes(request: HttpRequest, case_id: str) -> ProceedingView:
    return proceeding_for(signed_in_user(request), _case_id(case_id))


def _node_answer(request: HttpRequest, case_id: uuid.UUID, key: str) -> NodeRow:
    view = proceeding_for(signed_in_user(request), case_id)
    return next(row for row in view.rows if row.record.node_key == key)


@router.post(
    "/cases/{case_id}/nodes/{key}/start",
    response={200: NodeOut, **ERRORS},
    summary="Start a ready node, or resume one the court returned",
    operation_id="start_node",
)
def start(request: HttpRequest, case_id: str, key: str, payload: VersionIn | None = None) -> NodeRow:
    parsed = _case_id(case_id)
    actions.start_node(actor=signed_in_user(request), case_id=parsed, node_key=key, expected_version=_version(payload))
    return _node_answer(request, parsed, key)


@router.post(
    "/cases/{case_id}/nodes/{key}/outputs",
    response={200: NodeOut, **ERRORS},
    summary="Provide one output: a file (multipart `file`) or a value (`value`)",
    description="multipart/form-data with `output_key` and either `file` (document or attachment; checked by "
    "content, filed into the dossier) or `value` (data; dates are YYYY-MM-DD).",
    operation_id="provide_output",
)
def outputs(
    request: HttpRequest,
    case_id: str,
    key: str,
    output_key: Form[str],
    value: Form[str | None] = None,
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> NodeRow:
    parsed = _case_id(case_id)
    actions.provide_output(
        actor=signed_in_user(request), case_id=parsed, node_key=key, output_key=output_key, upload=file, value=value
    )
    return _node_answer(request, parsed, key)


@router.post(
    "/cases/{case_id}/nodes/{key}/complete",
    response={200: NodeOut, **ERRORS},
    summary="Complete a node (to the judge when the court must confirm it)",
    operation_id="complete_node",
)
def complete(request: HttpRequest, case_id: str, key: str, payload: VersionIn | None = None) -> NodeRow:
    parsed = _case_id(case_id)
    actions.complete_node(
        actor=signed_in_user(request), case_id=parsed, node_key=key, expected_version=_version(payload)
    )
    return _node_answer(request, parsed, key)


@router.post(
    "/cases/{case_id}/nodes/{key}/confirm",
    response={200: NodeOut, **ERRORS},
    summary="The judge confirms a node awaiting confirmation",
    operation_id="confirm_node",
)
def confirm(request: HttpRequest, case_id: str, key: str, payload: VersionIn | None = None) -> NodeRow:
    parsed = _case_id(case_id)
    actions.confirm_node(
        actor=signed_in_user(request), case_id=parsed, node_key=key, expected_version=_version(payload)
    )
    return _node_answer(request, parsed, key)


@router.post(
    "/cases/{case_id}/nodes/{key}/return",
    response={200: NodeOut, **ERRORS},
    summary="The judge returns a node to the administrator, with reasons",
    operation_id="return_node",
)
def return_(request: HttpRequest, case_id: str, key: str, payload: ReturnIn) -> NodeRow:
    parsed = _case_id(case_id)
    actions.return_node(
        actor=signed_in_user(request),
        case_id=parsed,
        node_key=key,
        reasons=payload.reasons,
        expected_version=payload.version,
    )
    return _node_answer(request, parsed, key)


@router.post(
    "/cases/{case_id}/nodes/{key}/extend",
    response={200: NodeOut, **ERRORS},
    summary="The judge grants a node its statutory extension (reorganisation plan, +3 months)",
    operation_id="extend_deadline",
)
def extend(request: HttpRequest, case_id: str, key: str, payload: ExtendIn) -> NodeRow:
    parsed = _case_id(case_id)
    actions.extend_deadline(actor=signed_in_user(request), case_id=parsed, node_key=key, reason=payload.reason)
    return _node_answer(request, parsed, key)


@router.post(
    "/cases/{case_id}/dates",
    response={200: ProceedingOut, **ERRORS},
    summary="The court enters one of the proceeding's dates; open deadlines are recomputed",
    operation_id="set_proceeding_date",
)
def set_date(request: HttpRequest, case_id: str, payload: DateIn) -> ProceedingView:
    parsed = _case_id(case_id)
    actions.set_anchor_date(actor=signed_in_user(request), case_id=parsed, name=payload.name, value=payload.date)
    return proceeding_for(signed_in_user(request), parsed)


@router.post(
    "/cases/{case_id}/convert",
    response={200: ProceedingOut, **ERRORS},
    summary="The judge converts a reorganisation or settlement to liquidation at the declaration (N10)",
    operation_id="convert_procedure",
)
def convert(request: HttpRequest, case_id: str, payload: ConvertIn) -> ProceedingView:
    parsed = _case_id(case_id)
    actions.convert_procedure(
        actor=signed_in_user(request), case_id=parsed, declared_on=payload.declared_on, reason=payload.reason
    )
    return proceeding_for(signed_in_user(request), parsed)


# --- merged bankruptcy (合并破产, issue 15.20) ----------------------------------------------------------------


@router.get(
    "/cases/{case_id}/consolidation",
    response={200: ConsolidationOut, 401: ErrorOut, 404: ErrorOut},
    summary="The substantive consolidation of related debtors in this case (404 if there is none)",
    operation_id="get_consolidation",
)
def get_consolidation(request: HttpRequest, case_id: str) -> Consolidation:
    case = get_case_for(signed_in_user(request), _case_id(case_id))
    consolidation = merged.consolidation_of(case)
    if consolidation is None:
        raise NotFound("The case is not consolidated")
    return consolidation


@router.post(
    "/cases/{case_id}/consolidation",
    response={201: ConsolidationOut, **ERRORS, 503: ErrorOut},
    summary="Rule that related debtors are consolidated into this case's proceeding (a judge of the case)",
    operation_id="rule_consolidation",
)
def post_consolidation(request: HttpRequest, case_id: str, payload: ConsolidationIn) -> Status[Consolidation]:
    consolidation = merged.rule_consolidation(
        actor=signed_in_user(request),
        case_id=_case_id(case_id),
        credit_codes=payload.credit_codes,
        reasons=payload.reasons,
        ruled_on=payload.ruled_on,
    )
    return Status(201, consolidation)


@router.post(
    "/cases/{case_id}/consolidation/deregistrations",
    response={200: ConsolidationOut, **ERRORS},
    summary="Record one consolidated debtor's deregistration with its proof (multipart; the administrator)",
    operation_id="record_deregistration",
)
def post_deregistration(
    request: HttpRequest,
    case_id: str,
    credit_code: Form[str],
    deregistered_on: Form[dt.date],
    file: File[UploadedFile],
) -> Consolidation:
    parsed = _case_id(case_id)
    merged.record_deregistration(
        actor=signed_in_user(request),
        case_id=parsed,
        credit_code=credit_code,
        deregistered_on=deregistered_on,
        upload=file,
    )
    consolidation = merged.consolidation_of(get_case_for(signed_in_user(request), parsed))
    assert consolidation is not None
    return consolidation


def _consolidation_now(request: HttpRequest, case_id: uuid.UUID) -> Consolidation:
    consolidation = merged.consolidation_of(get_case_for(signed_in_user(request), case_id))
    if consolidation is None:  # pragma: no cover - the action refused an unconsolidated case already
        raise NotFound("The case is not consolidated")
    return consolidation


@router.post(
    "/cases/{case_id}/consolidation/service",
    response={200: ConsolidationOut, **ERRORS},
    summary="Record when the ruling to consolidate was served: the 15 days for reconsideration run from it "
    "(a judge of the case; SPC Minutes 法〔2018〕53号 para. 34)",
    operation_id="record_consolidation_service",
)
def post_consolidation_service(request: HttpRequest, case_id: str, payload: ServiceIn) -> Consolidation:
    parsed = _case_id(case_id)
    merged.record_ruling_service(actor=signed_in_user(request), case_id=parsed, served_on=payload.served_on)
    return _consolidation_now(request, parsed)


@router.post(
    "/cases/{case_id}/consolidation/reconsiderations",
    response={201: ConsolidationOut, **ERRORS},
    summary="Record an interested party's application to the higher court for reconsideration of the ruling "
    "(a judge of the case; para. 34)",
    operation_id="record_reconsideration_application",
)
def post_reconsideration(request: HttpRequest, case_id: str, payload: ReconsiderationIn) -> Status[Consolidation]:
    parsed = _case_id(case_id)
    merged.record_reconsideration_application(
        actor=signed_in_user(request), case_id=parsed, applicant=payload.applicant, filed_on=payload.filed_on
    )
    return Status(201, _consolidation_now(request, parsed))


@router.post(
    "/cases/{case_id}/consolidation/reconsiderations/{reconsideration_id}/decision",
    response={200: ConsolidationOut, **ERRORS},
    summary="Record the higher court's decision on an application for reconsideration (a judge of the case)",
    operation_id="record_reconsideration_decision",
)
def post_reconsideration_decision(
    request: HttpRequest, case_id: str, reconsideration_id: uuid.UUID, payload: ReconsiderationDecisionIn
) -> Consolidation:
    parsed = _case_id(case_id)
    merged.record_reconsideration_decision(
        actor=signed_in_user(request),
        case_id=parsed,
        reconsideration_id=reconsideration_id,
        outcome=payload.outcome.value,
        decided_on=payload.decided_on,
        reference=payload.reference,
    )
    return _consolidation_now(request, parsed)


@router.post(
    "/cases/{case_id}/consolidation/plan-structure",
    response={200: ConsolidationOut, **ERRORS},
    summary="Record what the one plan of a consolidated reorganisation or settlement does with each debtor: one "
    "continues, the others merge into it or are kept separate (the administrator; SPC Minutes para. 37)",
    operation_id="record_plan_structure",
)
def post_plan_structure(request: HttpRequest, case_id: str, payload: PlanStructureIn) -> Consolidation:
    parsed = _case_id(case_id)
    merged.record_plan_structure(
        actor=signed_in_user(request), case_id=parsed, survivor=payload.survivor, separate=payload.separate
    )
    return _consolidation_now(request, parsed)
