"""Loading with permission and the one way a node's status changes, shared by the procedure actions."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.choices import (
    NODE_TRANSITIONS,
    UNFINISHED_NODE_STATUSES,
    NodeStatus,
    ProceedingStatus,
    TransitionAction,
)
from smartcourt.bankruptcy.models import NodeRecord, NodeTransition, Proceeding
from smartcourt.bankruptcy.policies import can_view_nodes
from smartcourt.bankruptcy.rulepack import Node, get_procedure
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import Conflict, NotFound, PermissionDenied
from smartcourt.core.lookups import get_or_not_found
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind

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


def _locked_proceeding(case: Case) -> Proceeding:
    return get_or_not_found(
        Proceeding.objects.select_for_update(), f"{case.number} has no bankruptcy proceeding", case=case
    )


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
        # Answered on the request's "node" field, which get_or_not_found has no place for.
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


def _close(
    proceeding: Proceeding, *, case: Case, actor: User | None, closed_by: NodeRecord | None, taken_over_by: str = ""
) -> None:
    """End the proceeding: by its closing node, or (``taken_over_by``, the lead case's number) because a merged
    bankruptcy administers the debtor in the lead case's proceeding from now on."""
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
        after={
            "status": ProceedingStatus.CLOSED,
            "closed_by_node": closed_by.node_key if closed_by else None,
            "closed_on": today,
        }
        | ({"taken_over_by": taken_over_by} if taken_over_by else {}),
    )
