"""Distribution pages: a case's plans and a new plan, a plan with its lines, reserves, ruling and batches,
the payment files, upload with its line-by-line report, and the judge's approval page. Glue only."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcourt.accounts.web import signed_in_user
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims.choices import ClaimNature
from smartcourt.core.errors import DomainError
from smartcourt.core.money import fen_to_yuan
from smartcourt.core.web import form_error, refused
from smartcourt.distributions import actions, policies
from smartcourt.distributions.choices import BatchStatus, PlanStatus
from smartcourt.distributions.export import template_xlsx
from smartcourt.distributions.forms import (
    AnnouncementForm,
    MeetingForm,
    PlanForm,
    RefuseForm,
    ReportForm,
    RulingForm,
    UploadForm,
)
from smartcourt.distributions.models import DistributionPlan, PaymentBatch
from smartcourt.distributions.payment_file_check import error_text
from smartcourt.distributions.selectors import (
    amounts_for_creditor,
    batch_lines,
    batches_of,
    claims_owed,
    compare_batch,
    fee_cap,
    get_batch_for,
    get_plan_for,
    line_totals,
    meeting_votes,
    plan_classes,
    plan_for_creditor,
    plan_lines,
    plans_of,
)
from smartcourt.funds.selectors import account_of as supervised_account

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINES_SHOWN = 500


def _case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    case = get_case_for(signed_in_user(request), case_id)
    if not policies.can_see_plans(signed_in_user(request), case):
        raise Http404(_("No such case"))
    return case


def _plan(request: HttpRequest, plan_id: uuid.UUID) -> DistributionPlan:
    return get_plan_for(signed_in_user(request), plan_id)


def _batch(request: HttpRequest, batch_id: uuid.UUID) -> PaymentBatch:
    return get_batch_for(signed_in_user(request), batch_id)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


@login_required
def case_plans(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = _case(request, case_id)
    can_prepare = policies.can_prepare(user, case)
    secured = [
        c
        for c in claims_owed(case)
        if (c.confirmed_nature or c.nature) == ClaimNature.SECURED
        and c.status in actions.CONFIRMED_STATES | actions.HELD_STATES
    ]
    balance = actions.available_from_ledger(case)
    forfeited = actions.forfeited_to_redistribute(case)
    if forfeited:
        initial = {
            "available": fen_to_yuan(forfeited),
            "available_basis": _(
                "Distributions forfeited as unclaimed (EBL art. 118) or held shares released (art. 119), "
                "shared among the other creditors"
            ),
        }
    elif balance:
        initial = {"available": fen_to_yuan(balance), "available_basis": _("Balance of the supervised account")}
    else:
        initial = {}
    form = PlanForm(secured=secured, initial=initial)
    status = 200
    if request.method == "POST":
        if not can_prepare:
            raise Forbidden(_("Only the administrator appointed on this case draws up the distribution plan"))
        form = PlanForm(request.POST, secured=secured)
        if form.is_valid():
            proceeds = form.collateral_proceeds()
            if form.is_valid():
                try:
                    plan = actions.create_plan(
                        actor=user,
                        case_id=case.pk,
                        plan_input=actions.PlanInput(
                            kind=form.cleaned_data["kind"],
                            available_fen=form.cleaned_data["available"],
                            available_basis=form.cleaned_data["available_basis"],
                            collateral_proceeds=proceeds,
                            expenses=[*form.cleaned_data["expenses"], *form.cleaned_data["common_benefit"]],
                            conditional_claim_numbers=frozenset(form.cleaned_data["conditional"]),
                        ),
                    )
                except DomainError as exc:
                    form_error(form, exc)
                else:
                    messages.success(request, _("Plan version %(n)d computed.") % {"n": plan.number})
                    return redirect("distributions:plan", plan_id=plan.pk)
        status = 422
    return render(
        request,
        "distributions/case_plans.html",
        {"case": case, "plans": plans_of(user, case), "form": form, "can_prepare": can_prepare},
        status=status,
    )


@login_required
def plan_summary(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    """What a creditor reads before the meeting votes on the plan: the classes, the administrator's fee cap and
    his own lines; not the other creditors' lines."""
    user = signed_in_user(request)
    plan = plan_for_creditor(user, plan_id)
    mine = [a for a in amounts_for_creditor(user).values() if a.plan_id == plan.pk]
    context = {"case": plan.case, "plan": plan, "classes": plan_classes(plan), "fee": fee_cap(plan), "mine": mine}
    return render(request, "distributions/plan_summary.html", context)


