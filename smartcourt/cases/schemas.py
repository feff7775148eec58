"""Shapes of the cases API: what a request may ask and what an answer contains. No rules live here: the output
schemas read the objects, their resolvers only format or fetch what the answer shows."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

from smartcourt.cases.choices import (
    CASE_TYPE_CODE,
    CaseStatus,
    CaseType,
    Composition,
    MemberRole,
    PartyKind,
    PartyRole,
)
from smartcourt.cases.models import Case, CaseMember, Party
from smartcourt.cases.selectors import case_members
from smartcourt.cases.staffing import Staffing, staffing_of
from smartcourt.core.identifiers import mask_identity_number

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
# Far beyond any real list (10,000 pages of 100), small enough that OFFSET stays cheap to refuse.
MAX_PAGE = 10_000


class CaseListQuery(Schema):
    """Filters and page of ``GET /cases``. An empty value means 'any', as a browser form sends it."""

    type: CaseType | None = Field(None, description="Case type, e.g. bankruptcy (破).")
    status: CaseStatus | None = Field(None, description="Case status.")
    court: str | None = Field(None, max_length=16, description="Court code, e.g. 苏0623.")
    year: int | None = Field(None, ge=1990, le=2100, description="Year in the case number.")
    q: str | None = Field(None, max_length=100, description="Case number, title or party name.")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    @field_validator("type", "status", "court", "year", "q", mode="before")
    @classmethod
    def _empty_is_any(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value


class CourtOut(Schema):
    id: uuid.UUID
    name: str
    court_code: str


class PersonOut(Schema):
    id: uuid.UUID
    full_name: str


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str
    kind: str


class CaseRef(Schema):
    id: uuid.UUID
    number: str


class CaseOut(Schema):
    id: uuid.UUID
    number: str = Field(description="Case number (案号), e.g. (2026)苏0623破12号.")
    title: str
    case_type: CaseType
    case_type_code: str = Field(description="Type code in the case number: 破申, 破, 强清申, 强清, 民初, 执.")
    status: CaseStatus
    court: CourtOut
    year: int
    sequence: int
    filed_on: dt.date
    accepted_on: dt.date | None
    closed_on: dt.date | None
    presiding_judge: PersonOut | None

    @staticmethod
    def resolve_case_type_code(case: Case) -> str:
        return CASE_TYPE_CODE[case.case_type]


class CasePage(Schema):
    items: list[CaseOut]
    count: int = Field(description="Number of matching cases over all pages.")
    page: int
    page_size: int
    pages: int = Field(description="Number of pages; 0 when nothing matches.")


class PartyOut(Schema):
    id: uuid.UUID
    role: PartyRole
    kind: PartyKind
    name: str
    id_number: str = Field(
        description="Natural persons: resident identity number, always masked; court staff reveal it with "
        "reveal_identity_number."
    )
    credit_code: str = Field(description="Organisations: unified social credit code.")

    @staticmethod
    def resolve_id_number(party: Party) -> str:
        # Masked for everybody; court staff reveal a number through reveal_identity, which is audited.
        return mask_identity_number(party.id_number) if party.id_number else ""


class MemberOut(Schema):
    id: uuid.UUID
    role: MemberRole
    user: PersonOut | None
    organisation: OrganisationOut | None


class StaffingOut(Schema):
    composition: Composition = Field(description="collegial: a panel decides together; sole: one judge alone.")
    presiding_judge: PersonOut | None
    panel_judges: list[PersonOut]
    assistant: PersonOut | None
    clerk: PersonOut | None


class StaffingIn(Schema):
    composition: Composition
    presiding_judge_id: uuid.UUID
    panel_judge_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=6, description="The other judges of a collegial panel; empty for a sole judge."
    )
    assistant_id: uuid.UUID | None = None
    clerk_id: uuid.UUID | None = None


class CaseDetailOut(CaseOut):
    cause: str
    origin: CaseRef | None = Field(description="The case this one grew out of, e.g. its 破申 review.")
    parties: list[PartyOut]
    members: list[MemberOut]
    staffing: StaffingOut

    @staticmethod
    def resolve_parties(case: Case) -> list[Party]:
        return list(case.parties.order_by("role", "name"))

    @staticmethod
    def resolve_members(case: Case) -> list[CaseMember]:
        return list(case_members(case))

    @staticmethod
    def resolve_staffing(case: Case) -> Staffing:
        return staffing_of(case)


class IdentityNumberOut(Schema):
    party_id: uuid.UUID
    id_number: str = Field(description="The full resident identity number. The reveal is in the audit log.")
