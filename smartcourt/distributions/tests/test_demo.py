"""The demo distribution: 110 creditors paid through the whole path by the sandbox bank, one return escrowed,
刘洋 (creditor_a) sees his payment; seeding again changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from smartcourt.banking.testing import Bank
from smartcourt.distributions.choices import BatchStatus, LineStatus, PlanStatus
from smartcourt.distributions.demo import CREDITORS, seed_distributions
from smartcourt.distributions.models import DistributionPlan, Escrow
from smartcourt.distributions.selectors import amounts_for_creditor, compare_batch, line_totals

from .helpers import counts

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db


def test_demo_pays_110_creditors_with_one_return(personas: Personas, bank: Bank) -> None:
    p = personas
    batch = seed_distributions(case=p.case, judge=p.judge, administrator=p.administrator)
    assert batch is not None
    plan = DistributionPlan.objects.get(case=p.case)
    assert (
        plan.status == PlanStatus.RULED
        and plan.lines.filter(creditor__isnull=False).values("creditor").distinct().count() == CREDITORS
    )
    assert batch.status == BatchStatus.COMPLETED and batch.line_count == CREDITORS
    assert compare_batch(batch).matches
    totals = line_totals(batch)
    assert (totals.paid, totals.escrowed, totals.waiting) == (CREDITORS - 1, 1, 0)
    assert totals.paid_fen + totals.escrowed_fen == batch.total_fen
    escrow = Escrow.objects.get()
    assert escrow.batch_line.status == LineStatus.ESCROWED and "销户" in escrow.reason
    [liu] = amounts_for_creditor(p.creditor_a).values()
    assert liu.paid_fen == liu.planned_fen > 0
    before = counts()
    assert seed_distributions(case=p.case, judge=p.judge, administrator=p.administrator) == batch
    assert counts() == before


def test_demo_without_a_bank_stops_at_the_approved_batch(personas: Personas) -> None:
    p = personas
    batch = seed_distributions(case=p.case, judge=p.judge, administrator=p.administrator, send=False)
    assert batch is not None and batch.status == BatchStatus.APPROVED and batch.pain001
