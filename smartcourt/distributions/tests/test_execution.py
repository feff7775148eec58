"""The approved batch paid through the sandbox bank (a real process speaking the signed, encrypted protocol):
one court token for the batch, every line answered, a returned payment escrowed with the bank's reason;
sending again, or after a crash between the bank's answer and our record, never pays twice."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smartcourt.banking.adapter import TransferResult, TransferStatus
from smartcourt.banking.testing import Bank
from smartcourt.claims.choices import ClaimNature, CreditorKind
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.distributions import actions
from smartcourt.distributions.actions import execution
from smartcourt.distributions.choices import BatchStatus, LineStatus
from smartcourt.distributions.models import Escrow, PaymentBatch
from smartcourt.distributions.selectors import amounts_for_creditor, batch_lines
from smartcourt.funds.actions import LimitsInput, open_account, sync_account
from smartcourt.funds.models import FundAlert, JournalLine, SupervisedAccount

from .helpers import counts, csv_file, make_claim, ruled_plan

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db
ZHANG, LI, FIRM = "320623198001010011", "11010519491231002X", "91320623000000003C"
CLOSED = "6222020000000003"


def _setup(p: Personas, bank: Bank) -> tuple[PaymentBatch, str]:
    make_claim(p, name="张三", identifier=ZHANG, nature=ClaimNature.EMPLOYEE, amount_fen=100_000)
    mine = make_claim(p, name="刘债权", identifier=LI, amount_fen=500_000)
    mine.creditor.user = p.creditor_a
    mine.creditor.save()
    make_claim(p, name="甲供应商有限公司", identifier=FIRM, amount_fen=500_000, kind=CreditorKind.ORGANISATION)
    # 5,000 yuan: the employee's 1,000, then 4,000 over 5,000 + 5,000: 2,000 each.
    plan = ruled_plan(p, 500_000)
    account = open_account(
        actor=p.judge,
        case_id=p.case.pk,
        bank_partner="sandbox",
        bank_name="中国工商银行如东支行",
        account_name="如东某某建设有限公司管理人",
        holder_id="9144030071526726XG",
        limits=LimitsInput(per_transaction="1000.00", daily="2000.00", cumulative="3000.00"),
        reason="受理后开立管理人账户",
    )
    bank.credit(account.account_number, 10_000_000, counterparty_name="某某拍卖有限公司", description="变价款")
    bank.close_payee_account(CLOSED)
    rows = [
        ["1", "张三", ZHANG, "6222020000000001", "中国银行如东支行", "104306200021", "1000.00"],
        ["2", "刘债权", LI, "6222020000000002", "中国银行如东支行", "", "2000.00"],
        ["3", "甲供应商有限公司", FIRM, CLOSED, "江苏银行南通分行", "", "2000.00"],
    ]
    batch, _ = actions.upload_batch(
        actor=p.administrator,
        plan_id=plan.pk,
        filename="pay.csv",
        content=csv_file(rows),
        paying_account=account.account_number,
        paying_bank_name="中国工商银行如东支行",
    )
    actions.submit_batch(actor=p.administrator, batch_id=batch.pk)
    return actions.approve_batch(actor=p.judge, batch_id=batch.pk), account.account_number


def test_paid_through_the_bank_with_one_return_escrowed(personas: Personas, bank: Bank) -> None:
    batch, account = _setup(personas, bank)
    # Over every limit of the account: the bank pays only because the court's batch token covers it.
    assert actions.send_batch(actor=personas.judge, batch_id=batch.pk) == BatchStatus.COMPLETED
    lines = list(batch_lines(batch))
    assert [line.status for line in lines] == [LineStatus.PAID, LineStatus.PAID, LineStatus.ESCROWED]
    assert all(line.bank_reference for line in lines[:2])
    escrow = Escrow.objects.get()
    assert (escrow.amount_fen, escrow.batch_line_id, escrow.creditor_id) == (200_000, lines[2].pk, lines[2].creditor_id)
    assert "销户" in escrow.reason
    # Paid out 1,000 + 2,000 (+ 2,000 sent and returned).
    assert bank.balance(account) == 10_000_000 - 300_000
    mine = next(iter(amounts_for_creditor(personas.creditor_a).values()))
    assert (mine.planned_fen, mine.paid_fen, mine.escrowed_fen) == (200_000, 200_000, 0)
    # Fund supervision books the batch as the distribution it is: no alert, and the return reverses it.
    supervised = SupervisedAccount.objects.get(account_number=account)
    sync_account(account_id=supervised.pk)
    assert not FundAlert.objects.filter(kind="unexpected_debit").exists()
    net = JournalLine.objects.filter(ledger_account="distributions").aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    assert (net["d"], net["c"]) == (500_000, 200_000)
    # The fund page says of each such movement (three debits, the return of one) which batch it paid and who
    # approved it when (issue 16.7).
    client = Client()
    client.force_login(personas.judge)
    page = client.get(reverse("funds:live", args=[personas.case.pk])).content.decode()
    approved = (
        f"分配批次《pay.csv》（{personas.judge.full_name} {timezone.localdate(batch.approved_at).isoformat()} 批准）"
    )
    assert page.count(f'data-testid="expected-debit-reference">{approved}<') == 4
    # Sending again changes nothing, at the bank or here.
    snapshot, before = bank.snapshot(), counts()
    assert actions.send_batch(actor=personas.judge, batch_id=batch.pk) == BatchStatus.COMPLETED
    assert bank.snapshot() == snapshot and counts() == before


def test_a_crash_after_the_bank_answered_pays_nothing_twice(personas: Personas, bank: Bank) -> None:
    batch, account = _setup(personas, bank)
    # The worker marks the batch sent, the bank executes, then the worker dies before recording the answer.
    original = execution.record_bank_results

    def crash(**kwargs: object) -> None:
        raise RuntimeError("worker killed")

    execution.record_bank_results = crash  # type: ignore[assignment]
    try:
        with pytest.raises(RuntimeError):
            actions.send_batch(actor=personas.judge, batch_id=batch.pk)
    finally:
        execution.record_bank_results = original
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SENT
    assert bank.balance(account) == 10_000_000 - 300_000
    # On restart the batch is sent again: the bank answers with its first results; nothing is paid twice.
    assert actions.send_batch(actor=personas.administrator, batch_id=batch.pk) == BatchStatus.COMPLETED
    assert bank.balance(account) == 10_000_000 - 300_000
    assert Escrow.objects.count() == 1


def test_who_may_send(personas: Personas, bank: Bank) -> None:
    batch, _ = _setup(personas, bank)
    for who in ("assistant", "creditor_a", "outsider", "other_administrator"):
        before, snapshot = counts(), bank.snapshot()
        with pytest.raises((PermissionDenied, NotFound)):
            actions.send_batch(actor=getattr(personas, who), batch_id=batch.pk)
        assert counts() == before and bank.snapshot() == snapshot


def test_a_batch_not_approved_is_not_sent(personas: Personas, bank: Bank) -> None:
    batch, _ = _setup(personas, bank)
    PaymentBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.SUBMITTED)
    with pytest.raises(Conflict):
        actions.send_batch(actor=personas.judge, batch_id=batch.pk)


def test_send_from_the_batch_page(personas: Personas, bank: Bank) -> None:
    from django.test import Client

    from conftest import TEST_PASSWORD

    batch, _ = _setup(personas, bank)
    creditor = Client()
    assert creditor.login(username=personas.creditor_a.username, password=TEST_PASSWORD)
    before = counts()
    assert creditor.post(f"/distributions/batches/{batch.pk}/send/").status_code == 404
    assert counts() == before
    judge = Client()
    assert judge.login(username=personas.judge.username, password=TEST_PASSWORD)
    assert 'data-testid="send-batch"' in judge.get(f"/distributions/batches/{batch.pk}/").content.decode()
    judge.post(f"/distributions/batches/{batch.pk}/send/")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMPLETED
    page = judge.get(f"/distributions/batches/{batch.pk}/").content.decode()
    assert 'data-testid="line-totals"' in page and "销户" in page


def test_report_from_the_batch_page(personas: Personas, bank: Bank) -> None:
    from django.test import Client

    from conftest import TEST_PASSWORD

    batch, _ = _setup(personas, bank)
    actions.send_batch(actor=personas.judge, batch_id=batch.pk)
    admin = Client()
    assert admin.login(username=personas.administrator.username, password=TEST_PASSWORD)
    assert 'data-testid="report-form"' in admin.get(f"/distributions/batches/{batch.pk}/").content.decode()
    admin.post(f"/distributions/batches/{batch.pk}/report/")
    batch.refresh_from_db()
    assert batch.report_entry is not None
    page = admin.get(f"/distributions/batches/{batch.pk}/").content.decode()
    assert 'data-testid="report-filed"' in page and 'data-testid="report-form"' not in page


def test_a_bank_reference_too_long_for_its_column_refuses_the_answer_never_cut(
    personas: Personas, bank: Bank, nothing_changed: Any
) -> None:
    # ISO 20022 references are Max35Text; cut, a longer one would no longer be the bank's (issue 15.14).
    batch, _ = _setup(personas, bank)
    line = batch_lines(batch)[0]
    answer = TransferResult(line.end_to_end_id, TransferStatus.EXECUTED, bank_reference="R" * 36)
    with nothing_changed(), pytest.raises(DomainError) as refused:
        execution.record_bank_results(batch_id=batch.pk, results=[answer])
    assert (refused.value.code, refused.value.field) == ("too_long", "bank_reference")
    execution.record_bank_results(batch_id=batch.pk, results=[replace(answer, bank_reference="R" * 35)])
    line.refresh_from_db()
    assert (line.status, line.bank_reference) == (LineStatus.PAID, "R" * 35)
