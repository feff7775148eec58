"""Opening a proceeding."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from smartcourt.accounts.choices import OrganisationKind
from smartcourt.accounts.models import Organisation, User
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.actions._common import (
    _after_completion,
    _change,
    _locked_proceeding,
    _locked_record,
    _satisfied,
)
from smartcourt.bankruptcy.actions.deadlines import _refresh_deadlines
from smartcourt.bankruptcy.choices import NodeStatus, TransitionAction
from smartcourt.bankruptcy.models import NodeOutput, NodeRecord, NodeTransition, Proceeding
from smartcourt.bankruptcy.policies import is_court_judge
from smartcourt.bankruptcy.rulepack import Node, ProcedureDef, get_procedure
from smartcourt.cases.choices import MemberRole
from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.rules.calendar import current_calendar
from smartcourt.rules.deadlines import check_dates


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
