"""Claims pages: the case's claims, declaration, a claim with its review and objection forms, the claims
table and its xlsx, list import, the court's ruling, a creditor's tracker. Glue only."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from smartcourt.accounts.backends import BACKEND_PATH
from smartcourt.accounts.web import signed_in_user
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import cases_visible_to, get_case_for
from smartcourt.claims import policies
from smartcourt.claims.actions import (
    Declaration,
    ImportRefused,
    Registration,
    ReviewDecision,
    answer_employee_objection,
    check_power_of_attorney,
    confirm_undisputed,
    declare_claim,
    import_creditor_list,
    join_case_to_declare,
    link_employee_line,
    may_act_for_creditor,
    object_to_claim,
    object_to_employee_line,
    publish_employee_list,
    register_creditor,
    request_phone_code,
    request_table_signature,
    resolve_objection,
    review_batch,
    review_claim,
    take_over_member_claims,
)
from smartcourt.claims.choices import OBJECTABLE, ClaimStatus, EmployeeObjectionStatus, PowerOfAttorneyStatus
from smartcourt.claims.forms import (
    DeclarationForm,
    EmployeeAnswerForm,
    EmployeeObjectionForm,
    ImportForm,
    LinkLineForm,
    ObjectionForm,
    PhoneForm,
    PowerOfAttorneyForm,
    RegistrationForm,
    ResolutionForm,
    ReviewForm,
    RulingForm,
)
from smartcourt.claims.models import Claim
from smartcourt.claims.selectors import (
    claim_deadlines,
    claim_documents,
    claims_of_case,
    claims_table,
    employee_lines_for,
    employee_objections,
    get_claim_document_for,
    get_claim_for,
    get_signed_table,
    known_creditor_records,
    latest_publication,
    lead_debtor_name,
    listed_entry_for,
    open_for_declaration,
    signed_tables,
    table_rows,
    tracker_for,
)
from smartcourt.core.errors import DomainError, PermissionDenied
from smartcourt.core.money import fen_to_yuan
from smartcourt.core.web import form_error, refused
from smartcourt.services.errors import ServiceError

PAGE_SIZE = 50
REVIEWABLE = frozenset({ClaimStatus.DECLARED, ClaimStatus.UNDER_REVIEW, ClaimStatus.PENDING})


def _case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    user = signed_in_user(request)
    case = get_case_for(user, case_id)
    if not policies.can_inspect_claims(user, case):
        raise Http404(_("No such case"))
    return case


def _claim(request: HttpRequest, case_id: uuid.UUID, claim_id: uuid.UUID) -> Claim:
    return get_claim_for(signed_in_user(request), claim_id, case_id=case_id)


@login_required
def claim_list(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = _case(request, case_id)
    query = request.GET.get("q", "").strip()
    claims = claims_of_case(user, case)
    if query:
        claims = claims.filter(creditor__name__icontains=query)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "case": case,
        "page": page,
        "query": query,
        "can_declare": policies.can_declare(user, case),
        "can_review": policies.can_review(user, case),
        "can_rule": policies.can_rule(user, case),
        "ruling_form": RulingForm(initial={"ruled_on": timezone.localdate()}),
    }
    return render(request, "claims/claim_list.html", context)


@login_required
def declare(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = _case(request, case_id)
    if not policies.can_declare(user, case):
        raise Forbidden(_("Only a creditor or his agent declares a claim"))
    listed = listed_entry_for(user, case)
    status = 200
    if request.method == "POST":
        form = DeclarationForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            attachments = data.pop("attachments")
            power_of_attorney = data.pop("power_of_attorney")
            try:
                claim = declare_claim(
                    actor=user,
                    case_id=case.pk,
                    declaration=Declaration(
                        creditor_kind=data["creditor_kind"],
                        creditor_name=data["creditor_name"],
                        identifier=data["identifier"],
                        phone=data["phone"],
                        nature=data["nature"],
                        collateral=data["collateral"],
                        principal=data["principal"],
                        penalties=data["penalties"],
                        costs=data["costs"],
                        interest_from=data["interest_from"],
                        interest_rate_percent=data["interest_rate_percent"],
                        day_count=data["day_count"],
                        basis=data["basis"],
                        liability=data["liability"],
                        co_obligors=data["co_obligors"],
                    ),
                    attachments=attachments,
                    power_of_attorney=power_of_attorney,
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Claim declared; the receipt is in your documents."))
                return redirect("claims:detail", case_id=case.pk, claim_id=claim.pk)
        status = 422
    else:
        initial: dict[str, Any] = {"creditor_name": user.full_name, "phone": user.phone}
        if listed is not None:
            initial.update(
                creditor_kind=listed.kind,
                creditor_name=listed.name,
                nature=listed.listed_nature or "ordinary",
                principal=fen_to_yuan(listed.listed_principal_fen),
            )
        form = DeclarationForm(initial=initial)
    context = {"case": case, "form": form, "listed": listed}
    return render(request, "claims/declare.html", context, status=status)


def _detail(
    request: HttpRequest,
    claim: Claim,
    *,
    review_form: ReviewForm | None = None,
    objection_form: ObjectionForm | None = None,
    resolution_form: ResolutionForm | None = None,
    poa_form: PowerOfAttorneyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    can_resolve = policies.can_rule(user, claim.case) and claim.status == ClaimStatus.DISPUTED
    can_review = policies.can_review(user, claim.case) and claim.status in REVIEWABLE
    can_object = may_act_for_creditor(user, claim) and claim.status in OBJECTABLE
    can_check_poa = policies.can_review(user, claim.case) and claim.poa_status == PowerOfAttorneyStatus.PENDING
    if can_review and review_form is None:
        review_form = ReviewForm(
            initial={
                "version": claim.version,
                "nature": claim.nature,
                "principal": f"{claim.principal_fen / 100:.2f}",
                "interest": f"{claim.interest_fen / 100:.2f}",
                "penalties": f"{claim.penalties_fen / 100:.2f}",
                "costs": f"{claim.costs_fen / 100:.2f}",
            }
        )
    context = {
        "case": claim.case,
        "claim": claim,
        "reviews": claim.reviews.select_related("reviewer").order_by("reviewed_at"),
        "objections": claim.objections.order_by("created_at"),
        "documents": claim_documents(user, claim),
        "deadlines": claim_deadlines(claim, today=timezone.localdate()),
        "transitions": claim.transitions.select_related("actor").order_by("at"),
        "review_form": review_form if can_review and not can_check_poa else None,
        "poa_form": (poa_form or PowerOfAttorneyForm()) if can_check_poa else None,
        "objection_form": (objection_form or ObjectionForm()) if can_object else None,
        "resolution_form": (
            resolution_form or ResolutionForm(initial={"nature": claim.confirmed_nature or claim.nature})
        )
        if can_resolve
        else None,
    }
    return render(request, "claims/claim_detail.html", context, status=status)


@login_required
def claim_detail(request: HttpRequest, case_id: uuid.UUID, claim_id: uuid.UUID) -> HttpResponse:
    return _detail(request, _claim(request, case_id, claim_id))


@login_required
@require_POST
def review(request: HttpRequest, case_id: uuid.UUID, claim_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    claim = _claim(request, case_id, claim_id)
    if not policies.can_review(user, claim.case):
        raise Forbidden(_("Only the administrator appointed on this case reviews claims"))
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        decision = ReviewDecision(
            result=data["result"],
            nature=data["nature"],
            principal=data["principal"],
            interest=data["interest"],
            penalties=data["penalties"],
            costs=data["costs"],
            reasons={
                key: data[f"reason_{key}"]
                for key in ("principal", "interest", "penalties", "costs", "nature", "general")
            },
        )
        try:
            review_claim(actor=user, claim_id=claim.pk, decision=decision, expected_version=data["version"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Review recorded; the notice was served on the creditor."))
            return redirect("claims:detail", case_id=claim.case_id, claim_id=claim.pk)
    return _detail(request, claim, review_form=form, status=422)


@login_required
@require_POST
def object_view(request: HttpRequest, case_id: uuid.UUID, claim_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    claim = _claim(request, case_id, claim_id)
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            object_to_claim(
                actor=user,
                claim_id=claim.pk,
                reasons=form.cleaned_data["reasons"],
                claimed_total=form.cleaned_data["claimed_total"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Objection lodged."))
            return redirect("claims:detail", case_id=claim.case_id, claim_id=claim.pk)
    return _detail(request, claim, objection_form=form, status=422)


@login_required
@require_POST
def resolve(request: HttpRequest, case_id: uuid.UUID, claim_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    claim = _claim(request, case_id, claim_id)
    if not policies.can_rule(user, claim.case):
        raise Forbidden(_("Only a judge sitting on the case records the outcome of an objection"))
    objection = claim.objections.filter(status="open").order_by("created_at").first()
    if objection is None:
        raise Http404(_("No such objection"))
    form = ResolutionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            resolve_objection(
                actor=user,
                objection_id=objection.pk,
                basis=data["basis"],
                reference=data["reference"],
                resolved_on=data["resolved_on"],
                decision=ReviewDecision(
                    result="",
                    nature=data["nature"],
                    principal=data["principal"],
                    interest=data["interest"],
                    penalties=data["penalties"],
                    costs=data["costs"],
                ),
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Outcome recorded; the claims table follows it."))
            return redirect("claims:detail", case_id=claim.case_id, claim_id=claim.pk)
    return _detail(request, claim, resolution_form=form, status=422)


@login_required
@require_POST
def batch_review(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = _case(request, case_id)
    ids: list[uuid.UUID] = []
    for value in request.POST.getlist("claims"):
        try:
            ids.append(uuid.UUID(value))
        except ValueError as exc:
            raise Http404(_("No such claim")) from exc
    try:
        reviews = review_batch(actor=user, case_id=case.pk, claim_ids=ids, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("%(count)d claims confirmed.") % {"count": len(reviews)})
    return redirect("claims:list", case_id=case.pk)


@login_required
@require_POST
def confirm(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = _case(request, case_id)
    form = RulingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of the ruling."))
        return redirect("claims:list", case_id=case.pk)
    try:
        ruling = confirm_undisputed(actor=user, case_id=case.pk, ruled_on=form.cleaned_data["ruled_on"])
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(
            request, _("%(count)d undisputed claims confirmed by ruling.") % {"count": ruling.claims.count()}
        )
    return redirect("claims:table", case_id=case.pk)


@login_required
def table(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    query = request.GET.get("q", "")
    page = Paginator(table_rows(case, query=query), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "case": case,
        "summary": claims_table(case),
        "page": page,
        "query": query,
        "signed": signed_tables(case)[:5],
        "can_sign": policies.can_review(signed_in_user(request), case),
        # Merged bankruptcy: the combined table names the debtor that owed each claim.
        "lead_debtor": lead_debtor_name(case),
    }
    return render(request, "claims/table.html", context)


@login_required
@require_POST
def take_over(request: HttpRequest, case_id: uuid.UUID, member_case_id: uuid.UUID) -> HttpResponse:
    """Merged bankruptcy: the judge moves a consolidated debtor's own case's claims into this case and ends it."""
    try:
        done = take_over_member_claims(actor=signed_in_user(request), case_id=case_id, member_case_id=member_case_id)
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _("%(count)d claims of %(name)s moved into this case; its own case is closed.")
            % {"count": done.claims, "name": done.member.name},
        )
    return redirect(reverse("bankruptcy:case_nodes", args=[case_id]) + "#consolidation")


@login_required
@require_POST
def table_sign(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    try:
        signing = request_table_signature(actor=signed_in_user(request), case_id=case.pk)
    except DomainError as exc:
        refused(request, exc)
    else:
        if signing.table is not None:
            count = signing.table.claims
            messages.success(request, _("Claims table signed with the seal: %(count)d claims.") % {"count": count})
        else:
            messages.info(request, _("The table is large: it is being sealed now and appears here when ready."))
    return redirect("claims:table", case_id=case.pk)


@login_required
def table_pdf(request: HttpRequest, case_id: uuid.UUID, table_id: uuid.UUID) -> FileResponse:
    """A signed table, masked: open to whoever may inspect the table (art. 57)."""
    case = _case(request, case_id)
    signed = get_signed_table(case, table_id)
    response = FileResponse(
        default_storage.open(signed.entry.file.name, "rb"),
        as_attachment=True,
        filename=signed.entry.file_name or f"债权表-{case.number}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def import_list(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = _case(request, case_id)
    if not policies.can_review(user, case):
        raise Forbidden(_("Only the administrator appointed on this case imports creditor lists"))
    problems: list[Any] = []
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = import_creditor_list(
                    actor=user,
                    case_id=case.pk,
                    uploaded_file=form.cleaned_data["file"],
                    source=form.cleaned_data["source"],
                )
            except ImportRefused as exc:
                problems = exc.problems
                form.add_error("file", exc.message)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("%(count)d creditors imported.") % {"count": report.created})
                return redirect("claims:list", case_id=case.pk)
        status = 422
    else:
        form = ImportForm()
    return render(request, "claims/import.html", {"case": case, "form": form, "problems": problems}, status=status)


@login_required
def document(request: HttpRequest, case_id: uuid.UUID, claim_id: uuid.UUID, document_id: uuid.UUID) -> FileResponse:
    user = signed_in_user(request)
    claim = _claim(request, case_id, claim_id)
    item = get_claim_document_for(user, claim, document_id)
    entry = item.entry
    response = FileResponse(
        default_storage.open(entry.file.name, "rb"),
        as_attachment=True,
        filename=entry.file_name or entry.file.name.rsplit("/", 1)[-1],
        content_type=entry.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def tracker(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    today = timezone.localdate()
    items = [
        {"claim": claim, "deadlines": claim_deadlines(claim, today=today), "documents": claim_documents(user, claim)}
        for claim in tracker_for(user)[:200]
    ]
    return render(request, "claims/tracker.html", {"items": items})


# --- employee claims (art. 48) -------------------------------------------------------------------------------


def _employees_page(request: HttpRequest, case: Case, *, status: int = 200, **forms: Any) -> HttpResponse:
    user = signed_in_user(request)
    lines = employee_lines_for(user, case)
    is_admin = policies.can_review(user, case)
    objections = employee_objections(lines)
    context = {
        "case": case,
        "is_admin": is_admin,
        "publication": latest_publication(case),
        "page": Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": "",
        "objections": objections,
        "answer_forms": {
            o.pk: forms.get(f"answer_{o.pk}") or EmployeeAnswerForm(initial={"version": o.version})
            for o in objections
            if is_admin and o.status == EmployeeObjectionStatus.OPEN
        },
        "link_form": forms.get("link_form") or LinkLineForm(),
        "objection_form": forms.get("objection_form") or EmployeeObjectionForm(),
        "can_link": policies.can_declare(user, case),
    }
    return render(request, "claims/employees.html", context, status=status)


@login_required
def employees(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _employees_page(request, _case(request, case_id))


@login_required
@require_POST
def employees_publish(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    try:
        publish_employee_list(actor=signed_in_user(request), case_id=case.pk)
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The employee list is published."))
    return redirect("claims:employees", case_id=case.pk)


@login_required
@require_POST
def employees_link(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    form = LinkLineForm(request.POST)
    if form.is_valid():
        try:
            link_employee_line(
                actor=signed_in_user(request), case_id=case.pk, identifier=form.cleaned_data["identifier"]
            )
        except DomainError as exc:
            # An identifier that matches no line of the list is the form's error (NotFound included).
            if isinstance(exc, PermissionDenied):
                raise
            form.add_error("identifier", exc.message)
        else:
            return redirect("claims:employees", case_id=case.pk)
    return _employees_page(request, case, status=422, link_form=form)


@login_required
@require_POST
def employees_object(request: HttpRequest, case_id: uuid.UUID, creditor_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    form = EmployeeObjectionForm(request.POST)
    if form.is_valid():
        try:
            object_to_employee_line(
                actor=signed_in_user(request),
                creditor_id=creditor_id,
                reasons=form.cleaned_data["reasons"],
                claimed=form.cleaned_data["claimed"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Objection lodged."))
            return redirect("claims:employees", case_id=case.pk)
    return _employees_page(request, case, status=422, objection_form=form)


@login_required
@require_POST
def employees_answer(request: HttpRequest, case_id: uuid.UUID, objection_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    form = EmployeeAnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            answer_employee_objection(
                actor=signed_in_user(request),
                objection_id=objection_id,
                answer=data["answer"],
                corrected_wages=data["corrected_wages"],
                corrected_other=data["corrected_other"],
                expected_version=data["version"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Answer recorded and served."))
            return redirect("claims:employees", case_id=case.pk)
    return _employees_page(request, case, status=422, **{f"answer_{objection_id}": form})


# --- the agent's power of attorney, self-registration, the creditor portal -----------------------------------


@login_required
@require_POST
def check_poa(request: HttpRequest, case_id: uuid.UUID, claim_id: uuid.UUID) -> HttpResponse:
    claim = _claim(request, case_id, claim_id)
    form = PowerOfAttorneyForm(request.POST)
    if form.is_valid():
        try:
            check_power_of_attorney(
                actor=signed_in_user(request),
                claim_id=claim.pk,
                accepted=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Power of attorney checked."))
            return redirect("claims:detail", case_id=claim.case_id, claim_id=claim.pk)
    return _detail(request, claim, poa_form=form, status=422)


@sensitive_post_parameters("password", "code")
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    """Public: a creditor registers with his identity number or credit code and a phone confirmed by SMS.
    Step one sends the code; step two checks it and creates the account."""
    if request.user.is_authenticated:
        return redirect("claims:portal")
    phone_form = PhoneForm()
    form: RegistrationForm | None = None
    status = 200
    if request.method == "POST" and request.POST.get("step") == "code":
        phone_form = PhoneForm(request.POST)
        if phone_form.is_valid():
            try:
                challenge = request_phone_code(phone=phone_form.cleaned_data["phone"])
            except DomainError as exc:
                form_error(phone_form, exc)
                status = 429 if exc.code == ServiceError.RATE_LIMITED else 422
            else:
                form = RegistrationForm(initial={"phone": challenge.phone, "challenge": challenge.pk})
        else:
            status = 422
    elif request.method == "POST":
        form = RegistrationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = register_creditor(
                    registration=Registration(
                        kind=data["kind"],
                        identifier=data["identifier"],
                        full_name=data["full_name"],
                        phone=data["phone"],
                        username=data["username"],
                        password=data["password"],
                        email=data["email"] or "",
                    ),
                    challenge_id=data["challenge"],
                    code=data["code"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                login(request, user, backend=BACKEND_PATH)
                messages.success(request, _("Welcome. Your account is ready."))
                return redirect("claims:portal")
        status = 422
    return render(request, "claims/register.html", {"phone_form": phone_form, "form": form}, status=status)


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """The creditor's start page: the cases where a list names him, and the cases open for declaration."""
    user = signed_in_user(request)
    query = request.GET.get("q", "").strip()
    cases = open_for_declaration()
    if query:
        cases = cases.filter(Q(number__icontains=query) | Q(title__icontains=query))
    page = Paginator(cases, 20).get_page(request.GET.get("page"))
    member_of = set(cases_visible_to(user).filter(pk__in=[c.pk for c in page]).values_list("pk", flat=True))
    context = {
        "records": known_creditor_records(user)[:100],
        "page": page,
        "query": query,
        "member_of": member_of,
        "may_declare": user.role in policies.DECLARING_ROLES,
    }
    return render(request, "claims/portal.html", context)


@login_required
@require_POST
def join(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = join_case_to_declare(actor=signed_in_user(request), case_id=case_id)
    return redirect("claims:declare", case_id=case.pk)
