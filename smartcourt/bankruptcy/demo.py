"""Driving a demo proceeding to a chosen node, through the real actions, so that the demo has cases at every
node. Used by the demo seed; every step is an ordinary, audited action with sample files."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from smartcourt.accounts.models import User
from smartcourt.bankruptcy import actions
from smartcourt.bankruptcy.choices import NodeStatus, Operator, OutputKind
from smartcourt.bankruptcy.models import NodeRecord, Proceeding
from smartcourt.bankruptcy.rulepack import Node, ProcedureDef, get_procedure
from smartcourt.cases.models import Case
from smartcourt.core.clock import Clock
from smartcourt.core.pdf import html_to_pdf


@functools.lru_cache(maxsize=256)
def sample_pdf(title: str) -> bytes:
    """A readable one-page PDF titled like the material a node needs, marked as demo material (a reader opens
    it; an empty stub without a cross-reference table showed as an unreadable file)."""
    html = (
        "<html><body style=\"font-family: 'Noto Sans CJK SC', sans-serif\">"
        f'<h1 style="font-size: 18pt">{escape(title)}</h1>'
        "<p>演示材料：本文件由演示数据生成，代替真实案件中的书面材料。</p></body></html>"
    )
    return html_to_pdf(html)


# Offsets from the acceptance that respect the statute (announcement within 25 days, claims period 30 days to
# 3 months, first meeting within 15 days of its end, …).
DATE_OFFSETS = {
    "announced_on": 8,
    "claims_period_ends_on": 8 + 45,
    "meeting_on": 8 + 45 + 12,
    "plan_submitted_on": 150,
    "plan_adopted_on": 170,
    "plan_approval_requested_on": 175,
    "declared_bankrupt_on": 100,
    "termination_requested_on": 300,
    "terminated_on": 310,
}


def ancestors(proc: ProcedureDef, key: str) -> set[str]:
    found: set[str] = set()
    stack = list(proc.node(key).predecessors)
    while stack:
        current = stack.pop()
        if current in found or not proc.has_node(current):
            continue
        found.add(current)
        stack.extend(proc.node(current).predecessors)
    return found


@dataclass(frozen=True)
class Timeline:
    """When the demo's story works each node, under the demo's clock: a node starts the day its last predecessor
    was finished and is finished on ``finish_on(key)`` (a node with a deadline by then, unless the story makes it
    late); a node in ``returned`` is first submitted on time, sent back by the court with those reasons, and
    submitted again on its finishing day. ``before_finishing`` runs, by node, what the node's work consists of
    outside this app (a creditors' meeting) once the node has started, with the clock at its start."""

    clock: Clock
    finish_on: Callable[[str], dt.date]
    returned: Mapping[str, str] = field(default_factory=dict)
    before_finishing: Mapping[str, Callable[[NodeRecord], None]] = field(default_factory=dict)


def _started_on(proceeding: Proceeding, key: str) -> dt.date:
    """The day the node's last predecessor was finished (the acceptance, for the first nodes)."""
    node = get_procedure(proceeding.branch).node(key)
    finished = [
        timezone.localtime(moment).date()
        for moment in proceeding.nodes.filter(node_key__in=node.predecessors, completed_at__isnull=False).values_list(
            "completed_at", flat=True
        )
    ]
    return max([proceeding.opened_on, *finished])


def _provide_outputs(*, case: Case, node: Node, record: NodeRecord, actor: User, accepted: dt.date) -> None:
    """Every required output the node does not have yet: a date or a short text for data, a PDF for documents."""
    for output in node.required_outputs:
        if output.key in set(record.outputs.values_list("output_key", flat=True)):
            continue
        if output.kind == OutputKind.DATA:
            if output.value_type == "date":
                value = (accepted + dt.timedelta(days=DATE_OFFSETS.get(output.key, 30))).isoformat()
            else:
                value = f"{output.name_zh}：见卷宗"
            actions.provide_output(actor=actor, case_id=case.pk, node_key=node.key, output_key=output.key, value=value)
        else:
            upload = SimpleUploadedFile(
                f"{output.name_zh[:40]}.pdf", sample_pdf(output.name_zh), content_type="application/pdf"
            )
            actions.provide_output(
                actor=actor, case_id=case.pk, node_key=node.key, output_key=output.key, upload=upload
            )


def work_node(
    *,
    case: Case,
    key: str,
    judge: User,
    administrator: User,
    complete: bool = True,
    timeline: Timeline | None = None,
) -> NodeRecord:
    """Start a node, provide every required output and (if ``complete``) complete it, confirming it when the
    court must; along the ``timeline``'s dates when one is given."""
    proceeding = Proceeding.objects.get(case=case)
    record = proceeding.nodes.get(node_key=key)
    node = get_procedure(record.procedure).node(key)
    actor = judge if node.operator == Operator.COURT else administrator
    if timeline is not None and record.status in {NodeStatus.PENDING, NodeStatus.RETURNED}:
        timeline.clock.move_to_day(_started_on(proceeding, key), 14)
    if record.status in {NodeStatus.PENDING, NodeStatus.RETURNED}:
        actions.start_node(actor=actor, case_id=case.pk, node_key=key)
    if not complete:
        return proceeding.nodes.get(node_key=key)
    if timeline is not None and key in timeline.before_finishing:
        timeline.before_finishing[key](proceeding.nodes.get(node_key=key))
    finish_on = timeline.finish_on(key) if timeline is not None else None
    reasons = timeline.returned.get(key, "") if timeline is not None else ""
    if timeline is not None and finish_on is not None:
        # The documents come in on the finishing day; a node sent back was first submitted five days earlier.
        timeline.clock.move_to_day(finish_on - dt.timedelta(days=5) if reasons else finish_on, 10)
    _provide_outputs(case=case, node=node, record=record, actor=actor, accepted=proceeding.opened_on)
    if reasons and timeline is not None and finish_on is not None and node.court_confirms:
        actions.complete_node(actor=actor, case_id=case.pk, node_key=key)
        timeline.clock.move_to_day(finish_on - dt.timedelta(days=3), 16)
        actions.return_node(actor=judge, case_id=case.pk, node_key=key, reasons=reasons)
        timeline.clock.move_to_day(finish_on, 10)
        actions.start_node(actor=actor, case_id=case.pk, node_key=key)
    record = actions.complete_node(actor=actor, case_id=case.pk, node_key=key)
    if record.status == NodeStatus.AWAITING_CONFIRMATION:
        if timeline is not None and finish_on is not None:
            # The judge confirms in the afternoon of the day the administrator submitted.
            timeline.clock.move_to_day(finish_on, 16)
        actions.confirm_node(actor=judge, case_id=case.pk, node_key=key)
    return proceeding.nodes.get(node_key=key)


def drive_to(
    *,
    case: Case,
    target: str,
    judge: User,
    administrator: User,
    timeline: Timeline | None = None,
    through: bool = False,
) -> NodeRecord:
    """Complete every node ``target`` depends on (and, ``through``, every node before it in the legal order),
    leaving ``target`` ready to start."""
    proceeding = Proceeding.objects.get(case=case)
    proc = get_procedure(proceeding.branch)
    needed = ancestors(proc, target)
    if through:
        position = proceeding.nodes.get(node_key=target).position
        needed |= set(proceeding.nodes.filter(position__lt=position).values_list("node_key", flat=True))
    for _ in range(len(proc.nodes) + 1):
        record = proceeding.nodes.get(node_key=target)
        waiting = (
            through
            and proceeding.nodes.filter(node_key__in=needed)
            .exclude(status__in=[NodeStatus.COMPLETED, NodeStatus.CANCELLED])
            .exists()
        )
        if record.status != NodeStatus.BLOCKED and not waiting:
            return record
        ready = proceeding.nodes.filter(
            node_key__in=needed, status__in=[NodeStatus.PENDING, NodeStatus.IN_PROGRESS, NodeStatus.RETURNED]
        ).order_by("position")
        for step in ready:
            work_node(case=case, key=step.node_key, judge=judge, administrator=administrator, timeline=timeline)
    raise RuntimeError(f"{target} cannot be reached in {proc.key}")
