"""Shapes of the funds API. Amounts are yuan strings with two decimals (core.schemas.Yuan reads the fen).
No rules live here."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from ninja import Field, Schema

from smartcourt.core.schemas import Yuan
from smartcourt.funds.actions.notices import next_step
from smartcourt.funds.choices import Decision, PaymentStatus, Purpose
from smartcourt.funds.models import PaymentApproval, PaymentRequest, PaymentTransition
from smartcourt.funds.selectors import AccountView


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
    actor: str | None = Field(None, validation_alias="actor.full_name")
    at: dt.datetime
    note: str


class ApprovalOut(Schema):
    step: str
    decision: str
    decided_by: str = Field(validation_alias="decided_by.full_name")
    decided_at: dt.datetime
    note: str
    edition: int
    current: bool = Field(description="False once the request was edited after this decision.")

    @staticmethod
    def resolve_current(approval: PaymentApproval) -> bool:
        return approval.edition == approval.payment.edition


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
    amount: Yuan = Field(validation_alias="amount_fen")
    purpose: Purpose
    description: str
    over_limits: list[str]
    requested_by: str = Field(validation_alias="requested_by.full_name")
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

    @staticmethod
    def resolve_next_step(payment: PaymentRequest) -> str:
        return next_step(payment)

    @staticmethod
    def resolve_transitions(payment: PaymentRequest) -> list[PaymentTransition]:
        return list(payment.transitions.select_related("actor").order_by("at"))

    @staticmethod
    def resolve_approvals(payment: PaymentRequest) -> list[PaymentApproval]:
        return list(payment.approvals.select_related("decided_by").order_by("decided_at"))


@dataclass(frozen=True)
class Limit:
    limit_fen: int | None
    used_fen: int


class LimitOut(Schema):
    limit: Yuan | None = Field(validation_alias="limit_fen", description="Yuan; null: no limit of this kind.")
    used: Yuan = Field(validation_alias="used_fen")


class AlertOut(Schema):
    id: uuid.UUID
    kind: str
    message: str
    created_at: dt.datetime


class MovementOut(Schema):
    sequence: int
    booked_at: dt.datetime
    amount: Yuan = Field(validation_alias="amount_fen")
    balance_after: Yuan = Field(validation_alias="balance_after_fen")
    counterparty_name: str
    description: str
    payment_number: int | None = Field(None, validation_alias="payment.number")


class AccountOut(Schema):
    """Reads a selectors.AccountView."""

    id: uuid.UUID = Field(validation_alias="account.pk")
    bank_name: str = Field(validation_alias="account.bank_name")
    account_number: str = Field(validation_alias="account.account_number")
    account_name: str = Field(validation_alias="account.account_name")
    balance: Yuan = Field(validation_alias="account.balance_fen")
    last_sequence: int = Field(validation_alias="account.last_sequence")
    synced_sequence: int = Field(validation_alias="account.synced_sequence")
    per_transaction: LimitOut
    daily: LimitOut
    cumulative: LimitOut
    movements: list[MovementOut]
    alerts: list[AlertOut]

    @staticmethod
    def resolve_per_transaction(view: AccountView) -> Limit:
        return Limit(limit_fen=view.account.per_transaction_limit_fen, used_fen=0)

    @staticmethod
    def resolve_daily(view: AccountView) -> Limit:
        return Limit(limit_fen=view.account.daily_limit_fen, used_fen=view.use.today_fen)

    @staticmethod
    def resolve_cumulative(view: AccountView) -> Limit:
        return Limit(limit_fen=view.account.cumulative_limit_fen, used_fen=view.use.total_fen)


class NotificationOut(Schema):
    booked: int
    duplicates: int
    ignored: int
