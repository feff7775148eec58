"""Writes to proceedings and their nodes. Each function is one transaction with its audit event(s).

Every change of a node's status goes through ``_change``: the transition table in choices.py, a
compare-and-set update on the record's ``version``, an immutable ``NodeTransition`` row and an audit event;
the changes people make are also filed into the case's dossier as node records. Actions that touch a
proceeding lock its row first, so that two changes to one proceeding run one after the other: two people
completing the same node cannot both succeed, and two parallel nodes completing together still unblock
the node that waits for both.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext

from smartcourt.accounts.choices import OrganisationKind
from smartcourt.accounts.models import Organisation, User
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.choices import (
    NODE_TRANSITIONS,
    UNFINISHED_NODE_STATUSES,
    Colour,
    NodeStatus,
    OutputKind,
    ProceedingStatus,
    ReminderKind,
    TransitionAction,
)
from smartcourt.bankruptcy.models import NodeOutput, NodeRecord, NodeTransition, Proceeding, Reminder
from smartcourt.bankruptcy.policies import (
    can_operate,
    can_view_nodes,
    is_court_judge,
    is_court_operator,
    is_judge_of,
)
from smartcourt.bankruptcy.rulepack import ANCHOR_BOUNDS, Node, ProcedureDef, get_procedure
from smartcourt.bankruptcy.schedule import deadline_colour, deadline_key_for, node_deadline, working_days_until
from smartcourt.cases.choices import MemberRole
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.uploads import UploadedFileLike, checked_upload
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.rules.calendar import HolidayCalendar, current_calendar
from smartcourt.rules.deadlines import ANCHOR_NAMES, RULES_BY_KEY, check_dates
from smartcourt.rules.periods import period_end

MAX_REASONS = 4000
MAX_TEXT_VALUE = 1000
NOTE_LIMIT = 500

# How a node record reads in the dossier's catalogue (court documents are Chinese whatever the reader's language).
_DOSSIER_PHRASES: dict[str, str] = {
    TransitionAction.START: "开始办理",
    TransitionAction.SUBMIT: "提请法院确认",
    TransitionAction.COMPLETE: "办理完成",
    TransitionAction.CONFIRM: "法院确认完成",
    TransitionAction.RETURN: "法院退回",
    TransitionAction.RECORD: "记录完成",
}
_OUTPUT_ENTRY_KIND = {OutputKind.DOCUMENT: EntryKind.DOCUMENT, OutputKind.ATTACHMENT: EntryKind.ATTACHMENT}


# --- loading with permission -------------------------------------------------------------------------------


def _locked_proceeding(case: Case) -> Proceeding:
    try:
        return Proceeding.objects.select_for_update().get(case=case)
    except Proceeding.DoesNotExist as exc:
        raise NotFound(f"{case.number} has no bankruptcy proceeding") from exc


def _visible_case(actor: User, case_id: uuid.UUID | str) -> Case:
    """The case, if ``actor`` may see its node work: NotFound if the case is hidden, PermissionDenied if
    the case is visible but its node work is not (creditors, the bank)."""
    case = get_case_for(actor, case_id)
    if not can_view_nodes(actor, case):
        raise PermissionDenied("Only the court and the appointed administrator work on this case's nodes")
    return case


def _locked_record(proceeding: Proceeding, node_key: str) -> NodeRecord:
    try:
        return NodeRecord.objects.select_for_update().get(proceeding=proceeding, node_key=node_key)
    except NodeRecord.DoesNotExist as exc:
        raise NotFound(f"this proceeding has no node {node_key!r}", field="node") from exc


def definition(record: NodeRecord) -> Node:
    return get_procedure(record.procedure).node(record.node_key)


def _check_version(record: NodeRecord, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != record.version:
        raise Conflict(
            f"{record.node_key} was changed by someone else (version {record.version}, you had "
            f"{expected_version}); reload and try again",
            field="version",
        )


# --- the one way a node's status changes -------------------------------------------------------------------


def _change(
    record: NodeRecord,
    *,
    case: Case,
    actor: User | None,
    to_status: str,
    action: str,
    reason: str = "",
    updates: dict[str, Any] | None = None,
    file: bool = True,
    audit: bool = True,
) -> NodeRecord:
    """Move ``record`` to ``to_status`` if the transition table allows it and nobody changed it meanwhile."""
    from_status = record.status
    if to_status not in NODE_TRANSITIONS[from_status]:
        message = gettext("%(node)s is %(status)s: it cannot become %(target)s") % {
            "node": record.node_key,
            "status": NodeStatus(from_status).label,
            "target": NodeStatus(to_status).label,
        }
        raise Conflict(message, field="status")
    now = timezone.now()
    changed = NodeRecord.objects.filter(pk=record.pk, version=record.version, status=from_status).update(
        status=to_status, version=F("version") + 1, updated_at=now, **(updates or {})
    )
    if changed != 1:
        raise Conflict(f"{record.node_key} was changed by someone else; reload and try again")
    NodeTransition.objects.create(
        record=record, from_status=from_status, to_status=to_status, action=action, actor=actor, at=now, reason=reason
    )
    record.refresh_from_db()
    node = definition(record)
    if audit:
        record_event(
            actor=actor,
            action=f"bankruptcy.node_{action}",
            case_id=case.pk,
            obj=record,
            before={"node": record.node_key, "status": from_status},
            after={"node": record.node_key, "node_name": node.name_zh, "status": to_status, "reason": reason or None},
        )
    if file and actor is not None and action in _DOSSIER_PHRASES:
        phrase = "重新办理" if action == TransitionAction.START and from_status == NodeStatus.RETURNED else None
        file_entry(
            actor=actor,
            case=case,
            kind=EntryKind.NODE_RECORD,
            title=f"{node.key} {node.name_zh}：{phrase or _DOSSIER_PHRASES[action]}",
            source=record,
            note=_note(reason),
        )
    return record


def _note(text: str) -> str:
    return text if len(text) <= NOTE_LIMIT else text[: NOTE_LIMIT - 1] + "…"


def _satisfied(node: Node, statuses: dict[str, str]) -> bool:
    """A predecessor blocks while it is part of this proceeding and neither completed nor cancelled; one the
    proceeding does not have (a branch it never took) does not."""
    return all(
        statuses.get(key, NodeStatus.COMPLETED) in {NodeStatus.COMPLETED, NodeStatus.CANCELLED}
        for key in node.predecessors
    )


def _statuses(proceeding: Proceeding) -> dict[str, str]:
    return dict(proceeding.nodes.values_list("node_key", "status"))


def _after_completion(proceeding: Proceeding, record: NodeRecord, *, case: Case, actor: User | None) -> None:
    """Close the proceeding if the node ends it; otherwise open the nodes that were waiting for it."""
    node = definition(record)
    if node.closes_proceeding:
        _close(proceeding, case=case, actor=actor, closed_by=record)
        return
    statuses = _statuses(proceeding)
    waiting = proceeding.nodes.filter(status=NodeStatus.BLOCKED).order_by("position")
    for successor in waiting:
        if _satisfied(definition(successor), statuses):
            _change(successor, case=case, actor=actor, to_status=NodeStatus.PENDING, action=TransitionAction.UNBLOCK)
            statuses[successor.node_key] = NodeStatus.PENDING


def _close(proceeding: Proceeding, *, case: Case, actor: User | None, closed_by: NodeRecord) -> None:
    today = timezone.localdate()
    for record in proceeding.nodes.filter(status__in=UNFINISHED_NODE_STATUSES).order_by("position"):
        _change(
            record, case=case, actor=actor, to_status=NodeStatus.CANCELLED, action=TransitionAction.CLOSE, file=False
        )
    Proceeding.objects.filter(pk=proceeding.pk).update(status=ProceedingStatus.CLOSED, closed_on=today)
    proceeding.refresh_from_db()
    record_event(
        actor=actor,
        action="bankruptcy.proceeding_closed",
        case_id=case.pk,
        obj=proceeding,
        before={"status": ProceedingStatus.OPEN},
        after={"status": ProceedingStatus.CLOSED, "closed_by_node": closed_by.node_key, "closed_on": today},
    )


# --- anchor dates and deadlines ----------------------------------------------------------------------------


def anchors_of(proceeding: Proceeding) -> dict[str, dt.date]:
    return {name: dt.date.fromisoformat(value) for name, value in proceeding.anchor_dates.items()}


def _check_bounds(name: str, value: dt.date, anchors: dict[str, dt.date], calendar: HolidayCalendar) -> None:
    for bound in ANCHOR_BOUNDS:
        if bound.anchor != name:
            continue
        earliest_rule, latest_rule = RULES_BY_KEY[bound.earliest_key], RULES_BY_KEY[bound.latest_key]
        base = anchors.get(earliest_rule.anchor)
        if base is None:
            continue
        # A minimum period is satisfied by its raw last day; a maximum runs to the next working day.
        earliest = period_end(base, earliest_rule.period, calendar).unadjusted
        latest = period_end(base, latest_rule.period, calendar).due_on
        if not earliest <= value <= latest:
            raise DomainError(
                f"{name} must be between {earliest.isoformat()} and {latest.isoformat()} "
                f"({latest_rule.basis.text_en}: {earliest_rule.period.label_en} to {latest_rule.period.label_en} "
                f"from {earliest_rule.anchor} {base.isoformat()})",
                field=name,
            )


def _set_anchor(
    proceeding: Proceeding, *, name: str, value: dt.date, case: Case, actor: User, calendar: HolidayCalendar
) -> None:
    if name not in ANCHOR_NAMES:
        raise DomainError(f"unknown date {name!r}; known: {', '.join(ANCHOR_NAMES)}", field="name")
    anchors = anchors_of(proceeding)
    before = anchors.get(name)
    anchors[name] = value
    check_dates(anchors)
    _check_bounds(name, value, anchors, calendar)
    proceeding.anchor_dates = {key: day.isoformat() for key, day in anchors.items()}
    Proceeding.objects.filter(pk=proceeding.pk).update(anchor_dates=proceeding.anchor_dates, updated_at=timezone.now())
    record_event(
        actor=actor,
        action="bankruptcy.date_set",
        case_id=case.pk,
        obj=proceeding,
        before={name: before},
        after={name: value},
    )
    _refresh_deadlines(proceeding, calendar=calendar)


def _deadline_fields(record: NodeRecord, anchors: dict[str, dt.date], calendar: HolidayCalendar) -> dict[str, Any]:
    key = deadline_key_for(definition(record), extended=record.extended)
    result = node_deadline(key, anchors, calendar)
    if result is None:
        return {"deadline_key": key, "due_on": None, "due_basis": "", "holiday_data": None, "calendar_version": None}
    return {
        "deadline_key": key,
        "due_on": result.due_on,
        "due_basis": _note(result.basis),
        "holiday_data": result.holiday_data,
        "calendar_version": calendar.version,
    }


def _refresh_deadlines(
    proceeding: Proceeding, *, calendar: HolidayCalendar, records: Iterable[NodeRecord] | None = None
) -> list[tuple[NodeRecord, dt.date | None, dt.date | None]]:
    """Recompute the deadlines of the unfinished nodes; a finished node keeps the deadline it was held to.
    Returns (record, old due date, new due date) for every deadline that moved."""
    anchors = anchors_of(proceeding)
    if records is None:
        records = proceeding.nodes.filter(status__in=UNFINISHED_NODE_STATUSES)
    moved = []
    for record in records:
        fields = _deadline_fields(record, anchors, calendar)
        if any(getattr(record, name) != value for name, value in fields.items()):
            NodeRecord.objects.filter(pk=record.pk).update(**fields)
            if record.due_on != fields["due_on"]:
                moved.append((record, record.due_on, fields["due_on"]))
            for name, value in fields.items():
                setattr(record, name, value)
    return moved


# --- opening a proceeding ----------------------------------------------------------------------------------


def _create_record(
    proceeding: Proceeding, *, proc: ProcedureDef, node: Node, status: str, position: int, actor: User | None
) -> NodeRecord:
    record = NodeRecord.objects.create(
        proceeding=proceeding, node_key=node.key, procedure=proc.key.value, position=position, status=status
    )
    NodeTransition.objects.create(
        record=record, from_status="", to_status=status, action=TransitionAction.OPEN, actor=actor, at=timezone.now()
    )
    return record


@transaction.atomic
def open_proceeding(*, actor: User, case: Case, procedure: str, accepted_on: dt.date) -> Proceeding:
    """Open ``case``'s proceeding on its acceptance: the nodes the acceptance itself completes (N01; the
    application and the ruling of a reorganisation or settlement) are recorded as completed on
    ``accepted_on``, every other node of the procedure is created ready or waiting, with its deadline."""
    proc = get_procedure(procedure)
    if case.case_type != proc.case_type:
        raise DomainError(
            f"{case.number} is a {case.get_case_type_display()} case; the {proc.key} procedure runs in "
            f"{proc.case_type} cases",
            field="procedure",
        )
    if not is_court_judge(actor, case):
        raise PermissionDenied("Only a judge of the case's court opens its proceeding")
    anchors = dict.fromkeys(proc.opening_anchors, accepted_on)
    check_dates(anchors)
    try:
        with transaction.atomic():
            proceeding = Proceeding.objects.create(
                case=case,
                procedure=proc.key.value,
                branch=proc.key.value,
                opened_on=accepted_on,
                anchor_dates={name: day.isoformat() for name, day in anchors.items()},
            )
    except IntegrityError as exc:
        raise Conflict(f"{case.number} already has a proceeding") from exc
    positions = {node.key: index for index, node in enumerate(proc.nodes, start=1)}
    # Topological order: every node's predecessors exist, and opening ones are completed, before it is created.
    statuses: dict[str, str] = {}
    for node in proc.topological_order():
        if node.conversion_only:
            continue
        status = NodeStatus.PENDING if _satisfied(node, statuses) else NodeStatus.BLOCKED
        record = _create_record(
            proceeding, proc=proc, node=node, status=status, position=positions[node.key], actor=actor
        )
        statuses[node.key] = status
        if node.key in proc.opening_nodes:
            if status != NodeStatus.PENDING:
                raise DomainError(f"rule pack: opening node {node.key} waits for a node the acceptance does not record")
            _change(
                record,
                case=case,
                actor=actor,
                to_status=NodeStatus.COMPLETED,
                action=TransitionAction.RECORD,
                updates={"completed_at": timezone.now(), "completed_by": actor},
            )
            statuses[node.key] = NodeStatus.COMPLETED
    calendar = current_calendar()
    # Opening records keep their deadline too (N01: serving the ruling), computed once here.
    _refresh_deadlines(proceeding, calendar=calendar, records=proceeding.nodes.all())
    record_event(
        actor=actor,
        action="bankruptcy.proceeding_opened",
        case_id=case.pk,
        obj=proceeding,
        after={"procedure": proc.key.value, "accepted_on": accepted_on, "nodes": statuses},
    )
    file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.NODE_RECORD,
        title=f"程序开始：{proc.name_zh}（受理日期{accepted_on.isoformat()}）",
        source=proceeding,
    )
    return proceeding


@transaction.atomic
def record_appointment(*, actor: User, case: Case, firm: Organisation, appointed_on: dt.date) -> NodeRecord:
    """Record that ``firm`` was appointed administrator (N02, or C02 in compulsory liquidation): the node is
    completed and the nodes after it open. The appointment itself is made by the administrators app, which
    adds the firm to the case first."""
    if not is_court_judge(actor, case):
        raise PermissionDenied("Only a judge of the case's court records the appointment")
    proceeding = _locked_proceeding(case)
    proc = get_procedure(proceeding.branch)
    if firm.kind != OrganisationKind.ADMINISTRATOR_FIRM:
        raise DomainError(f"{firm.name} is not an administrator firm", field="firm")
    if not case.members.filter(organisation=firm, role=MemberRole.ADMINISTRATOR).exists():
        raise DomainError(f"{firm.name} is not appointed on {case.number}", field="firm")
    if appointed_on < proceeding.opened_on:
        raise DomainError(
            f"appointed_on ({appointed_on.isoformat()}) is before the acceptance ({proceeding.opened_on.isoformat()})",
            field="appointed_on",
        )
    record = _locked_record(proceeding, proc.appointment_node)
    now = timezone.now()
    if record.status not in {NodeStatus.PENDING, NodeStatus.IN_PROGRESS}:
        raise Conflict(f"{record.node_key} is {NodeStatus(record.status).label}: the appointment cannot be recorded")
    NodeOutput.objects.create(
        record=record,
        output_key="administrator",
        data={
            "value": f"{firm.name}（{firm.credit_code}）" if firm.credit_code else firm.name,
            "organisation_id": str(firm.pk),
            "appointed_on": appointed_on.isoformat(),
        },
        provided_by=actor,
        provided_at=now,
    )
    record = _change(
        record,
        case=case,
        actor=actor,
        to_status=NodeStatus.COMPLETED,
        action=TransitionAction.RECORD,
        reason=f"{firm.name} {appointed_on.isoformat()}",
        updates={"completed_at": now, "completed_by": actor},
    )
    _after_completion(proceeding, record, case=case, actor=actor)
    return record


# --- node work ---------------------------------------------------------------------------------------------


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
        file_entry(
            actor=actor,
            case=case,
            kind=EntryKind.NODE_RECORD,
            title=f"{node.key} {node.name_zh}：{output.name_zh} {stored}"[:200],
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
            title=f"{node.key} {node.name_zh}：{output.name_zh}"[:200],
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
        raise DomainError(f"{node_key} cannot be completed without: {names}", field="outputs", code="missing_outputs")
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


# --- court acts on the whole proceeding --------------------------------------------------------------------


@transaction.atomic
def set_anchor_date(*, actor: User, case_id: uuid.UUID | str, name: str, value: dt.date) -> Proceeding:
    """Enter or correct one of the proceeding's dates (e.g. announced_on); the deadlines of the unfinished
    nodes are recomputed from it."""
    case = _visible_case(actor, case_id)
    proceeding = _locked_proceeding(case)
    if not is_court_operator(actor, case):
        raise PermissionDenied("Only the court enters the proceeding's dates")
    _open_or_conflict(proceeding)
    _set_anchor(proceeding, name=name, value=value, case=case, actor=actor, calendar=current_calendar())
    return proceeding


@transaction.atomic
def extend_deadline(*, actor: User, case_id: uuid.UUID | str, node_key: str, reason: str) -> NodeRecord:
    """The court grants a node its extended deadline (the reorganisation plan: +3 months, EBL art. 79)."""
    case, proceeding, record = _judged(actor, case_id, node_key)
    assert record is not None
    _open_or_conflict(proceeding)
    node = definition(record)
    reason = reason.strip()
    if not node.extended_deadline_key:
        raise DomainError(f"{node_key} has no statutory extension", field="node")
    if not reason:
        raise DomainError("an extension needs its grounds", field="reason")
    if record.extended:
        raise Conflict(f"{node_key}'s deadline is already extended")
    if record.status not in UNFINISHED_NODE_STATUSES:
        raise Conflict(f"{node_key} is {NodeStatus(record.status).label}: its deadline no longer runs")
    before = record.due_on
    NodeRecord.objects.filter(pk=record.pk).update(extended=True, version=F("version") + 1, updated_at=timezone.now())
    record.refresh_from_db()
    _refresh_deadlines(proceeding, calendar=current_calendar(), records=[record])
    record_event(
        actor=actor,
        action="bankruptcy.deadline_extended",
        case_id=case.pk,
        obj=record,
        before={"node": node_key, "due_on": before},
        after={"node": node_key, "due_on": record.due_on, "deadline": record.deadline_key, "reason": reason},
    )
    file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.NODE_RECORD,
        title=f"{node.key} {node.name_zh}：延长期限至{record.due_on.isoformat() if record.due_on else '（待定）'}",
        source=record,
        note=_note(reason),
    )
    return record


@transaction.atomic
def convert_procedure(*, actor: User, case_id: uuid.UUID | str, declared_on: dt.date, reason: str) -> Proceeding:
    """A reorganisation or settlement that fails becomes a liquidation starting at the declaration of
    bankruptcy (N10): the converted branch's unfinished nodes are cancelled, its conversion node (R7) is
    recorded, and N10 with every node after it is opened, N10 ready at once."""
    case, proceeding, _ = _judged(actor, case_id, None)
    _open_or_conflict(proceeding)
    reason = reason.strip()
    if not reason:
        raise DomainError("a conversion needs its grounds", field="reason")
    source = get_procedure(proceeding.branch)
    conversion = source.conversion
    if conversion is None:
        raise Conflict(f"a {source.key} proceeding does not convert", field="procedure")
    target = get_procedure(conversion.to_procedure.value)
    now = timezone.now()
    for record in proceeding.nodes.filter(status__in=UNFINISHED_NODE_STATUSES).order_by("position"):
        if not target.has_node(record.node_key):
            _change(
                record,
                case=case,
                actor=actor,
                to_status=NodeStatus.CANCELLED,
                action=TransitionAction.CONVERT,
                reason=reason,
                file=False,
            )
    last = proceeding.nodes.aggregate(last=Max("position"))["last"] or 0
    if conversion.recorded_node is not None:
        node = source.node(conversion.recorded_node)
        recorded = _create_record(
            proceeding, proc=source, node=node, status=NodeStatus.PENDING, position=last + 1, actor=actor
        )
        _change(
            recorded,
            case=case,
            actor=actor,
            to_status=NodeStatus.COMPLETED,
            action=TransitionAction.RECORD,
            reason=reason,
            updates={"completed_at": now, "completed_by": actor},
        )
        last += 1
    existing = set(proceeding.nodes.values_list("node_key", flat=True))
    statuses = _statuses(proceeding)
    for offset, key in enumerate(target.descendants(conversion.entry_node), start=1):
        if key in existing:
            continue
        node = target.node(key)
        ready = key == conversion.entry_node or _satisfied(node, statuses)
        status = NodeStatus.PENDING if ready else NodeStatus.BLOCKED
        _create_record(proceeding, proc=target, node=node, status=status, position=last + offset, actor=actor)
        statuses[key] = status
    Proceeding.objects.filter(pk=proceeding.pk).update(
        branch=target.key.value, converted_on=declared_on, updated_at=now
    )
    proceeding.refresh_from_db()
    record_event(
        actor=actor,
        action="bankruptcy.procedure_converted",
        case_id=case.pk,
        obj=proceeding,
        before={"branch": source.key.value},
        after={"branch": target.key.value, "declared_on": declared_on, "reason": reason},
    )
    _set_anchor(
        proceeding, name=conversion.sets_anchor, value=declared_on, case=case, actor=actor, calendar=current_calendar()
    )
    file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.NODE_RECORD,
        title=f"程序转换：{source.name_zh}转入{target.name_zh}（宣告破产{declared_on.isoformat()}）",
        source=proceeding,
        note=_note(reason),
    )
    return proceeding


# --- the daily job -----------------------------------------------------------------------------------------


@transaction.atomic
def refresh_stale_deadlines() -> int:
    """Recompute the deadlines computed under an older holiday table. Returns how many moved."""
    calendar = current_calendar()
    stale = (
        NodeRecord.objects.filter(status__in=UNFINISHED_NODE_STATUSES, calendar_version__isnull=False)
        .exclude(calendar_version=calendar.version)
        .select_related("proceeding__case")
        .order_by("proceeding", "position")
    )
    moved_count = 0
    for record in stale:
        proceeding = record.proceeding
        for moved, before, after in _refresh_deadlines(proceeding, calendar=calendar, records=[record]):
            moved_count += 1
            record_event(
                actor=None,
                action="bankruptcy.deadline_recomputed",
                case_id=proceeding.case_id,
                obj=moved,
                before={"node": moved.node_key, "due_on": before},
                after={"node": moved.node_key, "due_on": after, "calendar_version": calendar.version},
            )
    return moved_count


@transaction.atomic
def raise_reminders(*, today: dt.date | None = None) -> int:
    """Raise today's reminders for every unfinished node due within three working days or overdue. Idempotent:
    one reminder per node, day and kind (a unique constraint), so a second run the same day adds nothing.
    Returns how many were raised."""
    today = today or timezone.localdate()
    calendar = current_calendar()
    records = (
        NodeRecord.objects.filter(
            status__in=UNFINISHED_NODE_STATUSES - {NodeStatus.BLOCKED},
            proceeding__status=ProceedingStatus.OPEN,
            due_on__isnull=False,
        )
        .select_related("proceeding")
        .order_by("proceeding", "position")
    )
    raised = 0
    for record in records:
        assert record.due_on is not None
        colour = deadline_colour(record.due_on, today, calendar)
        if colour == Colour.YELLOW:
            kind, days = ReminderKind.DUE_SOON, working_days_until(today, record.due_on, calendar)
        elif colour == Colour.RED:
            kind, days = ReminderKind.OVERDUE, -(today - record.due_on).days
        else:
            continue
        reminder, created = Reminder.objects.get_or_create(
            record=record,
            raised_on=today,
            kind=kind,
            defaults={"case_id": record.proceeding.case_id, "due_on": record.due_on, "working_days": days},
        )
        if created:
            raised += 1
            record_event(
                actor=None,
                action="bankruptcy.reminder_raised",
                case_id=record.proceeding.case_id,
                obj=reminder,
                after={"node": record.node_key, "kind": kind, "due_on": record.due_on, "days": days},
            )
    return raised


__all__ = [
    "complete_node",
    "confirm_node",
    "convert_procedure",
    "extend_deadline",
    "missing_outputs",
    "open_proceeding",
    "provide_output",
    "raise_reminders",
    "record_appointment",
    "refresh_stale_deadlines",
    "return_node",
    "set_anchor_date",
    "start_node",
]
