"""Node work: starting, recording, submitting and completing a node."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.actions._common import (
    _after_completion,
    _change,
    _check_version,
    _locked_proceeding,
    _locked_record,
    _statuses,
    _visible_case,
    definition,
)
from smartcourt.bankruptcy.actions.deadlines import _set_anchor
from smartcourt.bankruptcy.choices import MemberFate, NodeStatus, OutputKind, ProceedingStatus, TransitionAction
from smartcourt.bankruptcy.errors import BankruptcyError
from smartcourt.bankruptcy.models import ConsolidatedDebtor, NodeOutput, NodeRecord, Proceeding
from smartcourt.bankruptcy.policies import can_operate, is_judge_of
from smartcourt.bankruptcy.rulepack import Node
from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.core.lengths import fit
from smartcourt.core.uploads import UploadedFileLike, checked_upload
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry
from smartcourt.rules.calendar import current_calendar

MAX_REASONS = 4000


MAX_TEXT_VALUE = 1000


_OUTPUT_ENTRY_KIND = {OutputKind.DOCUMENT: EntryKind.DOCUMENT, OutputKind.ATTACHMENT: EntryKind.ATTACHMENT}


def _operable(actor: User, case_id: uuid.UUID | str, node_key: str) -> tuple[Case, Proceeding, NodeRecord, Node]:
    case = _visible_case(actor, case_id)
    proceeding = _locked_proceeding(case)
    record = _locked_record(proceeding, node_key)
    node = definition(record)
    if not can_operate(actor, case, node):
        who = "the court" if node.operator == "court" else "the appointed administrator"
        raise PermissionDenied(f"{node.key} {node.name_en} is worked by {who}")
    return case, proceeding, record, node


def _judged(actor: User, case_id: uuid.UUID | str, node_key: str | None) -> tuple[Case, Proceeding, NodeRecord | None]:
    case = _visible_case(actor, case_id)
    proceeding = _locked_proceeding(case)
    record = _locked_record(proceeding, node_key) if node_key is not None else None
    if not is_judge_of(actor, case):
        raise PermissionDenied("Only a judge sitting on the case may do this")
    return case, proceeding, record


def _open_or_conflict(proceeding: Proceeding) -> None:
    if proceeding.status != ProceedingStatus.OPEN:
        raise Conflict("the proceeding is closed")


@transaction.atomic
def start_node(
    *, actor: User, case_id: uuid.UUID | str, node_key: str, expected_version: int | None = None
) -> NodeRecord:
    """Start a ready node, or resume one the court returned."""
    case, proceeding, record, _node = _operable(actor, case_id, node_key)
    _open_or_conflict(proceeding)
    _check_version(record, expected_version)
    if record.status == NodeStatus.BLOCKED:
        waiting = [
            key
            for key in definition(record).predecessors
            if _statuses(proceeding).get(key) not in {None, NodeStatus.COMPLETED, NodeStatus.CANCELLED}
        ]
        raise Conflict(f"{node_key} waits for {', '.join(waiting)} to be completed", field="status")
    updates: dict[str, Any] = {}
    if record.started_at is None:
        updates = {"started_at": timezone.now(), "started_by": actor}
    return _change(
        record, case=case, actor=actor, to_status=NodeStatus.IN_PROGRESS, action=TransitionAction.START, updates=updates
    )


def _parse_value(node: Node, output_key: str, value: str) -> tuple[Any, dt.date | None]:
    output = node.output(output_key)
    value = value.strip()
    if not value:
        raise DomainError(f"{output.name_en} needs a value", field="value")
    if output.value_type == "date":
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise DomainError(f"{output.name_en}: {value!r} is not a date written YYYY-MM-DD", field="value") from exc
        return parsed.isoformat(), parsed
    if len(value) > MAX_TEXT_VALUE:
        raise DomainError(f"{output.name_en} is at most {MAX_TEXT_VALUE} characters", field="value")
    return value, None


@transaction.atomic
def provide_output(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    node_key: str,
    output_key: str,
    upload: UploadedFileLike | None = None,
    value: str | None = None,
) -> NodeOutput:
    """Provide one output of a node in progress: a file (document or attachment, checked and filed into the
    dossier) or a value (data; a date may set one of the proceeding's dates, moving later deadlines)."""
    case, proceeding, record, node = _operable(actor, case_id, node_key)
    _open_or_conflict(proceeding)
    output = node.output(output_key)
    if record.status != NodeStatus.IN_PROGRESS:
        raise Conflict(
            f"{node_key} is {NodeStatus(record.status).label}: outputs are provided while it is in progress",
            field="status",
        )
    now = timezone.now()
    if output.kind == OutputKind.DATA:
        if upload is not None or value is None:
            raise DomainError(f"{output.name_en} is a value, not a file", field="value")
        stored, as_date = _parse_value(node, output_key, value)
        if output.anchor and as_date is not None:
            _set_anchor(
                proceeding, name=output.anchor, value=as_date, case=case, actor=actor, calendar=current_calendar()
            )
        provided = NodeOutput.objects.create(
            record=record, output_key=output_key, data={"value": stored}, provided_by=actor, provided_at=now
        )
        # The catalogue title repeats the value as far as it fits, visibly shortened beyond: the value itself
        # is kept whole in the output above and in the audit event.
        file_entry(
            actor=actor,
            case=case,
            kind=EntryKind.NODE_RECORD,
            title=fit(DossierEntry, "title", f"{node.key} {node.name_zh}：{output.name_zh} {stored}"),
            source=record,
        )
        shown: dict[str, Any] = {"value": stored}
    else:
        if upload is None or value is not None:
            raise DomainError(f"{output.name_en} is a file: upload it", field="file")
        checked = checked_upload(upload)
        entry = file_entry(
            actor=actor,
            case=case,
            kind=_OUTPUT_ENTRY_KIND[output.kind],
            title=fit(DossierEntry, "title", f"{node.key} {node.name_zh}：{output.name_zh}"),
            content=checked.content,
            filename=checked.name,
            content_type=checked.content_type,
            source=record,
        )
        provided = NodeOutput.objects.create(
            record=record, output_key=output_key, dossier_entry=entry, provided_by=actor, provided_at=now
        )
        shown = {
            "file_name": checked.name,
            "sha256": checked.sha256,
            "size": checked.size,
            "dossier_entry": entry.number,
        }
    NodeRecord.objects.filter(pk=record.pk).update(version=F("version") + 1, updated_at=now)
    record_event(
        actor=actor,
        action="bankruptcy.output_provided",
        case_id=case.pk,
        obj=provided,
        after={"node": node_key, "output": output_key, "output_name": output.name_zh, **shown},
    )
    return provided


def missing_outputs(record: NodeRecord, node: Node | None = None) -> list[str]:
    node = node or definition(record)
    provided = set(record.outputs.values_list("output_key", flat=True))
    return [output.key for output in node.required_outputs if output.key not in provided]


def _check_united(case: Case, node_key: str) -> None:
    """A consolidated reorganisation or settlement ends with its debtors as the plan made them (SPC Minutes
    法〔2018〕53号 para. 37): the plan's structure recorded for every member, and every member merged into the
    survivor deregistered."""
    members = list(ConsolidatedDebtor.objects.filter(consolidation__case=case).order_by("position"))
    if not members:
        return
    unrecorded = [m.name for m in members if not m.plan_fate]
    if unrecorded:
        raise DomainError(
            gettext("%(node)s cannot be completed before the plan's structure is recorded for: %(names)s")
            % {"node": node_key, "names": "、".join(unrecorded)},
            field="outputs",
            code=BankruptcyError.PLAN_STRUCTURE_MISSING,
        )
    pending = [m.name for m in members if m.plan_fate == MemberFate.MERGED and m.deregistered_on is None]
    if pending:
        raise DomainError(
            gettext("%(node)s cannot be completed before the deregistration of: %(names)s")
            % {"node": node_key, "names": "、".join(pending)},
            field="outputs",
            code=BankruptcyError.DEBTORS_NOT_DEREGISTERED,
        )


@transaction.atomic
def complete_node(
    *, actor: User, case_id: uuid.UUID | str, node_key: str, expected_version: int | None = None
) -> NodeRecord:
    """Complete a node in progress once every required output is there. A node the court must confirm goes
    to the judge instead, unless a judge of the case is completing it himself."""
    case, proceeding, record, node = _operable(actor, case_id, node_key)
    _open_or_conflict(proceeding)
    _check_version(record, expected_version)
    if record.status != NodeStatus.IN_PROGRESS:
        raise Conflict(
            f"{node_key} is {NodeStatus(record.status).label}: only a node in progress can be completed",
            field="status",
        )
    missing = missing_outputs(record, node)
    if missing:
        names = "; ".join(f"{node.output(key).name_en} ({key})" for key in missing)
        raise DomainError(
            f"{node_key} cannot be completed without: {names}", field="outputs", code=BankruptcyError.MISSING_OUTPUTS
        )
    if node.deregisters_debtor:
        # A merged bankruptcy deregisters every consolidated debtor, not only the lead (Minutes para. 37).
        pending = list(
            ConsolidatedDebtor.objects.filter(consolidation__case=case, deregistered_on__isnull=True)
            .order_by("position")
            .values_list("name", flat=True)
        )
        if pending:
            raise DomainError(
                gettext("%(node)s cannot be completed before the deregistration of: %(names)s")
                % {"node": node_key, "names": "、".join(pending)},
                field="outputs",
                code=BankruptcyError.DEBTORS_NOT_DEREGISTERED,
            )
    if node.unites_members:
        _check_united(case, node_key)
    now = timezone.now()
    if node.court_confirms and not is_judge_of(actor, case):
        return _change(
            record,
            case=case,
            actor=actor,
            to_status=NodeStatus.AWAITING_CONFIRMATION,
            action=TransitionAction.SUBMIT,
            updates={"submitted_at": now, "submitted_by": actor},
        )
    record = _change(
        record,
        case=case,
        actor=actor,
        to_status=NodeStatus.COMPLETED,
        action=TransitionAction.COMPLETE,
        updates={"completed_at": now, "completed_by": actor},
    )
    _after_completion(proceeding, record, case=case, actor=actor)
    return record


@transaction.atomic
def confirm_node(
    *, actor: User, case_id: uuid.UUID | str, node_key: str, expected_version: int | None = None
) -> NodeRecord:
    """The judge confirms a node the administrator completed."""
    case, proceeding, record = _judged(actor, case_id, node_key)
    assert record is not None
    _open_or_conflict(proceeding)
    _check_version(record, expected_version)
    if record.status != NodeStatus.AWAITING_CONFIRMATION:
        raise Conflict(f"{node_key} is {NodeStatus(record.status).label}: nothing to confirm", field="status")
    record = _change(
        record,
        case=case,
        actor=actor,
        to_status=NodeStatus.COMPLETED,
        action=TransitionAction.CONFIRM,
        updates={"completed_at": timezone.now(), "completed_by": actor},
    )
    _after_completion(proceeding, record, case=case, actor=actor)
    return record


@transaction.atomic
def return_node(
    *, actor: User, case_id: uuid.UUID | str, node_key: str, reasons: str, expected_version: int | None = None
) -> NodeRecord:
    """The judge sends a node back to the administrator, with reasons."""
    reasons = reasons.strip()
    case, proceeding, record = _judged(actor, case_id, node_key)
    assert record is not None
    _open_or_conflict(proceeding)
    if not reasons:
        raise DomainError("a return needs the reasons", field="reasons")
    if len(reasons) > MAX_REASONS:
        raise DomainError(f"reasons are at most {MAX_REASONS} characters", field="reasons")
    _check_version(record, expected_version)
    if record.status != NodeStatus.AWAITING_CONFIRMATION:
        raise Conflict(f"{node_key} is {NodeStatus(record.status).label}: nothing to return", field="status")
    return _change(
        record, case=case, actor=actor, to_status=NodeStatus.RETURNED, action=TransitionAction.RETURN, reason=reasons
    )
