"""Writes of the evaluation app: publishing a formula, computing an evaluation, a judge's assessment, the
firm's response, and applying a suggested grade to the roster. Each in one transaction with its audit event."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import Organisation, User
from smartcourt.administrators.actions import set_draw_weight, update_roster_entry
from smartcourt.administrators.models import RosterEntry
from smartcourt.audit.actions import record_event
from smartcourt.core.errors import DomainError, NotFound, PermissionDenied
from smartcourt.core.lookups import get_or_not_found
from smartcourt.evaluation import policies
from smartcourt.evaluation.formula import (
    DEFAULT_ANSWER_WITHIN_HOURS,
    DEFAULT_EXPLANATION,
    DEFAULT_GRADE_THRESHOLDS,
    DEFAULT_WEIGHTS,
    check_weights,
    score,
)
from smartcourt.evaluation.metrics import combine, firm_case_ids, measure_cases
from smartcourt.evaluation.models import Assessment, Evaluation, FirmResponse, Formula

TEXT_LIMIT = 5000
MIN_REASONS = 10


def _clean_text(text: str, *, field: str, minimum: int = 1) -> str:
    text = (text or "").strip()
    if len(text) < minimum:
        raise DomainError(_("Give reasons of at least %(n)s characters") % {"n": minimum}, field=field)
    if len(text) > TEXT_LIMIT:
        raise DomainError(_("At most %(n)s characters") % {"n": TEXT_LIMIT}, field=field)
    return text


@transaction.atomic
def publish_formula(
    *,
    actor: User | None,
    court: Organisation,
    weights: dict[str, Any],
    answer_within_hours: int,
    explanation: str,
    grade_thresholds: list[list[str]] | None = None,
) -> Formula:
    """Publish the next version of the court's formula. Earlier versions stay as they were, and every
    evaluation keeps pointing at the version it was computed with. ``actor`` None: the system's default."""
    if actor is not None and not policies.can_keep_formula(actor, court.pk):
        raise PermissionDenied(_("Only the court's administrators publish its scoring formula"))
    clean = check_weights(weights)
    if not 1 <= answer_within_hours <= 24 * 90:
        raise DomainError(_("The answer window must be between 1 hour and 90 days"), field="answer_within_hours")
    thresholds = grade_thresholds or DEFAULT_GRADE_THRESHOLDS
    explanation = _clean_text(explanation, field="explanation", minimum=MIN_REASONS)
    # Lock the court's formulas so two publications cannot take the same version (the constraint backs it).
    last = Formula.objects.select_for_update().filter(court=court).aggregate(v=Max("version"))["v"] or 0
    formula = Formula.objects.create(
        court=court,
        version=last + 1,
        weights=clean,
        answer_within_hours=answer_within_hours,
        grade_thresholds=thresholds,
        explanation=explanation,
        published_at=timezone.now(),
        published_by=actor,
    )
    record_event(
        actor=actor,
        action="evaluation.formula_published",
        obj=formula,
        after={
            "court": court.name,
            "version": formula.version,
            "weights": clean,
            "answer_within_hours": answer_within_hours,
            "grade_thresholds": thresholds,
        },
    )
    return formula


def current_formula(court: Organisation) -> Formula | None:
    return Formula.objects.filter(court=court).order_by("-version").first()


def ensure_formula(court: Organisation) -> Formula:
    """The court's latest formula; the default version 1 is published (by the system) if it has none."""
    formula = current_formula(court)
    if formula is not None:
        return formula
    return publish_formula(
        actor=None,
        court=court,
        weights=DEFAULT_WEIGHTS,
        answer_within_hours=DEFAULT_ANSWER_WITHIN_HOURS,
        explanation=DEFAULT_EXPLANATION,
    )


@transaction.atomic
def evaluate_firm(*, actor: User, court_id: uuid.UUID, firm_id: uuid.UUID) -> Evaluation:
    """Compute the firm's evaluation at the court now, under the court's current formula, and keep it."""
    if not policies.can_evaluate(actor, court_id):
        raise PermissionDenied(_("Only the court's judges and administrators evaluate administrators"))
    court = Organisation.objects.get(pk=court_id)
    firm = get_or_not_found(
        Organisation, _("No such firm on this court's roster"), pk=firm_id, roster_listings__court_id=court_id
    )
    formula = ensure_formula(court)
    per_case = measure_cases(firm_case_ids(court.pk, firm.pk), answer_within_hours=formula.answer_within_hours)
    figures = combine(per_case)
    scored = score(
        {key: figure.value for key, figure in figures.items()},
        weights=formula.weights,
        thresholds=formula.grade_thresholds,
        divisor=len(per_case) if formula.per_case else 1,
    )
    measures = {
        key: {**figure.as_json(), "deduction": str(scored.deductions.get(key, Decimal(0)))}
        for key, figure in figures.items()
    }
    cases = [
        {
            "case_id": str(measured.case_id),
            "number": measured.number,
            "measures": {key: figure.as_json() for key, figure in measured.figures.items() if figure.value},
        }
        for measured in per_case
    ]
    evaluation = Evaluation.objects.create(
        court=court,
        firm=firm,
        formula=formula,
        score=scored.score,
        suggested_grade=scored.grade,
        measures=measures,
        cases=cases,
        computed_at=timezone.now(),
        computed_by=actor,
    )
    record_event(
        actor=actor,
        action="evaluation.firm_evaluated",
        obj=evaluation,
        after={
            "firm": firm.name,
            "formula_version": formula.version,
            "score": str(scored.score),
            "suggested_grade": scored.grade,
            "cases": len(cases),
        },
    )
    return evaluation


