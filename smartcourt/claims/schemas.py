"""Shapes of the claims API. Amounts are yuan strings with two decimals. No rules live here."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from smartcourt.claims.choices import ClaimNature, ClaimStatus, CreditorKind, DayCount, Liability


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
    version: int | None = Field(None, ge=1)


class ObjectionIn(Schema):
    reasons: str = Field(min_length=1, max_length=1000)
    claimed_total: str = ""


class RulingIn(Schema):
    ruled_on: dt.date


class ClaimOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    number: int
    creditor: str
    nature: ClaimNature
    status: ClaimStatus
    version: int
    late: bool
    declared_total: str
    confirmed_total: str
    confirmed_nature: str


class ClaimDetailOut(ClaimOut):
    principal: str
    interest: str
    penalties: str
    costs: str
    interest_detail: dict[str, Any]
    deadlines: dict[str, dt.date]
    reviews: list[dict[str, Any]]


class TableClassOut(Schema):
    nature: str
    count: int
    declared: str
    confirmed: str


class TableOut(Schema):
    classes: list[TableClassOut]
    count: int
    declared: str
    confirmed: str


class RulingOut(Schema):
    id: uuid.UUID
    ruled_on: dt.date
    claims: int
    total: str
