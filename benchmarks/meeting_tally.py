"""Creditors' meeting tally: the statutory tally of one item over N ballots, against a bare SQL SUM of the same
rows in the same run, same database.

    .venv/bin/python benchmarks/meeting_tally.py         # SMARTCOURT_BENCH_BALLOTS=10000 by default

Set-up (not timed): a case, N creditors with a confirmed ordinary claim each, a meeting convened over them (the
voting rights taken from the claims table), every right signed in and a ballot per right with its commitment.

Timed:
  - the tally as close_meeting runs it: read the rights and the ballots (two queries), build the voters, apply
    art. 64 in integer fen, shape the published list;
  - the baseline: ``SELECT vote, COUNT(*), SUM(weight) ... GROUP BY vote`` over the same ballots;
  - close_meeting itself (tally, Merkle root, results notice, sealed minutes with N names), for reference.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time

from _evidence_bench import bench_database, env_int, machine


def main() -> None:
    size = env_int("SMARTCOURT_BENCH_BALLOTS", 10_000)
    with bench_database() as database:
        from django.conf import settings
        from django.db import connection
        from django.utils import timezone

        from smartcourt.accounts.actions import create_organisation, create_user
        from smartcourt.accounts.choices import OrganisationKind, Role
        from smartcourt.cases.actions import change_case_status, create_case
        from smartcourt.cases.choices import CaseStatus, CaseType
        from smartcourt.claims.models import Claim, Creditor
        from smartcourt.meetings import ballots
        from smartcourt.meetings.actions import ItemSpec, close_meeting, convene_meeting
        from smartcourt.meetings.models import Ballot, Meeting, VotingRight
        from smartcourt.meetings.voting import rights_for_tally, rights_of, tally_item

        settings.MEDIA_ROOT = settings.MEDIA_ROOT + "-bench"
        court = create_organisation(actor=None, kind=OrganisationKind.COURT, name="如东县人民法院", court_code="苏0623")
        judge = create_user(
            actor=None, username="bench_judge", password=secrets.token_urlsafe(), role=Role.JUDGE,
            full_name="法官", organisation=court, check_password_strength=False,
        )  # fmt: skip
        clerk = create_user(
            actor=None, username="bench_clerk", password=secrets.token_urlsafe(), role=Role.FILING_CLERK,
            full_name="书记员", organisation=court, check_password_strength=False,
        )  # fmt: skip
        case = create_case(
            actor=clerk, court=court, case_type=CaseType.BANKRUPTCY, title="基准测试破产清算案",
            filed_on=dt.date(2026, 1, 5), presiding_judge=judge,
        )  # fmt: skip
        change_case_status(actor=judge, case_id=case.pk, to_status=CaseStatus.OPEN, on=dt.date(2026, 1, 6))
        creditors = Creditor.objects.bulk_create(
            [
                Creditor(case=case, kind="organisation", name=f"债权人{i:06d}", identifier=f"9{i:017d}",
                         source="self_declared")
                for i in range(size)
            ],
            batch_size=5000,
        )  # fmt: skip
        Claim.objects.bulk_create(
            [
                Claim(case=case, creditor=c, number=i + 1, nature="ordinary", principal_fen=(i % 997 + 1) * 10_000,
                      declared_at=timezone.now(), declared_by=judge, status="court_confirmed",
                      confirmed_nature="ordinary", confirmed_principal_fen=(i % 997 + 1) * 10_000)
                for i, c in enumerate(creditors)
            ],
            batch_size=5000,
        )  # fmt: skip
        opens = timezone.now() + dt.timedelta(days=16)
        started = time.perf_counter()
        meeting = convene_meeting(
            actor=judge, case_id=case.pk, kind="first", title="第一次债权人会议", scheduled_at=opens,
            voting_opens_at=opens, voting_closes_at=opens + dt.timedelta(days=1),
            items=[ItemSpec("management_plan", "财产管理方案")],
        )  # fmt: skip
        convene_seconds = time.perf_counter() - started
        item = meeting.items.get()
        VotingRight.objects.filter(meeting=meeting).update(signed_in_at=opens)
        rights = list(rights_of(meeting))
        votes = ("for", "for", "against", "abstain", "for")
        Ballot.objects.bulk_create(
            [
                Ballot(
                    item=item, right=r, vote=votes[i % 5], weights={"unsecured": r.ordinary_fen},
                    commitment=ballots.commitment(meeting_id=str(meeting.pk), item_id=str(item.pk),
                                                  right_id=str(r.pk), vote=votes[i % 5],
                                                  weights={"unsecured": r.ordinary_fen}, salt=ballots.new_salt()),
                    cast_at=opens,
                )
                for i, r in enumerate(rights)
            ],
            batch_size=5000,
        )  # fmt: skip

        def tally() -> float:
            fresh = Meeting.objects.get(pk=meeting.pk)
            start = time.perf_counter()
            result = tally_item(item, fresh, rights_for_tally(fresh))
            elapsed = time.perf_counter() - start
            assert result.result.classes[0].present_count == size
            return elapsed

        def baseline() -> float:
            start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT b.vote, COUNT(*), SUM(r.ordinary_fen) FROM meetings_ballot b "
                    "JOIN meetings_votingright r ON r.id = b.right_id WHERE b.item_id = %s GROUP BY b.vote",
                    [item.pk.hex if connection.vendor == "sqlite" else str(item.pk)],
                )
                rows = cursor.fetchall()
            elapsed = time.perf_counter() - start
            assert sum(row[1] for row in rows) == size, rows
            return elapsed

        tally(), baseline()  # warm caches
        tallies = sorted(tally() for _ in range(5))
        sums = sorted(baseline() for _ in range(5))
        started = time.perf_counter()
        close_meeting(actor=judge, meeting_id=meeting.pk, now=meeting.voting_closes_at + dt.timedelta(minutes=1))
        close_seconds = time.perf_counter() - started
        print(f"meeting tally, {size} ballots · {database} · {machine()}")
        print(f"  convene (rights from {size} claims, notice PDF, {size} notices): {convene_seconds:.2f} s")
        print(f"  tally (median of 5):        {tallies[2] * 1000:.1f} ms")
        print(f"  bare SQL SUM (median of 5): {sums[2] * 1000:.1f} ms")
        print(f"  ratio tally / SQL SUM:      {tallies[2] / sums[2]:.1f}x")
        print(f"  close_meeting (tally, root, results notice, sealed minutes): {close_seconds:.2f} s")


if __name__ == "__main__":
    main()
