"""JSON API of the evaluation app, mounted by config/api.py at /api/v1/evaluation. Glue only."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import PermissionDenied
from smartcourt.core.pagination import paginated
from smartcourt.core.schemas import ERRORS
from smartcourt.evaluation.actions import add_assessment, evaluate_firm, respond
from smartcourt.evaluation.models import Assessment, Evaluation, FirmResponse
from smartcourt.evaluation.schemas import EvaluationOut, NoteOut, TextIn
from smartcourt.evaluation.selectors import evaluations_visible_to, get_evaluation_for

router = Router(tags=["evaluation"])

MAX_LIST = 200


@router.get(
    "/evaluations",
    response={200: list[EvaluationOut], **ERRORS},
    summary="Evaluations: the court's (court staff) or the firm's own (its administrators), newest first",
    operation_id="list_evaluations",
)
@paginated(page_size=MAX_LIST)
def list_evaluations(request: HttpRequest) -> QuerySet[Evaluation]:
    return evaluations_visible_to(signed_in_user(request)).select_related("firm", "formula")


@router.get(
    "/evaluations/{evaluation_id}",
    response={200: EvaluationOut, **ERRORS},
    summary="One evaluation with its measures, the audit event numbers behind each, and its cases",
    operation_id="get_evaluation",
)
def get_evaluation(request: HttpRequest, evaluation_id: uuid.UUID) -> Evaluation:
    return get_evaluation_for(signed_in_user(request), evaluation_id)


@router.post(
    "/firms/{firm_id}/evaluate",
    response={201: EvaluationOut, **ERRORS},
    summary="Compute the firm's evaluation at the caller's court now (a judge or the court administrator)",
    operation_id="evaluate_firm",
)
def evaluate(request: HttpRequest, firm_id: uuid.UUID) -> Status[Evaluation]:
    user = signed_in_user(request)
    if not user.is_court_staff or user.organisation_id is None:
        raise PermissionDenied("Only the court's judges and administrators evaluate administrators")
    evaluation = evaluate_firm(actor=user, court_id=user.organisation_id, firm_id=firm_id)
    return Status(201, evaluation)


@router.post(
    "/evaluations/{evaluation_id}/assessments",
    response={201: NoteOut, **ERRORS},
    summary="A judge's reasoned assessment of an evaluation",
    operation_id="assess_evaluation",
)
def assess(request: HttpRequest, evaluation_id: uuid.UUID, payload: TextIn) -> Status[Assessment]:
    return Status(201, add_assessment(actor=signed_in_user(request), evaluation_id=evaluation_id, text=payload.text))


@router.post(
    "/evaluations/{evaluation_id}/responses",
    response={201: NoteOut, **ERRORS},
    summary="The evaluated firm's response",
    operation_id="respond_to_evaluation",
)
def response(request: HttpRequest, evaluation_id: uuid.UUID, payload: TextIn) -> Status[FirmResponse]:
    return Status(201, respond(actor=signed_in_user(request), evaluation_id=evaluation_id, text=payload.text))
