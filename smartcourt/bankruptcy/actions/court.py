"""Court acts on the whole proceeding."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.actions._common import (
    _change,
    _locked_proceeding,
    _note,
    _satisfied,
    _statuses,
    _visible_case,
    definition,
)
from smartcourt.bankruptcy.actions.deadlines import _refresh_deadlines, _set_anchor
from smartcourt.bankruptcy.actions.nodes import _judged, _open_or_conflict
from smartcourt.bankruptcy.actions.opening import _create_record
from smartcourt.bankruptcy.choices import UNFINISHED_NODE_STATUSES, NodeStatus, TransitionAction
from smartcourt.bankruptcy.models import NodeRecord, Proceeding
from smartcourt.bankruptcy.policies import is_court_operator
from smartcourt.bankruptcy.rulepack import get_procedure
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.rules.calendar import current_calendar


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
