"""Claims over the JSON API (mounted at /api/v1/claims). Glue only: parse, call one action or selector, shape."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import File, Form, Query, Router, UploadedFile
from ninja.responses import Status

from smartcourt.accounts.web import signed_in_user
from smartcourt.cases.selectors import get_case_for
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
from smartcourt.claims.models import Claim, ConfirmationRuling, EmployeeObjection
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
    ClaimsTable,
    claims_of_case,
    claims_table,
    employee_lines_for,
    employee_lines_for_reader,
    get_claim_for,
    latest_publication,
)
from smartcourt.core.pagination import PageIn, page, paginated
from smartcourt.core.schemas import ERRORS, ErrorOut

router = Router(tags=["claims"])

MAX_LIST = 500


@router.get(
    "/cases/{case_id}/claims",
    response={200: list[ClaimOut], **ERRORS},
    summary="Claims of a case: all of them for the court and the administrator, his own for a creditor",
    operation_id="list_claims",
)
@paginated(page_size=MAX_LIST)
def list_claims(request: HttpRequest, case_id: uuid.UUID) -> QuerySet[Claim]:
    user = signed_in_user(request)
    return claims_of_case(user, get_case_for(user, case_id))


@router.post(
    "/cases/{case_id}/claims",
    response={201: ClaimDetailOut, **ERRORS},
    summary="Declare a claim (a creditor or his agent); evidence files are added through the page",
    operation_id="declare_claim",
)
def declare(request: HttpRequest, case_id: uuid.UUID, payload: DeclarationIn) -> Status[Claim]:
    claim = declare_claim(actor=signed_in_user(request), case_id=case_id, declaration=Declaration(**payload.dict()))
    return Status(201, claim)


@router.get(
    "/cases/{case_id}/table",
    response={200: TableOut, **ERRORS},
    summary="Totals of the claims table by class (anyone who can see the case)",
    operation_id="claims_table",
)
def table(request: HttpRequest, case_id: uuid.UUID) -> ClaimsTable:
    return claims_table(get_case_for(signed_in_user(request), case_id))


@router.post(
    "/cases/{case_id}/confirmation",
    response={201: ClaimsRulingOut, **ERRORS},
    summary="The judge confirms the undisputed claims by ruling",
    operation_id="confirm_undisputed_claims",
)
def confirm(request: HttpRequest, case_id: uuid.UUID, payload: ClaimsRulingIn) -> Status[ConfirmationRuling]:
    return Status(201, confirm_undisputed(actor=signed_in_user(request), case_id=case_id, ruled_on=payload.ruled_on))


@router.get(
    "/{claim_id}",
    response={200: ClaimDetailOut, **ERRORS},
    summary="One claim with its interest lines, reviews and deadlines",
    operation_id="get_claim",
)
def get_claim(request: HttpRequest, claim_id: uuid.UUID) -> Claim:
    return get_claim_for(signed_in_user(request), claim_id)


@router.post(
    "/{claim_id}/review",
    response={200: ClaimDetailOut, **ERRORS},
    summary="The appointed administrator's review decision; the notice is served on the creditor",
    operation_id="review_claim",
)
def review(request: HttpRequest, claim_id: uuid.UUID, payload: ReviewIn) -> Claim:
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
    return get_claim_for(user, claim_id)


@router.post(
    "/{claim_id}/objections",
    response={201: ClaimDetailOut, **ERRORS},
    summary="The creditor objects to the review of his claim",
    operation_id="object_to_claim",
)
def objection(request: HttpRequest, claim_id: uuid.UUID, payload: ObjectionIn) -> Status[Claim]:
    user = signed_in_user(request)
    object_to_claim(actor=user, claim_id=claim_id, reasons=payload.reasons, claimed_total=payload.claimed_total)
    return Status(201, get_claim_for(user, claim_id))


@router.post(
    "/objections/{objection_id}/resolution",
    response={200: ClaimDetailOut, **ERRORS},
    summary="The judge records the outcome of an objection: the court's ruling or the judgment of the suit",
    operation_id="resolve_claim_objection",
)
def resolution(request: HttpRequest, objection_id: uuid.UUID, payload: ResolutionIn) -> Claim:
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
    return get_claim_for(user, objection.claim_id)


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
) -> Status[Any]:
    try:
        report = import_creditor_list(actor=signed_in_user(request), case_id=case_id, uploaded_file=file, source=source)
    except ImportRefused as exc:
        # The common error body read from the refusal itself, with every problem it found (ImportErrorBody).
        return Status(422, {"error": exc})
    return Status(201, report)


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
    pagination: Query[PageIn],
    q: str = Query("", max_length=50),
) -> dict[str, object]:
    user = signed_in_user(request)
    case = get_case_for(user, case_id)
    lines = employee_lines_for(user, case)
    if q:
        lines = lines.filter(name__icontains=q)
    publication = latest_publication(case)
    # Paged inside the answer's envelope (its count and publication date), so by hand with core's page().
    shown = page(lines.prefetch_related("employee_objections"), pagination, size=MAX_LIST)
    return {
        "published_on": publication.created_at if publication is not None else None,
        "count": lines.count(),
        "lines": employee_lines_for_reader(user, case, shown),
    }


@router.post(
    "/employees/{line_id}/objections",
    response={201: EmployeeObjectionOut, **ERRORS},
    summary="An employee objects to his line of the published list",
    operation_id="object_to_employee_line",
)
def employee_objection(
    request: HttpRequest, line_id: uuid.UUID, payload: EmployeeObjectionIn
) -> Status[EmployeeObjection]:
    objection = object_to_employee_line(
        actor=signed_in_user(request), creditor_id=line_id, reasons=payload.reasons, claimed=payload.claimed
    )
    return Status(201, objection)


@router.post(
    "/employee-objections/{objection_id}/answer",
    response={200: EmployeeObjectionOut, **ERRORS},
    summary="The administrator answers an employee's objection with reasons, correcting the line if he agrees",
    operation_id="answer_employee_objection",
)
def employee_answer(request: HttpRequest, objection_id: uuid.UUID, payload: EmployeeAnswerIn) -> EmployeeObjection:
    return answer_employee_objection(
        actor=signed_in_user(request),
        objection_id=objection_id,
        answer=payload.answer,
        corrected_wages=payload.corrected_wages,
        corrected_other=payload.corrected_other,
        expected_version=payload.version,
    )


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
