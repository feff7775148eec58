"""Shapes of the funds API. Amounts are yuan strings with two decimals. No rules live here."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema

from smartcourt.funds.choices import Decision, PaymentStatus, Purpose


class PaymentIn(Schema):
    payee_name: str = Field(
        min_length=1, max_length=140, description="ISO 20022 Max140Text: the bank files carry no more"
    )
    payee_account: str = Field(min_length=1, max_length=40, description="Digits, as text.")
    payee_bank: str = Field(min_length=1, max_length=200)
    payee_bank_code: str = Field("", max_length=12, description="CNAPS code (12 digits), if known.")
    amount: str = Field(max_length=20, description="Yuan, at most two decimals, e.g. 12000.00.")
    purpose: Purpose
    description: str = Field(min_length=1, max_length=2000)


class DecisionIn(Schema):
    decision: Decision
    note: str = Field("", max_length=1000)
    version: int | None = Field(None, ge=1, le=1_000_000, description="The version you decided on (stale: 409).")
    for_panel: bool = Field(
        False,
        description="The judge assistant records the collegial panel's decision (the case is heard by a panel).",
    )


class PaymentTransitionOut(Schema):
    from_status: str
    to_status: str
    actor: str | None
    at: dt.datetime
    note: str


class ApprovalOut(Schema):
    step: str
    decision: str
    decided_by: str
    decided_at: dt.datetime
    note: str
    edition: int
    current: bool = Field(description="False once the request was edited after this decision.")


class PaymentOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    number: int
    status: PaymentStatus
    version: int
    edition: int
    payee_name: str
    payee_account: str
    payee_bank: str
    amount: str
    purpose: Purpose
    description: str
    over_limits: list[str]
    requested_by: str
    created_at: dt.datetime
    executed_at: dt.datetime | None
    bank_reference: str
    bank_reason: str


class PaymentDetailOut(PaymentOut):
    transitions: list[PaymentTransitionOut]
    approvals: list[ApprovalOut]
    next_step: str = Field(
        "",
        description="The court's decision and what the administrator does next (as the SMS says it); '' while "
        "undecided.",
    )


class LimitOut(Schema):
    limit: str | None = Field(description="Yuan; null: no limit of this kind.")
    used: str


class AlertOut(Schema):
    id: uuid.UUID
    kind: str
    message: str
    created_at: dt.datetime


class MovementOut(Schema):
    sequence: int
    booked_at: dt.datetime
    amount: str
    balance_after: str
    counterparty_name: str
    description: str
    payment_number: int | None


class AccountOut(Schema):
    id: uuid.UUID
    bank_name: str
    account_number: str
    account_name: str
    balance: str
    last_sequence: int
    synced_sequence: int
    per_transaction: LimitOut
    daily: LimitOut
    cumulative: LimitOut
    movements: list[MovementOut]
    alerts: list[AlertOut]


class NotificationOut(Schema):
    booked: int
    duplicates: int
    ignored: int
