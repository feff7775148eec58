"""Pages of the bankruptcy engine: the rule pack (public), the judges' supervision board and a case's node
timeline with the administrator's and the judge's actions. Glue only: parse, call one action or selector,
render or redirect."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcourt.accounts.models import User
from smartcourt.accounts.web import signed_in_user
from smartcourt.bankruptcy import actions
from smartcourt.bankruptcy.choices import ProceedingStatus
from smartcourt.bankruptcy.consolidation import (
    UNITING_PROCEDURES,
    consolidation_of,
    record_plan_structure,
    record_reconsideration_application,
    record_reconsideration_decision,
    record_ruling_service,
    rule_consolidation,
)
from smartcourt.bankruptcy.forms import (
    BoardFilterForm,
    ConsolidationForm,
    ConvertForm,
    DateForm,
    OutputForm,
    ReasonForm,
    ReconsiderationDecisionForm,
    ReconsiderationForm,
    ReturnForm,
    ServiceForm,
    VersionForm,
)
from smartcourt.bankruptcy.rulepack import PROCEDURE_DEFS
from smartcourt.bankruptcy.selectors import board_courts, board_for, proceeding_for
from smartcourt.cases.choices import CaseType
from smartcourt.cases.policies import is_appointed_administrator, is_judge_of
from smartcourt.core.errors import DomainError
from smartcourt.core.web import refused
from smartcourt.rules.deadlines import RULES_BY_KEY


def rulepack(request: HttpRequest) -> HttpResponse:
    """The rule pack as a page: one table per procedure. Public, like the statute it restates."""
    return render(request, "bankruptcy/rulepack.html", {"procedures": PROCEDURE_DEFS, "deadline_rules": RULES_BY_KEY})


@login_required
def board(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    courts = board_courts(user)
    form = BoardFilterForm(request.GET, courts=[(court.court_code, court.name) for court in courts])
    result = board_for(user, form.filters())
    return render(request, "bankruptcy/board.html", {"board": result, "form": form, "filters": form.filters()})


def _proceeding_page(request: HttpRequest, case_id: uuid.UUID, *, status: int = 200, **extra: object) -> HttpResponse:
    user = signed_in_user(request)
    view = proceeding_for(user, case_id)
    context = {
        "view": view,
        "date_form": DateForm(),
        "convert_form": ConvertForm(),
        # Merged bankruptcy (issue 15.20): the consolidated debtors, with their registry data and deregistration.
        "consolidation": consolidation_of(view.case),
        "can_consolidate": is_judge_of(user, view.case) and view.case.case_type == CaseType.BANKRUPTCY,
        "decision_form": ReconsiderationDecisionForm(),
        # A consolidated reorganisation or settlement: the administrator records the plan's structure.
        "can_record_structure": is_appointed_administrator(user, view.case)
        and view.proceeding.status == ProceedingStatus.OPEN
        and view.proceeding.branch in UNITING_PROCEDURES,
        **extra,
    }
    return render(request, "bankruptcy/case_nodes.html", context, status=status)


@login_required
@require_POST
def consolidate(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The judge rules that related debtors are consolidated into this case's proceeding (合并破产)."""
    form = ConsolidationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _proceeding_page(request, case_id, status=422, focus="consolidation")
    data = form.cleaned_data
    return _act(
        request,
        case_id,
        "consolidation",
        lambda user: rule_consolidation(
            actor=user,
            case_id=case_id,
            credit_codes=data["credit_codes"].replace("，", " ").replace(",", " ").split(),
            reasons=data["reasons"],
            ruled_on=data["ruled_on"],
        ),
        _("The related debtors are consolidated into this proceeding."),
    )


def _refused_form(request: HttpRequest, case_id: uuid.UUID, form: forms.Form) -> HttpResponse:
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _proceeding_page(request, case_id, status=422, focus="consolidation")


