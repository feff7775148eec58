"""Shapes of the distributions API answers. Money: yuan strings with two decimals."""

from __future__ import annotations

import uuid

from ninja import Field, Schema


class MyDistributionOut(Schema):
    claim_id: uuid.UUID
    plan_number: int | None = Field(
        ..., description="Version of the plan that counts (the ruled one, else the latest)."
    )
    plan_status: str
    planned: str = Field(..., description="What the plan pays this claim, yuan.")
    held: str = Field(..., description="Share held (提存) for a disputed or conditional claim, yuan.")
    paid: str = Field(..., description="Paid by the bank to the creditor, yuan.")
    escrowed: str = Field(..., description="A payment the bank refused or returned, now in escrow, yuan.")


class PlanClassOut(Schema):
    line_class: str
    label: str
    lines: int
    owed: str
    share: str
    paid: str
    held: str


class PlanOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    number: int
    kind: str
    status: str
    available: str
    secured_paid: str
    distributed: str
    held: str
    undistributed: str
    fee_cap: str = Field(..., description="Cap on the administrator's remuneration on what the plan pays creditors.")
    classes: list[PlanClassOut]
