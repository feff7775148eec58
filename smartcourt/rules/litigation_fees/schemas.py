"""Shapes of the public litigation-fee calculator (``rules/litigation_fees/api.py``).

The request's fields are checked by the calculator itself rather than by pydantic, so that every refusal
(an unknown kind, a number where a yuan string belongs, a negative amount) is one clear message in the
user's language naming the field, in the common error shape."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, WithJsonSchema

from smartcourt.core.schemas import Yuan
from smartcourt.rules.litigation_fees.calculator import ClosedBy, FeeKind, FeeProcedure, Step, rate_text

_YUAN_SCHEMA = {"type": "string", "pattern": r"^[0-9]{1,13}(\.[0-9]{1,2})?$", "example": "100000.00"}


class LitigationFeeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Annotated[Any, WithJsonSchema({"type": "string", "enum": [k.value for k in FeeKind]})] = Field(
        None, description="The kind of case or application (诉讼费用交纳办法 arts. 8, 13, 14)."
    )
    amount: Annotated[Any, WithJsonSchema({**_YUAN_SCHEMA, "nullable": True})] = Field(
        None,
        description="Amount in dispute, executed, preserved or of the estate, in yuan (a string, at most two "
        "decimals). Required for property cases, payment orders and bankruptcy; optional where the Measures "
        "give a fee without one; refused for kinds paid per case.",
    )
    procedure: Annotated[Any, WithJsonSchema({"type": "string", "enum": [p.value for p in FeeProcedure]})] = Field(
        FeeProcedure.ORDINARY.value, description="ordinary (default) or simplified (halved, art. 16)."
    )
    closed_by: Annotated[Any, WithJsonSchema({"type": "string", "enum": [c.value for c in ClosedBy]})] = Field(
        ClosedBy.JUDGMENT.value, description="judgment (default), mediation or withdrawal (halved, art. 15)."
    )


class FeeStepOut(Schema):
    description: str = Field(..., description="The step in Chinese, e.g. 超过10,000元至100,000元的部分，按照2.5%交纳.")
    description_en: str
    from_: Yuan | None = Field(
        None, validation_alias="from_fen", serialization_alias="from", description="Lower bound of a band, yuan."
    )
    to: Yuan | None = Field(None, validation_alias="to_fen", description="Upper bound of a band (null: none), yuan.")
    rate: str | None = Field(None, description="A band's rate as an exact decimal, e.g. 0.025.")
    base: Yuan | None = Field(
        None, validation_alias="base_fen", description="The part of the amount in the band, yuan."
    )
    amount: Yuan | None = Field(
        None, validation_alias="amount_fen", description="The band's fee, a flat fee, or the fee after an adjustment."
    )
    min: Yuan | None = Field(
        None, validation_alias="min_fen", description="Low end of a range the province sets (after this step)."
    )
    max: Yuan | None = Field(
        None, validation_alias="max_fen", description="High end of a range the province sets (after this step)."
    )

    @staticmethod
    def resolve_rate(step: Step) -> str | None:
        return None if step.rate_per_mille is None else rate_text(step.rate_per_mille)


class LitigationFeeOut(Schema):
    kind: str
    fee_type: str = Field(..., description="acceptance (案件受理费), application (申请费) or none (art. 8).")
    amount: Yuan | None = Field(..., validation_alias="amount_fen")
    procedure: str
    closed_by: str
    fee: Yuan | None = Field(
        ..., validation_alias="fee_fen", description="The fee in yuan, or null where the Measures give a range."
    )
    fee_min: Yuan | None = Field(..., validation_alias="fee_min_fen")
    fee_max: Yuan | None = Field(..., validation_alias="fee_max_fen")
    basis: list[str] = Field(..., description="The articles applied, e.g. 《诉讼费用交纳办法》第十三条第（一）项.")
    basis_en: list[str]
    steps: list[FeeStepOut]
    schedule_version: str = Field(..., description="Version of the fee schedule used (see /rules/litigation-fees/).")
