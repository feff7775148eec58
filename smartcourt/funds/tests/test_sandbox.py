"""Fund supervision against the sandbox bank, a separate process speaking the signed, encrypted protocol:
a payment within limits executed at once; one over the limit approved by the judge and executed with the
court's approval token, which the bank verifies; a movement the bank pushes landing in the ledger; the ledger
balancing and reconciling with the bank's statement."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.db.models import Sum

from smartcourt.banking.testing import Bank
from smartcourt.funds.actions import decide_payment, review_payment, sync_account
from smartcourt.funds.models import BankMovement, FundAlert, JournalLine
from smartcourt.funds.tests.helpers import ask, open_case_account

if TYPE_CHECKING:
    from conftest import Personas


def booked_balance(account: Any) -> int:
    return int(BankMovement.objects.filter(account=account).aggregate(total=Sum("amount_fen"))["total"] or 0)


@pytest.mark.django_db
def test_payments_within_and_over_the_limit_with_the_sandbox_bank(
    personas: Personas, bank: Bank, django_capture_on_commit_callbacks: Any
) -> None:
    account = open_case_account(personas)
    assert account.account_number in [row[0] for row in bank.snapshot()["accounts"]]
    bank.credit(account.account_number, 100_000_000, counterparty_name="某某拍卖有限公司", description="变价款")

    with django_capture_on_commit_callbacks(execute=True):
        within = ask(personas, amount="12000.00")
    within.refresh_from_db()
    assert within.status == "executed" and within.bank_reference

    with django_capture_on_commit_callbacks(execute=True):
        over = ask(personas, amount="80000.00", description="拍卖辅助机构佣金")
    over.refresh_from_db()
    assert over.status == "submitted" and over.over_limits == ["per_transaction"]
    sent = {row[0] for row in bank.snapshot()["transfers"]}
    assert within.idempotency_key in sent and over.idempotency_key not in sent  # never reached the bank

    review_payment(actor=personas.assistant, payment_id=over.pk, decision="forward")
    with django_capture_on_commit_callbacks(execute=True):
        decide_payment(actor=personas.judge, payment_id=over.pk, decision="approve", note="同意")
    over.refresh_from_db()
    assert over.status == "executed", (over.bank_reason, over.bank_message)
    assert bank.balance(account.account_number) == 100_000_000 - 1_200_000 - 8_000_000

    # The statement pull books what no notification brought (the bank was not pushing), exactly once.
    assert sync_account(account_id=account.pk) == 3
    assert sync_account(account_id=account.pk) == 0
    account.refresh_from_db()
    assert account.balance_fen == bank.balance(account.account_number) == booked_balance(account)
    assert set(BankMovement.objects.filter(payment__isnull=False).values_list("payment__number", flat=True)) == {1, 2}
    totals = JournalLine.objects.aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    assert totals["d"] == totals["c"]
    assert not FundAlert.objects.exclude(kind="limit_breach_attempted").exists()


@pytest.mark.django_db
def test_the_bank_refuses_an_over_limit_transfer_without_a_valid_token(personas: Personas, bank: Bank) -> None:
    """Even if the platform were bypassed, the bank's own limit check stands: a forged token is refused."""
    from smartcourt.banking.adapter import Payee, TransferInstruction
    from smartcourt.funds import bank as bank_seam

    account = open_case_account(personas)
    bank.credit(account.account_number, 100_000_000)
    before = bank.snapshot()["accounts"]
    result = bank_seam.adapter_for("sandbox").transfer(
        TransferInstruction(
            idempotency_key="f" * 32,
            account_number=account.account_number,
            payee=Payee(name="某", account_number="6217001234567890", bank_name="中国银行"),
            amount_fen=8_000_000,
            purpose="佣金",
            approval_token="forged",
        )
    )
    assert result.status == "rejected" and result.reason == "approval_token_invalid"
    assert bank.snapshot()["accounts"] == before


@pytest.mark.django_db(transaction=True)
def test_a_movement_pushed_by_the_bank_lands_in_the_ledger(personas: Personas, bank: Bank, live_server: Any) -> None:
    account = open_case_account(personas)
    bank.notify_to(f"{live_server.url}/api/v1/banking/notifications")
    bank.credit(account.account_number, 5_000_000, counterparty_name="如东县某某有限公司", description="应收账款回收")
    bank.debit(account.account_number, 2_000, counterparty_name="银行手续费")
    delivered = bank.push_now()
    assert delivered["failed"] == 0 and delivered["delivered"] >= 1, delivered
    movements = list(BankMovement.objects.filter(account=account).order_by("sequence"))
    assert [(m.sequence, m.amount_fen, m.source) for m in movements] == [
        (1, 5_000_000, "notification"),
        (2, -2_000, "notification"),
    ]
    account.refresh_from_db()
    assert account.balance_fen == 4_998_000 == bank.balance(account.account_number)
    # The bank's own debit is no payment of ours: an alert for the judge.
    assert list(FundAlert.objects.values_list("kind", flat=True)) == ["unexpected_debit"]
    # Pushed again (a retry) it is booked once.
    assert sync_account(account_id=account.pk) == 0


@pytest.mark.django_db
def test_a_payment_returned_by_the_payees_bank(
    personas: Personas, bank: Bank, django_capture_on_commit_callbacks: Any
) -> None:
    """退汇: the bank executes, the payee's bank sends the money back; the request says so and the ledger
    reverses the expense."""
    account = open_case_account(personas)
    bank.credit(account.account_number, 10_000_000)
    bank.close_payee_account("6217009999999999")
    with django_capture_on_commit_callbacks(execute=True):
        payment = ask(personas, amount="3000.00", payee_account="6217009999999999")
    sync_account(account_id=account.pk)
    payment.refresh_from_db()
    assert payment.status == "bounced"
    assert [t.to_status for t in payment.transitions.order_by("at")] == [
        "submitted",
        "sent_to_bank",
        "executed",
        "bounced",
    ]
    expenses = JournalLine.objects.filter(ledger_account="bankruptcy_expenses").aggregate(
        d=Sum("debit_fen"), c=Sum("credit_fen")
    )
    assert expenses == {"d": 300_000, "c": 300_000}
    account.refresh_from_db()
    assert account.balance_fen == 10_000_000 == bank.balance(account.account_number)
