"""The fee's page: the fee with its calculation, payments, refunds and relief applications, and the actions
of whoever may take them (the payer applies for relief and confirms the refund account; a clerk of the court
works out a refund; the presiding judge decides relief and approves refunds). Glue only."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.accounts.web import signed_in_user
from smartcourt.cases.selectors import cases_visible_to
from smartcourt.core.errors import DomainError
from smartcourt.core.web import perform
from smartcourt.fees import actions
from smartcourt.fees.choices import RefundReason, ReliefKind
from smartcourt.rules.litigation_fees.calculator import amount_to_fen


@login_required
@require_GET
def fee_page(request: HttpRequest, fee_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    fee = actions.get_fee_for(user, fee_id)  # NotFound: DomainErrorMiddleware answers 404
    context = {
        "fee": fee,
        "payments": fee.payments.order_by("paid_at"),
        "refunds": fee.refunds.order_by("created_at"),
        "reliefs": fee.reliefs.order_by("created_at"),
        "is_payer": fee.payer_user_id == user.pk,
        "is_judge": user.role == Role.JUDGE and fee.case.presiding_judge_id == user.pk,
        "is_staff": user.is_court_staff and user.organisation_id == fee.case.court_id,
        "relief_kinds": ReliefKind.choices,
        "refund_reasons": RefundReason.choices,
        # Back to the case, for whoever may open it (the payer is on the case unless a clerk filed for him).
        "case_visible": cases_visible_to(user).filter(pk=fee.case_id).exists(),
    }
    return render(request, "fees/fee.html", context)


def _act(request: HttpRequest, fee_id: uuid.UUID, run: Callable[[User], object], done: str) -> HttpResponse:
    user = signed_in_user(request)
    actions.get_fee_for(user, fee_id)
    perform(request, lambda: run(user), done)
    return redirect("fees:fee", fee_id=fee_id)


@login_required
@require_POST
def apply_relief(request: HttpRequest, fee_id: uuid.UUID) -> HttpResponse:
    kind, reasons = request.POST.get("kind", ""), request.POST.get("reasons", "")
    return _act(
        request,
        fee_id,
        lambda u: actions.apply_for_relief(actor=u, fee_id=fee_id, kind=kind, reasons=reasons),
        _("Application sent to the judge."),
    )


@login_required
@require_POST
def decide_relief(request: HttpRequest, fee_id: uuid.UUID, relief_id: uuid.UUID) -> HttpResponse:
    grant = request.POST.get("decision") == "grant"
    note = request.POST.get("note", "")

    def run(user: User) -> object:
        reduced = amount_to_fen(request.POST.get("reduced_to", "").strip() or None, field="reduced_to")
        raw_until = request.POST.get("deferred_until", "").strip()
        try:
            until = dt.date.fromisoformat(raw_until) if raw_until else None
        except ValueError as exc:
            raise DomainError(_("Give the new last day as a date"), field="deferred_until") from exc
        return actions.decide_relief(
            actor=user, relief_id=relief_id, grant=grant, note=note, reduced_to_fen=reduced, deferred_until=until
        )

    return _act(request, fee_id, run, _("Decision recorded."))


@login_required
@require_POST
def request_refund(request: HttpRequest, fee_id: uuid.UUID) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _act(
        request,
        fee_id,
        lambda u: actions.request_refund(actor=u, fee_id=fee_id, reason=reason),
        _("Refund worked out; it awaits the payer's confirmation and the judge's approval."),
    )


@login_required
@require_POST
def confirm_refund(request: HttpRequest, fee_id: uuid.UUID, refund_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        fee_id,
        lambda u: actions.confirm_refund_account(actor=u, refund_id=refund_id),
        _("Account confirmed."),
    )


@login_required
@require_POST
def approve_refund(request: HttpRequest, fee_id: uuid.UUID, refund_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        fee_id,
        lambda u: actions.approve_refund(actor=u, refund_id=refund_id),
        _("Refund approved; it is paid back to the account that paid."),
    )
