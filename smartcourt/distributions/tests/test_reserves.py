"""Issue 15.16, EBL art. 119: a share held (提存) for a claim in litigation or arbitration that still cannot be
received two years after the proceeding ended goes to the other creditors. The daily job releases it; the next
plan shares it out among the others, leaving the disputed creditor out of that plan only."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.actions import open_proceeding
from smartcourt.bankruptcy.models import Proceeding
from smartcourt.claims.choices import ClaimStatus
from smartcourt.distributions import actions
from smartcourt.distributions.models import PlanLine

from .helpers import counts, make_claim, plan_input, ruled_plan

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db
TERMINATED = dt.date(2027, 6, 10)


def _world(p: Personas) -> PlanLine:
    make_claim(p, name="刘债权", identifier="11010519491231002X", amount_fen=400_000)
    disputed = make_claim(
        p,
        name="乙公司",
        identifier="91320600MA1YY0005",
        amount_fen=0,
        declared_fen=400_000,
        status=ClaimStatus.DISPUTED,
    )
    # 4,000 yuan over 4,000 confirmed and 4,000 disputed: 2,000 paid, 2,000 held for the dispute.
    ruled_plan(p, 400_000)
    proceeding = open_proceeding(actor=p.judge, case=p.case, procedure="liquidation", accepted_on=dt.date(2026, 9, 10))
    Proceeding.objects.filter(pk=proceeding.pk).update(anchor_dates={"terminated_on": TERMINATED.isoformat()})
    return PlanLine.objects.get(claim=disputed)


def test_a_share_held_for_a_dispute_is_released_two_years_after_termination(personas: Personas) -> None:
    p = personas
    held = _world(p)
    assert (held.reserved_fen, held.paid_fen) == (200_000, 0)
    last_day = actions.reserve_release_date(TERMINATED)
    assert last_day >= dt.date(2029, 6, 10)
    before = counts()
    assert actions.release_unresolved_reserves(today=last_day) == 0
    assert counts() == before
    assert actions.release_unresolved_reserves(today=last_day + dt.timedelta(days=1)) == 1
    held.refresh_from_db()
    assert held.reserve_released_at is not None
    event = AuditEvent.objects.filter(action="distributions.reserves_released").get()
    assert event.after == {"lines": 1, "amount_fen": 200_000, "terminated_on": "2027-06-10", "claims": ["乙公司"]}
    # Idempotent.
    assert actions.release_unresolved_reserves(today=last_day + dt.timedelta(days=2)) == 0

    # The court shares it out among the other creditors: 乙公司 takes no part in that plan.
    pool = actions.redistribution_pool(p.case)
    assert pool.amount_fen == 200_000 and pool.excluded == frozenset({held.creditor_id})
    shared = actions.create_plan(actor=p.administrator, case_id=p.case.pk, plan_input=plan_input(200_000))
    assert {line.label: line.share_fen for line in shared.lines.all()} == {"刘债权": 200_000}


def test_a_resolved_claim_keeps_its_share(personas: Personas) -> None:
    p = personas
    held = _world(p)
    assert held.claim is not None
    held.claim.status = ClaimStatus.RESOLVED
    held.claim.save(update_fields=["status"])
    assert actions.release_unresolved_reserves(today=dt.date(2030, 1, 1)) == 0
    held.refresh_from_db()
    assert held.reserve_released_at is None
    assert actions.forfeited_to_redistribute(p.case) == 0


def test_nothing_is_released_before_the_proceeding_ends(personas: Personas) -> None:
    p = personas
    _world(p)
    Proceeding.objects.filter(case=p.case).update(anchor_dates={})
    assert actions.release_unresolved_reserves(today=dt.date(2035, 1, 1)) == 0
