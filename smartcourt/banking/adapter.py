"""The one way the platform talks to a bank (DESIGN.md §6: outside parties only through adapters).

A bank is reached through an object implementing ``BankAdapter``; ``get_bank_adapter()`` returns the one
configured for a bank partner. Everything crossing this boundary is plain data (dataclasses of str, int and
datetime; money in integer fen), so the same calls can later travel through the intranet/internet gateway.

Errors: a refusal by the bank that is an answer (limit exceeded without a valid approval token, unknown
account, insufficient funds) comes back as a result with ``status=REJECTED`` and a reason code; a bank that
cannot be reached or answers with something we cannot trust raises ``BankUnavailable``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class BankUnavailable(Exception):
    """The bank did not answer, or answered with a message that failed its signature or digest checks."""


class BankRefused(Exception):
    """The bank answered, authentically, that it will not do what was asked and retrying will not help: an
    unknown account (outside transfers, where it is a REJECTED result), an idempotency key already used for
    another instruction, an invalid field. ``code`` is the bank's reason code."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


class UnknownTransfer(BankRefused):
    """``transfer_status`` for a key the bank has never received: the instruction did not arrive (safe to send)."""


class TransferStatus(enum.StrEnum):
    ACCEPTED = "accepted"  # the bank has the instruction and will execute it
    EXECUTED = "executed"  # debited from our account and sent to the payee's bank
    REJECTED = "rejected"  # refused by the bank; nothing was debited (see reason)
    RETURNED = "returned"  # executed, then returned by the payee's bank (wrong account, closed account)


class RejectReason(enum.StrEnum):
    LIMIT_PER_TRANSACTION = "limit_per_transaction"
    LIMIT_DAILY = "limit_daily"
    LIMIT_CUMULATIVE = "limit_cumulative"
    APPROVAL_TOKEN_INVALID = "approval_token_invalid"  # noqa: S105 - a reason code. Missing where needed, bad signature, expired, mismatch
    INSUFFICIENT_FUNDS = "insufficient_funds"
    UNKNOWN_ACCOUNT = "unknown_account"
    ACCOUNT_FROZEN = "account_frozen"
    INVALID_PAYEE = "invalid_payee"


@dataclass(frozen=True)
class AccountLimits:
    """Transfer limits of a supervised account, in fen; None means no limit of that kind.

    ``daily_fen`` counts debits booked on one Asia/Shanghai calendar day; ``cumulative_fen`` counts every
    debit since the account was opened under supervision."""

    per_transaction_fen: int | None
    daily_fen: int | None
    cumulative_fen: int | None


@dataclass(frozen=True)
class Payee:
    name: str
    account_number: str  # as text: account numbers are not numbers
    bank_name: str
    bank_code: str = ""  # CNAPS bank code (12 digits) where known
    identity_number: str = ""  # payee's identity or credit code, where the bank checks it


# The purpose line's length as the bank shows it on statements: a longer purpose is shortened visibly
# (core.lengths.shorten) by whoever composes it; the whole text stays on the platform's own record.
PURPOSE_LENGTH = 60


@dataclass(frozen=True)
class TransferInstruction:
    """One payment from a supervised account. ``idempotency_key`` is unique per platform: sending the same
    instruction twice never pays twice, it answers with the first result."""

    idempotency_key: str
    account_number: str
    payee: Payee
    amount_fen: int
    purpose: str  # short text shown on the statements of both sides
    approval_token: str = ""  # the court's signed approval (partnerproto.approval) where a limit needs it


@dataclass(frozen=True)
class TransferResult:
    idempotency_key: str
    status: TransferStatus
    bank_reference: str = ""
    reason: RejectReason | None = None
    message: str = ""  # the bank's own words, for people
    executed_at: datetime | None = None


@dataclass(frozen=True)
class Movement:
    """One booked movement on an account, as the bank reports it (statement line or push notification).

    ``sequence`` increases by one per movement on the account, so a gap shows a missed notification."""

    account_number: str
    sequence: int
    bank_reference: str
    booked_at: datetime
    amount_fen: int  # positive: credit (money in); negative: debit (money out)
    balance_after_fen: int
    counterparty_name: str
    counterparty_account: str
    description: str
    idempotency_key: str = ""  # set when the movement executes one of our instructions


@dataclass(frozen=True)
class AccountInfo:
    account_number: str
    account_name: str
    balance_fen: int
    limits: AccountLimits
    debited_today_fen: int
    debited_total_fen: int
    frozen: bool = False


@dataclass(frozen=True)
class BatchResult:
    batch_id: str
    results: list[TransferResult] = field(default_factory=list)


class BankAdapter(Protocol):
    """A bank's corporate direct-link service, as the platform uses it."""

    def open_account(
        self, *, account_name: str, holder_id: str, case_reference: str, limits: AccountLimits
    ) -> AccountInfo:
        """Open a new supervised account for an administrator (holder_id: the firm's credit code)."""

    def register_account(self, *, account_number: str, case_reference: str, limits: AccountLimits) -> AccountInfo:
        """Put an existing account of the administrator under the court's supervision with these limits."""

    def set_limits(self, *, account_number: str, limits: AccountLimits) -> AccountInfo: ...

    def account(self, *, account_number: str) -> AccountInfo: ...

    def transfer(self, instruction: TransferInstruction) -> TransferResult: ...

    def transfer_status(self, *, idempotency_key: str) -> TransferResult: ...

    def batch_transfer(
        self, *, batch_id: str, account_number: str, instructions: list[TransferInstruction], approval_token: str
    ) -> BatchResult:
        """Several payments under one approval token covering the whole batch (distributions)."""

    def statement(self, *, account_number: str, after_sequence: int = 0, limit: int = 500) -> list[Movement]:
        """Movements with sequence > after_sequence, oldest first (the periodic pull)."""
