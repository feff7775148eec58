"""Announcement of distributions (EBL art. 116), forfeiture of unclaimed amounts (art. 118) and release of shares
held for claims still in litigation or arbitration two years after the proceeding ended (art. 119).

Art. 118: an amount a creditor has not collected two months after the final distribution's announcement is
deemed waived and goes to the other creditors. The waiver covers that amount only, not the creditor's claim:
he shares in any later distribution (plans.redistribution_pool).
Art. 119: a share held for a claim in litigation or arbitration that still cannot be received two years after
the proceeding ended is distributed by the court to the other creditors."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.models import Proceeding
from smartcourt.claims.choices import ClaimStatus
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.distributions import policies
from smartcourt.distributions.actions._common import _locked_plan
from smartcourt.distributions.choices import PlanKind, PlanStatus, ReserveReason
from smartcourt.distributions.errors import DistributionError
from smartcourt.distributions.models import DistributionPlan, Escrow, PlanLine
from smartcourt.rules.calendar import current_calendar
from smartcourt.rules.periods import add_months, next_working_day

UNCLAIMED_MONTHS = 2


@transaction.atomic
def record_announcement(*, actor: User, plan_id: uuid.UUID | str, announced_on: dt.date) -> DistributionPlan:
    """The administrator records the date the distribution was announced (art. 116). For a final
    distribution this starts the two months after which unclaimed amounts are forfeited (art. 118)."""
    plan = _locked_plan(actor, plan_id)
    if not policies.can_prepare(actor, plan.case):
        raise PermissionDenied("Only the administrator appointed on this case announces the distribution")
    if plan.status != PlanStatus.RULED:
        raise Conflict("Only a plan approved by the court's ruling is announced", code=DistributionError.PLAN_NOT_RULED)
    if plan.announced_on is not None:
        raise Conflict("The announcement of this plan is already recorded", code=DistributionError.ALREADY_ANNOUNCED)
    if plan.ruled_on is not None and announced_on < plan.ruled_on:
        raise DomainError("The announcement cannot come before the court's ruling", field="announced_on")
    DistributionPlan.objects.filter(pk=plan.pk).update(announced_on=announced_on)
    plan.announced_on = announced_on
    record_event(
        actor=actor,
        action="distributions.announced",
        case_id=plan.case_id,
        obj=plan,
        after={"announced_on": announced_on.isoformat(), "kind": plan.kind},
    )
    return plan


def forfeiture_date(announced_on: dt.date) -> dt.date:
    """The last day a creditor may still claim his escrowed amount: two months after the announcement
    (same-numbered day, Civil Code art. 202), moved to the next working day (Civil Procedure Law art. 85)."""
    day, _covered = next_working_day(add_months(announced_on, UNCLAIMED_MONTHS), current_calendar())
    return day


def forfeit_unclaimed(*, today: dt.date) -> int:
    """The periodic job: escrowed amounts of final distributions still unclaimed after the two months are
    forfeited (art. 118), case by case, each in its own transaction; they become available for the other
    creditors (a supplementary distribution). Idempotent: a forfeited escrow is not touched again."""
    forfeited = 0
    plans = DistributionPlan.objects.filter(kind=PlanKind.FINAL, announced_on__isnull=False)
    for plan in plans.iterator():
        assert plan.announced_on is not None
        if today <= forfeiture_date(plan.announced_on):
            continue
        with transaction.atomic():
            escrows = list(
                Escrow.objects.select_for_update().filter(
                    batch_line__batch__plan=plan, released_at__isnull=True, forfeited_at__isnull=True
                )
            )
            if not escrows:
                continue
            now = timezone.now()
            Escrow.objects.filter(pk__in=[e.pk for e in escrows]).update(forfeited_at=now)
            total = sum(e.amount_fen for e in escrows)
            record_event(
                actor=None,
                action="distributions.unclaimed_forfeited",
                case_id=plan.case_id,
                obj=plan,
                after={"escrows": len(escrows), "amount_fen": total, "announced_on": plan.announced_on.isoformat()},
            )
            forfeited += len(escrows)
    return forfeited


RESERVE_YEARS = 2
# The claims whose held shares art. 119 concerns: still in litigation, arbitration or objection.
UNRESOLVED_STATES = frozenset({ClaimStatus.DISPUTED, ClaimStatus.PENDING})


def reserve_release_date(terminated_on: dt.date) -> dt.date:
    """The last day a held share may still become receivable: two years after the ruling that ended the
    proceeding (same-numbered day, Civil Code art. 202), moved to the next working day."""
    day, _covered = next_working_day(add_months(terminated_on, 12 * RESERVE_YEARS), current_calendar())
    return day


def release_unresolved_reserves(*, today: dt.date) -> int:
    """The periodic job of art. 119: in every case whose proceeding ended more than two years ago, the shares
    held (提存) for claims still in litigation or arbitration in plans the court approved are released for the
    other creditors, case by case in its own transaction. They join the pool the next plan shares out among the
    others (plans.redistribution_pool). Idempotent: a released share is not touched again."""
    released = 0
    for proceeding in Proceeding.objects.exclude(anchor_dates__terminated_on=None).iterator():
        raw = (proceeding.anchor_dates or {}).get("terminated_on")
        if not isinstance(raw, str):
            continue
        terminated_on = dt.date.fromisoformat(raw)
        if today <= reserve_release_date(terminated_on):
            continue
        with transaction.atomic():
            lines = list(
                PlanLine.objects.select_for_update()
                .filter(
                    plan__case_id=proceeding.case_id,
                    plan__status=PlanStatus.RULED,
                    reserve_reason=ReserveReason.DISPUTED,
                    reserved_fen__gt=0,
                    reserve_released_at__isnull=True,
                    claim__status__in=UNRESOLVED_STATES,
                )
                .order_by("plan__number", "position")
            )
            if not lines:
                continue
            PlanLine.objects.filter(pk__in=[line.pk for line in lines]).update(reserve_released_at=timezone.now())
            record_event(
                actor=None,
                action="distributions.reserves_released",
                case_id=proceeding.case_id,
                obj=proceeding,
                after={
                    "lines": len(lines),
                    "amount_fen": sum(line.reserved_fen for line in lines),
                    "terminated_on": terminated_on.isoformat(),
                    "claims": [line.label for line in lines],
                },
            )
            released += len(lines)
    return released
