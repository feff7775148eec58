"""Distribution plans: versions, their way through the creditors' meeting and the court (EBL art. 115)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims.choices import ClaimNature, ClaimStatus
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.core.lengths import fit
from smartcourt.core.lookups import get_or_not_found
from smartcourt.core.money import fen_to_yuan
from smartcourt.distributions import policies
from smartcourt.distributions.actions._common import _bulk_insert, _keyer, _locked_plan, _move_plan
from smartcourt.distributions.choices import LineClass, PlanKind, PlanStatus, ReserveReason
from smartcourt.distributions.errors import DistributionError
from smartcourt.distributions.models import DistributionPlan, Escrow, PlanLine, PlanTransition
from smartcourt.distributions.planning import ClaimRow, Expense, compute_plan
from smartcourt.distributions.selectors import claims_owed
from smartcourt.funds.selectors import account_of
from smartcourt.meetings.choices import AgendaKind, MeetingStatus
from smartcourt.meetings.models import AgendaItem

# Claims the plan pays: reviewed and confirmed (by the administrator, the court, or after a dispute).
CONFIRMED_STATES = frozenset(
    {ClaimStatus.CONFIRMED, ClaimStatus.PARTLY_CONFIRMED, ClaimStatus.COURT_CONFIRMED, ClaimStatus.RESOLVED}
)


# Claims whose share is held (提存): objection or suit pending, review suspended. A share held for a claim in
# litigation or arbitration that still cannot be received two years after the proceeding ends goes to the other
# creditors (art. 119; unclaimed.release_unresolved_reserves).
HELD_STATES = frozenset({ClaimStatus.DISPUTED, ClaimStatus.PENDING})


NATURE_CLASS = {
    ClaimNature.SECURED: LineClass.SECURED,
    ClaimNature.EMPLOYEE: LineClass.EMPLOYEE,
    ClaimNature.SOCIAL_INSURANCE_TAX: LineClass.SOCIAL_TAX,
    ClaimNature.ORDINARY: LineClass.ORDINARY,
}


MAX_BASIS = 2000


@dataclass(frozen=True)
class PlanInput:
    """The administrator's inputs to a plan version."""

    kind: str
    available_fen: int
    available_basis: str
    collateral_proceeds: dict[str, int] = field(default_factory=dict)  # claim id -> fen realised
    expenses: Sequence[Expense] = ()
    conditional_claim_ids: frozenset[str] = frozenset()
    conditional_claim_numbers: frozenset[int] = frozenset()  # registration numbers, as typed on the page


def available_from_ledger(case: Case) -> int | None:
    """The supervised account's balance as the bank last reported it (smartcourt.funds), offered to the
    administrator as the amount available; None when the case has no supervised account. He still enters the
    amount and its basis: part of the balance may be kept for expenses not yet due."""
    account = account_of(case)
    return account.balance_fen if account is not None else None


def meeting_result_for_plan(plan: DistributionPlan) -> bool | None:
    """The creditors' meeting's vote on ``plan`` when it was voted on the platform (smartcourt.meetings):
    adopted or not, or None while the meeting has not closed or the plan is not linked to an agenda item
    (then the judge records a resolution taken outside the platform, with its reference)."""
    item = plan.meeting_item
    if item is None or item.meeting.status != MeetingStatus.CLOSED:
        return None
    return item.passed


@transaction.atomic
def adopt_meeting_vote(*, actor: User, plan_id: uuid.UUID | str, agenda_item_id: uuid.UUID | str) -> DistributionPlan:
    """Take the result of the platform's vote on the plan (an agenda item of kind distribution plan of a
    closed meeting of the case): adopted, the plan goes on to the court; rejected, the version ends (twice
    rejected, the court rules under art. 65(2)). One vote decides one plan version."""
    plan = _locked_plan(actor, plan_id)
    if not (policies.can_rule(actor, plan.case) or policies.can_prepare(actor, plan.case)):
        raise PermissionDenied("Only the judge or the administrator of this case takes the meeting's vote")
    item = get_or_not_found(
        AgendaItem.objects.select_related("meeting"),
        "No such agenda item in this case's meetings",
        pk=agenda_item_id,
        meeting__case=plan.case,
    )
    if item.kind != AgendaKind.DISTRIBUTION_PLAN:
        raise DomainError("That agenda item is not a vote on a distribution plan", field="agenda_item")
    if item.meeting.status != MeetingStatus.CLOSED or item.passed is None:
        raise Conflict("The meeting has not closed its vote yet", code=DistributionError.VOTE_OPEN)
    if DistributionPlan.objects.filter(meeting_item=item).exclude(pk=plan.pk).exists():
        raise Conflict("That vote already decided another version of the plan", code=DistributionError.VOTE_USED)
    closed = item.meeting.closed_at or timezone.now()
    reference = fit(DistributionPlan, "meeting_reference", f"{item.meeting.title} 第{item.position}项：{item.title}")
    before = {"status": plan.status}
    _move_plan(plan, PlanStatus.APPROVED if item.passed else PlanStatus.REJECTED, actor=actor, reference=reference)
    DistributionPlan.objects.filter(pk=plan.pk).update(
        meeting_item=item,
        meeting_reference=reference,
        meeting_resolved_on=timezone.localdate(closed),
        rejection_reason="" if item.passed else "creditors' meeting did not adopt the plan",
    )
    plan.refresh_from_db()
    record_event(
        actor=actor,
        action="distributions.meeting_vote_adopted",
        case_id=plan.case_id,
        obj=plan,
        before=before,
        after={"status": plan.status, "agenda_item": str(item.pk), "passed": item.passed},
    )
    return plan


