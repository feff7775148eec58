"""Evidence pages: the public verification page, deposits and receipts, and the log's page for court
administrators. Glue only."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcourt.accounts.models import User
from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import DomainError
from smartcourt.core.web import form_error, refused
from smartcourt.evidence.actions import add_witness, deposit_evidence, set_witness_active, sign_checkpoint_now
from smartcourt.evidence.forms import DepositForm, VerifyForm, WitnessForm
from smartcourt.evidence.hashing import HashedFile
from smartcourt.evidence.pdf import receipt_pdf
from smartcourt.evidence.policies import can_manage_log
from smartcourt.evidence.receipt_check import check_receipt, labelled
from smartcourt.evidence.receipts import deposit_receipt_for, dossier_receipt_for
from smartcourt.evidence.selectors import (
    alarms_for,
    checkpoint_note,
    deposits_of,
    latest_checkpoint,
    log_identity,
    recent_checkpoints,
    witnesses_for,
)
from smartcourt.evidence.verify import ReceiptError


def _verify_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("evidence:verify"))


def verify(request: HttpRequest) -> HttpResponse:
    """Public: anyone checks a receipt (and the file) against the court's key and today's log."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    report = receipt = error = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report, receipt = check_receipt(form.cleaned_data["receipt"], form.cleaned_data["file"])
            except (ReceiptError, DomainError) as exc:
                error = getattr(exc, "message", str(exc))
                status = 422
        else:
            status = 422
    latest = latest_checkpoint()
    context = {
        "form": form,
        "report": report,
        "checks": labelled(report) if report else [],
        "receipt": receipt,
        "error": error,
        # Only pre-fills the form's search box: a leaf hash has 64 hex digits, and nothing is stored.
        "leaf": request.GET.get("leaf", "")[:64],
        "log": log_identity(),
        "latest": latest,
    }
    return render(request, "evidence/verify.html", context, status=status)


@login_required
def deposits(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = DepositForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            hashed: HashedFile | None = form.cleaned_data["file"]
            try:
                deposit, _checkpoint = deposit_evidence(
                    actor=user,
                    sha256=hashed.sha256 if hashed else form.cleaned_data["sha256"],
                    file_name=hashed.name if hashed else "",
                    size=hashed.size if hashed else None,
                    title=form.cleaned_data["title"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Deposited as leaf %(index)d of the log. Keep the receipt.") % {"index": deposit.leaf_index},
                )
                return redirect(f"{reverse('evidence:deposits')}#deposit-{deposit.pk}")
        status = 422
    context = {"form": form, "deposits": deposits_of(user)[:100]}
    return render(request, "evidence/deposits.html", context, status=status)


def _receipt_response(request: HttpRequest, build: Callable[[], dict[str, Any]], name: str) -> HttpResponse:
    receipt = build()
    if request.GET.get("format") == "pdf":
        response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.pdf") or "attachment"
        return response
    response = JsonResponse(receipt, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.json") or "attachment"
    return response


@login_required
def deposit_receipt(request: HttpRequest, deposit_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    return _receipt_response(
        request,
        lambda: deposit_receipt_for(user, deposit_id, verify_url=_verify_url(request)),
        f"receipt-{deposit_id}",
    )


@login_required
def dossier_receipt(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    return _receipt_response(
        request,
        lambda: dossier_receipt_for(user, entry_id, verify_url=_verify_url(request)),
        f"receipt-dossier-{entry_id}",
    )


def _court_admin(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not can_manage_log(user):
        raise Http404
    return user


@login_required
def log_admin(request: HttpRequest) -> HttpResponse:
    user = _court_admin(request)
    checkpoints = recent_checkpoints()
    context = {
        "checkpoints": checkpoints,
        "latest_note": checkpoint_note(checkpoints[0]) if checkpoints else "",
        "witnesses": witnesses_for(user),
        "alarms": alarms_for(user)[:100],
        "witness_form": WitnessForm(),
        "log": log_identity(),
        "json": json,
    }
    return render(request, "evidence/log_admin.html", context)


@login_required
@require_POST
def sign_now(request: HttpRequest) -> HttpResponse:
    user = _court_admin(request)
    checkpoint = sign_checkpoint_now(actor=user)
    messages.success(request, _("Signed a checkpoint of %(size)d leaves.") % {"size": checkpoint.tree_size})
    return redirect("evidence:log_admin")


@login_required
@require_POST
def witness_add(request: HttpRequest) -> HttpResponse:
    user = _court_admin(request)
    form = WitnessForm(request.POST)
    if form.is_valid():
        try:
            witness = add_witness(actor=user, public_key=form.cleaned_data["public_key"])
        except DomainError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Witness %(name)s registered.") % {"name": witness.name})
    else:
        messages.error(request, _("Enter the witness's verifier key."))
    return redirect("evidence:log_admin")


@login_required
@require_POST
def witness_active(request: HttpRequest, witness_id: uuid.UUID) -> HttpResponse:
    user = _court_admin(request)
    active = request.POST.get("active") == "1"
    witness = set_witness_active(actor=user, witness_id=witness_id, active=active)
    if active:
        messages.success(request, _("Witness %(name)s is active again.") % {"name": witness.name})
    else:
        messages.success(request, _("Witness %(name)s is deactivated.") % {"name": witness.name})
    return redirect("evidence:log_admin")
