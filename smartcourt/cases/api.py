"""Cases over the JSON API: the list a user may see and one case with its parties and members.

Glue only: parse, call a user-scoped selector or an action; the output schemas read what it returns."""

from __future__ import annotations

import math
import uuid
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from pydantic import WithJsonSchema

from smartcourt.accounts.web import signed_in_user
from smartcourt.cases.actions import reveal_identity_number
from smartcourt.cases.models import Case
from smartcourt.cases.schemas import (
    CaseDetailOut,
    CaseListQuery,
    CasePage,
    IdentityNumberOut,
    StaffingIn,
    StaffingOut,
)
from smartcourt.cases.selectors import CaseFilters, cases_visible_to, filter_cases, get_case_for
from smartcourt.cases.staffing import Staffing, staff_case
from smartcourt.core.errors import NotFound
from smartcourt.core.schemas import ErrorOut

router = Router(tags=["cases"])

# Newest filing first; on the same day, by case number as people read it (破2号 before 破12号).
LIST_ORDER = ("-filed_on", "court__court_code", "case_type", "year", "sequence")


@router.get(
    "", response={200: CasePage, 401: ErrorOut, 422: ErrorOut}, summary="Cases you may see", operation_id="list_cases"
)
def list_cases(request: HttpRequest, params: Query[CaseListQuery]) -> dict[str, object]:
    filters = CaseFilters(
        query=params.q or "",
        case_type=params.type.value if params.type else "",
        status=params.status.value if params.status else "",
        court_code=params.court or "",
        year=params.year,
    )
    cases = filter_cases(cases_visible_to(signed_in_user(request)), filters).order_by(*LIST_ORDER)
    count = cases.count()
    start = (params.page - 1) * params.page_size
    items = list(cases[start : start + params.page_size]) if start < count else []
    return {
        "items": items,
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "pages": math.ceil(count / params.page_size),
    }


@router.get(
    "/{case_id}",
    response={200: CaseDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="One case with its parties and members",
    operation_id="get_case",
)
def get_case(
    request: HttpRequest,
    case_id: Annotated[str, WithJsonSchema({"type": "string", "format": "uuid"})] = Path(
        ..., description="The case's UUID."
    ),
) -> Case:
    user = signed_in_user(request)
    try:
        parsed_id = uuid.UUID(case_id)
    except ValueError as exc:
        # A malformed id answers exactly like a missing or hidden case.
        raise NotFound(_("No such case")) from exc
    return get_case_for(user, parsed_id)


@router.post(
    "/{case_id}/parties/{party_id}/identity-number",
    response={200: IdentityNumberOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A party's full identity number (court staff; every reveal is audited)",
    operation_id="reveal_identity_number",
)
def reveal_identity(request: HttpRequest, case_id: uuid.UUID, party_id: uuid.UUID) -> dict[str, object]:
    number = reveal_identity_number(actor=signed_in_user(request), case_id=case_id, party_id=party_id)
    return {"party_id": party_id, "id_number": number}


@router.put(
    "/{case_id}/staffing",
    response={200: StaffingOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Set the bench and assistants of a case (court administrator or presiding judge; audited)",
    operation_id="staff_case",
)
def put_staffing(request: HttpRequest, case_id: uuid.UUID, payload: StaffingIn) -> Staffing:
    return staff_case(
        actor=signed_in_user(request),
        case_id=case_id,
        composition=payload.composition.value,
        presiding_judge_id=payload.presiding_judge_id,
        panel_judge_ids=payload.panel_judge_ids,
        assistant_id=payload.assistant_id,
        clerk_id=payload.clerk_id,
    )
