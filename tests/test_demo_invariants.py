"""The demo tells one consistent story (issue 16 items 5 and 6), checked on one seeding:

- it happened in the past: no node finished, no event recorded, after today;
- a meeting node is finished only after its creditors' meeting was held and closed, and no meeting is held
  before the nodes that must precede it are finished;
- a payment asks what its stated basis gives ("成交价1,280,000元的5%" is 64,000 yuan);
- every document in the dossiers is a real one: a PDF of at least 1 KB with text a reader can extract, a text
  file with text;
- the court's boards, the firms' evaluations and the dashboards count the same overdue nodes, and most nodes
  were finished on time.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from pypdf import PdfReader

from smartcourt.analytics.models import CaseFact
from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.choices import OPEN_NODE_STATUSES, NodeStatus, Operator
from smartcourt.bankruptcy.models import NodeRecord
from smartcourt.bankruptcy.rulepack import get_procedure
from smartcourt.distributions.models import DistributionPlan
from smartcourt.dossier.models import DossierEntry
from smartcourt.evaluation.models import Evaluation
from smartcourt.funds.models import PaymentRequest
from smartcourt.meetings.models import Meeting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank", "payment_service")]

# The node a meeting belongs to: the first meeting is N08; a later meeting the node of what it votes on.
MEETING_NODE = {"first": "N08", "realisation_plan": "N11", "distribution_plan": "N13", "reorganisation_plan": "R5"}
BASIS = re.compile(r"成交价([\d,]+)元的(\d+(?:\.\d+)?)%")


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _meeting_node(meeting: Meeting) -> str | None:
    if meeting.kind == "first":
        return MEETING_NODE["first"]
    kinds = {item.kind for item in meeting.items.all()}
    return next((MEETING_NODE[kind] for kind in kinds if kind in MEETING_NODE), None)


def _check_the_past(today: dt.date) -> None:
    finished = NodeRecord.objects.filter(completed_at__isnull=False)
    assert [r for r in finished if _day(r.completed_at) > today] == []  # type: ignore[arg-type]
    assert not AuditEvent.objects.filter(occurred_at__gt=timezone.now()).exists()


def _check_meetings() -> None:
    records = {(r.proceeding.case_id, r.node_key): r for r in NodeRecord.objects.select_related("proceeding")}
    held: set[tuple[object, str]] = set()
    for meeting in Meeting.objects.prefetch_related("items"):
        key = _meeting_node(meeting)
        assert key is not None, f"{meeting.title}: no node of the procedure holds this meeting"
        record = records[(meeting.case_id, key)]
        node = get_procedure(record.procedure).node(key)
        if meeting.scheduled_at > timezone.now():
            continue  # convened for a day to come: the claims review may still be finishing
        for before in node.predecessors:
            previous = records[(meeting.case_id, before)]
            assert previous.completed_at is not None and previous.completed_at <= meeting.scheduled_at, (
                f"{meeting.case} {meeting.title} held while {before} is {previous.status}"
            )
        assert record.status not in {NodeStatus.BLOCKED, NodeStatus.PENDING}, (
            f"{meeting.case} {meeting.title}: {key} is {record.status}"
        )
        if meeting.status == "closed":
            held.add((meeting.case_id, key))
            if record.completed_at is not None:
                assert meeting.closed_at is not None and meeting.closed_at <= record.completed_at
    # A distribution plan adopted by written vote outside the platform (Interp. III art. 11) is recorded on the
    # plan with its reference and date: that is the meeting of its case's N13.
    written = {
        plan.case_id: plan.meeting_resolved_on
        for plan in DistributionPlan.objects.exclude(meeting_reference="").exclude(meeting_resolved_on=None)
    }
    for (case_id, key), record in records.items():
        if key not in MEETING_NODE.values() or record.status != NodeStatus.COMPLETED:
            continue
        by_writing = written.get(case_id)
        if key == "N13" and by_writing is not None and record.completed_at is not None:
            assert by_writing <= _day(record.completed_at)
            continue
        assert (case_id, key) in held, f"{record.proceeding.case} {key} completed without its meeting"


def _check_payments() -> None:
    for payment in PaymentRequest.objects.all():
        match = BASIS.search(payment.description)
        if match is None:
            continue
        price = Decimal(match.group(1).replace(",", ""))
        asked = price * Decimal(match.group(2)) / 100
        assert payment.amount_fen == int(asked * 100), f"payment #{payment.number}: {payment.description}"


def _check_documents() -> None:
    for entry in DossierEntry.objects.exclude(file=""):
        with entry.file.open("rb") as handle:
            content = handle.read()
        if entry.content_type == "application/pdf":
            # A real PDF page with its fonts is kilobytes; the stubs the demo once filed were 193 bytes.
            assert entry.size >= 1024, f"{entry.title}: {entry.size} bytes"
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        else:
            text = content.decode("utf-8", errors="replace") if entry.content_type.startswith("text/") else "binary"
        assert len(text.strip()) >= 4, f"{entry.title}: no text"


def _administered(record: NodeRecord) -> bool:
    return get_procedure(record.procedure).node(record.node_key).operator == Operator.ADMINISTRATOR


def _check_the_figures(today: dt.date) -> None:
    counted = NodeRecord.objects.exclude(status__in=[NodeStatus.BLOCKED, NodeStatus.CANCELLED]).exclude(due_on=None)
    tally: Counter[str] = Counter()
    for record in counted.select_related("proceeding__case"):
        assert record.due_on is not None
        if record.status == NodeStatus.COMPLETED and record.completed_at is not None:
            tally["late" if _day(record.completed_at) > record.due_on else "on time"] += 1
        elif record.status in OPEN_NODE_STATUSES and record.due_on < today:
            tally["overdue"] += 1
            # Days, not months: the demo's courts keep their deadlines.
            assert (today - record.due_on).days <= 7, f"{record.proceeding.case} {record.node_key}"
    assert tally["on time"] >= 10 * (tally["late"] + tally["overdue"]) and tally["late"] >= 1, tally
    # Firm by firm at the evaluating court: the evaluation's overdue nodes are the nodes finished late and those
    # open past their deadline, and the dashboard shows the open ones.
    for evaluation in Evaluation.objects.select_related("firm", "court"):
        cases = counted.filter(
            proceeding__case__court=evaluation.court,
            proceeding__case__administrator_appointment__firm=evaluation.firm,
        )
        # (record, deadline): every record counted has one.
        records = [(r, r.due_on) for r in cases if _administered(r) and r.due_on is not None]
        late = [r for r, due in records if r.completed_at is not None and _day(r.completed_at) > due]
        open_late = [due for r, due in records if r.status in OPEN_NODE_STATUSES and due < today]
        assert int(evaluation.measures["nodes_overdue"]["value"]) == len(late) + len(open_late)
        shown = CaseFact.objects.filter(court=evaluation.court, firm=evaluation.firm).aggregate(
            nodes=Sum("overdue_nodes"), days=Sum("overdue_days")
        )
        assert (shown["nodes"] or 0) == len(open_late), evaluation.firm
        assert (shown["days"] or 0) == sum((today - due).days for due in open_late)


def test_the_demo_is_one_consistent_story() -> None:
    call_command("seed_demo", stdout=StringIO())
    today = timezone.localdate()
    _check_the_past(today)
    _check_meetings()
    _check_payments()
    _check_documents()
    _check_the_figures(today)
