"""Convening, voting rights, sign-in, questions, votes, the close: the meeting as the statute runs it."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest

from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.meetings import ballots
from smartcourt.meetings.actions import (
    ItemSpec,
    answer_question,
    ask_question,
    cancel_meeting,
    cast_votes,
    close_meeting,
    set_voting_amounts,
    sign_in,
)
from smartcourt.meetings.models import AgendaItem, Ballot, Meeting, MeetingTransition, Notice, VotingRight
from smartcourt.meetings.selectors import check_receipt, my_ballots
from smartcourt.meetings.tests.conftest import World
from smartcourt.meetings.tests.helpers import AFTER, CLOSES_AT, CONVENED_AT, DURING, SCHEDULED_AT, convene, counts
from smartcourt.testing import database_state


def _items(meeting: Meeting) -> dict[str, AgendaItem]:
    return {item.kind: item for item in meeting.items.all()}


def _right(meeting: Meeting, creditor: Any) -> VotingRight:
    return VotingRight.objects.get(meeting=meeting, creditor=creditor)


# --- convening ------------------------------------------------------------------------------------------------


def test_convening_takes_rights_from_the_claims_table_and_notifies_every_known_creditor(
    w: World, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with caplog.at_level(logging.INFO, logger="smartcourt.sms"), django_capture_on_commit_callbacks(execute=True):
        meeting = convene(w.p)
    rights = {r.name: r for r in meeting.rights.all()}
    assert set(rights) == {"刘债权", "乙银行", "丙公司", "丁公司", "钱职工"}
    assert (rights["刘债权"].ordinary_fen, rights["刘债权"].secured_not_waived) == (60_000_000, False)
    assert (rights["乙银行"].secured_fen, rights["乙银行"].ordinary_fen) == (100_000_000, 10_000_000)
    assert rights["乙银行"].secured_not_waived and rights["乙银行"].unsecured_fen == 10_000_000
    assert rights["丙公司"].ordinary_fen == 30_000_000 and rights["丙公司"].user_id is None
    # A disputed claim gives no vote unless the court sets a provisional amount (art. 59(2)).
    assert rights["丁公司"].undetermined and rights["丁公司"].unsecured_fen == 0
    assert rights["钱职工"].employee_fen == 5_000_000
    notices = {n.right.name: n.channels for n in Notice.objects.filter(meeting=meeting).select_related("right")}
    assert notices == {
        "刘债权": ["inbox", "sms"],
        "乙银行": ["inbox"],
        "丙公司": ["sms"],
        "丁公司": [],
        "钱职工": ["inbox"],
    }
    sms = [r.getMessage() for r in caplog.records if r.name == "smartcourt.sms"]
    assert len(sms) == 2 and any("13900139000" in m for m in sms)
    assert meeting.notice_entry is not None and meeting.notice_entry.kind == "notice"
    assert [i.kind for i in meeting.items.order_by("position")] == ["report", "management_plan", "distribution_plan"]
    assert MeetingTransition.objects.filter(meeting=meeting, to_status="convened").count() == 1
    event = AuditEvent.objects.get(action="meetings.convened")
    assert event.after is not None and event.after["notified"] == 5


def test_notice_fifteen_days_before_is_enough_fourteen_is_refused(w: World) -> None:
    # Convened 2026-06-01; a meeting on 06-15 is 14 days away.
    before = database_state()
    too_soon = dt.datetime(2026, 6, 15, 1, 0, tzinfo=dt.UTC)
    with pytest.raises(DomainError, match="at least 15 days") as refused:
        convene(w.p, scheduled_at=too_soon, voting_opens_at=too_soon, voting_closes_at=CLOSES_AT)
    assert refused.value.code == "notice_too_late"
    assert database_state() == before
    # 06-16 00:05 Shanghai (06-15 16:05 UTC) is 15 days after 06-01: local dates count, not UTC.
    just = dt.datetime(2026, 6, 15, 16, 5, tzinfo=dt.UTC)
    assert convene(w.p, scheduled_at=just, voting_opens_at=just, voting_closes_at=CLOSES_AT).pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"voting_opens_at": SCHEDULED_AT - dt.timedelta(hours=1)}, "voting_opens_at"),
        ({"voting_closes_at": SCHEDULED_AT}, "voting_closes_at"),
        ({"voting_closes_at": SCHEDULED_AT + dt.timedelta(days=31)}, "voting_closes_at"),
        ({"items": [ItemSpec("vote_on_anything", "x")]}, "items"),
        ({"title": " "}, "title"),
        ({"kind": "extraordinary"}, "kind"),
        ({"small_claims_threshold_fen": 0}, "small_claims_threshold"),
    ],
)
def test_bad_convening_changes_nothing(w: World, overrides: dict[str, Any], field: str) -> None:
    before = database_state()
    with pytest.raises(DomainError) as refused:
        convene(w.p, **overrides)
    assert refused.value.field == field
    assert database_state() == before


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("assistant", PermissionDenied),
        ("clerk", PermissionDenied),
        ("court_admin", PermissionDenied),
        ("administrator", PermissionDenied),
        ("creditor_a", PermissionDenied),
        ("other_administrator", NotFound),
        ("creditor_b", NotFound),
        ("outsider", NotFound),
        ("bank_operator", PermissionDenied),
    ],
)
def test_only_a_judge_of_the_case_convenes(w: World, persona: str, error: type[Exception]) -> None:
    before = database_state()
    with pytest.raises(error):
        convene(w.p, actor=getattr(w.p, persona))
    assert database_state() == before


def test_one_first_meeting_per_case(w: World) -> None:
    convene(w.p)
    before = database_state()
    with pytest.raises(Conflict):
        convene(w.p)
    assert database_state() == before
    assert convene(w.p, kind="later", title="第二次债权人会议").kind == "later"


# --- taking part -------------------------------------------------------------------------------------------


def test_sign_in_once_within_the_meeting_only(w: World) -> None:
    meeting = convene(w.p)
    before = database_state()
    with pytest.raises(Conflict, match="not opened"):
        sign_in(actor=w.p.creditor_a, meeting_id=meeting.pk, now=SCHEDULED_AT - dt.timedelta(seconds=1))
    assert database_state() == before
    sign_in(actor=w.p.creditor_a, meeting_id=meeting.pk, now=SCHEDULED_AT)
    sign_in(actor=w.p.creditor_a, meeting_id=meeting.pk, now=DURING)
    assert _right(meeting, w.a).signed_in_at == SCHEDULED_AT
    assert AuditEvent.objects.filter(action="meetings.signed_in").count() == 1
    with pytest.raises(Conflict, match="closed"):
        sign_in(actor=w.employee_user, meeting_id=meeting.pk, now=CLOSES_AT)


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("judge", PermissionDenied),
        ("administrator", PermissionDenied),
        ("creditor_b", NotFound),
        ("outsider", NotFound),
        ("other_administrator", NotFound),
    ],
)
def test_only_creditors_of_the_meeting_take_part(w: World, persona: str, error: type[Exception]) -> None:
    meeting = convene(w.p)
    item = _items(meeting)["management_plan"]
    before = database_state()
    actor = getattr(w.p, persona)
    with pytest.raises(error):
        sign_in(actor=actor, meeting_id=meeting.pk, now=DURING)
    with pytest.raises(error):
        ask_question(actor=actor, meeting_id=meeting.pk, text="?", now=DURING)
    with pytest.raises(error):
        cast_votes(actor=actor, meeting_id=meeting.pk, votes={str(item.pk): "for"}, now=DURING)
    assert database_state() == before


def test_questions_are_answered_by_the_administrator_in_the_open(w: World) -> None:
    meeting = convene(w.p)
    question = ask_question(actor=w.p.creditor_a, meeting_id=meeting.pk, text="变价方案何时拍卖？", now=DURING)
    assert _right(meeting, w.a).signed_in_at == DURING
    before = database_state()
    for persona in ("creditor_a", "judge"):
        with pytest.raises(PermissionDenied):
            answer_question(actor=getattr(w.p, persona), question_id=question.pk, answer="x", now=DURING)
    with pytest.raises(NotFound):
        answer_question(actor=w.p.other_administrator, question_id=question.pk, answer="x", now=DURING)
    with pytest.raises(DomainError):
        answer_question(actor=w.p.administrator, question_id=question.pk, answer=" ", now=DURING)
    assert database_state() == before
    answered = answer_question(
        actor=w.p.administrator, question_id=question.pk, answer="宣告破产后一个月内。", now=DURING
    )
    assert (answered.answer, answered.answered_by_id) == ("宣告破产后一个月内。", w.p.administrator.pk)
    with pytest.raises(Conflict):
        answer_question(actor=w.p.administrator, question_id=question.pk, answer="改答", now=DURING)
    assert {e.action for e in AuditEvent.objects.filter(action__startswith="meetings.question")} == {
        "meetings.question_asked",
        "meetings.question_answered",
    }


def test_provisional_amounts_give_a_disputed_claim_a_vote_before_voting_opens(w: World) -> None:
    meeting = convene(w.p)
    right = _right(meeting, w.d)
    before = database_state()
    with pytest.raises(PermissionDenied):
        set_voting_amounts(actor=w.p.administrator, right_id=right.pk, amounts_fen={"ordinary_fen": 1}, now=CONVENED_AT)
    with pytest.raises(DomainError):
        set_voting_amounts(actor=w.p.judge, right_id=right.pk, amounts_fen={"ordinary_fen": -1}, now=CONVENED_AT)
    with pytest.raises(Conflict):
        set_voting_amounts(actor=w.p.judge, right_id=right.pk, amounts_fen={"ordinary_fen": 1}, now=SCHEDULED_AT)
    assert database_state() == before
    set_voting_amounts(actor=w.p.judge, right_id=right.pk, amounts_fen={"ordinary_fen": 2_000_000}, now=CONVENED_AT)
    right.refresh_from_db()
    assert (right.ordinary_fen, right.provisional) == (2_000_000, True)


# --- voting ---------------------------------------------------------------------------------------------------


def test_vote_receipt_change_and_window(w: World) -> None:
    meeting = convene(w.p)
    item = _items(meeting)["management_plan"]
    before = database_state()
    with pytest.raises(Conflict, match="not opened"):
        cast_votes(actor=w.p.creditor_a, meeting_id=meeting.pk, votes={str(item.pk): "for"}, now=CONVENED_AT)
    with pytest.raises(DomainError):
        cast_votes(actor=w.p.creditor_a, meeting_id=meeting.pk, votes={str(item.pk): "yes"}, now=DURING)
    with pytest.raises(DomainError):
        # A report is heard, not voted on.
        cast_votes(actor=w.p.creditor_a, meeting_id=meeting.pk, votes={str(_items(meeting)["report"].pk): "for"},
                   now=DURING)  # fmt: skip
    assert database_state() == before
    first = cast_votes(actor=w.p.creditor_a, meeting_id=meeting.pk, votes={str(item.pk): "against"}, now=DURING)
    line = first.lines[0]
    # The receipt's commitment is the hash of the ballot with the salt only the voter holds.
    assert line.commitment == ballots.commitment(
        meeting_id=str(meeting.pk), item_id=str(item.pk), right_id=str(first.voter), vote="against",
        weights={"unsecured": 60_000_000}, salt=line.salt,
    )  # fmt: skip
    second = cast_votes(
        actor=w.p.creditor_a, meeting_id=meeting.pk, votes={str(item.pk): "for"}, now=DURING + dt.timedelta(hours=1)
    )
    ballot = Ballot.objects.get(item=item)
    assert (ballot.vote, ballot.revision, ballot.commitment) == ("for", 2, second.lines[0].commitment)
    assert second.lines[0].commitment != line.commitment
    # The audit log records that a vote was cast, never which, nor the commitment that the published list would
    # tie to the voter's name.
    for event in AuditEvent.objects.filter(action="meetings.vote_cast"):
        assert set(event.after or {}) == {"item", "revision"}
        assert line.commitment not in str(event.after) and second.lines[0].commitment not in str(event.after)
    # Nobody but the voter sees his ballot.
    assert my_ballots(w.p.judge, meeting) == {} and my_ballots(w.p.administrator, meeting) == {}
    assert my_ballots(w.p.creditor_a, meeting)[item.pk].vote == "for"
    # The receipt check publishes nothing before the close: it says "not yet", not "not found" (issue 16.10).
    pending = check_receipt(second.lines[0].commitment)
    assert not pending.found and pending.pending and pending.meeting == meeting and pending.vote == ""
    assert not check_receipt("0" * 64).pending
    before = database_state()
    with pytest.raises(Conflict, match="closed"):
        cast_votes(actor=w.p.creditor_a, meeting_id=meeting.pk, votes={str(item.pk): "against"}, now=CLOSES_AT)
    assert database_state() == before


def test_secured_creditor_has_no_vote_on_the_distribution_plan_unless_he_waived(w: World) -> None:
    meeting = convene(w.p)
    items = _items(meeting)
    before = database_state()
    with pytest.raises(PermissionDenied, match=r"art\. 59"):
        cast_votes(actor=w.bank_user, meeting_id=meeting.pk, votes={str(items["distribution_plan"].pk): "for"},
                   now=DURING)  # fmt: skip
    assert database_state() == before
    cast_votes(actor=w.bank_user, meeting_id=meeting.pk, votes={str(items["management_plan"].pk): "for"}, now=DURING)
    assert Ballot.objects.get(item=items["management_plan"]).weights == {"unsecured": 10_000_000}


def test_only_the_judge_closes_and_only_after_the_window(w: World) -> None:
    meeting = convene(w.p)
    before = database_state()
    with pytest.raises(Conflict, match="still open"):
        close_meeting(actor=w.p.judge, meeting_id=meeting.pk, now=CLOSES_AT - dt.timedelta(seconds=1))
    for persona, error in (("administrator", PermissionDenied), ("creditor_a", PermissionDenied),
                           ("outsider", NotFound)):  # fmt: skip
        with pytest.raises(error):
            close_meeting(actor=getattr(w.p, persona), meeting_id=meeting.pk, now=AFTER)
    assert database_state() == before


def test_the_close_tallies_each_item_publishes_the_ballots_and_files_sealed_minutes(w: World) -> None:
    meeting = convene(w.p)
    items = _items(meeting)
    plan, distribution = str(items["management_plan"].pk), str(items["distribution_plan"].pk)
    receipt_a = cast_votes(actor=w.p.creditor_a, meeting_id=meeting.pk, votes={plan: "for", distribution: "against"},
                           now=DURING)  # fmt: skip
    cast_votes(actor=w.bank_user, meeting_id=meeting.pk, votes={plan: "against"}, now=DURING)
    # The employee votes on the plan only; he is present on the distribution plan without a ballot.
    cast_votes(actor=w.employee_user, meeting_id=meeting.pk, votes={plan: "for"}, now=DURING)
    question = ask_question(actor=w.employee_user, meeting_id=meeting.pk, text="工资何时支付？", now=DURING)
    answer_question(actor=w.p.administrator, question_id=question.pk, answer="分配方案通过后十日内。", now=DURING)

    closed = close_meeting(actor=w.p.judge, meeting_id=meeting.pk, now=AFTER)

    assert closed.status == "closed" and closed.ballot_count == 4
    management = AgendaItem.objects.get(pk=plan)
    # Art. 64: present 3 (刘, 乙银行, 钱), for 2: 2*2 > 3. For amount 600,000 + 50,000 of 1,050,000 unsecured:
    # 2*650,000 >= 1,050,000. 丙公司 is absent; 丁公司 has no vote.
    assert management.passed is True and management.needs_court_ruling is False
    assert management.result["classes"] == [
        {
            "class": "all", "passed": True, "present_count": 3, "for_count": 2, "against_count": 1,
            "abstain_count": 0, "present_without_ballot": 0, "absent_count": 1, "excluded_count": 0,
            "for_amount": "650000.00", "total_amount": "1050000.00", "headcount_met": True, "amount_met": True,
            "amount_share": "1/2",
        }
    ]  # fmt: skip
    plan_of_distribution = AgendaItem.objects.get(pk=distribution)
    # Art. 59: 乙银行 left out (heads, amounts, total 950,000). Present: 刘 (against), 钱 (signed in, no ballot).
    assert plan_of_distribution.passed is False and plan_of_distribution.needs_court_ruling is True
    only = plan_of_distribution.result["classes"][0]
    assert (only["present_count"], only["for_count"], only["excluded_count"]) == (2, 0, 1)
    assert (only["present_without_ballot"], only["total_amount"]) == (1, "950000.00")
    # Published: commitment, vote, weights; no names; the root over all four commitments.
    published = management.published_ballots + plan_of_distribution.published_ballots
    assert {row[1] for row in management.published_ballots} == {"for", "against"}
    assert all(len(row) == 3 and set(row[2]) == {"unsecured"} for row in published)
    assert closed.merkle_root == ballots.merkle_root([row[0] for row in published])
    # A creditor checks his receipt: counted as cast.
    mine = next(line for line in receipt_a.lines if str(line.item_id) == distribution)
    check = check_receipt(mine.commitment)
    assert check.found and check.vote == "against" and check.item == plan_of_distribution
    assert not check_receipt("0" * 64).found
    assert not check.pending
    # Results notice and minutes in the dossier; the minutes carry the court's PAdES signature.
    assert closed.results_entry is not None and closed.minutes_entry is not None
    with closed.minutes_entry.file.open("rb") as handle:
        minutes = handle.read()
    assert minutes.startswith(b"%PDF") and b"/ByteRange" in minutes
    assert Notice.objects.filter(meeting=meeting, kind="results").count() == 5
    assert AuditEvent.objects.filter(action="meetings.closed").count() == 1
    # After the close: no vote, no second close, no answers.
    before = database_state()
    with pytest.raises(Conflict):
        cast_votes(actor=w.p.creditor_a, meeting_id=meeting.pk, votes={plan: "against"}, now=AFTER)
    with pytest.raises(Conflict):
        close_meeting(actor=w.p.judge, meeting_id=meeting.pk, now=AFTER)
    assert database_state() == before


def test_reorganisation_plan_is_voted_by_class_with_a_small_claims_class(w: World) -> None:
    meeting = convene(
        w.p,
        items=[ItemSpec("reorganisation_plan", "重整计划草案")],
        small_claims_threshold_fen=10_000_000,
    )
    plan = str(meeting.items.get().pk)
    cast_votes(actor=w.bank_user, meeting_id=meeting.pk, votes={plan: "for"}, now=DURING)
    cast_votes(actor=w.employee_user, meeting_id=meeting.pk, votes={plan: "for"}, now=DURING)
    cast_votes(actor=w.p.creditor_a, meeting_id=meeting.pk, votes={plan: "against"}, now=DURING)
    assert Ballot.objects.get(right__creditor=w.b).weights == {"secured": 100_000_000, "small_ordinary": 10_000_000}
    close_meeting(actor=w.p.judge, meeting_id=meeting.pk, now=AFTER)
    item = meeting.items.get()
    by_class = {c["class"]: c for c in item.result["classes"]}
    assert set(by_class) == {"secured", "employee", "ordinary", "small_ordinary"}
    assert by_class["secured"]["passed"] and by_class["employee"]["passed"] and by_class["small_ordinary"]["passed"]
    # Ordinary: 刘 against, 丙 absent: 0 of 1 present; 0 of 900,000.
    ordinary = by_class["ordinary"]
    assert (ordinary["present_count"], ordinary["for_count"], ordinary["total_amount"]) == (1, 0, "900000.00")
    assert item.passed is False and item.result["rule"] == "art84"


def test_cancelled_meeting_takes_no_votes(w: World) -> None:
    meeting = convene(w.p)
    cancel_meeting(actor=w.p.judge, meeting_id=meeting.pk, reason="改期")
    item = _items(meeting)["management_plan"]
    before = counts()
    with pytest.raises(Conflict):
        cast_votes(actor=w.p.creditor_a, meeting_id=meeting.pk, votes={str(item.pk): "for"}, now=DURING)
    assert counts() == before
    # A first meeting called off can be convened again.
    assert convene(w.p).kind == "first"


def test_anyone_recomputes_the_tally_from_the_published_ballots(w: World) -> None:
    """From the published list alone (commitment, vote, weights), the present-without-ballot counts and the total,
    the statutory tally comes out as the platform's."""
    from smartcourt.meetings.selectors import counted_commitments
    from smartcourt.rules.votes.calculator import Vote, Voter, tally_art64

    meeting = convene(w.p)
    items = _items(meeting)
    plan = str(items["management_plan"].pk)
    cast_votes(actor=w.p.creditor_a, meeting_id=meeting.pk, votes={plan: "against"}, now=DURING)
    cast_votes(actor=w.bank_user, meeting_id=meeting.pk, votes={plan: "for"}, now=DURING)
    sign_in(actor=w.employee_user, meeting_id=meeting.pk, now=DURING)
    close_meeting(actor=w.p.judge, meeting_id=meeting.pk, now=AFTER)
    item = AgendaItem.objects.get(pk=plan)
    published, working = item.published_ballots, item.result["classes"][0]
    voters = [Voter(id=c, vote=Vote(v), amount_fen=weights["unsecured"]) for c, v, weights in published]
    voters += [
        Voter(id=f"present{i}", vote=Vote.ABSTAIN, amount_fen=0) for i in range(working["present_without_ballot"])
    ]
    total = int(working["total_amount"].replace(".", ""))
    recomputed = tally_art64(voters, total_unsecured_fen=total).classes[0]
    assert (recomputed.passed, recomputed.present_count, recomputed.for_count) == (
        working["passed"], working["present_count"], working["for_count"],
    )  # fmt: skip
    assert recomputed.for_amount_fen == int(working["for_amount"].replace(".", ""))
    assert counted_commitments([row[0] for row in published] + ["0" * 64]) == {row[0] for row in published}


