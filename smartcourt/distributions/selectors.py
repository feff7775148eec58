"""Reads of distribution plans and batches, scoped to the user asking; a creditor's own amounts."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from smartcourt.accounts.models import User
from smartcourt.banking.iso20022.camt import Statement
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims.models import Claim
from smartcourt.claims.selectors import tracker_for
from smartcourt.core.errors import NotFound
from smartcourt.core.lookups import get_or_not_found
from smartcourt.distributions import policies
from smartcourt.distributions.choices import LINE_CLASS_ORDER, LineClass, LineStatus, PlanStatus
from smartcourt.distributions.models import BatchLine, DistributionPlan, Escrow, PaymentBatch, PlanLine
from smartcourt.distributions.payment_file_check import Payee
from smartcourt.meetings.choices import AgendaKind, MeetingStatus
from smartcourt.meetings.models import AgendaItem
from smartcourt.rules.fees import FeeCap, administrator_fee_cap


def plans_of(user: User, case: Case) -> QuerySet[DistributionPlan]:
    """The plans of a case ``user`` got through get_case_for; none if he may not see them."""
    if not policies.can_see_plans(user, case):
        return DistributionPlan.objects.none()
    return DistributionPlan.objects.filter(case=case).order_by("-number")


def get_plan_for(user: User, plan_id: uuid.UUID | str, *, case_id: uuid.UUID | str | None = None) -> DistributionPlan:
    plan = get_or_not_found(DistributionPlan.objects.select_related("case"), "No such distribution plan", pk=plan_id)
    if case_id is not None and str(plan.case_id) != str(case_id):
        raise NotFound("No such distribution plan")
    case = get_case_for(user, plan.case_id)
    if not policies.can_see_plans(user, case):
        raise NotFound("No such distribution plan")
    return plan


def get_batch_for(user: User, batch_id: uuid.UUID | str) -> PaymentBatch:
    batch = get_or_not_found(
        PaymentBatch.objects.select_related("plan", "plan__case"), "No such payment batch", pk=batch_id
    )
    get_plan_for(user, batch.plan_id)
    return batch


@dataclass
class ClassSummary:
    line_class: str
    label: str
    count: int = 0
    owed_fen: int = 0
    share_fen: int = 0
    paid_fen: int = 0
    reserved_fen: int = 0


def plan_classes(plan: DistributionPlan) -> list[ClassSummary]:
    """Totals per class in the order of payment (every class, zeros where empty)."""
    summaries = {c: ClassSummary(line_class=c, label=str(LineClass(c).label)) for c in LINE_CLASS_ORDER}
    for row in plan.lines.values("line_class").annotate(
        n=Count("id"), owed=Sum("owed_fen"), share=Sum("share_fen"), paid=Sum("paid_fen"), reserved=Sum("reserved_fen")
    ):
        summary = summaries[row["line_class"]]
        summary.count = row["n"]
        summary.owed_fen, summary.share_fen = row["owed"] or 0, row["share"] or 0
        summary.paid_fen, summary.reserved_fen = row["paid"] or 0, row["reserved"] or 0
    return [summaries[c] for c in LINE_CLASS_ORDER]


def plan_lines(plan: DistributionPlan) -> QuerySet[PlanLine]:
    return plan.lines.select_related("claim", "creditor").order_by("position")


def payees_of(plan: DistributionPlan) -> list[Payee]:
    """What the plan pays each creditor, his lines added together, in the order of his first line. Lines
    held (disputed, conditional) and expenses are not paid through a creditor batch."""
    totals: dict[str, int] = defaultdict(int)
    first: dict[str, tuple[str, str]] = {}
    rows = (
        plan.lines.filter(creditor__isnull=False, paid_fen__gt=0)
        .order_by("position")
        .values_list("creditor_id", "creditor__name", "creditor__identifier", "paid_fen")
    )
    for creditor_id, name, identifier, paid in rows.iterator(chunk_size=5000):
        key = str(creditor_id)
        totals[key] += paid
        first.setdefault(key, (name, identifier))
    return [
        Payee(creditor_id=key, name=first[key][0], identity=first[key][1], amount_fen=amount)
        for key, amount in totals.items()
    ]


def payee_accounts(plan: DistributionPlan) -> dict[str, str]:
    """The bank account each paid creditor gave (creditor list or declaration), to prefill the file."""
    return {
        str(pk): account
        for pk, account in plan.lines.filter(creditor__isnull=False, paid_fen__gt=0).values_list(
            "creditor_id", "creditor__account"
        )
    }


def batches_of(plan: DistributionPlan) -> QuerySet[PaymentBatch]:
    return plan.batches.select_related("uploaded_by", "approved_by").order_by("-created_at")


def batch_lines(batch: PaymentBatch) -> QuerySet[BatchLine]:
    return batch.lines.order_by("row")


@dataclass(frozen=True)
class BatchComparison:
    """The batch against its plan, as the judge sees it before approving: no difference is allowed."""

    plan_payees: int
    plan_total_fen: int
    batch_lines: int
    batch_total_fen: int
    lines_with_errors: int
    file_errors: int

    @property
    def payee_difference(self) -> int:
        return self.batch_lines - self.plan_payees

    @property
    def difference_fen(self) -> int:
        return self.batch_total_fen - self.plan_total_fen

    @property
    def matches(self) -> bool:
        return (
            self.difference_fen == 0
            and self.plan_payees == self.batch_lines
            and self.lines_with_errors == 0
            and self.file_errors == 0
        )


def compare_batch(batch: PaymentBatch) -> BatchComparison:
    payees = payees_of(batch.plan)
    return BatchComparison(
        plan_payees=len(payees),
        plan_total_fen=sum(p.amount_fen for p in payees),
        batch_lines=batch.line_count,
        batch_total_fen=batch.total_fen,
        lines_with_errors=batch.error_count,
        file_errors=len(batch.file_errors),
    )


FEE_BASE_CLASSES = (LineClass.EMPLOYEE, LineClass.SOCIAL_TAX, LineClass.ORDINARY)


def fee_cap(plan: DistributionPlan) -> FeeCap:
    """The administrator's remuneration cap on the value this plan pays creditors (SPC provisions art. 2):
    what goes to employee, social insurance and tax, and ordinary claims, shares held included. Collateral
    paid to secured creditors is not counted (art. 2 para. 2), nor are expenses and common-benefit debts,
    which are paid out of the estate, not in satisfaction of claims."""
    base = plan.lines.filter(line_class__in=FEE_BASE_CLASSES).aggregate(total=Sum("share_fen"))["total"] or 0
    return administrator_fee_cap(base)


def current_plan(case: Case) -> DistributionPlan | None:
    """The plan that counts for creditors: the latest ruled one, else the latest not rejected."""
    plans = DistributionPlan.objects.filter(case=case).order_by("-number")
    return plans.filter(status=PlanStatus.RULED).first() or plans.exclude(status=PlanStatus.REJECTED).first()


@dataclass(frozen=True)
class CreditorAmounts:
    """A creditor's distribution for one claim: what the current plan gives it, what was paid, what is held."""

    claim_id: uuid.UUID
    plan_number: int | None
    plan_status: str
    planned_fen: int
    reserved_fen: int
    paid_fen: int
    escrowed_fen: int
    plan_id: uuid.UUID | None = None


