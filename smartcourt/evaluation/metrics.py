"""The measures of an administrator firm's work, computed from the audit log and the node records only.

Each measure carries the sequence numbers of the audit events behind it, so that every figure on the
evaluation page links to the events that produced it. The functions here only read.
"""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.choices import OPEN_NODE_STATUSES, NodeStatus, Operator
from smartcourt.bankruptcy.models import NodeRecord
from smartcourt.bankruptcy.rulepack import get_procedure
from smartcourt.cases.choices import CaseStatus, MemberRole
from smartcourt.cases.models import Case, CaseMember
from smartcourt.evaluation.choices import Measure

# Audit action names the measures read. Funds and meetings record these (briefs of issues 5 and 7).
NODE_FINISHED = frozenset({"bankruptcy.node_submit", "bankruptcy.node_complete"})
NODE_CONFIRMED = "bankruptcy.node_confirm"
NODE_RETURNED = "bankruptcy.node_return"
THREAD_ANSWERED = "correspondence.thread_answered"
PAYMENT_RETURNED = frozenset({"funds.payment_returned", "funds.payment_rejected"})
PAYMENT_APPROVED = "funds.payment_approved"
BREACH = "funds.limit_breach_attempted"
RECONCILIATION_DIFFERENCE = "funds.reconciliation_difference"
CLAIM_REVIEWED = "claims.reviewed"
OBJECTION_RAISED = "claims.objection_raised"
OBJECTION_RESOLVED = "claims.objection_resolved"
QUESTION_ASKED = "meetings.question_asked"
QUESTION_ANSWERED = "meetings.question_answered"
STATUS_CHANGED = "cases.status_changed"

READ_ACTIONS = (
    NODE_FINISHED
    | PAYMENT_RETURNED
    | {
        NODE_CONFIRMED,
        NODE_RETURNED,
        THREAD_ANSWERED,
        PAYMENT_APPROVED,
        BREACH,
        RECONCILIATION_DIFFERENCE,
        CLAIM_REVIEWED,
        OBJECTION_RAISED,
        OBJECTION_RESOLVED,
        QUESTION_ASKED,
        QUESTION_ANSWERED,
        STATUS_CHANGED,
    }
)
AMOUNT_ITEMS = ("principal_fen", "interest_fen", "penalties_fen", "costs_fen")


@dataclass
class Figure:
    """One measure's value and the audit events (by sequence number) behind it."""

    value: Decimal = Decimal(0)
    events: list[int] = field(default_factory=list)

    def add(self, amount: Decimal | int, *events: int) -> None:
        self.value += Decimal(amount)
        self.events.extend(events)

    def as_json(self) -> dict[str, Any]:
        return {"value": str(self.value), "events": sorted(set(self.events))}


def _figures() -> dict[str, Figure]:
    return {measure.value: Figure() for measure in Measure}


@dataclass
class CaseMeasures:
    case_id: uuid.UUID
    number: str
    figures: dict[str, Figure] = field(default_factory=_figures)
    # Seconds from question to answer, summed over the answered questions (the mean is derived from it).
    answer_seconds: int = 0


def firm_case_ids(court_id: uuid.UUID, firm_id: uuid.UUID) -> QuerySet[CaseMember, uuid.UUID]:
    """The firm's cases at the court: those it is (or was) the appointed administrator of. A query, not a
    list, so a firm with thousands of cases is selected by a subquery rather than thousands of parameters."""
    return CaseMember.objects.filter(
        case__court_id=court_id, organisation_id=firm_id, role=MemberRole.ADMINISTRATOR
    ).values_list("case_id", flat=True)


def court_median_days(court_id: uuid.UUID) -> dict[str, float]:
    """Median days from acceptance to closing of the court's closed cases, by case type."""
    durations: dict[str, list[int]] = defaultdict(list)
    rows = Case.objects.filter(
        court_id=court_id, status=CaseStatus.CLOSED, accepted_on__isnull=False, closed_on__isnull=False
    ).values_list("case_type", "accepted_on", "closed_on")
    for case_type, accepted_on, closed_on in rows.iterator(chunk_size=5000):
        if accepted_on is not None and closed_on is not None:
            durations[case_type].append((closed_on - accepted_on).days)
    return {case_type: statistics.median(values) for case_type, values in durations.items()}


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _total(after: dict[str, Any] | None) -> int:
    return sum(int((after or {}).get(item) or 0) for item in AMOUNT_ITEMS)


