"""The measures and the score on constructed histories with known answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from smartcourt.accounts.models import User
from smartcourt.cases.actions import add_member, change_case_status, create_case
from smartcourt.cases.choices import CaseStatus, CaseType, MemberRole
from smartcourt.correspondence.choices import ThreadKind
from smartcourt.correspondence.models import Thread
from smartcourt.evaluation.actions import evaluate_firm
from smartcourt.evaluation.choices import Measure
from smartcourt.evaluation.metrics import combine, measure_cases

from .helpers import NOW, NodeStatus, at, event, node, proceeding, roster, stand_in

pytestmark = pytest.mark.django_db


def build_history(personas) -> dict[str, list[int]]:
    """One case of firm A with a known history; returns the audit sequence numbers by what they prove."""
    case, admin, judge = personas.case, personas.administrator, personas.judge
    proc = proceeding(case)
    seqs: dict[str, list[int]] = {}
    # N04 (administrator's node) due 1 April, completed 5 April: 4 days late.
    n04 = node(proc, "N04", 4, status=NodeStatus.COMPLETED, due_on=dt.date(2026, 4, 1))
    seqs["n04"] = [event(at("2026-04-05"), actor=admin, action="bankruptcy.node_complete", case=case, obj=n04)]
    # N06 still in progress, due 10 June: 10 days overdue on 20 June.
    n06 = node(proc, "N06", 6, status=NodeStatus.IN_PROGRESS, due_on=dt.date(2026, 6, 10))
    seqs["n06"] = [event(at("2026-05-01"), actor=admin, action="bankruptcy.node_start", case=case, obj=n06)]
    # N08 submitted 28 May, returned, resubmitted 1 June, confirmed: on time (due 1 July), one return, so not
    # approved on first submission.
    n08 = node(proc, "N08", 8, status=NodeStatus.COMPLETED, due_on=dt.date(2026, 7, 1))
    seqs["n08"] = [
        event(at("2026-05-28"), actor=admin, action="bankruptcy.node_submit", case=case, obj=n08),
        event(at("2026-05-29"), actor=judge, action="bankruptcy.node_return", case=case, obj=n08),
        event(at("2026-06-01"), actor=admin, action="bankruptcy.node_submit", case=case, obj=n08),
        event(at("2026-06-02"), actor=judge, action="bankruptcy.node_confirm", case=case, obj=n08),
    ]
    # Court-operated N03 overdue, and a blocked N16 past its date: neither is the administrator's to answer for.
    node(proc, "N03", 3, status=NodeStatus.IN_PROGRESS, due_on=dt.date(2026, 4, 3))
    node(proc, "N16", 16, status=NodeStatus.BLOCKED, due_on=dt.date(2026, 5, 3))
    # A request approved at once; another sent back for more, then approved.
    first = Thread.objects.create(case=case, kind=ThreadKind.REQUEST, subject="A", submitted_by=admin)
    second = Thread.objects.create(case=case, kind=ThreadKind.REQUEST, subject="B", submitted_by=admin)
    answered = "correspondence.thread_answered"
    seqs["thread_ok"] = [
        event(at("2026-04-10"), actor=judge, action=answered, case=case, obj=first, after={"decision": "approve"})
    ]
    seqs["thread_back"] = [
        event(
            at("2026-04-11"), actor=judge, action=answered, case=case, obj=second, after={"decision": "request_more"}
        ),
        event(at("2026-04-12"), actor=judge, action=answered, case=case, obj=second, after={"decision": "approve"}),
    ]
    # Payments: one approved at once, one returned then approved; two breaches; one reconciliation difference.
    p1, p2 = stand_in("funds.PaymentRequest"), stand_in("funds.PaymentRequest")
    seqs["p1"] = [event(at("2026-05-02"), actor=judge, action="funds.payment_approved", case=case, obj=p1)]
    seqs["p2"] = [
        event(at("2026-05-03"), actor=judge, action="funds.payment_returned", case=case, obj=p2),
        event(at("2026-05-04"), actor=judge, action="funds.payment_approved", case=case, obj=p2),
    ]
    seqs["breach"] = [
        event(
            at("2026-05-05"),
            actor=admin,
            action="funds.limit_breach_attempted",
            case=case,
            obj=stand_in("funds.PaymentRequest"),
        )
        for _ in range(2)
    ]
    seqs["recon"] = [
        event(
            at("2026-05-06"),
            actor=None,
            action="funds.reconciliation_difference",
            case=case,
            obj=stand_in("funds.Alert"),
        )
    ]
    # Claim 1 reviewed at 1,000.00 yuan, objection resolved at 800.00: a reversal. Claim 2 upheld.
    c1, c2, o1, o2 = (
        stand_in("claims.Claim"),
        stand_in("claims.Claim"),
        stand_in("claims.Objection"),
        stand_in("claims.Objection"),
    )
    amounts = {"principal_fen": 100000, "interest_fen": 0, "penalties_fen": 0, "costs_fen": 0}
    reviewed_c1 = event(at("2026-04-20"), actor=admin, action="claims.reviewed", case=case, obj=c1, after=amounts)
    event(
        at("2026-04-21"),
        actor=admin,
        action="claims.reviewed",
        case=case,
        obj=c2,
        after={**amounts, "principal_fen": 50000},
    )
    event(
        at("2026-04-25"), actor=admin, action="claims.objection_raised", case=case, obj=o1, after={"claim": str(c1.pk)}
    )
    event(
        at("2026-04-26"), actor=admin, action="claims.objection_raised", case=case, obj=o2, after={"claim": str(c2.pk)}
    )
    resolved_o1 = event(
        at("2026-05-20"),
        actor=judge,
        action="claims.objection_resolved",
        case=case,
        obj=o1,
        after={**amounts, "principal_fen": 80000},
    )
    event(
        at("2026-05-21"),
        actor=judge,
        action="claims.objection_resolved",
        case=case,
        obj=o2,
        after={**amounts, "principal_fen": 50000},
    )
    seqs["reversal"] = [reviewed_c1, resolved_o1]
    # Questions: answered in 2 hours; answered after 80 hours (late); unanswered for 4 days; asked an hour ago.
    q1, q2, q3, q4 = (stand_in("meetings.Question") for _ in range(4))
    asked, answer = "meetings.question_asked", "meetings.question_answered"
    creditor = personas.creditor_a
    seqs["q1"] = [
        event(at("2026-06-01", 9), actor=creditor, action=asked, case=case, obj=q1),
        event(at("2026-06-01", 11), actor=admin, action=answer, case=case, obj=q1),
    ]
    seqs["q2"] = [
        event(at("2026-06-02", 8), actor=creditor, action=asked, case=case, obj=q2),
        event(at("2026-06-05", 16), actor=admin, action=answer, case=case, obj=q2),
    ]
    seqs["q3"] = [event(at("2026-06-16", 9), actor=creditor, action=asked, case=case, obj=q3)]
    event(NOW - dt.timedelta(hours=1), actor=creditor, action=asked, case=case, obj=q4)
    return seqs


def values(figures) -> dict[str, Decimal]:
    return {key: figure.value for key, figure in figures.items()}


def test_measures_of_a_constructed_history(personas) -> None:
    seqs = build_history(personas)
    with time_machine.travel(NOW, tick=False):
        (measured,) = measure_cases([personas.case.pk], answer_within_hours=72, today=NOW.date())
    got = values(measured.figures)
    assert got == {
        Measure.NODES_ON_TIME: 1,
        Measure.NODES_OVERDUE: 2,
        Measure.OVERDUE_DAYS: 14,
        Measure.FIRST_TIME_APPROVED: 2,
        Measure.RETURNED: 3,
        Measure.BREACHES: 2,
        Measure.RECONCILIATION_DIFFERENCES: 1,
        Measure.REVERSALS: 1,
        Measure.QUESTIONS_ASKED: 4,
        Measure.QUESTIONS_ANSWERED: 2,
        Measure.LATE_ANSWERS: 1,
        Measure.UNANSWERED: 1,
        Measure.ANSWER_HOURS: Decimal("41.0"),  # (2 + 80) / 2
        Measure.CASES_CLOSED: 0,
        Measure.DURATION_EXCESS: 0,
    }
    figures = measured.figures
    assert figures[Measure.NODES_OVERDUE].events == seqs["n04"] + seqs["n06"]
    assert figures[Measure.NODES_ON_TIME].events == seqs["n08"]
    assert figures[Measure.RETURNED].events == [seqs["n08"][1], seqs["thread_back"][0], seqs["p2"][0]]
    assert figures[Measure.FIRST_TIME_APPROVED].events == seqs["thread_ok"] + seqs["p1"]
    assert figures[Measure.BREACHES].events == seqs["breach"]
    assert figures[Measure.RECONCILIATION_DIFFERENCES].events == seqs["recon"]
    assert figures[Measure.REVERSALS].events == seqs["reversal"]
    assert figures[Measure.LATE_ANSWERS].events == seqs["q2"]
    assert figures[Measure.UNANSWERED].events == seqs["q3"]


def test_score_of_the_history_under_the_default_formula(personas) -> None:
    roster(personas.court_admin, personas.firm_a, personas.firm_b)
    build_history(personas)
    with time_machine.travel(NOW, tick=False):
        evaluation = evaluate_firm(actor=personas.judge, court_id=personas.rudong.pk, firm_id=personas.firm_a.pk)
    # 2×2 overdue nodes + 0.1×14 days + 1×3 returns + 5×2 breaches + 3×1 difference + 2×1 reversal
    # + 0.5×1 late answer + 1×1 unanswered = 24.9 points off.
    assert evaluation.score == Decimal("75.10")
    assert evaluation.suggested_grade == "second"
    assert evaluation.measures[Measure.BREACHES]["deduction"] == "10.00"
    assert evaluation.formula.version == 1
    assert [row["number"] for row in evaluation.cases] == [personas.case.number]
    # Firm B has no case: nothing deducted.
    with time_machine.travel(NOW, tick=False):
        other = evaluate_firm(actor=personas.court_admin, court_id=personas.rudong.pk, firm_id=personas.firm_b.pk)
    assert other.score == Decimal("100.00") and other.cases == []


def _closed_case(personas, accepted: dt.date, closed: dt.date) -> None:
    case = create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.BANKRUPTCY,
        title="某公司破产清算案",
        filed_on=accepted,
        presiding_judge=personas.judge,
    )
    change_case_status(actor=personas.judge, case_id=case.pk, to_status=CaseStatus.OPEN, on=accepted)
    change_case_status(actor=personas.judge, case_id=case.pk, to_status=CaseStatus.CLOSED, on=closed)


def test_duration_against_the_court_median(personas) -> None:
    start = dt.date(2025, 1, 1)
    for days in (100, 200, 400):
        _closed_case(personas, start, start + dt.timedelta(days=days))
    # Firm A's case: accepted 9 March 2026, closed after 300 days. Median of 100, 200, 300, 400 is 250.
    change_case_status(
        actor=personas.judge, case_id=personas.case.pk, to_status=CaseStatus.CLOSED, on=dt.date(2027, 1, 3)
    )
    # A civil case closed fast does not count: another case type.
    change_case_status(actor=personas.outsider, case_id=personas.other_court_case.pk, to_status=CaseStatus.OPEN)
    (measured,) = measure_cases([personas.case.pk], answer_within_hours=72)
    assert measured.figures[Measure.CASES_CLOSED].value == 1
    assert measured.figures[Measure.DURATION_EXCESS].value == Decimal("0.20")  # 300 / 250 − 1
    assert len(measured.figures[Measure.DURATION_EXCESS].events) == 2  # opened, closed


def test_firm_figures_sum_the_cases(personas) -> None:
    case2 = create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.BANKRUPTCY,
        title="第二案",
        filed_on=dt.date(2026, 4, 1),
        presiding_judge=personas.judge,
    )
    add_member(actor=personas.judge, case=case2, role=MemberRole.ADMINISTRATOR, organisation=personas.firm_a)
    q1, q2 = stand_in("meetings.Question"), stand_in("meetings.Question")
    user: User = personas.creditor_a
    for case, question, hours in ((personas.case, q1, 1), (case2, q2, 4)):
        event(at("2026-06-01", 8), actor=user, action="meetings.question_asked", case=case, obj=question)
        event(at("2026-06-01", 8 + hours), actor=user, action="meetings.question_answered", case=case, obj=question)
    with time_machine.travel(NOW, tick=False):
        per_case = measure_cases([personas.case.pk, case2.pk], answer_within_hours=72)
    total = combine(per_case)
    assert total[Measure.QUESTIONS_ANSWERED].value == 2
    assert total[Measure.ANSWER_HOURS].value == Decimal("2.5")
    assert len(total[Measure.QUESTIONS_ANSWERED].events) == 2


def test_points_off_are_averaged_over_the_firms_cases(personas) -> None:
    roster(personas.court_admin, personas.firm_a)
    case2 = create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.BANKRUPTCY,
        title="第二案",
        filed_on=dt.date(2026, 4, 1),
        presiding_judge=personas.judge,
    )
    add_member(actor=personas.judge, case=case2, role=MemberRole.ADMINISTRATOR, organisation=personas.firm_a)
    for _ in range(2):
        event(
            at("2026-05-05"),
            actor=personas.administrator,
            action="funds.limit_breach_attempted",
            case=personas.case,
            obj=stand_in("funds.PaymentRequest"),
        )
    with time_machine.travel(NOW, tick=False):
        evaluation = evaluate_firm(actor=personas.judge, court_id=personas.rudong.pk, firm_id=personas.firm_a.pk)
    # 5 points × 2 breaches ÷ 2 cases.
    assert evaluation.measures[Measure.BREACHES] == {
        "value": "2",
        "deduction": "5.00",
        "events": evaluation.measures[Measure.BREACHES]["events"],
    }
    assert len(evaluation.measures[Measure.BREACHES]["events"]) == 2
    assert evaluation.score == Decimal("95.00") and evaluation.suggested_grade == "first"