class FailingSms:
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("gateway down")


def test_a_large_meeting_sends_its_sms_through_the_job_once_each(
    w: World, monkeypatch: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from smartcourt.meetings import actions, tasks

    queued: list[tuple[list[str], str]] = []
    monkeypatch.setattr(actions, "SYNC_SMS_LIMIT", 1)
    monkeypatch.setattr(tasks, "send_sms_batch", lambda ids, text: queued.append((ids, text)))
    with django_capture_on_commit_callbacks(execute=True):
        meeting = convene(w.p)
    [(ids, text)] = queued
    assert len(ids) == 2 and "第一次债权人会议" in text
    assert not Notice.objects.filter(meeting=meeting, sms_sent_at__isnull=False).exists()
    # The gateway fails: nothing is marked sent, so the retried job sends them.
    settings.DOCUMENTS_SMS_ADAPTER = "smartcourt.meetings.tests.test_actions.FailingSms"
    assert actions.send_notice_sms(notice_ids=ids, text=text) == 0
    assert not Notice.objects.filter(meeting=meeting, sms_sent_at__isnull=False).exists()
    settings.DOCUMENTS_SMS_ADAPTER = ""
    assert actions.send_notice_sms(notice_ids=ids, text=text) == 2
    assert actions.send_notice_sms(notice_ids=ids, text=text) == 0
    assert Notice.objects.filter(meeting=meeting, sms_sent_at__isnull=False).count() == 2


def test_a_meeting_nobody_voted_in_closes_with_every_resolution_rejected(w: World) -> None:
    meeting = convene(w.p)
    closed = close_meeting(actor=w.p.judge, meeting_id=meeting.pk, now=AFTER)
    assert closed.ballot_count == 0 and closed.merkle_root == ballots.EMPTY_ROOT
    voted = [item for item in closed.items.order_by("position") if item.kind != "report"]
    assert [item.passed for item in voted] == [False, False]
    assert all(item.result["classes"][0]["present_count"] == 0 for item in voted)
    # The report is heard, not tallied.
    assert closed.items.get(kind="report").passed is None