def measure_cases(
    case_ids: Iterable[uuid.UUID] | QuerySet[Any, uuid.UUID],
    *,
    answer_within_hours: int,
    today: dt.date | None = None,
) -> list[CaseMeasures]:
    """The measures of each case, from its audit events and node records, in case number order."""
    today = today or timezone.localdate()
    chosen = Case.objects.filter(pk__in=case_ids if isinstance(case_ids, QuerySet) else list(case_ids))
    cases = list(chosen.order_by("number"))
    if not cases:
        return []
    by_case: dict[uuid.UUID, list[AuditEvent]] = defaultdict(list)
    # Every node event (start, return, …) is read: the events behind a node's timeliness are all of its own.
    events = AuditEvent.objects.filter(
        Q(action__in=READ_ACTIONS) | Q(action__startswith="bankruptcy.node_"),
        case_id__in=chosen.values("pk"),
    ).order_by("seq")
    for event in events.only("seq", "occurred_at", "action", "case_id", "object_id", "after").iterator(chunk_size=5000):
        assert event.case_id is not None
        by_case[event.case_id].append(event)
    nodes: dict[uuid.UUID, list[NodeRecord]] = defaultdict(list)
    for record in NodeRecord.objects.filter(proceeding__case_id__in=chosen.values("pk")).select_related("proceeding"):
        nodes[record.proceeding.case_id].append(record)
    medians = court_median_days(cases[0].court_id)
    result = []
    for case in cases:
        measured = CaseMeasures(case_id=case.pk, number=case.number)
        history = by_case.get(case.pk, [])
        _nodes(measured, nodes.get(case.pk, []), history, today=today)
        _approvals(measured, history)
        _funds(measured, history)
        _reversals(measured, history)
        _questions(measured, history, answer_within_hours=answer_within_hours, today=today)
        _duration(measured, case, history, medians)
        result.append(measured)
    return result


def _nodes(measured: CaseMeasures, records: list[NodeRecord], history: list[AuditEvent], *, today: dt.date) -> None:
    """Timeliness of the nodes the administrator operates: the last submission (or completion) against the
    node's deadline, or today for a node still open past it."""
    finished: dict[str, AuditEvent] = {}
    touched: dict[str, list[int]] = defaultdict(list)
    for event in history:
        if event.action in NODE_FINISHED:
            finished[event.object_id] = event
        if event.action.startswith("bankruptcy.node_"):
            touched[event.object_id].append(event.seq)
    figures = measured.figures
    for record in records:
        if record.due_on is None or record.status in {NodeStatus.CANCELLED, NodeStatus.BLOCKED}:
            continue
        if get_procedure(record.procedure).node(record.node_key).operator != Operator.ADMINISTRATOR:
            continue
        done = finished.get(str(record.pk))
        if done is not None and record.status not in OPEN_NODE_STATUSES - {NodeStatus.AWAITING_CONFIRMATION}:
            late = (_local_date(done.occurred_at) - record.due_on).days
        elif record.status in OPEN_NODE_STATUSES and today > record.due_on:
            late = (today - record.due_on).days
        else:
            continue  # open and not yet due: nothing to say
        seqs = touched.get(str(record.pk), [])
        if late > 0:
            figures[Measure.NODES_OVERDUE].add(1, *seqs)
            figures[Measure.OVERDUE_DAYS].add(late, *seqs)
        else:
            figures[Measure.NODES_ON_TIME].add(1, *seqs)


def _approvals(measured: CaseMeasures, history: list[AuditEvent]) -> None:
    """Node submissions, requests (请示) and payment requests: approved at once, or sent back first."""
    sent_back: set[tuple[str, str]] = set()
    figures = measured.figures
    for event in history:
        decision = (event.after or {}).get("decision") if event.action == THREAD_ANSWERED else None
        if event.action == NODE_RETURNED or event.action in PAYMENT_RETURNED or decision in {"request_more", "reject"}:
            sent_back.add((event.action.split(".")[0], event.object_id))
            figures[Measure.RETURNED].add(1, event.seq)
        elif (event.action in {NODE_CONFIRMED, PAYMENT_APPROVED} or decision == "approve") and (
            event.action.split(".")[0],
            event.object_id,
        ) not in sent_back:
            figures[Measure.FIRST_TIME_APPROVED].add(1, event.seq)