@dataclass(frozen=True)
class RedistributionPool:
    """Money that goes to the *other* creditors: distribution amounts forfeited as unclaimed two months after
    the final distribution's announcement (art. 118) and shares held for claims in litigation or arbitration
    released two years after the proceeding ended (art. 119), not yet shared out by a plan the court approved.

    ``excluded`` are the creditors whose amounts these are: they do not share in this money. Their waiver (art.
    118) covers only the amount they left unclaimed, not their claims: once the pool is shared out, they take
    part in every later distribution like any other creditor."""

    amount_fen: int
    excluded: frozenset[uuid.UUID]


def _last_ruling_at(case: Case) -> dt.datetime | None:
    return (
        PlanTransition.objects.filter(plan__case=case, to_status=PlanStatus.RULED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def redistribution_pool(case: Case) -> RedistributionPool:
    """What is to be shared out among the other creditors and who is left out of it: amounts forfeited or
    released since the court last approved a plan of the case (a draft or a rejected version shares out
    nothing, so the pool stays until a plan that shares it out is approved)."""
    since = _last_ruling_at(case)
    escrows = Escrow.objects.filter(case=case, forfeited_at__isnull=False)
    reserves = PlanLine.objects.filter(plan__case=case, reserve_released_at__isnull=False, reserved_fen__gt=0)
    if since is not None:
        escrows = escrows.filter(forfeited_at__gt=since)
        reserves = reserves.filter(reserve_released_at__gt=since)
    amount = (escrows.aggregate(total=Sum("amount_fen"))["total"] or 0) + (
        reserves.aggregate(total=Sum("reserved_fen"))["total"] or 0
    )
    excluded = {c for c in escrows.values_list("creditor_id", flat=True) if c is not None}
    excluded |= {c for c in reserves.values_list("creditor_id", flat=True) if c is not None}
    return RedistributionPool(amount_fen=amount, excluded=frozenset(excluded))


def forfeited_to_redistribute(case: Case) -> int:
    """The pool's amount (art. 118 and 119): what the next plan shares out among the other creditors."""
    return redistribution_pool(case).amount_fen


def _claim_rows(case: Case, plan_input: PlanInput, *, excluded: frozenset[uuid.UUID] = frozenset()) -> list[ClaimRow]:
    # The creditors whose forfeited or released amounts this plan shares out take no part in it (art. 118,
    # 119: "分配给其他债权人"); in any other plan they do.
    waived = excluded
    paid_before: dict[uuid.UUID, int] = defaultdict(int)
    for claim_id, paid in PlanLine.objects.filter(
        plan__case=case, plan__status=PlanStatus.RULED, claim__isnull=False
    ).values_list("claim_id", "paid_fen"):
        paid_before[claim_id] += paid
    known: set[str] = set()
    numbers: set[int] = set()
    rows: list[ClaimRow] = []
    # Plain tuples, not model instances: a large case has tens of thousands of claims.
    fields = (
        "pk",
        "number",
        "status",
        "nature",
        "confirmed_nature",
        "creditor_id",
        "creditor__name",
        "principal_fen",
        "interest_fen",
        "penalties_fen",
        "costs_fen",
        "confirmed_principal_fen",
        "confirmed_interest_fen",
        "confirmed_penalties_fen",
        "confirmed_costs_fen",
    )
    for row in claims_owed(case).values_list(*fields).iterator(chunk_size=5000):
        pk, number, status, nature, confirmed_nature, creditor_id, name = row[:7]
        claim_key = str(pk)
        known.add(claim_key)
        numbers.add(number)
        if creditor_id in waived:
            continue
        if status in CONFIRMED_STATES:
            owed = sum(row[11:15])
        elif status in HELD_STATES:
            owed = sum(row[7:11])
        else:
            continue
        nature = confirmed_nature or nature
        owed = max(0, owed - paid_before[pk])
        reserve = ReserveReason.NONE
        if status in HELD_STATES:
            reserve = ReserveReason.DISPUTED
        elif claim_key in plan_input.conditional_claim_ids or number in plan_input.conditional_claim_numbers:
            reserve = ReserveReason.CONDITIONAL
        line_class = NATURE_CLASS[ClaimNature(nature)]
        proceeds = plan_input.collateral_proceeds.get(claim_key, 0)
        if proceeds and line_class != LineClass.SECURED:
            raise DomainError(
                f"Claim {number} is not secured: it has no collateral proceeds", field="collateral_proceeds"
            )
        rows.append(
            ClaimRow(
                claim_id=claim_key,
                creditor_id=str(creditor_id),
                label=name,
                line_class=line_class,
                owed_fen=owed,
                reserve=reserve,
                collateral_proceeds_fen=proceeds,
            )
        )
    for given in (*plan_input.collateral_proceeds, *plan_input.conditional_claim_ids):
        if given not in known:
            raise DomainError(f"No claim {given} in this case", field="claims")
    for number in sorted(plan_input.conditional_claim_numbers - numbers):
        raise DomainError(f"No claim number {number} in this case", field="conditional")
    return rows


@transaction.atomic
def create_plan(*, actor: User, case_id: uuid.UUID | str, plan_input: PlanInput) -> DistributionPlan:
    """Compute and store a new draft version of the case's distribution plan from the claims table."""
    case = get_case_for(actor, case_id)
    if not policies.can_prepare(actor, case):
        raise PermissionDenied("Only the administrator appointed on this case draws up the distribution plan")
    if plan_input.kind not in PlanKind.values:
        raise DomainError(f"unknown kind {plan_input.kind!r}", field="kind")
    basis = plan_input.available_basis.strip()
    if not basis:
        raise DomainError("Say where the available amount comes from", field="available_basis")
    if len(basis) > MAX_BASIS:
        raise DomainError(f"The basis is limited to {MAX_BASIS} characters", field="available_basis")
    if plan_input.available_fen < 0:
        raise DomainError("The amount available cannot be negative", field="available")
    if any(fen < 0 for fen in plan_input.collateral_proceeds.values()):
        raise DomainError("Collateral proceeds cannot be negative", field="collateral_proceeds")
    Case.objects.select_for_update().filter(pk=case.pk).first()  # numbers one after another per case
    pool = redistribution_pool(case)
    if pool.amount_fen and plan_input.available_fen > pool.amount_fen:
        # The pool goes to the other creditors only; other money goes to every creditor. One plan cannot do
        # both: the pool is shared out first, in a plan of its own.
        raise DomainError(
            gettext(
                "Share out the %(amount)s yuan forfeited or released for the other creditors (EBL art. 118, 119) "
                "in a plan of its own first: this plan may distribute at most that amount"
            )
            % {"amount": fen_to_yuan(pool.amount_fen)},
            field="available",
        )
    rows = _claim_rows(case, plan_input, excluded=pool.excluded if pool.amount_fen else frozenset())
    try:
        computed = compute_plan(available_fen=plan_input.available_fen, claims=rows, expenses=plan_input.expenses)
    except ValueError as exc:
        raise DomainError(str(exc), field="expenses") from exc
    number = (DistributionPlan.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1
    plan = DistributionPlan.objects.create(
        case=case,
        number=number,
        kind=plan_input.kind,
        available_fen=plan_input.available_fen,
        available_basis=basis,
        collateral_surplus_fen=computed.collateral_surplus_fen,
        secured_paid_fen=computed.secured_paid_fen,
        distributed_fen=computed.distributed_fen,
        reserved_fen=computed.reserved_fen,
        undistributed_fen=computed.undistributed_fen,
        created_by=actor,
    )
    _key = _keyer()
    _bulk_insert(
        PlanLine,
        (
            "id",
            "plan_id",
            "position",
            "line_class",
            "claim_id",
            "creditor_id",
            "label",
            "owed_fen",
            "collateral_proceeds_fen",
            "share_fen",
            "paid_fen",
            "reserved_fen",
            "reserve_reason",
        ),
        [
            (
                _key(uuid.uuid4()),
                _key(plan.pk),
                position,
                str(line.line_class),
                _key(line.claim_id) if line.claim_id else None,
                _key(line.creditor_id) if line.creditor_id else None,
                fit(PlanLine, "label", line.label),  # a creditor's name, stored whole in claims
                line.owed_fen,
                line.collateral_proceeds_fen,
                line.share_fen,
                line.paid_fen,
                line.reserved_fen,
                str(line.reserve),
            )
            for position, line in enumerate(computed.lines, start=1)
        ],
    )
    record_event(
        actor=actor,
        action="distributions.plan_created",
        case_id=case.pk,
        obj=plan,
        after={
            "number": number,
            "kind": plan.kind,
            "available_fen": plan.available_fen,
            "distributed_fen": plan.distributed_fen,
            "secured_paid_fen": plan.secured_paid_fen,
            "reserved_fen": plan.reserved_fen,
            "lines": len(computed.lines),
        },
    )
    return plan


def _reference(value: str, *, field: str) -> str:
    value = value.strip()
    if not value:
        raise DomainError("Give the reference", field=field)
    if len(value) > 100:
        raise DomainError("The reference is limited to 100 characters", field=field)
    return value


@transaction.atomic
def submit_plan(*, actor: User, plan_id: uuid.UUID | str) -> DistributionPlan:
    """The administrator submits the draft to the creditors' meeting (art. 61(1)(10)); it is frozen."""
    plan = _locked_plan(actor, plan_id)
    if not policies.can_prepare(actor, plan.case):
        raise PermissionDenied("Only the administrator appointed on this case submits the plan")
    before = {"status": plan.status}
    _move_plan(plan, PlanStatus.SUBMITTED, actor=actor)
    record_event(
        actor=actor,
        action="distributions.plan_submitted",
        case_id=plan.case_id,
        obj=plan,
        before=before,
        after={"status": plan.status},
    )
    return plan


@transaction.atomic
def record_meeting_resolution(
    *, actor: User, plan_id: uuid.UUID | str, adopted: bool, reference: str, resolved_on: dt.date
) -> DistributionPlan:
    """The judge records the creditors' meeting's resolution on the plan (art. 64), with its reference,
    until smartcourt.meetings answers it itself (``meeting_result_for_plan``)."""
    plan = _locked_plan(actor, plan_id)
    if not policies.can_rule(actor, plan.case):
        raise PermissionDenied("Only a judge of this case records the meeting's resolution")
    reference = _reference(reference, field="reference")
    before = {"status": plan.status}
    _move_plan(plan, PlanStatus.APPROVED if adopted else PlanStatus.REJECTED, actor=actor, reference=reference)
    DistributionPlan.objects.filter(pk=plan.pk).update(
        meeting_reference=reference,
        meeting_resolved_on=resolved_on,
        rejection_reason="" if adopted else "creditors' meeting did not adopt the plan",
    )
    plan.refresh_from_db()
    record_event(
        actor=actor,
        action="distributions.meeting_resolution_recorded",
        case_id=plan.case_id,
        obj=plan,
        before=before,
        after={"status": plan.status, "reference": reference, "resolved_on": resolved_on.isoformat()},
    )
    return plan


@transaction.atomic
def rule_on_plan(
    *, actor: User, plan_id: uuid.UUID | str, approved: bool, ruling_reference: str, ruled_on: dt.date, reason: str = ""
) -> DistributionPlan:
    """The court's ruling on the adopted plan (art. 115: 认可分配方案民事裁定书). Only a ruled plan is paid."""
    plan = _locked_plan(actor, plan_id)
    if not policies.can_rule(actor, plan.case):
        raise PermissionDenied("Only a judge of this case rules on the distribution plan")
    ruling_reference = _reference(ruling_reference, field="ruling_reference")
    if not approved and not reason.strip():
        raise DomainError("Give the reason for not approving the plan", field="reason")
    before = {"status": plan.status}
    _move_plan(plan, PlanStatus.RULED if approved else PlanStatus.REJECTED, actor=actor, reference=ruling_reference)
    DistributionPlan.objects.filter(pk=plan.pk).update(
        ruling_reference=ruling_reference, ruled_on=ruled_on, rejection_reason=reason.strip()
    )
    plan.refresh_from_db()
    record_event(
        actor=actor,
        action="distributions.plan_ruled",
        case_id=plan.case_id,
        obj=plan,
        before=before,
        after={"status": plan.status, "ruling_reference": ruling_reference, "ruled_on": ruled_on.isoformat()},
    )
    return plan
