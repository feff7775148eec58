"""Reliability: two votes of one creditor at once, many creditors at once, a vote racing the close, and a tally
of 10,000 ballots in a constant number of queries, checked against a plain SQL sum."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum

from conftest import Personas
from smartcourt.claims.models import Creditor
from smartcourt.core.errors import Conflict
from smartcourt.meetings import ballots as commitments
from smartcourt.meetings.actions import ItemSpec, cast_votes, close_meeting
from smartcourt.meetings.models import Ballot, Meeting, VotingRight
from smartcourt.meetings.tests.conftest import World, creditor_user
from smartcourt.meetings.tests.helpers import AFTER, DURING, convene, creditor
from smartcourt.meetings.voting import rights_for_tally, tally_item


def _run_at_once(jobs: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            value = job()
            with lock:
                results.append(value)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_votes_of_one_creditor_at_the_same_instant_leave_one_ballot(w: World) -> None:
    meeting = convene(w.p)
    item = meeting.items.get(kind="management_plan")
    user_id = w.p.creditor_a.pk

    def vote(choice: str) -> Callable[[], Any]:
        def job() -> Any:
            from smartcourt.accounts.models import User

            return cast_votes(
                actor=User.objects.get(pk=user_id), meeting_id=meeting.pk, votes={str(item.pk): choice}, now=DURING
            )

        return job

    receipts, errors = _run_at_once([vote("for"), vote("against")])
    assert errors == []
    ballot = Ballot.objects.get(item=item)
    # Both applied, one after the other: one ballot, the second as revision 2, holding the last receipt's vote.
    assert Ballot.objects.filter(item=item).count() == 1 and ballot.revision == 2
    last = next(r for r in receipts if r.lines[0].revision == 2)
    assert (ballot.vote, ballot.commitment) == (last.lines[0].vote, last.lines[0].commitment)


@pytest.mark.django_db(transaction=True)
def test_twenty_creditors_voting_at_once_are_all_counted(personas: Personas) -> None:
    p = personas
    users = [creditor_user(p, f"c{i}", f"债权人{i}") for i in range(20)]
    for i, user in enumerate(users):
        creditor(p, f"债权人{i:02d}", ("ordinary", "confirmed", 1_000_00 * (i + 1)), user=user)
    meeting = convene(p, items=[ItemSpec("general", "设立债权人委员会")])
    item = meeting.items.get()

    def vote(user_id: Any, choice: str) -> Callable[[], Any]:
        def job() -> Any:
            from smartcourt.accounts.models import User

            return cast_votes(
                actor=User.objects.get(pk=user_id), meeting_id=meeting.pk, votes={str(item.pk): choice}, now=DURING
            )

        return job

    _results, errors = _run_at_once([vote(u.pk, "for" if i % 3 else "against") for i, u in enumerate(users)])
    assert errors == []
    close_meeting(actor=p.judge, meeting_id=meeting.pk, now=AFTER)
    item.refresh_from_db()
    only = item.result["classes"][0]
    # 'against' for i = 0, 3, ..., 18 (7 creditors); 'for' the other 13, holding 1000 * (sum of i+1) yuan.
    for_yuan = sum(1_000 * (i + 1) for i in range(20) if i % 3)
    assert (only["present_count"], only["for_count"]) == (20, 13)
    assert only["for_amount"] == f"{for_yuan}.00" and only["total_amount"] == "210000.00"


@pytest.mark.django_db(transaction=True)
def test_a_vote_racing_the_close_is_either_counted_or_refused(w: World) -> None:
    meeting = convene(w.p)
    item = meeting.items.get(kind="management_plan")
    user_id, judge_id = w.p.creditor_a.pk, w.p.judge.pk

    def vote() -> Any:
        from smartcourt.accounts.models import User

        # The voter's clock says the window is still open; the close's clock says it is over.
        return cast_votes(
            actor=User.objects.get(pk=user_id), meeting_id=meeting.pk, votes={str(item.pk): "for"}, now=DURING
        )

    def close() -> Any:
        from smartcourt.accounts.models import User

        return close_meeting(actor=User.objects.get(pk=judge_id), meeting_id=meeting.pk, now=AFTER)

    _results, errors = _run_at_once([vote, close])
    assert all(isinstance(e, Conflict) for e in errors), errors
    item.refresh_from_db()
    counted = [row[0] for row in item.published_ballots]
    stored = list(Ballot.objects.filter(item=item).values_list("commitment", flat=True))
    # Whatever the order, a ballot that exists was counted, and none was counted that does not exist.
    assert counted == stored


def test_ten_thousand_ballots_tally_in_constant_queries_and_match_sql(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    p = personas
    meeting = convene(p, items=[ItemSpec("general", "通过财产管理方案")])
    item = meeting.items.get()
    creditors = Creditor.objects.bulk_create(
        [
            Creditor(
                case=p.case, kind="organisation", name=f"规模{i:05d}", identifier=f"9{i:017d}", source="self_declared"
            )
            for i in range(10_000)
        ]
    )
    rights = VotingRight.objects.bulk_create(
        [
            VotingRight(
                meeting=meeting, creditor=c, name=c.name, ordinary_fen=(i % 97 + 1) * 1_000_00, signed_in_at=DURING
            )
            for i, c in enumerate(creditors)
        ]
    )
    votes = ("for", "for", "against", "abstain")
    Ballot.objects.bulk_create(
        [
            Ballot(
                item=item,
                right=r,
                vote=votes[i % 4],
                weights={"unsecured": r.ordinary_fen},
                commitment=commitments.commitment(
                    meeting_id=str(meeting.pk), item_id=str(item.pk), right_id=str(r.pk), vote=votes[i % 4],
                    weights={"unsecured": r.ordinary_fen}, salt=f"{i:064x}",
                ),
                cast_at=DURING,
            )
            for i, r in enumerate(rights)
        ],
        batch_size=2000,
    )  # fmt: skip
    fresh = Meeting.objects.get(pk=meeting.pk)
    with django_assert_max_num_queries(2):
        tallied = tally_item(item, fresh, rights_for_tally(fresh))
    only = tallied.result.classes[0]
    sql_for = Ballot.objects.filter(item=item, vote="for").aggregate(s=Sum("right__ordinary_fen"))["s"]
    sql_total = VotingRight.objects.filter(meeting=meeting).aggregate(s=Sum("ordinary_fen"))["s"]
    assert only.present_count == 10_000 and only.for_count == 5_000
    assert (only.for_amount_fen, only.total_amount_fen) == (sql_for, sql_total)
    # 5,000 'for' of 10,000 present is exactly half, not more than half: the resolution fails on heads.
    assert not only.headcount_met and only.amount_met == (2 * sql_for >= sql_total) and not tallied.result.passed
    assert len(tallied.published) == 10_000
