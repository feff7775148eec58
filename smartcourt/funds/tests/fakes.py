"""An in-memory bank implementing smartcourt.banking.adapter.BankAdapter, for the domain tests: it enforces
limits (Asia/Shanghai days) unless the court's approval token matches, deduplicates idempotency keys, numbers
movements per account and can push them to the platform like a real bank would."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from smartcourt.banking import adapter
from smartcourt.banking.adapter import (
    AccountInfo,
    AccountLimits,
    BankUnavailable,
    BatchResult,
    Movement,
    Payee,
    RejectReason,
    TransferInstruction,
    TransferResult,
    TransferStatus,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def fake_token(*, idempotency_key: str, amount_fen: int, account_number: str) -> str:
    return f"approved:{account_number}:{idempotency_key}:{amount_fen}"


@dataclass
class FakeAccount:
    number: str
    name: str
    limits: AccountLimits
    balance_fen: int = 0
    movements: list[Movement] = field(default_factory=list)


@dataclass
class FakeBank:
    """One bank. ``on_movement`` is called for each new movement (the push notification), if set."""

    accounts: dict[str, FakeAccount] = field(default_factory=dict)
    results: dict[str, TransferResult] = field(default_factory=dict)
    transfers_sent: list[str] = field(default_factory=list)
    on_movement: Callable[[Movement], None] | None = None
    down: bool = False
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _up(self) -> None:
        if self.down:
            raise BankUnavailable("the fake bank is down")

    def _info(self, account: FakeAccount) -> AccountInfo:
        today = self.now().astimezone(SHANGHAI).date()
        debits = [m for m in account.movements if m.amount_fen < 0]
        return AccountInfo(
            account_number=account.number,
            account_name=account.name,
            balance_fen=account.balance_fen,
            limits=account.limits,
            debited_today_fen=-sum(m.amount_fen for m in debits if m.booked_at.astimezone(SHANGHAI).date() == today),
            debited_total_fen=-sum(m.amount_fen for m in debits),
        )

    def open_account(
        self, *, account_name: str, holder_id: str, case_reference: str, limits: AccountLimits
    ) -> AccountInfo:
        self._up()
        number = f"6222{next(self._numbers):012d}"
        self.accounts[number] = FakeAccount(number=number, name=account_name, limits=limits)
        return self._info(self.accounts[number])

    def register_account(self, *, account_number: str, case_reference: str, limits: AccountLimits) -> AccountInfo:
        self._up()
        account = self.accounts.setdefault(
            account_number, FakeAccount(number=account_number, name="既有账户", limits=limits)
        )
        account.limits = limits
        return self._info(account)

    def set_limits(self, *, account_number: str, limits: AccountLimits) -> AccountInfo:
        self._up()
        self.accounts[account_number].limits = limits
        return self._info(self.accounts[account_number])

    def account(self, *, account_number: str) -> AccountInfo:
        self._up()
        return self._info(self.accounts[account_number])

    def book(
        self, account_number: str, amount_fen: int, *, counterparty: str, key: str = "", push: bool = True
    ) -> Movement:
        """Book a movement (a credit from outside, or one of the bank's own debits) and push it."""
        account = self.accounts[account_number]
        account.balance_fen += amount_fen
        movement = Movement(
            account_number=account_number,
            sequence=len(account.movements) + 1,
            bank_reference=f"REF{account_number[-4:]}{len(account.movements) + 1:06d}",
            booked_at=self.now(),
            amount_fen=amount_fen,
            balance_after_fen=account.balance_fen,
            counterparty_name=counterparty,
            counterparty_account="6217000000000000",
            description="转账",
            idempotency_key=key,
        )
        account.movements.append(movement)
        if push and self.on_movement is not None:
            self.on_movement(movement)
        return movement

    def transfer(self, instruction: TransferInstruction) -> TransferResult:
        self._up()
        if instruction.idempotency_key in self.results:
            return self.results[instruction.idempotency_key]
        self.transfers_sent.append(instruction.idempotency_key)
        result = self._execute(instruction)
        self.results[instruction.idempotency_key] = result
        return result

    def _execute(self, instruction: TransferInstruction) -> TransferResult:
        account = self.accounts.get(instruction.account_number)
        key = instruction.idempotency_key
        if account is None:
            return TransferResult(key, TransferStatus.REJECTED, reason=RejectReason.UNKNOWN_ACCOUNT)
        info = self._info(account)
        amount = instruction.amount_fen
        over = None
        limits = account.limits
        if limits.per_transaction_fen is not None and amount > limits.per_transaction_fen:
            over = RejectReason.LIMIT_PER_TRANSACTION
        elif limits.daily_fen is not None and info.debited_today_fen + amount > limits.daily_fen:
            over = RejectReason.LIMIT_DAILY
        elif limits.cumulative_fen is not None and info.debited_total_fen + amount > limits.cumulative_fen:
            over = RejectReason.LIMIT_CUMULATIVE
        expected = fake_token(idempotency_key=key, amount_fen=amount, account_number=account.number)
        if over is not None and instruction.approval_token != expected:
            return TransferResult(key, TransferStatus.REJECTED, reason=over, message="超过限额且无有效审批令牌")
        if account.balance_fen < amount:
            return TransferResult(
                key, TransferStatus.REJECTED, reason=RejectReason.INSUFFICIENT_FUNDS, message="余额不足"
            )
        movement = self.book(account.number, -amount, counterparty=instruction.payee.name, key=key)
        return TransferResult(
            key, TransferStatus.EXECUTED, bank_reference=movement.bank_reference, executed_at=movement.booked_at
        )

    def transfer_status(self, *, idempotency_key: str) -> TransferResult:
        self._up()
        if idempotency_key not in self.results:
            raise adapter.UnknownTransfer("unknown_transfer", idempotency_key)
        return self.results[idempotency_key]

    def batch_transfer(
        self, *, batch_id: str, account_number: str, instructions: list[TransferInstruction], approval_token: str
    ) -> BatchResult:
        return BatchResult(batch_id=batch_id, results=[self.transfer(item) for item in instructions])

    def statement(self, *, account_number: str, after_sequence: int = 0, limit: int = 500) -> list[Movement]:
        self._up()
        return [m for m in self.accounts[account_number].movements if m.sequence > after_sequence][:limit]


def payee(name: str = "南通某某会计师事务所") -> Payee:
    return Payee(name=name, account_number="6217001234567890", bank_name="中国银行南通分行")
