"""Shapes of the claims API. Amounts are yuan strings with two decimals (core.schemas.Yuan reads the fen).
No rules live here."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from smartcourt.claims.choices import ClaimNature, ClaimStatus, CreditorKind, DayCount, Liability, ResolutionBasis
from smartcourt.claims.models import Claim, ClaimReview, ConfirmationRuling, Objection
from smartcourt.claims.selectors import claim_deadlines
from smartcourt.core.schemas import MAX_VERSION, ErrorBody, Yuan


class DeclarationIn(Schema):
    creditor_kind: CreditorKind
    creditor_name: str = Field(min_length=1, max_length=200)
    identifier: str = Field(min_length=1, max_length=18, description="Identity number or unified social credit code.")
    phone: str = Field("", max_length=20)
    nature: ClaimNature = ClaimNature.ORDINARY
    collateral: str = Field("", max_length=500)
    principal: str = Field(description="Yuan, at most two decimals.")
    penalties: str = "0"
    costs: str = "0"
    interest_from: dt.date | None = None
    interest_rate_percent: str = Field("", description="Annual rate in percent, e.g. 4.35.")
    day_count: DayCount = DayCount.ACT_365
    basis: str = Field("", max_length=1000)
    liability: Liability = Liability.SOLE
    co_obligors: str = Field("", max_length=500)


class ReviewIn(Schema):
    result: str = Field(description="confirmed, partly_confirmed, not_confirmed or pending.")
    nature: str = ""
    principal: str = "0"
    interest: str = "0"
    penalties: str = "0"
    costs: str = "0"
    reasons: dict[str, str] = Field(
        default_factory=dict, description="principal/interest/penalties/costs/nature/general"
    )
    version: int | None = Field(None, ge=1, le=MAX_VERSION)


class ObjectionIn(Schema):
    reasons: str = Field(min_length=1, max_length=1000)
    claimed_total: str = ""


class ClaimsRulingIn(Schema):
    ruled_on: dt.date


class ObjectionOut(Schema):
    id: uuid.UUID
    status: str
    reasons: str
    claimed_total: Yuan | None = Field(validation_alias="claimed_total_fen")
    resolution_basis: str
    resolution_reference: str
    resolved_on: dt.date | None


class ClaimOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    number: int
    creditor: str = Field(validation_alias="creditor.name")
    nature: ClaimNature
    status: ClaimStatus
    version: int
    late: bool
    declared_total: Yuan = Field(validation_alias="declared_total_fen")
    confirmed_total: Yuan = Field(validation_alias="confirmed_total_fen")
    confirmed_nature: str
    owed_by: str | None = Field(
        default=None,
        description="Merged bankruptcy: the consolidated debtor that owed the claim; null: the case's own debtor.",
    )
    original_number: int | None = Field(
        default=None, description="For a claim moved in from a consolidated debtor's own case: its number there."
    )

    @staticmethod
    def resolve_owed_by(claim: Any) -> str | None:
        return claim.owed_by.name if claim.owed_by_id and claim.owed_by else None


class ReviewOut(Schema):
    result: str
    nature: str
    total: Yuan = Field(validation_alias="total_fen")
    reasons: dict[str, Any]
    reviewed_at: str = Field(description="ISO 8601, as Python writes it (microseconds and offset).")

    @staticmethod
    def resolve_reviewed_at(review: ClaimReview) -> str:
        # Kept as the API first wrote it (datetime.isoformat), not as the JSON encoder writes datetimes.
        return review.reviewed_at.isoformat()


class ClaimDetailOut(ClaimOut):
    principal: Yuan = Field(validation_alias="principal_fen")
    interest: Yuan = Field(validation_alias="interest_fen")
    penalties: Yuan = Field(validation_alias="penalties_fen")
    costs: Yuan = Field(validation_alias="costs_fen")
    interest_detail: dict[str, Any]
    deadlines: dict[str, dt.date]
    reviews: list[ReviewOut]
    objections: list[ObjectionOut] = Field(default_factory=list)

    @staticmethod
    def resolve_deadlines(claim: Claim) -> dict[str, dt.date]:
        return {key: d.on for key, d in claim_deadlines(claim, today=timezone.localdate()).items()}

    @staticmethod
    def resolve_reviews(claim: Claim) -> list[ClaimReview]:
        return list(claim.reviews.order_by("reviewed_at"))

    @staticmethod
    def resolve_objections(claim: Claim) -> list[Objection]:
        return list(claim.objections.order_by("created_at"))


class TableClassOut(Schema):
    nature: str
    count: int
    declared: Yuan = Field(validation_alias="declared_fen")
    confirmed: Yuan = Field(validation_alias="confirmed_fen")


class TableOut(Schema):
    classes: list[TableClassOut]
    count: int
    declared: Yuan = Field(validation_alias="declared_fen")
    confirmed: Yuan = Field(validation_alias="confirmed_fen")


class ClaimsRulingOut(Schema):
    id: uuid.UUID
    ruled_on: dt.date
    claims: int
    total: Yuan = Field(validation_alias="total_fen")

    @staticmethod
    def resolve_claims(ruling: ConfirmationRuling) -> int:
        return ruling.claims.count()


class TakeOverOut(Schema):
    debtor: str = Field(description="The consolidated debtor whose own case was taken over.")
    credit_code: str
    merged_case: str = Field(description="Its own case's number, now closed.")
    claims: int = Field(description="Claims moved into this case.")
    creditors: int = Field(description="Creditors of its case.")
    taken_over_on: dt.date


class ImportOut(Schema):
    created: int
    encoding: str = Field(description="The CSV's encoding (utf-8 or gbk); empty for xlsx.")
    entry_number: int = Field(description="Dossier entry number of the imported file.")


class ImportProblemOut(Schema):
    line: int = Field(description="Spreadsheet line (1 is the header); 0 for the whole file.")
    cell: str = Field(description='The cell, e.g. "C7 (证件号码)", or "" for a whole line.')
    message: str


class ImportErrorBody(ErrorBody):
    """The common error body, with every problem the import found."""

    # Not required: a request refused before the file is read (no source, no file) answers the common 422 of
    # every endpoint, which has no list; the OpenAPI document must say so or a client validating it fails.
    problems: list[ImportProblemOut] = Field(
        default_factory=list,
        description="Every problem found in the file; nothing was imported. Absent when the request itself was "
        "refused before the file was read (a missing source or file).",
    )


class ImportErrorOut(Schema):
    error: ImportErrorBody


class EmployeeObjectionOut(Schema):
    id: uuid.UUID
    status: str
    reasons: str
    claimed: Yuan | None = Field(validation_alias="claimed_fen")
    answer: str
    corrected: bool
    version: int
    answered_at: dt.datetime | None


class EmployeeLineOut(Schema):
    """Reads a selectors.EmployeeLineForReader: the line, with the identifier this reader may see."""

    id: uuid.UUID = Field(validation_alias="line.pk")
    name: str = Field(validation_alias="line.name")
    identifier: str = Field(description="Masked unless the reader sees every line (court, administrator).")
    wages: Yuan = Field(validation_alias="line.listed_principal_fen")
    other: Yuan = Field(validation_alias="line.listed_other_fen")
    objections: list[EmployeeObjectionOut] = Field(validation_alias="line.employee_objections")


class EmployeeListOut(Schema):
    published_on: dt.datetime | None = Field(description="When the list was published; employees see it after.")
    count: int
    lines: list[EmployeeLineOut]


class EmployeeObjectionIn(Schema):
    reasons: str = Field(min_length=1, max_length=1000)
    claimed: str = Field("", max_length=20, description="Yuan the employee says is due.")


class EmployeeAnswerIn(Schema):
    answer: str = Field(min_length=1, max_length=1000)
    corrected_wages: str = Field("", max_length=20)
    corrected_other: str = Field("", max_length=20)
    version: int | None = Field(None, ge=1, le=MAX_VERSION)


class ResolutionIn(Schema):
    basis: ResolutionBasis = Field(description="ruling (裁定) or suit (判决 in a claim-confirmation suit).")
    reference: str = Field(min_length=1, max_length=100, description="Case number of the ruling or judgment.")
    resolved_on: dt.date
    nature: ClaimNature | None = None
    principal: str = Field("0", max_length=20)
    interest: str = Field("0", max_length=20)
    penalties: str = Field("0", max_length=20)
    costs: str = Field("0", max_length=20)
