"""Pages of online filing: the applicant's filings and the guided form (phone and laptop), the filing's page
with where it stands, the fee and its payment; the filing clerks' queue and their decisions. Glue only."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import DomainError
from smartcourt.core.web import perform, raise_if_access_error, refused
from smartcourt.fees import actions as fee_actions
from smartcourt.fees.models import LitigationFee
from smartcourt.filing import actions
from smartcourt.filing.assignment import court_judges, verify_assignment
from smartcourt.filing.choices import EDITABLE, FilingStatus, MaterialKind
from smartcourt.filing.forms import DEFAULT_ROLES, PARTY_FIELDS, PARTY_ROWS, form_field, parse_filing, rows_sent
from smartcourt.filing.models import AssignmentRule, Filing, FilingMaterial, JudgeAssignment
from smartcourt.filing.selectors import clerk_queue, deadline_colour, get_filing_for, my_filings
from smartcourt.rules.causes import cause_list


def _filer(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if user.role not in (Role.PARTY, Role.FILING_CLERK):
        raise Forbidden(_("Only parties, lawyers and filing clerks file cases online"))
    return user


def _filing(user: User, filing_id: uuid.UUID) -> Filing:
    return get_filing_for(user, filing_id)


def _rows(filing: Filing | None, post: Any = None) -> list[dict[str, str]]:
    rows = []
    parties = list(filing.parties.all()) if filing is not None else []
    for index in range(PARTY_ROWS):
        if post is not None:
            row = {name: post.get(f"p{index}_{name}", "") for name in PARTY_FIELDS}
        elif index < len(parties):
            party = parties[index]
            row = {name: str(getattr(party, name)) for name in PARTY_FIELDS}
        else:
            row = dict.fromkeys(PARTY_FIELDS, "")
            row["role"], row["kind"] = DEFAULT_ROLES[index], "natural_person"
        row["index"] = str(index)
        rows.append(row)
    return rows


def _form_page(
    request: HttpRequest,
    *,
    filing: Filing | None,
    values: dict[str, Any] | None = None,
    error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    post = request.POST if values is not None else None
    if values is None:
        values = {
            "court": str(filing.court_id) if filing else str(user.organisation_id or _default_court_id()),
            "cause_code": filing.cause_code if filing else "",
            "claims": filing.claims if filing else "",
            "amount": _yuan_input(filing.amount_fen) if filing else "",
            "facts": filing.facts if filing else "",
            "consent_online": filing.consent_online if filing else False,
            "practice_number": filing.practice_number if filing else "",
            "on_behalf_of": filing.on_behalf_of if filing else "",
        }
    else:
        values = {**values, "court": values.get("court_id", ""), "amount": values.get("amount") or ""}
    context = {
        "filing": filing,
        "values": values,
        "rows": _rows(filing, post),
        "courts": Organisation.objects.filter(kind="court").order_by("court_code"),
        "causes": cause_list().causes,
        "error": error,
        "error_input": form_field(error.field, rows_sent(request.POST)) if error else None,
        "on_behalf": user.role == Role.FILING_CLERK,
    }
    return render(request, "filing/form.html", context, status=status)


def _default_court_id() -> str:
    court = Organisation.objects.filter(kind="court", court_code="苏0623").first()
    return str(court.pk) if court else ""


def _yuan_input(fen: int | None) -> str:
    if fen is None:
        return ""
    whole, cents = divmod(fen, 100)
    return f"{whole}.{cents:02d}"


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = _filer(request)
    return render(request, "filing/mine.html", {"filings": my_filings(user)})


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    user = _filer(request)
    if request.method == "GET":
        return _form_page(request, filing=None)
    values = parse_filing(request.POST)
    try:
        filing = actions.save_draft(actor=user, filing_id=None, **values)
        if request.POST.get("action") == "submit":
            filing = actions.submit(actor=user, filing_id=filing.pk)
            messages.success(request, _("Sent. The court has received your filing."))
            return redirect("filing:detail", filing_id=filing.pk)
    except DomainError as exc:
        raise_if_access_error(exc)
        return _form_page(request, filing=None, values=values, error=exc, status=422)
    messages.success(request, _("Draft saved. It is not sent to the court until you send it."))
    return redirect("filing:edit", filing_id=filing.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    user = _filer(request)
    filing = _filing(user, filing_id)
    if filing.filer_id != user.pk or filing.status not in EDITABLE:
        return redirect("filing:detail", filing_id=filing.pk)
    if request.method == "GET":
        return _form_page(request, filing=filing)
    values = parse_filing(request.POST)
    autosave = request.headers.get("HX-Request") == "true"
    try:
        actions.save_draft(actor=user, filing_id=filing.pk, **values)
        if request.POST.get("action") == "submit":
            actions.submit(actor=user, filing_id=filing.pk)
            messages.success(request, _("Sent. The court has received your filing."))
            return redirect("filing:detail", filing_id=filing.pk)
    except DomainError as exc:
        if autosave:
            return render(request, "filing/_save_state.html", {"error": exc, "when": None}, status=200)
        return _form_page(request, filing=filing, values=values, error=exc, status=422)
    if autosave:
        return render(request, "filing/_save_state.html", {"error": None, "when": timezone.localtime()})
    messages.success(request, _("Draft saved. It is not sent to the court until you send it."))
    return redirect("filing:edit", filing_id=filing.pk)


@login_required
@require_GET
def detail(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    filing = _filing(user, filing_id)
    fee = LitigationFee.objects.filter(case=filing.case).first() if filing.case_id else None
    # How the judge was assigned (rule or recorded draw, any override): the court's, not the applicant's.
    is_clerk = user.role == Role.FILING_CLERK and user.organisation_id == filing.court_id
    assignment = JudgeAssignment.objects.filter(filing=filing).first() if is_clerk else None
    judges = (
        User.objects.filter(role=Role.JUDGE, organisation_id=filing.court_id, is_active=True).order_by("full_name")
        if user.role == Role.FILING_CLERK
        else []
    )
    context = {
        "filing": filing,
        "fee": fee,
        "pay_url": fee_actions.pay_url(fee) if fee is not None and fee.notice_number else "",
        "changes": filing.status_changes.select_related("changed_by"),
        "is_clerk": is_clerk,
        "is_filer": filing.filer_id == user.pk,
        "judges": judges,
        "colour": deadline_colour(filing.decide_by)
        if filing.status in (FilingStatus.SUBMITTED, FilingStatus.UNDER_REVIEW)
        else None,
        "default_correction_due": timezone.localdate() + dt.timedelta(days=7),
        "statuses": FilingStatus,
        "assignment": assignment,
        "materials": filing.materials.order_by("created_at"),
        "material_kinds": MaterialKind.choices,
        "editable": filing.status in EDITABLE,
        "assignment_problems": verify_assignment(assignment) if assignment is not None else [],
    }
    return render(request, "filing/detail.html", context)


def _act(request: HttpRequest, filing_id: uuid.UUID, run: Any, done: str) -> HttpResponse:
    user = signed_in_user(request)
    _filing(user, filing_id)
    perform(request, lambda: run(user), done)
    return redirect("filing:detail", filing_id=filing_id)


@login_required
@require_POST
def withdraw(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    return _act(request, filing_id, lambda u: actions.withdraw(actor=u, filing_id=filing_id), _("Filing withdrawn."))


@login_required
@require_POST
def review(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    return _act(request, filing_id, lambda u: actions.start_review(actor=u, filing_id=filing_id), _("Review started."))


@login_required
@require_POST
def correction(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    items = request.POST.get("items", "").splitlines()
    try:
        due_on = dt.date.fromisoformat(request.POST.get("due_on", ""))
    except ValueError:
        messages.error(request, _("Give the deadline to correct as a date"))
        return redirect("filing:detail", filing_id=filing_id)
    return _act(
        request,
        filing_id,
        lambda u: actions.request_correction(actor=u, filing_id=filing_id, items=items, due_on=due_on),
        _("Correction requested: the applicant sees every item and the deadline."),
    )


@login_required
@require_POST
def reject(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _act(
        request,
        filing_id,
        lambda u: actions.rule_not_to_accept(actor=u, filing_id=filing_id, reason=reason),
        _("Ruled not to accept."),
    )


@login_required
@require_POST
def docket(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    judge = request.POST.get("presiding_judge", "") or None
    reason, seed = request.POST.get("override_reason", ""), request.POST.get("seed", "")
    return _act(
        request,
        filing_id,
        lambda u: actions.docket(
            actor=u, filing_id=filing_id, presiding_judge_id=judge, override_reason=reason, seed=seed
        ),
        _("Docketed: the case number is assigned and the notices are sealed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_rules(request: HttpRequest) -> HttpResponse:
    """The court's case assignment rules: the court administrator sets them, the filing clerks read them."""
    user = signed_in_user(request)
    if not user.is_court_staff or user.role not in (Role.COURT_ADMIN, Role.FILING_CLERK) or not user.organisation:
        raise Forbidden(_("The court administrator sets the court's assignment rules"))
    court = user.organisation
    error = None
    if request.method == "POST":
        try:
            actions.set_assignment_rule(
                actor=user,
                court_id=court.pk,
                cause_part=request.POST.get("cause_part", ""),
                judge_id=request.POST.get("judge", "") or None,
            )
        except DomainError as exc:
            raise_if_access_error(exc)
            error = exc
        else:
            messages.success(request, _("Rule saved."))
            return redirect("filing:assignment_rules")
    rules = {rule.cause_part: rule for rule in AssignmentRule.objects.filter(court=court).select_related("judge")}
    context = {
        "court": court,
        "rows": [(part, rules.get(part)) for part in cause_list().parts],
        "judges": court_judges(court),
        "can_edit": user.role == Role.COURT_ADMIN,
        "error": error,
    }
    return render(request, "filing/assignment_rules.html", context, status=422 if error else 200)


