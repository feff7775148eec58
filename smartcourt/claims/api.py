"""Claims over the JSON API (mounted at /api/v1/claims). Glue only: parse, call one action or selector, shape."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, UploadedFile
from ninja.responses import Status

from smartcourt.accounts.web import signed_in_user
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims import policies
from smartcourt.claims.actions import (
    Declaration,
    ImportRefused,
    ReviewDecision,
    answer_employee_objection,
    confirm_undisputed,
    declare_claim,
    import_creditor_list,
    object_to_claim,
    object_to_employee_line,
    resolve_objection,
    review_claim,
    take_over_member_claims,
)
from smartcourt.claims.choices import ClaimStatus, CreditorSource
from smartcourt.claims.models import Claim, Creditor, EmployeeObjection
from smartcourt.claims.schemas import (
    ClaimDetailOut,
    ClaimOut,
    ClaimsRulingIn,
    ClaimsRulingOut,
    DeclarationIn,
    EmployeeAnswerIn,
    EmployeeListOut,
    EmployeeObjectionIn,
    EmployeeObjectionOut,
    ImportErrorOut,
    ImportOut,
    ObjectionIn,
    ResolutionIn,
    ReviewIn,
    TableOut,
    TakeOverOut,
)
from smartcourt.claims.selectors import (
    claim_deadlines,
    claims_of_case,
    claims_table,
    employee_lines_for,
    get_claim_for,
    latest_publication,
)
from smartcourt.core.identifiers import mask_identity_number
from smartcourt.core.money import fen_to_yuan
from smartcourt.core.schemas import ERRORS, MAX_OFFSET, ErrorOut

router = Router(tags=["claims"])

MAX_LIST = 500


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
        "owed_by": claim.owed_by.name if claim.owed_by_id and claim.owed_by else None,
        "original_number": claim.original_number,
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
        "objections": [
            {
                "id": objection.pk,
                "status": objection.status,
                "reasons": objection.reasons,
                "claimed_total": (
                    fen_to_yuan(objection.claimed_total_fen) if objection.claimed_total_fen is not None else None
                ),
                "resolution_basis": objection.resolution_basis,
                "resolution_reference": objection.resolution_reference,
                "resolved_on": objection.resolved_on,
            }
            for objection in claim.objections.order_by("created_at")
        ],
    }


@router.get(
    "/cases/{case_id}/claims",
    response={200: list[ClaimOut], **ERRORS},
    summary="Claims of a case: all of them for the court and the administrator, his own for a creditor",
    operation_id="list_claims",
)
def list_claims(
    request: HttpRequest, case_id: uuid.UUID, offset: int = Query(0, ge=0, le=MAX_OFFSET)
) -> list[dict[str, Any]]:
    user = signed_in_user(request)
    case = get_case_for(user, case_id)
    return [_claim(claim) for claim in claims_of_case(user, case)[offset : offset + MAX_LIST]]


@router.post(
    "/cases/{case_id}/claims",
    response={201: ClaimDetailOut, **ERRORS},
    summary="Declare a claim (a creditor or his agent); evidence files are added through the page",
    operation_id="declare_claim",
)
def declare(request: HttpRequest, case_id: uuid.UUID, payload: DeclarationIn) -> Status[dict[str, Any]]:
    claim = declare_claim(actor=signed_in_user(request), case_id=case_id, declaration=Declaration(**payload.dict()))
    return Status(201, _detail(claim))


@router.get(
    "/cases/{case_id}/table",
    response={200: TableOut, **ERRORS},
    summary="Totals of the claims table by class (anyone who can see the case)",
    operation_id="claims_table",
)
def table(request: HttpRequest, case_id: uuid.UUID) -> dict[str, Any]:
    summary = claims_table(get_case_for(signed_in_user(request), case_id))
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
    response={201: ClaimsRulingOut, **ERRORS},
    summary="The judge confirms the undisputed claims by ruling",
    operation_id="confirm_undisputed_claims",
)
def confirm(request: HttpRequest, case_id: uuid.UUID, payload: ClaimsRulingIn) -> Status[dict[str, Any]]:
    ruling = confirm_undisputed(actor=signed_in_user(request), case_id=case_id, ruled_on=payload.ruled_on)
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
    return _detail(get_claim_for(signed_in_user(request), claim_id))


@router.post(
    "/{claim_id}/review",
    response={200: ClaimDetailOut, **ERRORS},
    summary="The appointed administrator's review decision; the notice is served on the creditor",
    operation_id="review_claim",
)
def review(request: HttpRequest, claim_id: uuid.UUID, payload: ReviewIn) -> dict[str, Any]:
    user = signed_in_user(request)
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
    user = signed_in_user(request)
    object_to_claim(actor=user, claim_id=claim_id, reasons=payload.reasons, claimed_total=payload.claimed_total)
    return Status(201, _detail(get_claim_for(user, claim_id)))


@router.post(
    "/objections/{objection_id}/resolution",
    response={200: ClaimDetailOut, **ERRORS},
    summary="The judge records the outcome of an objection: the court's ruling or the judgment of the suit",
    operation_id="resolve_claim_objection",
)
def resolution(request: HttpRequest, objection_id: uuid.UUID, payload: ResolutionIn) -> dict[str, Any]:
    user = signed_in_user(request)
    objection = resolve_objection(
        actor=user,
        objection_id=objection_id,
        basis=payload.basis,
        reference=payload.reference,
        resolved_on=payload.resolved_on,
        decision=ReviewDecision(
            result=ClaimStatus.RESOLVED,
            nature=payload.nature or "",
            principal=payload.principal,
            interest=payload.interest,
            penalties=payload.penalties,
            costs=payload.costs,
        ),
    )
    return _detail(get_claim_for(user, objection.claim_id))


# --- imports and employee claims -----------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/imports",
    response={201: ImportOut, 422: ImportErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Import the debtor's creditor list or the employee list (xlsx or csv): every line or none",
    description="On any problem nothing is imported and the 422 answer lists every line and cell at fault.",
    operation_id="import_creditor_list",
)
def import_list(
    request: HttpRequest, case_id: uuid.UUID, source: Form[CreditorSource], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    try:
        report = import_creditor_list(actor=signed_in_user(request), case_id=case_id, uploaded_file=file, source=source)
    except ImportRefused as exc:
        problems = [{"line": p.line, "cell": p.cell, "message": p.message} for p in exc.problems]
        error = {"code": exc.code, "message": exc.message, "field": exc.field, "problems": problems}
        return Status(422, {"error": error})
    return Status(201, {"created": report.created, "encoding": report.encoding, "entry_number": report.entry_number})


def _employee_line(line: Creditor, *, full: bool) -> dict[str, Any]:
    return {
        "id": line.pk,
        "name": line.name,
        "identifier": line.identifier if full else mask_identity_number(line.identifier),
        "wages": fen_to_yuan(line.listed_principal_fen),
        "other": fen_to_yuan(line.listed_other_fen),
        "objections": [_employee_objection(o) for o in line.employee_objections.all()],
    }


def _employee_objection(objection: EmployeeObjection) -> dict[str, Any]:
    return {
        "id": objection.pk,
        "status": objection.status,
        "reasons": objection.reasons,
        "claimed": fen_to_yuan(objection.claimed_fen) if objection.claimed_fen is not None else None,
        "answer": objection.answer,
        "corrected": objection.corrected,
        "version": objection.version,
        "answered_at": objection.answered_at,
    }


@router.get(
    "/cases/{case_id}/employees",
    response={200: EmployeeListOut, **ERRORS},
    summary="The employee-claims list (art. 48): every line for the court and the administrator, "
    "an employee's own line once published",
    operation_id="list_employee_claims",
)
def employees(
    request: HttpRequest,
    case_id: uuid.UUID,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    q: str = Query("", max_length=50),
) -> dict[str, Any]:
    user = signed_in_user(request)
    case = get_case_for(user, case_id)
    lines = employee_lines_for(user, case)
    if q:
        lines = lines.filter(name__icontains=q)
    publication = latest_publication(case)
    page = lines.prefetch_related("employee_objections")[offset : offset + MAX_LIST]
    full = policies.can_see_all_claims(user, case)
    return {
        "published_on": publication.created_at if publication is not None else None,
        "count": lines.count(),
        "lines": [_employee_line(line, full=full) for line in page],
    }


@router.post(
    "/employees/{line_id}/objections",
    response={201: EmployeeObjectionOut, **ERRORS},
    summary="An employee objects to his line of the published list",
    operation_id="object_to_employee_line",
)
def employee_objection(
    request: HttpRequest, line_id: uuid.UUID, payload: EmployeeObjectionIn
) -> Status[dict[str, Any]]:
    objection = object_to_employee_line(
        actor=signed_in_user(request), creditor_id=line_id, reasons=payload.reasons, claimed=payload.claimed
    )
    return Status(201, _employee_objection(objection))


@router.post(
    "/employee-objections/{objection_id}/answer",
    response={200: EmployeeObjectionOut, **ERRORS},
    summary="The administrator answers an employee's objection with reasons, correcting the line if he agrees",
    operation_id="answer_employee_objection",
)
def employee_answer(request: HttpRequest, objection_id: uuid.UUID, payload: EmployeeAnswerIn) -> dict[str, Any]:
    objection = answer_employee_objection(
        actor=signed_in_user(request),
        objection_id=objection_id,
        answer=payload.answer,
        corrected_wages=payload.corrected_wages,
        corrected_other=payload.corrected_other,
        expected_version=payload.version,
    )
    return _employee_objection(objection)


# --- merged bankruptcy (合并破产, issue 15.20) ----------------------------------------------------------------


@router.post(
    "/cases/{case_id}/take-overs/{member_case_id}",
    response={200: TakeOverOut, **ERRORS},
    summary="Move a consolidated debtor's own case's creditors and claims into this case and close that case "
    "(a judge of the case; SPC Minutes 法〔2018〕53号 para. 36)",
    operation_id="take_over_member_claims",
)
def take_over(request: HttpRequest, case_id: uuid.UUID, member_case_id: uuid.UUID) -> dict[str, Any]:
    done = take_over_member_claims(actor=signed_in_user(request), case_id=case_id, member_case_id=member_case_id)
    merged = done.member.merged_case
    return {
        "debtor": done.member.name,
        "credit_code": done.member.credit_code,
        "merged_case": merged.number if merged else "",
        "claims": done.claims,
        "creditors": done.creditors,
        "taken_over_on": done.member.claims_taken_over_on,
    }