def plan_for_creditor(user: User, plan_id: uuid.UUID | str) -> DistributionPlan:
    """A plan as a creditor of its case (or his agent) may read it before voting on it: any version past the
    administrator's draft. Anyone else, or a draft, is not found."""
    plan = get_or_not_found(DistributionPlan.objects.select_related("case"), "No such distribution plan", pk=plan_id)
    if plan.status == PlanStatus.DRAFT or not tracker_for(user).filter(case=plan.case).exists():
        raise NotFound("No such distribution plan")
    return plan


def amounts_for_creditor(user: User) -> dict[uuid.UUID, CreditorAmounts]:
    """For the claims tracker: per claim of ``user`` (as creditor or agent), the planned, held, paid and
    escrowed amounts. Paid and escrowed are per creditor across his claims, attributed to the claim with the
    largest planned amount in the case (a batch pays a creditor once, not a claim)."""
    claims = list(tracker_for(user))
    result: dict[uuid.UUID, CreditorAmounts] = {}
    by_case: dict[uuid.UUID, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_case[claim.case_id].append(claim)
    for case_id, case_claims in by_case.items():
        plan = current_plan(case_claims[0].case)
        planned: dict[uuid.UUID, tuple[int, int]] = {}
        if plan is not None:
            for claim_id, paid, reserved in PlanLine.objects.filter(
                plan=plan, claim__in=[c.pk for c in case_claims]
            ).values_list("claim_id", "paid_fen", "reserved_fen"):
                p, r = planned.get(claim_id, (0, 0))
                planned[claim_id] = (p + paid, r + reserved)
        creditors = {c.creditor_id for c in case_claims}
        paid_by_creditor = dict(
            BatchLine.objects.filter(creditor_id__in=creditors, status=LineStatus.PAID, batch__plan__case_id=case_id)
            .values("creditor_id")
            .annotate(total=Sum("amount_fen"))
            .values_list("creditor_id", "total")
        )
        escrow_by_creditor = dict(
            Escrow.objects.filter(creditor_id__in=creditors, case_id=case_id, released_at__isnull=True)
            .values("creditor_id")
            .annotate(total=Sum("amount_fen"))
            .values_list("creditor_id", "total")
        )
        carrier: dict[uuid.UUID, uuid.UUID] = {}
        for claim in sorted(case_claims, key=lambda c: -planned.get(c.pk, (0, 0))[0]):
            carrier.setdefault(claim.creditor_id, claim.pk)
        for claim in case_claims:
            p, r = planned.get(claim.pk, (0, 0))
            carries = carrier.get(claim.creditor_id) == claim.pk
            result[claim.pk] = CreditorAmounts(
                claim_id=claim.pk,
                plan_number=plan.number if plan is not None else None,
                plan_id=plan.pk if plan is not None and plan.status != PlanStatus.DRAFT else None,
                plan_status=plan.status if plan is not None else "",
                planned_fen=p,
                reserved_fen=r,
                paid_fen=(paid_by_creditor.get(claim.creditor_id) or 0) if carries else 0,
                escrowed_fen=(escrow_by_creditor.get(claim.creditor_id) or 0) if carries else 0,
            )
    return result


def claims_owed(case: Case) -> QuerySet[Claim]:
    """The case's claims, with their creditor: the plan's input (filtered by status in actions)."""
    return Claim.objects.filter(case=case).select_related("creditor").order_by("number")


@dataclass(frozen=True)
class LineTotals:
    """How a sent batch stands: paid, escrowed (提存) and still waiting, in lines and fen."""

    paid: int
    paid_fen: int
    escrowed: int
    escrowed_fen: int
    waiting: int
    waiting_fen: int


def line_totals(batch: PaymentBatch) -> LineTotals:
    found = {
        row["status"]: (row["n"], row["total"] or 0)
        for row in batch.lines.values("status").annotate(n=Count("id"), total=Sum("amount_fen"))
    }
    waiting = [found.get(s, (0, 0)) for s in (LineStatus.PENDING, LineStatus.ACCEPTED)]
    return LineTotals(
        paid=found.get(LineStatus.PAID, (0, 0))[0],
        paid_fen=found.get(LineStatus.PAID, (0, 0))[1],
        escrowed=found.get(LineStatus.ESCROWED, (0, 0))[0],
        escrowed_fen=found.get(LineStatus.ESCROWED, (0, 0))[1],
        waiting=sum(n for n, _ in waiting),
        waiting_fen=sum(t for _, t in waiting),
    )


@dataclass(frozen=True)
class Reconciliation:
    """A sent batch against the bank's statement (camt.053), line by line.

    ``matched``: lines whose payment the statement shows debited with their amount (and, for escrowed lines,
    credited back); ``missing``: lines we consider paid or returned that the statement does not show;
    ``amount_differs``: a debit with our EndToEndId but another amount; ``not_ours_paid``: lines the
    statement shows debited that we still think unpaid."""

    matched: list[str]
    missing: list[str]
    amount_differs: list[str]
    not_ours_paid: list[str]

    @property
    def reconciled(self) -> bool:
        return not (self.missing or self.amount_differs or self.not_ours_paid)


def _booked_by_line(batch: PaymentBatch, statements: list[Statement]) -> tuple[dict[str, int], dict[str, int]]:
    """What the paying account's statements debited and credited back, per EndToEndId."""
    debits: dict[str, int] = defaultdict(int)
    credits: dict[str, int] = defaultdict(int)
    for statement in statements:
        if statement.account_number != batch.paying_account:
            continue
        for entry in statement.entries:
            if not entry.booked or not entry.end_to_end_id:
                continue
            if entry.amount_fen < 0:
                debits[entry.end_to_end_id] += -entry.amount_fen
            else:
                credits[entry.end_to_end_id] += entry.amount_fen
    return debits, credits


def reconcile_batch(batch: PaymentBatch, statements: list[Statement]) -> Reconciliation:
    debits, credits = _booked_by_line(batch, statements)
    found: dict[str, list[str]] = {"matched": [], "missing": [], "amount_differs": [], "not_ours_paid": []}
    for line in batch.lines.order_by("row"):
        key = line.end_to_end_id
        net = debits.get(key, 0) - credits.get(key, 0)
        if line.status == LineStatus.PAID:
            outcome = (
                "missing" if key not in debits else "matched" if net == (line.amount_fen or 0) else "amount_differs"
            )
        elif line.status == LineStatus.ESCROWED:
            outcome = "matched" if net == 0 else "amount_differs"
        else:
            outcome = "not_ours_paid" if key in debits else ""
        if outcome:
            found[outcome].append(key)
    return Reconciliation(**found)


def meeting_votes(case: Case) -> QuerySet[AgendaItem]:
    """Votes on a distribution plan taken by the case's closed meetings and not yet used for a plan."""
    return (
        AgendaItem.objects.filter(
            meeting__case=case,
            kind=AgendaKind.DISTRIBUTION_PLAN,
            meeting__status=MeetingStatus.CLOSED,
            passed__isnull=False,
            distribution_plan__isnull=True,
        )
        .select_related("meeting")
        .order_by("-meeting__closed_at", "position")
    )
