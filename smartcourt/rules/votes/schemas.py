"""Shapes of the public vote-tally calculator. Amounts are yuan strings; the rules live in votes.py.

Every number is bounded: at most 20,000 voters, amounts of at most 10^13 yuan with at most two decimals,
at most 16 classes. Anything else is a 422 in the common error shape."""

from __future__ import annotations

import re
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, WithJsonSchema, model_validator

from smartcourt.core.numbers import fold_full_width
from smartcourt.core.schemas import Yuan
from smartcourt.rules.votes.calculator import ItemKind, Rule, Vote

MAX_VOTERS = 20_000
MAX_CLASSES = 16
# Non-negative yuan with at most two decimals and at most 13 integer digits (10^15 fen, core.money.MAX_FEN).
_YUAN = re.compile(r"^[0-9]{1,13}(\.[0-9]{1,2})?$", re.ASCII)


def _yuan(value: Any) -> str:
    # Strings only: a JSON number would go through a float somewhere and lose fen.
    if not isinstance(value, str):
        raise ValueError('must be a yuan amount written as a string, e.g. "1234.50"')
    value = fold_full_width(value)  # full-width digits deliberately; other scripts' digits fail the pattern
    if not _YUAN.match(value):
        raise ValueError(f"{value!r} is not a non-negative yuan amount with at most two decimals")
    return value


YuanString = Annotated[
    str,
    BeforeValidator(_yuan),
    WithJsonSchema({"type": "string", "pattern": _YUAN.pattern, "example": "1234.50"}),
]


def _voter_id(value: Any) -> str:
    # Ids may be numbers or strings in the request; they are compared as text.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("must be a string or an integer")
    text = str(value)
    if not 1 <= len(text) <= 64:
        raise ValueError("must be 1 to 64 characters")
    return text


VoterId = Annotated[str, BeforeValidator(_voter_id), WithJsonSchema({"type": "string", "example": "c-17"})]
ClassName = Annotated[str, Field(min_length=1, max_length=32)]


class VoterIn(Schema):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: VoterId
    vote: Vote = Field(..., description="for, against, abstain or absent (never counted as consenting).")
    voting_amount: YuanString = Field(..., description="The voter's voting amount in yuan.")
    secured_not_waived: bool = Field(
        False, description="A secured creditor who has not waived priority (no vote on art. 59 items)."
    )
    voter_class: ClassName | None = Field(None, alias="class", description="The voter's class (art84 only).")


class VoteTallyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    rule: Rule = Field(..., description="art64, art84 or art97.")
    item: ItemKind | None = Field(
        None, description="art64 only: general (default), distribution_plan or settlement_agreement."
    )
    total_unsecured_claims: YuanString | None = Field(None, description="art64 and art97: total unsecured claims.")
    class_totals: dict[ClassName, YuanString] | None = Field(
        None, max_length=MAX_CLASSES, description="art84: the total claims of each class."
    )
    voters: list[VoterIn] = Field(..., max_length=MAX_VOTERS)

    @model_validator(mode="after")
    def _consistent(self) -> VoteTallyIn:
        if self.rule == Rule.ART84:
            self._check_by_class()
        else:
            self._check_by_amount()
        seen: set[str] = set()
        for voter in self.voters:
            if voter.id in seen:
                raise ValueError(f"voter id {voter.id} appears twice")
            seen.add(voter.id)
        return self

    def _check_by_class(self) -> None:
        """art84 tallies by class: the totals of each class, and every voter in one of them."""
        if self.item is not None:
            raise ValueError("item is for art64 only")
        if self.total_unsecured_claims is not None:
            raise ValueError("art84 takes class_totals, not total_unsecured_claims")
        if not self.class_totals:
            raise ValueError("art84 needs class_totals with at least one class")
        for voter in self.voters:
            if voter.voter_class is None:
                raise ValueError(f"voter {voter.id} has no class")
            if voter.voter_class not in self.class_totals:
                raise ValueError(f"voter {voter.id} is in class {voter.voter_class}, missing from class_totals")

    def _check_by_amount(self) -> None:
        """art64 and art97 tally against the total of the unsecured claims."""
        if self.rule == Rule.ART97 and self.item is not None:
            raise ValueError("item is for art64 only")
        if self.total_unsecured_claims is None:
            raise ValueError(f"{self.rule} needs total_unsecured_claims")
        if self.class_totals is not None:
            raise ValueError(f"{self.rule} takes total_unsecured_claims, not class_totals")


class ClassTallyOut(Schema):
    voter_class: str = Field(
        ...,
        validation_alias="name",
        serialization_alias="class",
        description="The class, or 'all' for art64 and art97.",
    )
    passed: bool
    present_count: int = Field(..., description="Voters present (for, against, abstain) who have a vote.")
    for_count: int
    for_amount: Yuan = Field(..., validation_alias="for_amount_fen", description="Yuan, two decimals.")
    total_amount: Yuan = Field(
        ...,
        validation_alias="total_amount_fen",
        description="The total the amount is measured against, yuan, two decimals.",
    )


class VoteTallyOut(Schema):
    passed: bool
    classes: list[ClassTallyOut]