@login_required
@require_POST
def consolidation_served(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The judge records when the ruling to consolidate was served: the 15 days for reconsideration run."""
    form = ServiceForm(request.POST)
    if not form.is_valid():
        return _refused_form(request, case_id, form)
    served_on = form.cleaned_data["served_on"]
    return _act(
        request,
        case_id,
        "consolidation",
        lambda user: record_ruling_service(actor=user, case_id=case_id, served_on=served_on),
        _("The ruling's service is recorded."),
    )


@login_required
@require_POST
def reconsideration_applied(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    form = ReconsiderationForm(request.POST)
    if not form.is_valid():
        return _refused_form(request, case_id, form)
    data = form.cleaned_data
    return _act(
        request,
        case_id,
        "consolidation",
        lambda user: record_reconsideration_application(
            actor=user, case_id=case_id, applicant=data["applicant"], filed_on=data["filed_on"]
        ),
        _("The application for reconsideration is recorded."),
    )


@login_required
@require_POST
def reconsideration_decided(request: HttpRequest, case_id: uuid.UUID, reconsideration_id: uuid.UUID) -> HttpResponse:
    form = ReconsiderationDecisionForm(request.POST)
    if not form.is_valid():
        return _refused_form(request, case_id, form)
    data = form.cleaned_data
    return _act(
        request,
        case_id,
        "consolidation",
        lambda user: record_reconsideration_decision(
            actor=user,
            case_id=case_id,
            reconsideration_id=reconsideration_id,
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            reference=data["reference"],
        ),
        _("The higher court's decision is recorded."),
    )


@login_required
@require_POST
def plan_structure(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The administrator records what the one plan does with each consolidated debtor (Minutes para. 37)."""
    survivor = request.POST.get("survivor", "")[:40]
    separate = [code[:40] for code in request.POST.getlist("separate")[:50]]
    return _act(
        request,
        case_id,
        "consolidation",
        lambda user: record_plan_structure(actor=user, case_id=case_id, survivor=survivor, separate=separate),
        _("The plan's structure is recorded."),
    )


@login_required
def case_nodes(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _proceeding_page(request, case_id)


def _act(
    request: HttpRequest, case_id: uuid.UUID, anchor: str, act: Callable[[User], object], done: str
) -> HttpResponse:
    """Run one action for the signed-in user; a refusal is shown on the page, a hidden case is a 404."""
    user = signed_in_user(request)
    try:
        act(user)
    except DomainError as exc:
        refused(request, exc)
        # The page again, with the refusal and the status code an API client would get.
        return _proceeding_page(request, case_id, status=exc.status, focus=anchor)
    messages.success(request, done)
    return HttpResponseRedirect(f"{reverse('bankruptcy:case_nodes', args=[case_id])}#{anchor}")


def _version(request: HttpRequest) -> int | None:
    form = VersionForm(request.POST)
    return form.cleaned_data.get("version") if form.is_valid() else None


@login_required
@require_POST
def start_node(request: HttpRequest, case_id: uuid.UUID, key: str) -> HttpResponse:
    version = _version(request)
    return _act(
        request,
        case_id,
        f"node-{key}",
        lambda user: actions.start_node(actor=user, case_id=case_id, node_key=key, expected_version=version),
        _("%(node)s started.") % {"node": key},
    )


@login_required
@require_POST
def provide_output(request: HttpRequest, case_id: uuid.UUID, key: str) -> HttpResponse:
    form = OutputForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the output and give a value or a file."))
        return _proceeding_page(request, case_id, status=422, focus=f"node-{key}")
    data = form.cleaned_data
    upload = data.get("file")
    value = data.get("value") if upload is None else None
    return _act(
        request,
        case_id,
        f"node-{key}",
        lambda user: actions.provide_output(
            actor=user, case_id=case_id, node_key=key, output_key=data["output_key"], upload=upload, value=value
        ),
        _("Output provided for %(node)s.") % {"node": key},
    )


@login_required
@require_POST
def complete_node(request: HttpRequest, case_id: uuid.UUID, key: str) -> HttpResponse:
    version = _version(request)
    return _act(
        request,
        case_id,
        f"node-{key}",
        lambda user: actions.complete_node(actor=user, case_id=case_id, node_key=key, expected_version=version),
        _("%(node)s completed.") % {"node": key},
    )


@login_required
@require_POST
def confirm_node(request: HttpRequest, case_id: uuid.UUID, key: str) -> HttpResponse:
    version = _version(request)
    return _act(
        request,
        case_id,
        f"node-{key}",
        lambda user: actions.confirm_node(actor=user, case_id=case_id, node_key=key, expected_version=version),
        _("%(node)s confirmed.") % {"node": key},
    )


@login_required
@require_POST
def return_node(request: HttpRequest, case_id: uuid.UUID, key: str) -> HttpResponse:
    form = ReturnForm(request.POST)
    reasons = form.cleaned_data["reasons"] if form.is_valid() else ""
    version = form.cleaned_data.get("version") if form.is_valid() else None
    return _act(
        request,
        case_id,
        f"node-{key}",
        lambda user: actions.return_node(
            actor=user, case_id=case_id, node_key=key, reasons=reasons, expected_version=version
        ),
        _("%(node)s returned to the administrator.") % {"node": key},
    )


@login_required
@require_POST
def extend_deadline(request: HttpRequest, case_id: uuid.UUID, key: str) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        case_id,
        f"node-{key}",
        lambda user: actions.extend_deadline(actor=user, case_id=case_id, node_key=key, reason=reason),
        _("Deadline of %(node)s extended.") % {"node": key},
    )


@login_required
@require_POST
def set_date(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    form = DateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a date and give it as YYYY-MM-DD."))
        return _proceeding_page(request, case_id, status=422, date_form=form, focus="dates")
    data = form.cleaned_data
    return _act(
        request,
        case_id,
        "dates",
        lambda user: actions.set_anchor_date(actor=user, case_id=case_id, name=data["name"], value=data["value"]),
        _("Date saved; the open deadlines were recomputed."),
    )


@login_required
@require_POST
def convert(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    form = ConvertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of the declaration and the grounds."))
        return _proceeding_page(request, case_id, status=422, convert_form=form, focus="convert")
    data = form.cleaned_data
    return _act(
        request,
        case_id,
        "node-N10",
        lambda user: actions.convert_procedure(
            actor=user, case_id=case_id, declared_on=data["declared_on"], reason=data["reason"]
        ),
        _("The procedure was converted to liquidation at the declaration of bankruptcy."),
    )
