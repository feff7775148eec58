"""Shapes of the distributions API answers. Money: yuan strings with two decimals (core.schemas.Yuan
reads the fen)."""

from __future__ import annotations

import uuid

from ninja import Field, Schema

from smartcourt.core.schemas import Yuan
from smartcourt.distributions.models import DistributionPlan
from smartcourt.distributions.selectors import ClassSummary, fee_cap, plan_classes


class MyDistributionOut(Schema):
    claim_id: uuid.UUID
    plan_number: int | None = Field(
        ..., description="Version of the plan that counts (the ruled one, else the latest)."
    )
    plan_status: str
    planned: Yuan = Field(..., validation_alias="planned_fen", description="What the plan pays this claim, yuan.")
    held: Yuan = Field(
        ..., validation_alias="reserved_fen", description="Share held (提存) for a disputed or conditional claim, yuan."
    )
    paid: Yuan = Field(..., validation_alias="paid_fen", description="Paid by the bank to the creditor, yuan.")
    escrowed: Yuan = Field(
        ...,
        validation_alias="escrowed_fen",
        description="A payment the bank refused or returned, now in escrow, yuan.",
    )


class PlanClassOut(Schema):
    line_class: str
    label: str
    lines: int = Field(validation_alias="count")
    owed: Yuan = Field(validation_alias="owed_fen")
    share: Yuan = Field(validation_alias="share_fen")
    paid: Yuan = Field(validation_alias="paid_fen")
    held: Yuan = Field(validation_alias="reserved_fen")


class PlanOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    number: int
    kind: str
    status: str
    available: Yuan = Field(validation_alias="available_fen")
    secured_paid: Yuan = Field(validation_alias="secured_paid_fen")
    distributed: Yuan = Field(validation_alias="distributed_fen")
    held: Yuan = Field(validation_alias="reserved_fen")
    undistributed: Yuan = Field(validation_alias="undistributed_fen")
    fee_cap: Yuan = Field(..., description="Cap on the administrator's remuneration on what the plan pays creditors.")
    classes: list[PlanClassOut]

    @staticmethod
    def resolve_fee_cap(plan: DistributionPlan) -> int:
        return fee_cap(plan).cap_fen

    @staticmethod
    def resolve_classes(plan: DistributionPlan) -> list[ClassSummary]:
        return plan_classes(plan)
