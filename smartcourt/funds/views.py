"""Fund supervision pages: the case's account as the judge watches it (live), opening the account and setting
limits, the administrator's payment requests, the court's queue, a request with its history. Glue only."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcourt.accounts.models import User
from smartcourt.accounts.web import signed_in_user
from smartcourt.cases.models import Case
from smartcourt.core.errors import DomainError
from smartcourt.core.lengths import fit
from smartcourt.core.web import form_error, raise_if_access_error, refused
from smartcourt.funds import policies
from smartcourt.funds.actions import (
    LimitsInput,
    PaymentDetails,
    change_limits,
    decide_payment,
    edit_payment,
    open_account,
    request_payment,
    resolve_alert,
    review_payment,
    withdraw_payment,
)
from smartcourt.funds.actions.notices import next_step
from smartcourt.funds.choices import EDITABLE, PaymentStatus
from smartcourt.funds.forms import AccountForm, DecisionForm, LimitsForm, PaymentForm
from smartcourt.funds.models import PaymentRequest, SupervisedAccount
from smartcourt.funds.selectors import (
    account_of,
    account_view,
    court_queue,
    get_account_case_for,
    get_funds_case_for,
    get_payment_for,
    payments_of_case,
)


def _case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    return get_funds_case_for(signed_in_user(request), case_id)


def _account_case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    return get_account_case_for(signed_in_user(request), case_id)


def _payment(request: HttpRequest, case_id: uuid.UUID, payment_id: uuid.UUID) -> PaymentRequest:
    return get_payment_for(signed_in_user(request), payment_id, case_id=case_id)


def _rights(user: User, case: Case) -> dict[str, bool]:
    return {
        "can_manage": policies.can_manage_account(user, case),
        "can_request": policies.can_request(user, case),
        "can_review": policies.can_review(user, case),
        "can_approve": policies.can_approve(user, case),
        "can_resolve": policies.can_manage_account(user, case) or policies.can_review(user, case),
    }


@login_required
def overview(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The judge's page: balance, limits and their use, movements as the bank reported them, alerts,
    payment requests. The live part refreshes itself (htmx poll of ``live``)."""
    user = signed_in_user(request)
    case = _account_case(request, case_id)
    # The bank sees its account and movements; payment requests and alerts are the court's and administrator's.
    case_work = policies.can_see_funds(user, case)
    context = {
        "case": case,
        "view": account_view(case),
        "payments": payments_of_case(case)[:100] if case_work else [],
        "case_work": case_work,
        **_rights(user, case),
    }
    return render(request, "funds/overview.html", context)


