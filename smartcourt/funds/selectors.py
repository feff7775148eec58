"""Reads of fund supervision, scoped to the user: a case's account with what is used of each limit, its
movements and alerts, payment requests, and the court's queues (review for assistants, approval for judges)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import cases_visible_to, get_case_for
from smartcourt.core.errors import NotFound
from smartcourt.funds import policies
from smartcourt.funds.actions import LimitUse, limit_use
from smartcourt.funds.choices import PaymentStatus
from smartcourt.funds.models import BankMovement, FundAlert, PaymentRequest, SupervisedAccount


def get_funds_case_for(user: User, case_id: uuid.UUID | str) -> Case:
    """The case, if ``user`` may see its money; NotFound otherwise (missing and forbidden look the same)."""
    case = get_case_for(user, case_id)
    if not policies.can_see_funds(user, case):
        raise NotFound(_("No such case"))
    return case


def account_of(case: Case) -> SupervisedAccount | None:
    return SupervisedAccount.objects.filter(case=case, active=True).first()


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
            BankMovement.objects.filter(account=account).select_related("payment").order_by("-sequence")[:movements]
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
    try:
        payment = PaymentRequest.objects.select_related("case", "account", "requested_by").get(pk=payment_id)
    except (PaymentRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("No such payment request")) from exc
    if case_id is not None and str(payment.case_id) != str(case_id):
        raise NotFound(_("No such payment request"))
    try:
        get_funds_case_for(user, payment.case_id)
    except NotFound as exc:
        raise NotFound(_("No such payment request")) from exc
    return payment


def court_queue(user: User) -> QuerySet[PaymentRequest]:
    """Requests waiting for ``user``: submitted ones for the judge assistant of their case, reviewed ones for a
    judge sitting on it. Empty for everyone else."""
    visible = cases_visible_to(user).filter(court_id=user.organisation_id)
    base = PaymentRequest.objects.filter(case__in=visible).select_related("case", "requested_by").order_by("created_at")
    if user.role == "judge_assistant":
        return base.filter(
            status=PaymentStatus.SUBMITTED, case__members__user=user, case__members__role="judge_assistant"
        )
    if user.role == "judge":
        mine = [case.pk for case in visible if policies.can_approve(user, case)]
        return base.filter(status=PaymentStatus.REVIEWED, case_id__in=mine)
    return base.none()
