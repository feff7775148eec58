"""Shapes of the cases API: what a request may ask and what an answer contains. No rules live here."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

from smartcourt.cases.choices import CaseStatus, CaseType, Composition, MemberRole, PartyKind, PartyRole

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


class IdentityNumberOut(Schema):
    party_id: uuid.UUID
    id_number: str = Field(description="The full resident identity number. The reveal is in the audit log.")
