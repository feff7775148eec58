"""Pages of the application intake: the filing clerk's intake screen (company look-up as you type, with its
registry data and its pending and enforcement cases, and the registration form), the judge's review page
with the ruling form, and the appointment of the administrator on the accepted case. Glue only: the rules
live in ``acceptance`` and in the administrators app."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.accounts.web import signed_in_user
from smartcourt.administrators.choices import AppointmentMethod, Grade
from smartcourt.administrators.selectors import appointment_of, roster_entries
from smartcourt.bankruptcy.acceptance import (
    ALLOWED_APPLICANTS,
    MAX_DUPLICATE_REASON,
    ApplicantType,
    Decision,
    application_of,
    appoint_administrator_for_case,
    company_cases,
    intake_lookup,
    register_application,
    rule_on_application,
)
from smartcourt.bankruptcy.choices import Procedure
from smartcourt.cases.choices import CaseStatus, PartyKind
from smartcourt.cases.models import Case
from smartcourt.cases.policies import is_judge_of
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import DomainError
from smartcourt.core.htmx import HtmxHttpRequest
from smartcourt.core.web import form_error
from smartcourt.registry.client import Company, RegistryUnavailable, get_registry

MAX_QUERY = 100


class _DateInput(forms.DateInput):
    input_type = "date"


class RegistrationForm(forms.Form):
    credit_code = forms.CharField(max_length=18, widget=forms.HiddenInput)
    procedure = forms.ChoiceField(
        label=gettext_lazy("Procedure applied for"),
        choices=[(value, label) for value, label in Procedure.choices if value in ALLOWED_APPLICANTS],
    )
    applicant_type = forms.ChoiceField(label=gettext_lazy("Applicant"), choices=ApplicantType.choices)
    applicant_kind = forms.ChoiceField(
        label=gettext_lazy("The applicant is"), choices=PartyKind.choices, initial=PartyKind.ORGANISATION
    )
    applicant_name = forms.CharField(label=gettext_lazy("Applicant's name"), max_length=200, required=False)
    applicant_id_number = forms.CharField(label=gettext_lazy("Identity number"), max_length=18, required=False)
    applicant_credit_code = forms.CharField(
        label=gettext_lazy("Unified social credit code"), max_length=18, required=False
    )
    filed_on = forms.DateField(label=gettext_lazy("Date received"), widget=_DateInput())
    presiding_judge = forms.ModelChoiceField(
        label=gettext_lazy("Presiding judge"), queryset=User.objects.none(), empty_label=None
    )
    # Only when the company already has an open bankruptcy or liquidation case (the action decides).
    duplicate_reason = forms.CharField(
        label=gettext_lazy("Why a further application is registered"),
        required=False,
        max_length=MAX_DUPLICATE_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, court: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presiding_judge"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            role=Role.JUDGE, organisation=court, is_active=True
        ).order_by("full_name")


class RulingForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision on the application"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    ruled_on = forms.DateField(label=gettext_lazy("Date of the ruling"), widget=_DateInput())


class AppointmentForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Method"), choices=AppointmentMethod.choices, widget=forms.RadioSelect
    )
    firm = forms.ModelChoiceField(
        label=gettext_lazy("Firm (the judge's choice)"), queryset=Organisation.objects.none(), required=False
    )
    grade = forms.ChoiceField(
        label=gettext_lazy("Required grade (rotation and draw)"),
        choices=[("", gettext_lazy("Any grade")), *Grade.choices],
        required=False,
    )
    seed = forms.CharField(
        label=gettext_lazy("Seed of the draw (empty: 32 random bytes)"), max_length=200, required=False
    )
    appointed_on = forms.DateField(label=gettext_lazy("Date of the decision"), widget=_DateInput())

    def __init__(self, *args: Any, court: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        firms = roster_entries(court, active_only=True).values("firm_id")
        self.fields["firm"].queryset = Organisation.objects.filter(pk__in=firms).order_by("name")  # type: ignore[attr-defined]


def _court_staff(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not user.is_court_staff or user.organisation is None:
        raise Http404(_("No such page"))
    return user


# --- the intake screen ----------------------------------------------------------------------------------


def _registration_form(user: User, company: Company | None, data: Any = None) -> RegistrationForm | None:
    if user.role != Role.FILING_CLERK or company is None or company.deregistered:
        return None
    assert user.organisation is not None
    initial = {"credit_code": company.credit_code, "filed_on": timezone.localdate()}
    return RegistrationForm(data, court=user.organisation, initial=initial)


def _intake_page(
    request: HtmxHttpRequest, user: User, query: str, *, form: RegistrationForm | None = None, status: int = 200
) -> HttpResponse:
    result = intake_lookup(user, query)
    context = {
        "query": query,
        "result": result,
        "form": form if form is not None else _registration_form(user, result.company),
        "applicants_by_procedure": {key: sorted(value) for key, value in ALLOWED_APPLICANTS.items()},
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "bankruptcy/intake/intake.html#result", context, status=status)
    else:
        response = render(request, "bankruptcy/intake/intake.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def intake(request: HtmxHttpRequest) -> HttpResponse:
    user = _court_staff(request)
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    return _intake_page(request, user, query)


@login_required
@require_POST
def register(request: HtmxHttpRequest) -> HttpResponse:
    user = _court_staff(request)
    if user.role != Role.FILING_CLERK:
        raise Forbidden(_("Only a filing clerk of the court registers applications"))
    assert user.organisation is not None
    form = RegistrationForm(request.POST, court=user.organisation)
    query = request.POST.get("credit_code", "").strip()[:MAX_QUERY]
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = register_application(
                actor=user,
                procedure=data["procedure"],
                credit_code=data["credit_code"],
                applicant_type=data["applicant_type"],
                applicant_kind=data["applicant_kind"],
                applicant_name=data["applicant_name"],
                applicant_id_number=data["applicant_id_number"],
                applicant_credit_code=data["applicant_credit_code"],
                filed_on=data["filed_on"],
                presiding_judge_id=data["presiding_judge"].pk,
                duplicate_reason=data["duplicate_reason"],
            )
        except DomainError as exc:
            form_error(form, exc)
            status = exc.status if isinstance(exc, RegistryUnavailable) else 422
        else:
            messages.success(
                request,
                _("Registered as %(number)s; the judge rules on acceptance by %(date)s.")
                % {"number": case.number, "date": application_of(case).deadline().rule_by.isoformat()},
            )
            return redirect("intake:review", case_id=case.pk)
    return _intake_page(request, user, query, form=form, status=status)


# --- the review case and the ruling -------------------------------------------------------------------------


def _review_case(request: HttpRequest, case_id: uuid.UUID) -> tuple[User, Case]:
    user = _court_staff(request)
    case = get_case_for(user, case_id)
    application_of(case)
    return user, case


def _review_page(
    request: HttpRequest, user: User, case: Case, *, form: RulingForm | None = None, status: int = 200
) -> HttpResponse:
    application = application_of(case)
    company: Company | None = None
    unavailable: RegistryUnavailable | None = None
    if application.company.credit_code:
        try:
            company = get_registry().company(application.company.credit_code)
        except RegistryUnavailable as exc:
            unavailable = exc
    can_rule = is_judge_of(user, case) and case.status != CaseStatus.CLOSED
    context = {
        "case": case,
        "application": application,
        "deadline": application.deadline(),
        "company": company,
        "unavailable": unavailable,
        "cases": company_cases(
            user, credit_code=application.company.credit_code, name=application.company.name, exclude_case_id=case.pk
        ),
        "accepted": case.successors.order_by("created_at").first(),
        "form": (form or RulingForm(initial={"ruled_on": timezone.localdate()})) if can_rule else None,
    }
    return render(request, "bankruptcy/intake/review.html", context, status=status)


@login_required
@require_GET
def review(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user, case = _review_case(request, case_id)
    return _review_page(request, user, case)


@login_required
@require_POST
def rule(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user, case = _review_case(request, case_id)
    form = RulingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ruling = rule_on_application(
                actor=user,
                case_id=case.pk,
                decision=data["decision"],
                reasons=data["reasons"],
                ruled_on=data["ruled_on"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            if ruling.accepted is not None:
                messages.success(
                    request,
                    _("Accepted: %(number)s is open. Appoint the administrator now (EBL art. 13).")
                    % {"number": ruling.accepted.number},
                )
                return redirect("intake:appoint", case_id=ruling.accepted.pk)
            messages.success(
                request, _("The application is not accepted; %(number)s is closed.") % {"number": case.number}
            )
            return redirect("intake:review", case_id=case.pk)
    case.refresh_from_db()
    return _review_page(request, user, case, form=form, status=422)


# --- the appointment of the administrator -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def appoint(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = get_case_for(user, case_id)
    existing = appointment_of(case.pk)
    if existing is not None:
        return redirect("administrators:appointment", appointment_id=existing.pk)
    if not is_judge_of(user, case):
        raise Forbidden(_("Only a judge sitting on the case appoints its administrator"))
    today = timezone.localdate()
    status = 200
    if request.method == "POST":
        form = AppointmentForm(request.POST, court=case.court)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = appoint_administrator_for_case(
                    actor=user,
                    case_id=case.pk,
                    method=data["method"],
                    firm_id=data["firm"].pk
                    if data["firm"] and data["method"] == AppointmentMethod.JUDGE_CHOICE
                    else None,
                    grade=data["grade"] or None,
                    seed=data["seed"] or None,
                    appointed_on=data["appointed_on"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("%(firm)s is appointed administrator.") % {"firm": appointment.firm.name})
                return redirect("administrators:appointment", appointment_id=appointment.pk)
        status = 422
    else:
        form = AppointmentForm(
            court=case.court, initial={"method": AppointmentMethod.RANDOM_DRAW, "appointed_on": today}
        )
    context = {"case": case, "form": form, "roster": roster_entries(case.court, active_only=True)}
    return render(request, "bankruptcy/intake/appoint.html", context, status=status)
