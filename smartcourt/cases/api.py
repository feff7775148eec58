"""Cases over the JSON API: the list a user may see and one case with its parties and members.

Glue only: parse, call a user-scoped selector, shape the answer."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from pydantic import WithJsonSchema

from smartcourt.accounts.models import User
from smartcourt.accounts.web import signed_in_user
from smartcourt.cases.actions import reveal_identity_number
from smartcourt.cases.choices import CASE_TYPE_CODE
from smartcourt.cases.models import Case, CaseMember, Party
from smartcourt.cases.schemas import (
    CaseDetailOut,
    CaseListQuery,
    CasePage,
    IdentityNumberOut,
    StaffingIn,
    StaffingOut,
)
from smartcourt.cases.selectors import CaseFilters, case_members, cases_visible_to, filter_cases, get_case_for
from smartcourt.cases.staffing import Staffing, staff_case, staffing_of
from smartcourt.core.errors import NotFound
from smartcourt.core.identifiers import mask_identity_number
from smartcourt.core.schemas import ErrorOut

router = Router(tags=["cases"])

# Newest filing first; on the same day, by case number as people read it (破2号 before 破12号).
LIST_ORDER = ("-filed_on", "court__court_code", "case_type", "year", "sequence")


@router.get(
    "", response={200: CasePage, 401: ErrorOut, 422: ErrorOut}, summary="Cases you may see", operation_id="list_cases"
)
def list_cases(request: HttpRequest, params: Query[CaseListQuery]) -> dict[str, Any]:
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
    items = [_case_summary(case) for case in cases[start : start + params.page_size]] if start < count else []
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
) -> dict[str, Any]:
    user = signed_in_user(request)
    try:
        parsed_id = uuid.UUID(case_id)
    except ValueError as exc:
        # A malformed id answers exactly like a missing or hidden case.
        raise NotFound(_("No such case")) from exc
    case = get_case_for(user, parsed_id)
    return _case_detail(case, parties=case.parties.order_by("role", "name"), members=case_members(case))


@router.post(
    "/{case_id}/parties/{party_id}/identity-number",
    response={200: IdentityNumberOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A party's full identity number (court staff; every reveal is audited)",
    operation_id="reveal_identity_number",
)
def reveal_identity(request: HttpRequest, case_id: uuid.UUID, party_id: uuid.UUID) -> dict[str, Any]:
    number = reveal_identity_number(actor=signed_in_user(request), case_id=case_id, party_id=party_id)
    return {"party_id": party_id, "id_number": number}


@router.put(
    "/{case_id}/staffing",
    response={200: StaffingOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Set the bench and assistants of a case (court administrator or presiding judge; audited)",
    operation_id="staff_case",
)
def put_staffing(request: HttpRequest, case_id: uuid.UUID, payload: StaffingIn) -> dict[str, Any]:
    staffing = staff_case(
        actor=signed_in_user(request),
        case_id=case_id,
        composition=payload.composition.value,
        presiding_judge_id=payload.presiding_judge_id,
        panel_judge_ids=payload.panel_judge_ids,
        assistant_id=payload.assistant_id,
        clerk_id=payload.clerk_id,
    )
    return _staffing(staffing)


def _person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "full_name": user.full_name} if user is not None else None


def _staffing(staffing: Staffing) -> dict[str, Any]:
    return {
        "composition": staffing.composition,
        "presiding_judge": _person(staffing.presiding_judge),
        "panel_judges": [_person(judge) for judge in staffing.panel_judges],
        "assistant": _person(staffing.assistant),
        "clerk": _person(staffing.clerk),
    }


def _case_detail(case: Case, *, parties: Iterable[Party], members: Iterable[CaseMember]) -> dict[str, Any]:
    origin = case.origin
    return {
        **_case_summary(case),
        "cause": case.cause,
        "origin": {"id": origin.pk, "number": origin.number} if origin else None,
        "parties": [_party(party) for party in parties],
        "members": [_member(member) for member in members],
        "staffing": _staffing(staffing_of(case)),
    }


def _case_summary(case: Case) -> dict[str, Any]:
    court, judge = case.court, case.presiding_judge
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "case_type": case.case_type,
        "case_type_code": CASE_TYPE_CODE[case.case_type],
        "status": case.status,
        "court": {"id": court.pk, "name": court.name, "court_code": court.court_code},
        "year": case.year,
        "sequence": case.sequence,
        "filed_on": case.filed_on,
        "accepted_on": case.accepted_on,
        "closed_on": case.closed_on,
        "presiding_judge": {"id": judge.pk, "full_name": judge.full_name} if judge else None,
    }


def _party(party: Party) -> dict[str, Any]:
    # Masked for everybody; court staff reveal a number through reveal_identity, which is audited.
    id_number = mask_identity_number(party.id_number) if party.id_number else ""
    return {
        "id": party.pk,
        "role": party.role,
        "kind": party.kind,
        "name": party.name,
        "id_number": id_number,
        "credit_code": party.credit_code,
    }


def _member(member: CaseMember) -> dict[str, Any]:
    user, organisation = member.user, member.organisation
    return {
        "id": member.pk,
        "role": member.role,
        "user": {"id": user.pk, "full_name": user.full_name} if user else None,
        "organisation": (
            {"id": organisation.pk, "name": organisation.name, "kind": organisation.kind} if organisation else None
        ),
    }
