"""Reads of fund supervision, scoped to the user: a case's account with what is used of each limit, its
movements and alerts, payment requests, and the court's queues (review for assistants, approval for judges)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.cases.choices import Composition, MemberRole
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import cases_visible_to, get_case_for
from smartcourt.core.dates import shanghai_day
from smartcourt.core.errors import NotFound
from smartcourt.core.lookups import get_or_not_found
from smartcourt.funds import policies
from smartcourt.funds.choices import COMMITTED, Limit, PaymentStatus
from smartcourt.funds.models import BankMovement, ExpectedDebit, FundAlert, PaymentRequest, SupervisedAccount


def get_funds_case_for(user: User, case_id: uuid.UUID | str) -> Case:
    """The case, if ``user`` may see its money; NotFound otherwise (missing and forbidden look the same)."""
    case = get_case_for(user, case_id)
    if not policies.can_see_funds(user, case):
        raise NotFound(_("No such case"))
    return case


def get_account_case_for(user: User, case_id: uuid.UUID | str) -> Case:
    """The case, if ``user`` may see its supervised account (funds.policies.can_see_account); NotFound
    otherwise."""
    case = get_case_for(user, case_id)
    if not policies.can_see_account(user, case):
        raise NotFound(_("No such case"))
    return case


def account_of(case: Case) -> SupervisedAccount | None:
    return SupervisedAccount.objects.filter(case=case, active=True).first()


@dataclass(frozen=True)
class LimitUse:
    """How much of each limit is used: committed payments (approved, sent, executed) in fen."""

    today_fen: int
    total_fen: int


def limit_use(account: SupervisedAccount, *, now: dt.datetime | None = None) -> LimitUse:
    """Payments committed today (Asia/Shanghai) and since supervision began."""
    today = shanghai_day(now or timezone.now())
    committed = PaymentRequest.objects.filter(account=account, status__in=COMMITTED)
    total = committed.aggregate(total=Sum("amount_fen"))["total"] or 0
    today_total = committed.filter(released_on=today).aggregate(total=Sum("amount_fen"))["total"] or 0
    return LimitUse(today_fen=today_total, total_fen=total)


def limits_exceeded(account: SupervisedAccount, amount_fen: int, *, now: dt.datetime | None = None) -> list[str]:
    """The limits a payment of ``amount_fen`` would exceed now. Call with the account row locked, so that two
    payments checked at once cannot both fit into the same room."""
    use = limit_use(account, now=now)
    over: list[str] = []
    if account.per_transaction_limit_fen is not None and amount_fen > account.per_transaction_limit_fen:
        over.append(Limit.PER_TRANSACTION)
    if account.daily_limit_fen is not None and use.today_fen + amount_fen > account.daily_limit_fen:
        over.append(Limit.DAILY)
    if account.cumulative_limit_fen is not None and use.total_fen + amount_fen > account.cumulative_limit_fen:
        over.append(Limit.CUMULATIVE)
    return over


@dataclass(frozen=True)
class AccountView:
    """What the judge's page shows of an account: the account, how much of each limit is used, recent
    movements and open alerts."""

    account: SupervisedAccount
    use: LimitUse
    movements: list[BankMovement]
    alerts: list[FundAlert]
    awaiting_court: int


def account_view(case: Case, *, movements: int = 50) -> AccountView | None:
    account = account_of(case)
    if account is None:
        return None
    return AccountView(
        account=account,
        use=limit_use(account, now=timezone.now()),
        movements=list(
            BankMovement.objects.filter(account=account)
            .select_related("payment")
            # A debit ordered other than by a payment request (a distribution batch line) carries its purpose.
            .annotate(
                expected_purpose=Subquery(
                    ExpectedDebit.objects.filter(
                        account=OuterRef("account"), idempotency_key=OuterRef("idempotency_key")
                    ).values("purpose")[:1]
                ),
                # What ordered it (a distribution batch, approved by whom and when), shown beside the debit.
                expected_reference=Subquery(
                    ExpectedDebit.objects.filter(
                        account=OuterRef("account"), idempotency_key=OuterRef("idempotency_key")
                    ).values("reference")[:1]
                ),
            )
            .order_by("-sequence")[:movements]
        ),
        alerts=list(FundAlert.objects.filter(account=account, resolved_at__isnull=True).select_related("payment")),
        awaiting_court=PaymentRequest.objects.filter(
            account=account, status__in=[PaymentStatus.SUBMITTED, PaymentStatus.REVIEWED]
        ).count(),
    )


def payments_of_case(case: Case) -> QuerySet[PaymentRequest]:
    """For a case whose money the user may see (checked by the caller through get_funds_case_for)."""
    return PaymentRequest.objects.filter(case=case).select_related("requested_by").order_by("-number")


def get_payment_for(
    user: User, payment_id: uuid.UUID | str, *, case_id: uuid.UUID | str | None = None
) -> PaymentRequest:
    payment = get_or_not_found(
        PaymentRequest.objects.select_related("case", "account", "requested_by"),
        _("No such payment request"),
        pk=payment_id,
    )
    if case_id is not None and str(payment.case_id) != str(case_id):
        raise NotFound(_("No such payment request"))
    try:
        get_funds_case_for(user, payment.case_id)
    except NotFound as exc:
        raise NotFound(_("No such payment request")) from exc
    return payment


def court_queue(user: User) -> QuerySet[PaymentRequest]:
    """Requests waiting for ``user``: submitted ones for the judge assistant of their case (and reviewed ones
    too where a collegial panel decides, since he records its decision), reviewed ones for a judge sitting on
    it (and submitted ones too for a sole judge, who acts alone). Empty for everyone else."""
    visible = cases_visible_to(user).filter(court_id=user.organisation_id)
    base = PaymentRequest.objects.filter(case__in=visible).select_related("case", "requested_by").order_by("created_at")
    if user.role == "judge_assistant":
        assisted = base.filter(case__members__user=user, case__members__role="judge_assistant")
        return assisted.filter(
            Q(status=PaymentStatus.SUBMITTED)
            | Q(status=PaymentStatus.REVIEWED, case__composition=Composition.COLLEGIAL)
        ).distinct()
    if user.role == "judge":
        mine = [case.pk for case in visible if policies.can_approve(user, case)]
        return base.filter(
            Q(status=PaymentStatus.REVIEWED)
            | Q(status=PaymentStatus.SUBMITTED, case__composition=Composition.SOLE, case__presiding_judge=user),
            case_id__in=mine,
        )
    return base.none()


@dataclass(frozen=True)
class StuckRequest:
    """A request waiting for the court that nobody on the case can move (issue 15.15)."""

    payment: PaymentRequest
    waiting_for: str


def next_actors(payment: PaymentRequest) -> list[User]:
    """Who can take the request's next step, as the case is staffed now: the judge assistant reviews a
    submitted request (or a sole judge decides it alone); a judge sitting on the case decides a reviewed one
    (or, where a collegial panel decides, the assistant records its decision)."""
    case = payment.case
    members = case.members.filter(user__isnull=False, user__is_active=True).select_related("user")
    assistants = [
        m.user
        for m in members
        if m.user is not None and m.role == MemberRole.JUDGE_ASSISTANT and m.user.organisation_id == case.court_id
    ]
    judges = [m.user for m in members if m.user is not None and policies.is_judge_of(m.user, case)]
    presiding = case.presiding_judge if case.presiding_judge and case.presiding_judge.is_active else None
    actors: list[User] = []
    if payment.status == PaymentStatus.SUBMITTED:
        actors = assistants + ([presiding] if presiding and case.composition == Composition.SOLE else [])
    elif payment.status == PaymentStatus.REVIEWED:
        actors = judges + (assistants if case.composition == Composition.COLLEGIAL else [])
    return [actor for actor in actors if actor.pk != payment.requested_by_id]


def stuck_requests(user: User) -> list[StuckRequest]:
    """The requests of the cases ``user`` sees at his court that wait for the court with nobody who can take
    the next step (no assistant staffed, no judge): an alert on the supervision board, so none sits forever."""
    if not user.is_authenticated or not user.is_court_staff:
        return []
    visible = cases_visible_to(user).filter(court_id=user.organisation_id)
    waiting = (
        PaymentRequest.objects.filter(case__in=visible, status__in=[PaymentStatus.SUBMITTED, PaymentStatus.REVIEWED])
        .select_related("case", "case__presiding_judge")
        .order_by("created_at")
    )
    stuck: list[StuckRequest] = []
    for payment in waiting:
        if next_actors(payment):
            continue
        step = (
            _("a judge assistant to review it")
            if payment.status == PaymentStatus.SUBMITTED
            else _("a judge to decide it")
        )
        stuck.append(StuckRequest(payment=payment, waiting_for=step))
    return stuck
