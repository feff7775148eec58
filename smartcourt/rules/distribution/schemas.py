"""Shapes of the public distribution and administrator-fee calculators (``rules/distribution/api.py``).

Amounts are yuan strings (``"1234.50"``): digits, at most two decimals, never negative, never a JSON number
(a float cannot carry money exactly). Every list and number is bounded, so a public endpoint cannot be made
to work without limit."""

from __future__ import annotations

import re
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, WithJsonSchema, field_validator

from smartcourt.core.money import MAX_FEN, yuan_to_fen
from smartcourt.core.numbers import fold_full_width
from smartcourt.core.schemas import Yuan
from smartcourt.rules.distribution.calculator import ClaimClass
from smartcourt.rules.fees import Bracket, rate_text

# Claims in one calculation: above the largest distribution seen in Nantong (14,673 payments over 124 cases).
MAX_CLAIMS = 20_000
MAX_ID_LENGTH = 64
_YUAN = re.compile(r"^[0-9]{1,13}(\.[0-9]{1,2})?$", re.ASCII)


def _yuan_string(value: Any) -> int:
    # Strings only: pydantic would take 12.3 as a float, and floats are not money.
    if not isinstance(value, str):
        raise ValueError('must be an amount in yuan written as a string, e.g. "1234.50"')
    value = fold_full_width(value)  # full-width digits deliberately; other scripts' digits fail the pattern
    if value.startswith("-"):
        raise ValueError("cannot be negative")
    if not _YUAN.match(value):
        raise ValueError('must be an amount in yuan with at most two decimals, e.g. "1234.50"')
    fen = yuan_to_fen(value)
    if fen > MAX_FEN:
        raise ValueError("is out of range")
    return fen


YuanFen = Annotated[
    int,
    BeforeValidator(_yuan_string),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{1,13}(\.[0-9]{1,2})?$", "example": "1234.50"}),
]


def _known_class(value: str) -> ClaimClass:
    try:
        return ClaimClass(value)
    except ValueError:
        raise ValueError("must be one of " + ", ".join(c.value for c in ClaimClass)) from None


class ClaimInSchema(Schema):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(..., min_length=1, max_length=MAX_ID_LENGTH, description="Your id for the claim, unique.")
    claim_class: Annotated[
        str, AfterValidator(_known_class), WithJsonSchema({"type": "string", "enum": [c.value for c in ClaimClass]})
    ] = Field(
        ...,
        alias="class",
        description="expenses (破产费用), common_benefit (共益债务), employee (职工债权), "
        "social_tax (社会保险费用和税款) or ordinary (普通债权).",
    )
    amount: YuanFen = Field(..., description="Amount owed, yuan string with at most two decimals.")


class DistributionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    available: YuanFen = Field(..., description="Money available for distribution, yuan string.")
    claims: list[ClaimInSchema] = Field(..., max_length=MAX_CLAIMS)

    @field_validator("claims")
    @classmethod
    def _unique_ids(cls, claims: list[ClaimInSchema]) -> list[ClaimInSchema]:
        seen: set[str] = set()
        for index, claim in enumerate(claims):
            if claim.id in seen:
                raise ValueError(f"claim {index} has the id {claim.id!r} of an earlier claim: ids must be unique")
            seen.add(claim.id)
        return claims


class PayoutOut(Schema):
    id: str
    amount: Yuan = Field(..., validation_alias="paid_fen", description="Amount paid on the claim, yuan string.")


class DistributionClassOut(Schema):
    claim_class: str = Field(..., serialization_alias="class")
    claimed: Yuan = Field(..., validation_alias="claimed_fen")
    paid: Yuan = Field(..., validation_alias="paid_fen")


class DistributionOut(Schema):
    payouts: list[PayoutOut] = Field(..., description="One per claim, in the order given.")
    classes: list[DistributionClassOut] = Field(..., description="Every class, in the order they are paid.")
    undistributed: Yuan = Field(
        ..., validation_alias="undistributed_fen", description="What is left once every claim is paid in full."
    )


class FeeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    distributed_value: YuanFen = Field(..., description="Value distributed to creditors, yuan string.")


class BracketOut(Schema):
    from_: Yuan = Field(
        ..., validation_alias="from_fen", serialization_alias="from", description="Lower bound of the bracket, yuan."
    )
    to: Yuan | None = Field(
        ..., validation_alias="to_fen", description="Upper bound, yuan; null for the open top bracket."
    )
    rate: str = Field(..., description="Marginal rate as a decimal fraction, e.g. 0.12.")
    amount: Yuan = Field(
        ..., validation_alias="amount_fen", description="Cap earned in this bracket, yuan (fractions of a fen dropped)."
    )

    @staticmethod
    def resolve_rate(bracket: Bracket) -> str:
        return rate_text(bracket.rate_per_mille)


class FeeOut(Schema):
    cap: Yuan = Field(..., validation_alias="cap_fen", description="Cap on the administrator's remuneration, yuan.")
    brackets: list[BracketOut]
