"""Claims over the JSON API (mounted at /api/v1/claims). Glue only: parse, call one action or selector, shape."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.responses import Status

from smartcourt.accounts.models import User
from smartcourt.cases.schemas import ErrorOut
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims.actions import (
    Declaration,
    ReviewDecision,
    confirm_undisputed,
    declare_claim,
    object_to_claim,
    review_claim,
)
from smartcourt.claims.models import Claim
from smartcourt.claims.schemas import (
    ClaimDetailOut,
    ClaimOut,
    DeclarationIn,
    ObjectionIn,
    ReviewIn,
    RulingIn,
    RulingOut,
    TableOut,
)
from smartcourt.claims.selectors import claim_deadlines, claims_of_case, claims_table, get_claim_for
from smartcourt.core.money import fen_to_yuan

router = Router(tags=["claims"])

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MAX_LIST = 500


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _claim(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "case_id": claim.case_id,
        "number": claim.number,
        "creditor": claim.creditor.name,
        "nature": claim.nature,
        "status": claim.status,
        "version": claim.version,
        "late": claim.late,
        "declared_total": fen_to_yuan(claim.declared_total_fen),
        "confirmed_total": fen_to_yuan(claim.confirmed_total_fen),
        "confirmed_nature": claim.confirmed_nature,
    }


def _detail(claim: Claim) -> dict[str, Any]:
    return {
        **_claim(claim),
        "principal": fen_to_yuan(claim.principal_fen),
        "interest": fen_to_yuan(claim.interest_fen),
        "penalties": fen_to_yuan(claim.penalties_fen),
        "costs": fen_to_yuan(claim.costs_fen),
        "interest_detail": claim.interest_detail,
        "deadlines": {key: d.on for key, d in claim_deadlines(claim, today=timezone.localdate()).items()},
        "reviews": [
            {
                "result": review.result,
                "nature": review.nature,
                "total": fen_to_yuan(review.total_fen),
                "reasons": review.reasons,
                "reviewed_at": review.reviewed_at.isoformat(),
            }
            for review in claim.reviews.order_by("reviewed_at")
        ],
    }


@router.get(
    "/cases/{case_id}/claims",
    response={200: list[ClaimOut], **ERRORS},
    summary="Claims of a case: all of them for the court and the administrator, his own for a creditor",
    operation_id="list_claims",
)
def list_claims(request: HttpRequest, case_id: uuid.UUID, offset: int = 0) -> list[dict[str, Any]]:
    user = _user(request)
    case = get_case_for(user, case_id)
    return [_claim(claim) for claim in claims_of_case(user, case)[max(offset, 0) : max(offset, 0) + MAX_LIST]]


@router.post(
    "/cases/{case_id}/claims",
    response={201: ClaimDetailOut, **ERRORS},
    summary="Declare a claim (a creditor or his agent); evidence files are added through the page",
    operation_id="declare_claim",
)
def declare(request: HttpRequest, case_id: uuid.UUID, payload: DeclarationIn) -> Status[dict[str, Any]]:
    claim = declare_claim(actor=_user(request), case_id=case_id, declaration=Declaration(**payload.dict()))
    return Status(201, _detail(claim))


@router.get(
    "/cases/{case_id}/table",
    response={200: TableOut, **ERRORS},
    summary="Totals of the claims table by class (anyone who can see the case)",
    operation_id="claims_table",
)
def table(request: HttpRequest, case_id: uuid.UUID) -> dict[str, Any]:
    summary = claims_table(get_case_for(_user(request), case_id))
    return {
        "classes": [
            {
                "nature": item.nature,
                "count": item.count,
                "declared": fen_to_yuan(item.declared_fen),
                "confirmed": fen_to_yuan(item.confirmed_fen),
            }
            for item in summary.classes
        ],
        "count": summary.count,
        "declared": fen_to_yuan(summary.declared_fen),
        "confirmed": fen_to_yuan(summary.confirmed_fen),
    }


@router.post(
    "/cases/{case_id}/confirmation",
    response={201: RulingOut, **ERRORS},
    summary="The judge confirms the undisputed claims by ruling",
    operation_id="confirm_undisputed_claims",
)
def confirm(request: HttpRequest, case_id: uuid.UUID, payload: RulingIn) -> Status[dict[str, Any]]:
    ruling = confirm_undisputed(actor=_user(request), case_id=case_id, ruled_on=payload.ruled_on)
    return Status(
        201,
        {
            "id": ruling.pk,
            "ruled_on": ruling.ruled_on,
            "claims": ruling.claims.count(),
            "total": fen_to_yuan(ruling.total_fen),
        },
    )


@router.get(
    "/{claim_id}",
    response={200: ClaimDetailOut, **ERRORS},
    summary="One claim with its interest lines, reviews and deadlines",
    operation_id="get_claim",
)
def get_claim(request: HttpRequest, claim_id: uuid.UUID) -> dict[str, Any]:
    return _detail(get_claim_for(_user(request), claim_id))


@router.post(
    "/{claim_id}/review",
    response={200: ClaimDetailOut, **ERRORS},
    summary="The appointed administrator's review decision; the notice is served on the creditor",
    operation_id="review_claim",
)
def review(request: HttpRequest, claim_id: uuid.UUID, payload: ReviewIn) -> dict[str, Any]:
    user = _user(request)
    decision = ReviewDecision(
        result=payload.result,
        nature=payload.nature,
        principal=payload.principal,
        interest=payload.interest,
        penalties=payload.penalties,
        costs=payload.costs,
        reasons=payload.reasons,
    )
    review_claim(actor=user, claim_id=claim_id, decision=decision, expected_version=payload.version)
    return _detail(get_claim_for(user, claim_id))


@router.post(
    "/{claim_id}/objections",
    response={201: ClaimDetailOut, **ERRORS},
    summary="The creditor objects to the review of his claim",
    operation_id="object_to_claim",
)
def objection(request: HttpRequest, claim_id: uuid.UUID, payload: ObjectionIn) -> Status[dict[str, Any]]:
    user = _user(request)
    object_to_claim(actor=user, claim_id=claim_id, reasons=payload.reasons, claimed_total=payload.claimed_total)
    return Status(201, _detail(get_claim_for(user, claim_id)))
