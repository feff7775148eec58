"""JSON API of the evaluation app, mounted by config/api.py at /api/v1/evaluation. Glue only."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import PermissionDenied
from smartcourt.core.schemas import ERRORS, MAX_OFFSET
from smartcourt.evaluation.actions import add_assessment, evaluate_firm, respond
from smartcourt.evaluation.models import Evaluation
from smartcourt.evaluation.schemas import EvaluationOut, NoteOut, TextIn
from smartcourt.evaluation.selectors import evaluations_visible_to, get_evaluation_for

router = Router(tags=["evaluation"])

MAX_LIST = 200


def _out(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "id": evaluation.pk,
        "court_id": evaluation.court_id,
        "firm_id": evaluation.firm_id,
        "firm": evaluation.firm.name,
        "formula_version": evaluation.formula.version,
        "score": str(evaluation.score),
        "suggested_grade": evaluation.suggested_grade,
        "computed_at": evaluation.computed_at,
        "measures": evaluation.measures,
        "cases": evaluation.cases,
    }


@router.get(
    "/evaluations",
    response={200: list[EvaluationOut], **ERRORS},
    summary="Evaluations: the court's (court staff) or the firm's own (its administrators), newest first",
    operation_id="list_evaluations",
)
def list_evaluations(request: HttpRequest, offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> list[dict[str, Any]]:
    rows = evaluations_visible_to(signed_in_user(request)).select_related("firm", "formula")[offset : offset + MAX_LIST]
    return [_out(evaluation) for evaluation in rows]


@router.get(
    "/evaluations/{evaluation_id}",
    response={200: EvaluationOut, **ERRORS},
    summary="One evaluation with its measures, the audit event numbers behind each, and its cases",
    operation_id="get_evaluation",
)
def get_evaluation(request: HttpRequest, evaluation_id: uuid.UUID) -> dict[str, Any]:
    return _out(get_evaluation_for(signed_in_user(request), evaluation_id))


@router.post(
    "/firms/{firm_id}/evaluate",
    response={201: EvaluationOut, **ERRORS},
    summary="Compute the firm's evaluation at the caller's court now (a judge or the court administrator)",
    operation_id="evaluate_firm",
)
def evaluate(request: HttpRequest, firm_id: uuid.UUID) -> Status[dict[str, Any]]:
    user = signed_in_user(request)
    if not user.is_court_staff or user.organisation_id is None:
        raise PermissionDenied("Only the court's judges and administrators evaluate administrators")
    evaluation = evaluate_firm(actor=user, court_id=user.organisation_id, firm_id=firm_id)
    return Status(201, _out(evaluation))


def _note(note: Any) -> dict[str, Any]:
    return {"id": note.pk, "evaluation_id": note.evaluation_id, "text": note.text, "created_at": note.created_at}


@router.post(
    "/evaluations/{evaluation_id}/assessments",
    response={201: NoteOut, **ERRORS},
    summary="A judge's reasoned assessment of an evaluation",
    operation_id="assess_evaluation",
)
def assess(request: HttpRequest, evaluation_id: uuid.UUID, payload: TextIn) -> Status[dict[str, Any]]:
    return Status(
        201, _note(add_assessment(actor=signed_in_user(request), evaluation_id=evaluation_id, text=payload.text))
    )


@router.post(
    "/evaluations/{evaluation_id}/responses",
    response={201: NoteOut, **ERRORS},
    summary="The evaluated firm's response",
    operation_id="respond_to_evaluation",
)
def response(request: HttpRequest, evaluation_id: uuid.UUID, payload: TextIn) -> Status[dict[str, Any]]:
    return Status(201, _note(respond(actor=signed_in_user(request), evaluation_id=evaluation_id, text=payload.text)))