def _funds(measured: CaseMeasures, history: list[AuditEvent]) -> None:
    for event in history:
        if event.action == BREACH:
            measured.figures[Measure.BREACHES].add(1, event.seq)
        elif event.action == RECONCILIATION_DIFFERENCE:
            measured.figures[Measure.RECONCILIATION_DIFFERENCES].add(1, event.seq)


def _reversals(measured: CaseMeasures, history: list[AuditEvent]) -> None:
    """An objection resolved with amounts other than the administrator's last review of the claim."""
    reviewed: dict[str, AuditEvent] = {}
    claim_of: dict[str, str] = {}
    for event in history:
        if event.action == CLAIM_REVIEWED:
            reviewed[event.object_id] = event
        elif event.action == OBJECTION_RAISED:
            claim_of[event.object_id] = str((event.after or {}).get("claim", ""))
        elif event.action == OBJECTION_RESOLVED:
            review = reviewed.get(claim_of.get(event.object_id, ""))
            if review is not None and _total(review.after) != _total(event.after):
                measured.figures[Measure.REVERSALS].add(1, review.seq, event.seq)


def _questions(measured: CaseMeasures, history: list[AuditEvent], *, answer_within_hours: int, today: dt.date) -> None:
    asked: dict[str, AuditEvent] = {}
    figures = measured.figures
    window = dt.timedelta(hours=answer_within_hours)
    for event in history:
        if event.action == QUESTION_ASKED:
            asked[event.object_id] = event
            figures[Measure.QUESTIONS_ASKED].add(1, event.seq)
        elif event.action == QUESTION_ANSWERED and event.object_id in asked:
            question = asked.pop(event.object_id)
            waited = event.occurred_at - question.occurred_at
            figures[Measure.QUESTIONS_ANSWERED].add(1, event.seq)
            measured.answer_seconds += int(waited.total_seconds())
            if waited > window:
                figures[Measure.LATE_ANSWERS].add(1, question.seq, event.seq)
    now = timezone.now()
    for question in asked.values():
        if now - question.occurred_at > window:
            figures[Measure.UNANSWERED].add(1, question.seq)
    _mean_hours(figures, measured.answer_seconds)


def _mean_hours(figures: dict[str, Figure], seconds: int) -> None:
    answered = figures[Measure.QUESTIONS_ANSWERED]
    if answered.value:
        figures[Measure.ANSWER_HOURS].value = (Decimal(seconds) / 3600 / answered.value).quantize(Decimal("0.1"))
        figures[Measure.ANSWER_HOURS].events = list(answered.events)


def _duration(measured: CaseMeasures, case: Case, history: list[AuditEvent], medians: dict[str, float]) -> None:
    """A closed case's days from acceptance to closing, against the court's median for its type."""
    if case.status != CaseStatus.CLOSED or case.accepted_on is None or case.closed_on is None:
        return
    seqs = [event.seq for event in history if event.action == STATUS_CHANGED]
    measured.figures[Measure.CASES_CLOSED].add(1, *seqs)
    median = medians.get(case.case_type)
    if not median:
        return
    ratio = Decimal((case.closed_on - case.accepted_on).days) / Decimal(str(median))
    if ratio > 1:
        measured.figures[Measure.DURATION_EXCESS].add((ratio - 1).quantize(Decimal("0.01")), *seqs)


def combine(per_case: list[CaseMeasures]) -> dict[str, Figure]:
    """The firm's figures: sums over its cases (the mean answer time is recomputed from the sums)."""
    total = _figures()
    for measured in per_case:
        for key, figure in measured.figures.items():
            if key != Measure.ANSWER_HOURS:
                total[key].add(figure.value, *figure.events)
    _mean_hours(total, sum(measured.answer_seconds for measured in per_case))
    return total
