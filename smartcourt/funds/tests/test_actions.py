"""Fund supervision as the court and the administrator live it, against an in-memory bank: limits set at
opening, payments within limits executed at once, over-limit payments through review and approval, an edit
voiding approvals, the bank's movements booked once into a balanced ledger, alerts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from django.db.models import Sum

from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.dossier.models import DossierEntry
from smartcourt.funds.actions import (
    ExpectedDebitInput,
    LimitsInput,
    book_movement,
    change_limits,
    decide_payment,
    edit_payment,
    expect_debits,
    request_payment,
    review_payment,
    sync_account,
    withdraw_payment,
)
from smartcourt.funds.choices import MovementSource
from smartcourt.funds.models import BankMovement, ExpectedDebit, FundAlert, JournalLine, LimitChange, PaymentApproval
from smartcourt.funds.selectors import limit_use
from smartcourt.funds.tests.fakes import FakeBank
from smartcourt.funds.tests.helpers import ask, details, open_case_account
from smartcourt.testing import database_state

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db


def actions_of(payment: Any) -> list[str]:
    return list(AuditEvent.objects.filter(object_id=str(payment.pk)).order_by("seq").values_list("action", flat=True))


@pytest.fixture
def funded(personas: Personas, fake_bank: FakeBank) -> Any:
    account = open_case_account(personas)
    fake_bank.book(account.account_number, 100_000_000, counterparty="某某拍卖有限公司")  # 1,000,000.00 in
    return account


def test_the_judge_opens_the_account_with_limits_at_the_bank(personas: Personas, fake_bank: FakeBank) -> None:
    account = open_case_account(personas)
    assert (account.per_transaction_limit_fen, account.daily_limit_fen, account.cumulative_limit_fen) == (
        5_000_000,
        10_000_000,
        30_000_000,
    )
    at_bank = fake_bank.accounts[account.account_number]
    assert at_bank.limits.per_transaction_fen == 5_000_000 and at_bank.limits.cumulative_fen == 30_000_000
    assert LimitChange.objects.filter(account=account).count() == 1
    assert AuditEvent.objects.filter(action="funds.account_opened", object_id=str(account.pk)).count() == 1
    with pytest.raises(Conflict):
        open_case_account(personas)


def test_limits_change_at_the_bank_and_here_with_history(personas: Personas, fake_bank: FakeBank) -> None:
    account = open_case_account(personas)
    change_limits(
        actor=personas.judge, account_id=account.pk, limits=LimitsInput(per_transaction="80000"), reason="拍卖佣金"
    )
    account.refresh_from_db()
    assert account.per_transaction_limit_fen == 8_000_000 and account.daily_limit_fen is None
    assert fake_bank.accounts[account.account_number].limits.per_transaction_fen == 8_000_000
    assert LimitChange.objects.filter(account=account).count() == 2
    event = AuditEvent.objects.get(action="funds.limits_changed")
    assert event.before is not None and event.after is not None
    assert event.before["per_transaction_fen"] == 5_000_000 and event.after["per_transaction_fen"] == 8_000_000


@pytest.mark.parametrize("who", ["administrator", "assistant", "creditor_a", "outsider", "bank_operator"])
def test_only_the_court_opens_accounts(personas: Personas, fake_bank: FakeBank, who: str) -> None:
    before = database_state()
    with pytest.raises((PermissionDenied, NotFound)):
        from smartcourt.funds.actions import open_account

        open_account(
            actor=getattr(personas, who),
            case_id=personas.case.pk,
            bank_partner="sandbox",
            bank_name="x",
            account_name="x",
            limits=LimitsInput(),
        )
    assert database_state() == before and fake_bank.accounts == {}


def test_a_payment_within_limits_is_executed_at_once(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        payment = ask(personas)
    payment.refresh_from_db()
    assert payment.status == "executed"
    assert payment.over_limits == [] and payment.approval_token == ""
    assert fake_bank.transfers_sent == [payment.idempotency_key]
    assert [t.to_status for t in payment.transitions.order_by("at")] == ["submitted", "sent_to_bank", "executed"]
    assert actions_of(payment) == ["funds.payment_requested", "funds.payment_sent", "funds.payment_executed"]
    movement = BankMovement.objects.get(payment=payment)
    assert movement.amount_fen == -1_200_000 and movement.source == MovementSource.NOTIFICATION
    funded.refresh_from_db()
    assert funded.balance_fen == 100_000_000 - 1_200_000
    assert DossierEntry.objects.filter(source_id=str(payment.pk), title__contains="执行记录").count() == 1
    assert not FundAlert.objects.exists()


def test_sending_again_never_pays_twice(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    from smartcourt.funds.actions import check_payment, send_payment

    with django_capture_on_commit_callbacks(execute=True):
        payment = ask(personas)
    assert send_payment(payment_id=payment.pk) == "executed"
    assert check_payment(payment_id=payment.pk) == "executed"
    assert fake_bank.transfers_sent == [payment.idempotency_key]
    assert BankMovement.objects.filter(payment=payment).count() == 1


def test_a_crash_between_sending_and_recording_is_reconciled_by_status_query(
    personas: Personas, funded: Any, fake_bank: FakeBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker dies after the bank executed the transfer but before the answer was recorded (and the
    notification was lost): the periodic check asks the bank by idempotency key and does not send again."""
    from smartcourt.banking.adapter import TransferInstruction
    from smartcourt.funds.actions import bank_calls, payments, retry_unanswered

    monkeypatch.setattr(payments, "_queue_send", lambda payment_id: None)
    payment = ask(personas)
    fake_bank.on_movement = None
    fake_bank.transfer(
        TransferInstruction(
            idempotency_key=payment.idempotency_key,
            account_number=funded.account_number,
            payee=bank_calls._payee(payment),
            amount_fen=payment.amount_fen,
            purpose="x",
        )
    )
    assert payment.status == "sent_to_bank"
    assert retry_unanswered(older_than=dt.timedelta(0)) == 1
    payment.refresh_from_db()
    assert payment.status == "executed"
    assert fake_bank.transfers_sent == [payment.idempotency_key]
    # The statement pull then books the movement the notification did not bring, once.
    assert sync_account(account_id=funded.pk) == 1
    assert sync_account(account_id=funded.pk) == 0
    assert BankMovement.objects.get(payment=payment).source == MovementSource.STATEMENT