@login_required
@require_POST
def pay(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    filing = _filing(user, filing_id)
    fee = LitigationFee.objects.filter(case=filing.case).first() if filing.case_id else None
    if fee is None:
        raise Http404(_("No such fee"))
    back = request.build_absolute_uri(reverse("filing:detail", kwargs={"filing_id": filing.pk}))
    try:
        fee_actions.start_payment(actor=user, fee_id=fee.pk, return_url=back)
    except DomainError as exc:
        refused(request, exc)
        return redirect("filing:detail", filing_id=filing.pk)
    # Back to the filing's page, which links to the payment service: the pages' Content-Security-Policy
    # (form-action 'self') rightly stops a form from redirecting to another origin, a link may go there.
    messages.info(request, _("Your payment notice is ready: pay it on the payment service's page."))
    return redirect("filing:detail", filing_id=filing.pk)


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if user.role != Role.FILING_CLERK:
        raise Forbidden(_("Only the court's filing clerks review filings"))
    return render(request, "filing/queue.html", {"rows": clerk_queue(user), "today": timezone.localdate()})


@login_required
@require_POST
def upload_material(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach"))
        return redirect("filing:detail", filing_id=filing_id)
    kind, title = request.POST.get("kind", ""), request.POST.get("title", "")
    return _act(
        request,
        filing_id,
        lambda u: actions.add_material(actor=u, filing_id=filing_id, kind=kind, title=title, upload=upload),
        _("File attached."),
    )


@login_required
@require_POST
def remove_material(request: HttpRequest, filing_id: uuid.UUID, material_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        filing_id,
        lambda u: actions.remove_material(actor=u, material_id=material_id),
        _("File removed."),
    )


@login_required
@require_GET
def material_file(request: HttpRequest, filing_id: uuid.UUID, material_id: uuid.UUID) -> FileResponse:
    """The file as uploaded, for the applicant and the court's filing clerks (who may see the filing)."""
    filing = _filing(signed_in_user(request), filing_id)
    material = FilingMaterial.objects.filter(filing=filing, pk=material_id).first()
    if material is None:
        raise Http404(_("No such file"))
    response = FileResponse(
        default_storage.open(material.file.name, "rb"),
        as_attachment=True,
        filename=material.file_name,
        content_type=material.content_type,
    )
    # An uploaded file is never run as a page of this site, whatever it contains.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def generate_complaint(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        filing_id,
        lambda u: actions.generate_complaint(actor=u, filing_id=filing_id),
        _("The element-based complaint is generated from your answers and attached."),
    )
