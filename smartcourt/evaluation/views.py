"""Evaluation pages: the roster's scores, one evaluation with the events behind each figure, the published
formula versions. Glue only: parse, authorise, call one action or selector, render."""

from __future__ import annotations

import json
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
from smartcourt.core.errors import DomainError
from smartcourt.core.web import refused
from smartcourt.evaluation import policies
from smartcourt.evaluation.actions import (
    add_assessment,
    apply_draw_weight,
    apply_suggested_grade,
    current_formula,
    draw_weight_for,
    evaluate_firm,
    publish_formula,
    respond,
)
from smartcourt.evaluation.choices import Measure
from smartcourt.evaluation.forms import FormulaForm, TextForm
from smartcourt.evaluation.models import Evaluation
from smartcourt.evaluation.selectors import (
    case_rows,
    events_behind,
    firm_history,
    formulas_for,
    get_evaluation_for,
    measure_rows,
    roster_overview,
    weight_rows,
)


def _evaluation(request: HttpRequest, evaluation_id: uuid.UUID) -> Evaluation:
    return get_evaluation_for(signed_in_user(request), evaluation_id)


def _allowed_in(user: User) -> None:
    """Evaluations concern the court and the firms: nobody else has a page here."""
    if not (user.is_court_staff or user.role == "administrator"):
        raise Forbidden(_("Evaluations are for the court and the administrator firms"))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    _allowed_in(user)
    court_id = user.organisation_id if user.is_court_staff else None
    context = {
        "rows": roster_overview(user),
        "can_evaluate": court_id is not None and policies.can_evaluate(user, court_id),
    }
    return render(request, "evaluation/index.html", context)


@login_required
@require_POST
def evaluate(request: HttpRequest, firm_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    if not user.is_court_staff or user.organisation_id is None:
        raise Forbidden(_("Only the court's judges and administrators evaluate administrators"))
    evaluation = evaluate_firm(actor=user, court_id=user.organisation_id, firm_id=firm_id)
    messages.success(request, _("Evaluation computed: %(score)s") % {"score": evaluation.score})
    return redirect("evaluation:detail", evaluation.pk)


@login_required
def detail(request: HttpRequest, evaluation_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    evaluation = _evaluation(request, evaluation_id)
    columns, rows = case_rows(evaluation)
    context = {
        "evaluation": evaluation,
        "measures": measure_rows(evaluation),
        "columns": columns,
        "case_rows": rows,
        "history": firm_history(evaluation)[:20],
        "assessments": evaluation.assessments.select_related("author"),
        "responses": evaluation.responses.select_related("author"),
        "can_assess": policies.can_assess(user, evaluation),
        "can_respond": policies.can_respond(user, evaluation),
        "can_apply": policies.can_keep_formula(user, evaluation.court_id),
        "draw_weight": draw_weight_for(evaluation.score),
        "form": TextForm(),
    }
    return render(request, "evaluation/detail.html", context)


@login_required
def events(request: HttpRequest, evaluation_id: uuid.UUID, measure: str) -> HttpResponse:
    evaluation = _evaluation(request, evaluation_id)
    case_id = request.GET.get("case") or None
    rows, total = events_behind(evaluation, measure, case_id=case_id)
    number = next((row["number"] for row in evaluation.cases if row["case_id"] == case_id), "")
    context = {
        "evaluation": evaluation,
        "measure": Measure(measure),
        # The payload as the chain stores it (JSON), not as Python prints it.
        "events": [(event, json.dumps(event.after, ensure_ascii=False) if event.after else "") for event in rows],
        "total": total,
        "case_number": number,
    }
    return render(request, "evaluation/events.html", context)


def _post_text(request: HttpRequest, evaluation_id: uuid.UUID, *, assess: bool) -> HttpResponse:
    user = signed_in_user(request)
    evaluation = _evaluation(request, evaluation_id)
    allowed = policies.can_assess(user, evaluation) if assess else policies.can_respond(user, evaluation)
    if not allowed:
        raise Forbidden(_("You may not write on this evaluation"))
    form = TextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the text first"))
        return redirect("evaluation:detail", evaluation.pk)
    action = add_assessment if assess else respond
    try:
        action(actor=user, evaluation_id=evaluation.pk, text=form.cleaned_data["text"])
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Saved"))
    return redirect("evaluation:detail", evaluation.pk)


@login_required
@require_POST
def assess(request: HttpRequest, evaluation_id: uuid.UUID) -> HttpResponse:
    return _post_text(request, evaluation_id, assess=True)


@login_required
@require_POST
def respond_view(request: HttpRequest, evaluation_id: uuid.UUID) -> HttpResponse:
    return _post_text(request, evaluation_id, assess=False)


@login_required
@require_POST
def apply_grade(request: HttpRequest, evaluation_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    evaluation = _evaluation(request, evaluation_id)
    if not policies.can_keep_formula(user, evaluation.court_id):
        raise Forbidden(_("Only the court's administrators change roster grades"))
    try:
        entry = apply_suggested_grade(actor=user, evaluation_id=evaluation.pk)
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Roster grade set to %(grade)s") % {"grade": entry.get_grade_display()})
    return redirect("evaluation:detail", evaluation.pk)


@login_required
@require_POST
def apply_weight(request: HttpRequest, evaluation_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    evaluation = _evaluation(request, evaluation_id)
    if not policies.can_keep_formula(user, evaluation.court_id):
        raise Forbidden(_("Only the court's administrators change roster grades"))
    try:
        entry = apply_draw_weight(actor=user, evaluation_id=evaluation.pk)
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Draw weight set to %(weight)s") % {"weight": entry.draw_weight})
    return redirect("evaluation:detail", evaluation.pk)


@login_required
def formula(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    _allowed_in(user)
    formulas = list(formulas_for(user))
    can_publish = (
        user.is_court_staff
        and user.organisation_id is not None
        and policies.can_keep_formula(user, user.organisation_id)
    )
    form = None
    if can_publish and user.organisation is not None:
        latest = current_formula(user.organisation)
        weights = latest.weights if latest else {}
        initial = {"answer_within_hours": latest.answer_within_hours if latest else 72}
        form = FormulaForm(request.POST or None, initial=initial, initial_weights=weights)
        if request.method == "POST" and form.is_valid():
            try:
                publish_formula(
                    actor=user,
                    court=user.organisation,
                    weights=form.weights(),
                    answer_within_hours=form.cleaned_data["answer_within_hours"],
                    explanation=form.cleaned_data["explanation"],
                )
            except DomainError as exc:
                refused(request, exc)
            else:
                messages.success(request, _("A new formula version is published"))
                return redirect("evaluation:formula")
    elif request.method == "POST":
        raise Forbidden(_("Only the court's administrators publish its scoring formula"))
    context = {
        "formulas": [(f, weight_rows(f)) for f in formulas],
        "form": form,
    }
    return render(request, "evaluation/formula.html", context)