def over_limit_request(personas: Personas, capture: Any, **overrides: Any) -> Any:
    with capture(execute=True):
        payment = ask(personas, amount="80000.00", description="拍卖辅助机构佣金", **overrides)
    return payment


def test_an_over_limit_payment_goes_through_review_and_approval_then_executes_with_the_token(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    payment = over_limit_request(personas, django_capture_on_commit_callbacks)
    assert payment.status == "submitted" and payment.over_limits == ["per_transaction"]
    assert fake_bank.transfers_sent == []
    alert = FundAlert.objects.get(kind="limit_breach_attempted")
    assert alert.payment_id == payment.pk and "80000.00" in alert.message

    review_payment(actor=personas.assistant, payment_id=payment.pk, decision="forward", note="票据齐全")
    with django_capture_on_commit_callbacks(execute=True):
        decide_payment(actor=personas.judge, payment_id=payment.pk, decision="approve", note="同意")
    payment.refresh_from_db()
    assert payment.status == "executed"
    assert payment.approval_token.startswith("approved:")
    assert [t.to_status for t in payment.transitions.order_by("at")] == [
        "submitted",
        "reviewed",
        "approved",
        "sent_to_bank",
        "executed",
    ]
    assert actions_of(payment) == [
        "funds.payment_requested",
        "funds.limit_breach_attempted",
        "funds.payment_reviewed",
        "funds.payment_approved",
        "funds.payment_sent",
        "funds.payment_executed",
    ]
    alert.refresh_from_db()
    assert alert.resolved_at is not None  # the judge's decision answers it
    approval = PaymentApproval.objects.get(payment=payment, step="approval")
    assert approval.entry is not None and approval.entry.file_name.endswith(".pdf")
    assert approval.entry.file.read().startswith(b"%PDF-")


def test_the_bank_refuses_an_over_limit_payment_without_the_token(
    personas: Personas, funded: Any, fake_bank: FakeBank
) -> None:
    """The bank enforces the limits too: the platform's routing is not the only guard."""
    from smartcourt.banking.adapter import Payee, TransferInstruction

    result = fake_bank.transfer(
        TransferInstruction(
            idempotency_key="x" * 32,
            account_number=funded.account_number,
            payee=Payee(name="某", account_number="1", bank_name="b"),
            amount_fen=8_000_000,
            purpose="x",
        )
    )
    assert result.status == "rejected" and result.reason == "limit_per_transaction"


def statuses(*payments: Any) -> list[str]:
    for payment in payments:
        payment.refresh_from_db()
    return [payment.status for payment in payments]


def test_daily_and_cumulative_limits_count_what_was_paid(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any, time_machine: Any
) -> None:
    # 23:30 in Shanghai: two payments of 45,000 fit the 100,000 day; a third does not.
    time_machine.move_to(dt.datetime(2026, 6, 1, 15, 30, tzinfo=dt.UTC), tick=False)
    fake_bank.now = lambda: dt.datetime.now(dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        day_one = [ask(personas, amount="45000.00") for _ in range(3)]
    assert statuses(*day_one) == ["executed", "executed", "submitted"]
    assert day_one[2].over_limits == ["daily"]
    assert limit_use(funded).today_fen == 9_000_000
    # Past midnight in Shanghai (16:00 UTC) the day's room is back; the cumulative limit still counts.
    time_machine.move_to(dt.datetime(2026, 6, 1, 16, 30, tzinfo=dt.UTC), tick=False)
    assert limit_use(funded).today_fen == 0
    with django_capture_on_commit_callbacks(execute=True):
        day_two = [ask(personas, amount="45000.00") for _ in range(2)] + [ask(personas, amount="50000.00")]
    assert statuses(*day_two) == ["executed", "executed", "submitted"]
    time_machine.move_to(dt.datetime(2026, 6, 3, 2, 0, tzinfo=dt.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        day_three = [ask(personas, amount="45000.00") for _ in range(2)]
    assert statuses(*day_three) == ["executed", "executed"]
    # 270,000 paid; another 40,000 the next day fits its day but passes the 300,000 cumulative limit.
    time_machine.move_to(dt.datetime(2026, 6, 4, 2, 0, tzinfo=dt.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        day_four = ask(personas, amount="40000.00")
    assert statuses(day_four) == ["submitted"] and day_four.over_limits == ["cumulative"]
    assert limit_use(funded).total_fen == 27_000_000
    assert AuditEvent.objects.filter(action="funds.limit_breach_attempted").count() == 3


def test_an_edit_voids_the_review_and_a_returned_request_comes_back(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    payment = over_limit_request(personas, django_capture_on_commit_callbacks)
    review_payment(actor=personas.assistant, payment_id=payment.pk, decision="forward")
    decide_payment(actor=personas.judge, payment_id=payment.pk, decision="return", note="请补充佣金合同")
    payment.refresh_from_db()
    assert payment.status == "returned"
    edit_payment(
        actor=personas.administrator,
        payment_id=payment.pk,
        details=details(amount="75000.00", description="佣金，附合同"),
    )
    payment.refresh_from_db()
    assert payment.status == "submitted" and payment.edition == 2 and payment.amount_fen == 7_500_000
    event = AuditEvent.objects.get(action="funds.payment_edited")
    assert event.before is not None and event.after is not None
    assert event.after["approvals_voided"] == 2 and event.before["amount_fen"] == 8_000_000
    # The judge cannot approve on the strength of the first edition's review.
    with pytest.raises(Conflict):
        decide_payment(actor=personas.judge, payment_id=payment.pk, decision="approve")
    review_payment(actor=personas.assistant, payment_id=payment.pk, decision="forward")
    with django_capture_on_commit_callbacks(execute=True):
        decide_payment(actor=personas.judge, payment_id=payment.pk, decision="approve")
    payment.refresh_from_db()
    assert payment.status == "executed" and fake_bank.results[payment.idempotency_key].status == "executed"


def test_an_edit_within_limits_goes_straight_to_the_bank(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    payment = over_limit_request(personas, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        edit_payment(actor=personas.administrator, payment_id=payment.pk, details=details(amount="30000.00"))
    payment.refresh_from_db()
    assert payment.status == "executed" and payment.amount_fen == 3_000_000


def test_nobody_outside_the_court_checks_a_request(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    payment = over_limit_request(personas, django_capture_on_commit_callbacks)
    before = database_state()
    for who in ("administrator", "other_administrator", "creditor_a", "outsider", "clerk", "judge"):
        with pytest.raises((PermissionDenied, NotFound)):
            review_payment(actor=getattr(personas, who), payment_id=payment.pk, decision="forward")
    review_payment(actor=personas.assistant, payment_id=payment.pk, decision="forward")
    before = database_state()
    for who in ("administrator", "other_administrator", "creditor_a", "outsider", "clerk", "assistant"):
        with pytest.raises((PermissionDenied, NotFound)):
            decide_payment(actor=getattr(personas, who), payment_id=payment.pk, decision="approve")
    assert database_state() == before


def test_rejection_and_withdrawal(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    payment = over_limit_request(personas, django_capture_on_commit_callbacks)
    review_payment(actor=personas.assistant, payment_id=payment.pk, decision="forward")
    with pytest.raises(DomainError):
        decide_payment(actor=personas.judge, payment_id=payment.pk, decision="reject")  # no reason given
    decide_payment(actor=personas.judge, payment_id=payment.pk, decision="reject", note="佣金比例过高")
    payment.refresh_from_db()
    assert payment.status == "rejected" and fake_bank.transfers_sent == []
    assert DossierEntry.objects.filter(source_id=str(payment.pk), title__contains="不予准许").count() == 1
    with pytest.raises(Conflict):
        withdraw_payment(actor=personas.administrator, payment_id=payment.pk)
    other = over_limit_request(personas, django_capture_on_commit_callbacks)
    withdraw_payment(actor=personas.administrator, payment_id=other.pk)
    other.refresh_from_db()
    assert other.status == "withdrawn"


def test_bank_refusal_is_recorded_and_alerted(
    personas: Personas, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    open_case_account(personas)  # no money in it
    with django_capture_on_commit_callbacks(execute=True):
        payment = ask(personas)
    payment.refresh_from_db()
    assert payment.status == "rejected_by_bank" and payment.bank_reason == "insufficient_funds"
    assert "funds.payment_failed" in actions_of(payment)
    assert FundAlert.objects.filter(kind="bank_rejected", payment=payment).count() == 1


def test_movements_are_booked_once_and_the_ledger_balances(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask(personas, amount="1000.00")
        ask(personas, amount="2000.00", purpose="common_benefit_debt")
    first = fake_bank.accounts[funded.account_number].movements[0]
    _row, created = book_movement(movement=first, source=MovementSource.STATEMENT)
    assert created is False
    assert BankMovement.objects.filter(account=funded).count() == 3
    totals = JournalLine.objects.aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    assert totals["d"] == totals["c"] == 100_000_000 + 100_000 + 200_000
    by_account = dict(
        JournalLine.objects.filter(debit_fen__gt=0).values_list("ledger_account").annotate(Sum("debit_fen"))
    )
    assert by_account == {"cash_at_bank": 100_000_000, "bankruptcy_expenses": 100_000, "common_benefit_debts": 200_000}
    assert sync_account(account_id=funded.pk) == 0
    assert not FundAlert.objects.filter(kind="unreconciled").exists()


def test_an_unexpected_debit_and_a_gap_raise_alerts(personas: Personas, funded: Any, fake_bank: FakeBank) -> None:
    fake_bank.book(funded.account_number, 500_000, counterparty="某甲", push=False)  # sequence 2, not pushed
    fake_bank.book(funded.account_number, -300_000, counterparty="不明收款人")  # sequence 3, pushed
    kinds = set(FundAlert.objects.values_list("kind", flat=True))
    assert kinds == {"unexpected_debit", "sequence_gap"}
    gap = FundAlert.objects.get(kind="sequence_gap")
    assert gap.key == "2-2"
    funded.refresh_from_db()
    assert (funded.last_sequence, funded.synced_sequence) == (3, 1)
    assert sync_account(account_id=funded.pk) == 1
    funded.refresh_from_db()
    assert funded.synced_sequence == 3 and funded.balance_fen == 100_000_000 + 500_000 - 300_000
    assert JournalLine.objects.filter(ledger_account="escrow").get().debit_fen == 300_000


def test_a_balance_difference_is_a_reconciliation_difference(
    personas: Personas, funded: Any, fake_bank: FakeBank
) -> None:
    fake_bank.accounts[funded.account_number].balance_fen += 1  # the bank's balance moves without a movement
    sync_account(account_id=funded.pk)
    assert AuditEvent.objects.filter(action="funds.reconciliation_difference").count() == 1
    assert FundAlert.objects.filter(kind="unreconciled").count() == 1
    sync_account(account_id=funded.pk)
    assert FundAlert.objects.filter(kind="unreconciled").count() == 1


def test_a_retried_idempotency_key_returns_the_first_request(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first, created = request_payment(
            actor=personas.administrator,
            case_id=personas.case.pk,
            details=details(),
            client_key="k1",
            client_body_sha256="a",
        )
        again, created_again = request_payment(
            actor=personas.administrator,
            case_id=personas.case.pk,
            details=details(),
            client_key="k1",
            client_body_sha256="a",
        )
    assert created and not created_again and first.pk == again.pk
    with pytest.raises(DomainError) as refused:
        request_payment(
            actor=personas.administrator,
            case_id=personas.case.pk,
            details=details(amount="1.00"),
            client_key="k1",
            client_body_sha256="b",
        )
    assert refused.value.code == "idempotency_key_reused" and refused.value.status == 422
    assert fake_bank.transfers_sent == [first.idempotency_key]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "0"),
        ("amount", "-5.00"),
        ("amount", "1.001"),
        ("payee_account", "62-17"),
        ("purpose", "gift"),
        ("description", " "),
    ],
)
def test_bad_input_changes_nothing(
    personas: Personas, funded: Any, fake_bank: FakeBank, field: str, value: str
) -> None:
    before = database_state()
    with pytest.raises(DomainError) as refused:
        ask(personas, **{field: value})
    assert refused.value.field == field
    assert database_state() == before


def test_debits_announced_by_a_distribution_are_booked_to_it_without_alerts(
    personas: Personas, funded: Any, fake_bank: FakeBank
) -> None:
    debits = [ExpectedDebitInput("dist-1", 300_000, "6217000000000001"), ExpectedDebitInput("dist-2", 200_000, "62")]
    assert (
        expect_debits(
            actor=personas.judge, account_id=funded.pk, debits=debits, purpose="distribution", reference="分配批次 1"
        )
        == 2
    )
    # Announcing again (a resent batch) adds nothing.
    assert (
        expect_debits(
            actor=personas.judge, account_id=funded.pk, debits=debits, purpose="distribution", reference="分配批次 1"
        )
        == 0
    )
    assert AuditEvent.objects.filter(action="funds.debits_expected").count() == 1
    fake_bank.book(funded.account_number, -300_000, counterparty="债权人甲", key="dist-1")
    fake_bank.book(funded.account_number, -200_001, counterparty="债权人乙", key="dist-2")
    assert not FundAlert.objects.filter(kind="unexpected_debit").exists()
    (mismatch,) = FundAlert.objects.filter(kind="unreconciled")
    assert mismatch.message == "分配批次 1应付 2000.00 元，银行实际扣划 2000.01 元"
    assert JournalLine.objects.filter(ledger_account="distributions").aggregate(s=Sum("debit_fen"))["s"] == 500_001


@pytest.mark.parametrize("who", ["outsider", "creditor_b", "other_administrator"])
def test_only_those_who_see_the_funds_announce_debits(personas: Personas, funded: Any, who: str) -> None:
    before = (ExpectedDebit.objects.count(), AuditEvent.objects.count())
    with pytest.raises(NotFound):
        expect_debits(
            actor=getattr(personas, who),
            account_id=funded.pk,
            debits=[ExpectedDebitInput("dist-1", 300_000, "6217000000000001")],
            purpose="distribution",
            reference="分配批次 1",
        )
    assert (ExpectedDebit.objects.count(), AuditEvent.objects.count()) == before