def _evaluation(evaluation_id: uuid.UUID, *, actor: User) -> Evaluation:
    evaluation = get_or_not_found(
        Evaluation.objects.select_related("firm", "court"), _("No such evaluation"), pk=evaluation_id
    )
    if not policies.can_see(actor, evaluation):
        raise NotFound(_("No such evaluation"))
    return evaluation


@transaction.atomic
def add_assessment(*, actor: User, evaluation_id: uuid.UUID, text: str) -> Assessment:
    """A judge of the court adds a reasoned assessment to an evaluation."""
    evaluation = _evaluation(evaluation_id, actor=actor)
    if not policies.can_assess(actor, evaluation):
        raise PermissionDenied(_("Only the court's judges assess an administrator"))
    text = _clean_text(text, field="text", minimum=MIN_REASONS)
    assessment = Assessment.objects.create(evaluation=evaluation, author=actor, text=text, created_at=timezone.now())
    record_event(
        actor=actor,
        action="evaluation.assessment_added",
        obj=assessment,
        after={"evaluation": str(evaluation.pk), "firm": evaluation.firm.name, "text": text},
    )
    return assessment


@transaction.atomic
def respond(*, actor: User, evaluation_id: uuid.UUID, text: str) -> FirmResponse:
    """The evaluated firm answers its evaluation (and the assessments on it)."""
    evaluation = _evaluation(evaluation_id, actor=actor)
    if not policies.can_respond(actor, evaluation):
        raise PermissionDenied(_("Only the evaluated firm responds to its evaluation"))
    text = _clean_text(text, field="text")
    response = FirmResponse.objects.create(evaluation=evaluation, author=actor, text=text, created_at=timezone.now())
    record_event(
        actor=actor,
        action="evaluation.firm_responded",
        obj=response,
        after={"evaluation": str(evaluation.pk), "firm": evaluation.firm.name, "text": text},
    )
    return response


def draw_weight_for(score: Decimal) -> int:
    """Tickets in the roster's random draw for a score: 1 below 25, then one more per 25 points (100 gives 5)."""
    return 1 + int(score) // 25


@transaction.atomic
def apply_draw_weight(*, actor: User, evaluation_id: uuid.UUID) -> RosterEntry:
    """The court chooses to weight its draws by the evaluation: the firm's latest score sets its tickets in the
    roster's random draw (``draw_weight_for``), through the roster's own action, which records the change."""
    evaluation = _evaluation(evaluation_id, actor=actor)
    if not policies.can_keep_formula(actor, evaluation.court_id):
        raise PermissionDenied(_("Only the court's administrators change roster grades"))
    latest = Evaluation.objects.filter(court_id=evaluation.court_id, firm_id=evaluation.firm_id).first()
    if latest is None or latest.pk != evaluation.pk:
        raise DomainError(_("Only the firm's latest evaluation can set its draw weight"), field="evaluation")
    entry = get_or_not_found(
        RosterEntry, _("No such firm on this court's roster"), court_id=evaluation.court_id, firm_id=evaluation.firm_id
    )
    before = {"draw_weight": entry.draw_weight}
    weight = draw_weight_for(evaluation.score)
    reason = f"考评得分 {evaluation.score}（评分公式第 {evaluation.formula.version} 版）"
    entry = set_draw_weight(actor=actor, entry_id=entry.pk, weight=weight, reason=reason)
    record_event(
        actor=actor,
        action="evaluation.draw_weight_applied",
        obj=evaluation,
        before=before,
        after={"draw_weight": weight, "firm": evaluation.firm.name, "score": str(evaluation.score)},
    )
    return entry


@transaction.atomic
def apply_suggested_grade(*, actor: User, evaluation_id: uuid.UUID) -> RosterEntry:
    """The court chooses to let the evaluation set the firm's roster grade: the roster's own action does
    the change (and records it); this records that it came from the evaluation."""
    evaluation = _evaluation(evaluation_id, actor=actor)
    if not policies.can_keep_formula(actor, evaluation.court_id):
        raise PermissionDenied(_("Only the court's administrators change roster grades"))
    latest = Evaluation.objects.filter(court_id=evaluation.court_id, firm_id=evaluation.firm_id).first()
    if latest is None or latest.pk != evaluation.pk:
        raise DomainError(_("Only the firm's latest evaluation can set its grade"), field="evaluation")
    entry = get_or_not_found(
        RosterEntry, _("No such firm on this court's roster"), court_id=evaluation.court_id, firm_id=evaluation.firm_id
    )
    before = {"grade": entry.grade}
    entry = update_roster_entry(actor=actor, entry_id=entry.pk, grade=evaluation.suggested_grade, active=entry.active)
    record_event(
        actor=actor,
        action="evaluation.grade_applied",
        obj=evaluation,
        before=before,
        after={"grade": entry.grade, "firm": evaluation.firm.name, "score": str(evaluation.score)},
    )
    return entry