@login_required
def plan_detail(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    plan = _plan(request, plan_id)
    case = plan.case
    can_rule = policies.can_rule(user, case)
    return render(
        request,
        "distributions/plan.html",
        {
            "case": case,
            "plan": plan,
            "classes": plan_classes(plan),
            "lines": plan_lines(plan)[:LINES_SHOWN],
            "line_count": plan.lines.count(),
            "lines_shown": LINES_SHOWN,
            "fee": fee_cap(plan),
            "batches": batches_of(plan),
            "can_prepare": policies.can_prepare(user, case),
            "can_rule": can_rule,
            "meeting_form": MeetingForm() if can_rule and plan.status == PlanStatus.SUBMITTED else None,
            "meeting_votes": meeting_votes(case)
            if plan.status == PlanStatus.SUBMITTED and (can_rule or policies.can_prepare(user, case))
            else [],
            "ruling_form": RulingForm() if can_rule and plan.status == PlanStatus.APPROVED else None,
            "announce_form": AnnouncementForm()
            if policies.can_prepare(user, case) and plan.status == PlanStatus.RULED and plan.announced_on is None
            else None,
            "forfeiture_date": actions.forfeiture_date(plan.announced_on)
            if plan.announced_on and plan.kind == "final"
            else None,
        },
    )


def _plan_step(
    request: HttpRequest,
    plan_id: uuid.UUID,
    act: Callable[..., object],
    success: str,
    form_class: type[forms.Form] | None = None,
    **fields: object,
) -> HttpResponse:
    """One step of a plan from its page: check the form (if any), run the action, say how it went, back to
    the plan."""
    plan = _plan(request, plan_id)
    data: dict[str, object] = dict(fields)
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect("distributions:plan", plan_id=plan.pk)
        data.update(form.cleaned_data)
    try:
        act(actor=signed_in_user(request), plan_id=plan.pk, **data)
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, success)
    return redirect("distributions:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_submit(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    return _plan_step(request, plan_id, actions.submit_plan, _("Submitted to the creditors' meeting."))


@login_required
@require_POST
def plan_meeting(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    success = _("The meeting's resolution is recorded.")
    return _plan_step(request, plan_id, actions.record_meeting_resolution, success, MeetingForm)


@login_required
@require_POST
def plan_vote(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    item = request.POST.get("agenda_item", "")
    success = _("The meeting's vote is taken.")
    return _plan_step(request, plan_id, actions.adopt_meeting_vote, success, agenda_item_id=item)


@login_required
@require_POST
def plan_rule(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    return _plan_step(request, plan_id, actions.rule_on_plan, _("The court's ruling is recorded."), RulingForm)


@login_required
@require_POST
def plan_announce(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    success = _("The announcement is recorded.")
    return _plan_step(request, plan_id, actions.record_announcement, success, AnnouncementForm)


# The prefilled payment files of a ruled plan grow with the plan: they are built in the background worker
# (smartcourt.exports, kind payment_file_xlsx / payment_file_csv). The template is two fixed rows, answered here.
@login_required
def payments_template(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    _plan(request, plan_id)
    return _download(template_xlsx(), "分配付款清单模板.xlsx", XLSX)


def _read_upload(uploaded: Any) -> bytes:
    limit: int = settings.UPLOAD_MAX_BYTES
    buffer = bytearray()
    for chunk in uploaded.chunks():
        buffer.extend(chunk)
        if len(buffer) > limit:
            raise DomainError(_("The file is larger than %(limit)d bytes") % {"limit": limit}, field="file")
    return bytes(buffer)


@login_required
def upload(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    plan = _plan(request, plan_id)
    if not policies.can_prepare(user, plan.case):
        raise Forbidden(_("Only the administrator appointed on this case uploads payment files"))
    account = supervised_account(plan.case)
    form = UploadForm(
        initial={"paying_account": account.account_number, "paying_bank_name": account.bank_name} if account else {}
    )
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                uploaded = form.cleaned_data["file"]
                batch, created = actions.upload_batch(
                    actor=user,
                    plan_id=plan.pk,
                    filename=uploaded.name or "",
                    content=_read_upload(uploaded),
                    paying_account=form.cleaned_data["paying_account"],
                    paying_bank_name=form.cleaned_data["paying_bank_name"],
                    paying_bank_code=form.cleaned_data["paying_bank_code"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                if not created:
                    messages.info(request, _("This file was uploaded before; here is its batch."))
                return redirect("distributions:batch", batch_id=batch.pk)
        status = 422
    return render(request, "distributions/upload.html", {"case": plan.case, "plan": plan, "form": form}, status=status)


@login_required
def batch_detail(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    batch = _batch(request, batch_id)
    case = batch.plan.case
    lines = list(batch_lines(batch)[:LINES_SHOWN])
    for line in lines:
        line.messages = [(e.get("field", ""), error_text(e)) for e in line.errors]  # type: ignore[attr-defined]
    can_rule = policies.can_rule(user, case)
    return render(
        request,
        "distributions/batch.html",
        {
            "case": case,
            "plan": batch.plan,
            "batch": batch,
            "lines": lines,
            "lines_shown": LINES_SHOWN,
            "file_errors": [error_text(e) for e in batch.file_errors],
            "comparison": compare_batch(batch),
            "can_submit": policies.can_prepare(user, case) and batch.status == BatchStatus.CHECKED,
            "can_decide": can_rule and batch.status == BatchStatus.SUBMITTED and batch.uploaded_by_id != user.pk,
            "can_send": batch.status in (BatchStatus.APPROVED, BatchStatus.SENT)
            and (can_rule or policies.can_prepare(user, case)),
            "line_totals": line_totals(batch),
            "refuse_form": RefuseForm(),
            "can_report": policies.can_prepare(user, case)
            and batch.status == BatchStatus.COMPLETED
            and batch.report_entry_id is None,
            "report_form": ReportForm(),
        },
    )


@login_required
@require_POST
def batch_submit(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    batch = _batch(request, batch_id)
    try:
        actions.submit_batch(actor=signed_in_user(request), batch_id=batch.pk)
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Submitted to the judge for approval."))
    return redirect("distributions:batch", batch_id=batch.pk)


@login_required
@require_POST
def batch_approve(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    batch = _batch(request, batch_id)
    try:
        actions.approve_batch(actor=signed_in_user(request), batch_id=batch.pk)
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Approved. The bank file (pain.001) is generated and validated."))
    return redirect("distributions:batch", batch_id=batch.pk)


@login_required
@require_POST
def batch_refuse(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    batch = _batch(request, batch_id)
    try:
        actions.refuse_batch(actor=signed_in_user(request), batch_id=batch.pk, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The batch is refused."))
    return redirect("distributions:batch", batch_id=batch.pk)


@login_required
@require_POST
def batch_send(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    batch = _batch(request, batch_id)
    try:
        status = actions.send_batch(actor=signed_in_user(request), batch_id=batch.pk)
    except DomainError as exc:
        refused(request, exc)
    else:
        if status == BatchStatus.COMPLETED:
            messages.success(request, _("Sent; the bank answered every line."))
        else:
            messages.warning(request, _("Sent; the bank has not answered every line yet. Send again to ask."))
    return redirect("distributions:batch", batch_id=batch.pk)


@login_required
@require_POST
def batch_report(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    batch = _batch(request, batch_id)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("distributions:batch", batch_id=batch.pk)
    try:
        statement = form.cleaned_data.get("statement")
        actions.file_execution_report(
            actor=signed_in_user(request), batch_id=batch.pk, statement=_read_upload(statement) if statement else None
        )
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The execution report is filed into the dossier."))
    return redirect("distributions:batch", batch_id=batch.pk)


@login_required
def batch_pain001(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    batch = _batch(request, batch_id)
    if batch.pain001 is None:
        raise Http404(_("The bank file exists once the batch is approved"))
    return _download(bytes(batch.pain001), f"pain.001-{batch.pk.hex}.xml", "application/xml")