@login_required
def live(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = _account_case(request, case_id)
    context = {
        "case": case,
        "view": account_view(case),
        "case_work": policies.can_see_funds(user, case),
        **_rights(user, case),
    }
    return render(request, "funds/_live.html", context)


@login_required
def account(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Open or register the account (when there is none) or change its limits."""
    user = signed_in_user(request)
    case = _case(request, case_id)
    if not policies.can_manage_account(user, case):
        raise Forbidden(_("Only the judge of the case or the court administrator manages its account"))
    current = account_of(case)
    form: AccountForm | LimitsForm
    if current is None:
        form = AccountForm(
            request.POST or None,
            initial={"account_name": fit(SupervisedAccount, "account_name", f"{_debtor(case)}管理人")},
        )
    else:
        form = LimitsForm(
            request.POST or None,
            initial={
                "per_transaction": _initial(current.per_transaction_limit_fen),
                "daily": _initial(current.daily_limit_fen),
                "cumulative": _initial(current.cumulative_limit_fen),
            },
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        limits = LimitsInput(
            per_transaction=data["per_transaction"], daily=data["daily"], cumulative=data["cumulative"]
        )
        try:
            if current is None:
                open_account(
                    actor=user,
                    case_id=case.pk,
                    bank_partner=data["bank_partner"],
                    bank_name=data["bank_name"],
                    account_name=data["account_name"],
                    holder_id=data["holder_id"],
                    existing_account_number=data["existing_account_number"] if data["mode"] == "register" else "",
                    limits=limits,
                    reason=data["reason"],
                )
                messages.success(request, _("The supervised account is open."))
            else:
                change_limits(actor=user, account_id=current.pk, limits=limits, reason=data["reason"])
                messages.success(request, _("The limits are changed, at the bank too."))
            return redirect("funds:overview", case.pk)
        except DomainError as exc:
            form_error(form, exc)
    return render(request, "funds/account.html", {"case": case, "form": form, "current": current})


def _debtor(case: Case) -> str:
    """The debtor's name as the case title gives it: the account is held by the debtor's administrator."""
    for suffix in ("破产清算案", "强制清算案", "重整案", "和解案", "案"):
        if case.title.endswith(suffix):
            return case.title.removesuffix(suffix)
    return case.title


def _initial(fen: int | None) -> str:
    from smartcourt.core.money import fen_to_yuan

    return "" if fen is None else fen_to_yuan(fen)


@login_required
def new_payment(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = _case(request, case_id)
    if not policies.can_request(user, case):
        raise Forbidden(_("Only the appointed administrator requests payments"))
    form = PaymentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attachments = data.pop("attachments")
        try:
            payment, _created = request_payment(
                actor=user, case_id=case.pk, details=PaymentDetails(**data), attachments=attachments
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            if payment.status == PaymentStatus.SUBMITTED:
                messages.warning(request, _("The payment exceeds a limit: it goes to the court for approval."))
            else:
                messages.success(request, _("Within the limits: the payment was sent to the bank."))
            return redirect("funds:payment", case.pk, payment.pk)
    return render(
        request, "funds/payment_form.html", {"case": case, "form": form, "payment": None, "view": account_view(case)}
    )


@login_required
def payment(request: HttpRequest, case_id: uuid.UUID, payment_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    item = _payment(request, case_id, payment_id)
    case = item.case
    context = {
        "case": case,
        "payment": item,
        "transitions": item.transitions.select_related("actor").order_by("at"),
        "approvals": item.approvals.select_related("decided_by", "entry").order_by("decided_at"),
        "attachments": item.attachments.select_related("entry"),
        "movements": item.movements.order_by("sequence"),
        "editable": item.status in EDITABLE,
        # What the court decided and what the administrator does next (issue 15.15), shown to him here.
        "next_step": next_step(item) if policies.can_request(user, case) else "",
        **_rights(user, case),
    }
    return render(request, "funds/payment_detail.html", context)


@login_required
def edit(request: HttpRequest, case_id: uuid.UUID, payment_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    item = _payment(request, case_id, payment_id)
    if not policies.can_request(user, item.case):
        raise Forbidden(_("Only the appointed administrator edits payment requests"))
    from smartcourt.core.money import fen_to_yuan

    initial = {
        "payee_name": item.payee_name,
        "payee_account": item.payee_account,
        "payee_bank": item.payee_bank,
        "payee_bank_code": item.payee_bank_code,
        "amount": fen_to_yuan(item.amount_fen),
        "purpose": item.purpose,
        "description": item.description,
    }
    form = PaymentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attachments = data.pop("attachments")
        try:
            edit_payment(
                actor=user,
                payment_id=item.pk,
                details=PaymentDetails(**data),
                attachments=attachments,
                expected_version=int(request.POST.get("version", "0") or 0) or None,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The request is changed; earlier reviews no longer count."))
            return redirect("funds:payment", item.case_id, item.pk)
    return render(
        request,
        "funds/payment_form.html",
        {"case": item.case, "form": form, "payment": item, "view": account_view(item.case)},
    )


@login_required
@require_POST
def decide(request: HttpRequest, case_id: uuid.UUID, payment_id: uuid.UUID) -> HttpResponse:
    """One button per decision: review (forward / return), approval (approve / reject / return), withdraw."""
    user = signed_in_user(request)
    item = _payment(request, case_id, payment_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; try again."))
        return redirect("funds:payment", item.case_id, item.pk)
    data = form.cleaned_data
    step = request.POST.get("step", "")
    try:
        if step == "review":
            review_payment(
                actor=user,
                payment_id=item.pk,
                decision=data["decision"],
                note=data["note"],
                expected_version=data["version"],
            )
        elif step == "approval":
            decide_payment(
                actor=user,
                payment_id=item.pk,
                decision=data["decision"],
                note=data["note"],
                expected_version=data["version"],
            )
        elif step == "panel":
            decide_payment(
                actor=user,
                payment_id=item.pk,
                decision=data["decision"],
                note=data["note"],
                expected_version=data["version"],
                for_panel=True,
            )
        elif step == "withdraw":
            withdraw_payment(actor=user, payment_id=item.pk, expected_version=data["version"])
        else:
            raise DomainError(_("Unknown step"), field="step")
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Recorded."))
    return redirect("funds:payment", item.case_id, item.pk)


@login_required
@require_POST
def resolve(request: HttpRequest, case_id: uuid.UUID, alert_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    try:
        resolve_alert(actor=signed_in_user(request), alert_id=alert_id)
    except DomainError as exc:
        raise_if_access_error(exc)
        raise Forbidden(exc.message) from exc
    return redirect("funds:overview", case.pk)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The court's queue: over-limit requests waiting for this assistant's review or this judge's approval."""
    user = signed_in_user(request)
    if not user.is_court_staff:
        raise Forbidden(_("Only court staff have a payment queue"))
    return render(request, "funds/queue.html", {"payments": court_queue(user)[:200]})
