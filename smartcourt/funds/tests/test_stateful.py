"""A Hypothesis state machine over the life of a supervised account against the in-memory bank: money in,
payment requests within and over the limits, review, approval, rejection, the bank processing instructions late
(a worker delayed or killed between sending and recording), retries, statement pulls and reconciliation.
After every step: the ledger balances, no payment went out over a limit without the court's approval, nothing
was paid twice, and once synced our books equal the bank's."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from smartcourt.banking.adapter import TransferInstruction
from smartcourt.funds import actions
from smartcourt.funds import bank as bank_seam
from smartcourt.funds.actions import (
    LimitsInput,
    bank_calls,
    decide_payment,
    payments,
    request_payment,
    review_payment,
    sync_account,
)
from smartcourt.funds.models import BankMovement, JournalLine, PaymentRequest
from smartcourt.funds.tests.fakes import FakeBank, fake_token
from smartcourt.funds.tests.helpers import details, open_case_account

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db

LIMITS = LimitsInput(per_transaction="500.00", daily="1000.00", cumulative="3000.00")


class Rollback(Exception):
    """Ends an example's savepoint so the next example starts from the same database."""


# The bank the monkeypatched seam returns: the running machine's.
_BANK: dict[str, FakeBank] = {}


class AccountMachine(RuleBasedStateMachine):
    """The life of a supervised account; the test sets ``personas`` on a subclass."""

    personas: Personas

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.bank = FakeBank()
        self.bank.on_movement = None  # notifications may be lost: only statements bring movements
        _BANK["bank"] = self.bank
        self.account = open_case_account(self.personas, LIMITS)

    def teardown(self) -> None:
        try:
            raise Rollback
        except Rollback:
            self.atomic.__exit__(Rollback, Rollback(), None)

    def payments(self, status: str) -> list[PaymentRequest]:
        return list(PaymentRequest.objects.filter(account=self.account, status=status).order_by("number"))

    @rule(amount=st.integers(min_value=1, max_value=200_000))
    def money_arrives(self, amount: int) -> None:
        self.bank.book(self.account.account_number, amount, counterparty="某某", push=False)

    @rule(yuan=st.integers(min_value=1, max_value=800))
    def administrator_requests(self, yuan: int) -> None:
        request_payment(
            actor=self.personas.administrator, case_id=self.personas.case.pk, details=details(amount=f"{yuan}.00")
        )

    @precondition(lambda self: bool(self.payments("submitted")))
    @rule(data=st.data())
    def assistant_forwards(self, data: Any) -> None:
        payment = data.draw(st.sampled_from(self.payments("submitted")))
        review_payment(actor=self.personas.assistant, payment_id=payment.pk, decision="forward")

    @precondition(lambda self: bool(self.payments("reviewed")))
    @rule(data=st.data(), approve=st.booleans())
    def judge_decides(self, data: Any, approve: bool) -> None:
        payment = data.draw(st.sampled_from(self.payments("reviewed")))
        decide_payment(
            actor=self.personas.judge,
            payment_id=payment.pk,
            decision="approve" if approve else "reject",
            note="" if approve else "不予准许",
        )

    @precondition(lambda self: bool(self.payments("submitted") or self.payments("returned")))
    @rule(data=st.data(), yuan=st.integers(min_value=1, max_value=800))
    def administrator_edits(self, data: Any, yuan: int) -> None:
        payment = data.draw(st.sampled_from(self.payments("submitted") + self.payments("returned")))
        actions.edit_payment(
            actor=self.personas.administrator, payment_id=payment.pk, details=details(amount=f"{yuan}.00")
        )

    @precondition(lambda self: bool(self.payments("sent_to_bank")))
    @rule(data=st.data(), record=st.booleans())
    def worker_sends(self, data: Any, record: bool) -> None:
        """The worker sends; when ``record`` is false it dies after the bank answered, before recording."""
        payment = data.draw(st.sampled_from(self.payments("sent_to_bank")))
        if record:
            actions.send_payment(payment_id=payment.pk)
            return
        self.bank.transfer(
            TransferInstruction(
                idempotency_key=payment.idempotency_key,
                account_number=self.account.account_number,
                payee=bank_calls._payee(payment),
                amount_fen=payment.amount_fen,
                purpose="x",
                approval_token=payment.approval_token,
            )
        )

    @rule()
    def periodic_check(self) -> None:
        actions.retry_unanswered(older_than=dt.timedelta(0))

    @rule()
    def statement_pull(self) -> None:
        sync_account(account_id=self.account.pk)

    @invariant()
    def ledger_balances(self) -> None:
        totals = JournalLine.objects.filter(case=self.personas.case).aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
        assert (totals["d"] or 0) == (totals["c"] or 0)

    @invariant()
    def nothing_paid_twice(self) -> None:
        assert len(self.bank.transfers_sent) == len(set(self.bank.transfers_sent))
        keys = [
            m.idempotency_key for m in self.bank.accounts[self.account.account_number].movements if m.amount_fen < 0
        ]
        assert len(keys) == len(set(keys))
        linked = BankMovement.objects.filter(account=self.account, amount_fen__lt=0, payment__isnull=False)
        assert linked.count() == linked.values("payment").distinct().count()

    @invariant()
    def no_limit_exceeded_without_approval(self) -> None:
        paid = {
            m.idempotency_key: -m.amount_fen
            for m in self.bank.accounts[self.account.account_number].movements
            if m.amount_fen < 0
        }
        unapproved = PaymentRequest.objects.filter(idempotency_key__in=paid, approval_token="")
        assert all(p.amount_fen <= 50_000 for p in unapproved)
        assert sum(p.amount_fen for p in unapproved) <= 300_000
        per_day: dict[Any, int] = {}
        for p in unapproved:
            per_day[p.released_on] = per_day.get(p.released_on, 0) + p.amount_fen
        assert all(total <= 100_000 for total in per_day.values()), per_day
        for payment in PaymentRequest.objects.filter(idempotency_key__in=paid):
            assert payment.status in {"sent_to_bank", "executed"}
            assert not payment.over_limits or payment.approval_token

    @invariant()
    def synced_books_equal_the_banks(self) -> None:
        account = type(self.account).objects.get(pk=self.account.pk)
        at_bank = self.bank.accounts[self.account.account_number]
        if account.synced_sequence == len(at_bank.movements):
            assert account.balance_fen == at_bank.balance_fen


def test_the_account_keeps_its_invariants(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bank_seam, "adapter_for", lambda partner: _BANK["bank"])
    monkeypatch.setattr(
        bank_seam,
        "approval_token",
        lambda *, account_number, amount_fen, idempotency_key, **_: fake_token(
            idempotency_key=idempotency_key, amount_fen=amount_fen, account_number=account_number
        ),
    )
    # Instructions are sent only by the machine's own rules: the bank may be slow, the worker may be late.
    monkeypatch.setattr(payments, "_queue_send", lambda payment_id: None)

    run_state_machine_as_test(
        type("Account", (AccountMachine,), {"personas": personas}),
        settings=settings(
            max_examples=25, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
