"""Announcement and forfeiture of unclaimed amounts (EBL art. 116, 119)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.distributions import policies
from smartcourt.distributions.actions._common import _locked_plan
from smartcourt.distributions.choices import PlanKind, PlanStatus
from smartcourt.distributions.models import DistributionPlan, Escrow
from smartcourt.rules.calendar import current_calendar
from smartcourt.rules.periods import add_months, next_working_day

UNCLAIMED_MONTHS = 2


@transaction.atomic
def record_announcement(*, actor: User, plan_id: uuid.UUID | str, announced_on: dt.date) -> DistributionPlan:
    """The administrator records the date the distribution was announced (art. 116). For a final
    distribution this starts the two months after which unclaimed amounts are forfeited (art. 119)."""
    plan = _locked_plan(actor, plan_id)
    if not policies.can_prepare(actor, plan.case):
        raise PermissionDenied("Only the administrator appointed on this case announces the distribution")
    if plan.status != PlanStatus.RULED:
        raise Conflict("Only a plan approved by the court's ruling is announced", code="plan_not_ruled")
    if plan.announced_on is not None:
        raise Conflict("The announcement of this plan is already recorded", code="already_announced")
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
    forfeited (art. 119), case by case, each in its own transaction; they become available for the other
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
