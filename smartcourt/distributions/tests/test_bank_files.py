"""The bank's ISO 20022 files on a sent batch: pain.002 statuses per EndToEndId, camt.054 notifications
(a return after payment goes to escrow), and reconciliation line by line with the camt.053 statement;
hostile or foreign files change nothing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from smartcourt.banking.iso20022.camt import Entry, build_camt053, build_camt054, read_camt053
from smartcourt.banking.iso20022.pain002 import TransactionStatus, build_pain002
from smartcourt.banking.testing import Bank
from smartcourt.core.errors import DomainError
from smartcourt.distributions import actions
from smartcourt.distributions.choices import BatchStatus, LineStatus
from smartcourt.distributions.models import Escrow
from smartcourt.distributions.selectors import batch_lines, reconcile_batch
from smartcourt.testing import client_for

from .helpers import counts, plan_input, ruled_plan
from .test_execution import _setup

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_pain002_updates_each_line(personas: Personas, bank: Bank) -> None:
    batch, _ = _setup(personas, bank)
    batch = actions.mark_batch_sent(actor=personas.judge, batch_id=batch.pk)
    lines = list(batch_lines(batch))
    report = build_pain002(
        message_id="ICBC-STS-1",
        created_at=AT,
        original_message_id=batch.message_id or "",
        original_payment_info_id="P",
        transactions=[
            TransactionStatus(lines[0].end_to_end_id, "ACSC", bank_reference="ICBC01"),
            TransactionStatus(lines[1].end_to_end_id, "ACSC", bank_reference="ICBC02"),
            TransactionStatus(lines[2].end_to_end_id, "RJCT", reason_code="AC01", reason_text="收款账号不存在"),
        ],
    )
    other = build_pain002(
        message_id="X",
        created_at=AT,
        original_message_id="another",
        original_payment_info_id="P",
        transactions=[TransactionStatus(lines[0].end_to_end_id, "RJCT")],
    )
    before = counts()
    with pytest.raises(DomainError, match="another payment file"):
        actions.apply_status_report(batch_id=batch.pk, data=other)
    with pytest.raises(DomainError, match="DTD"):
        actions.apply_status_report(
            batch_id=batch.pk, data=b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Document>&a;</Document>'
        )
    assert counts() == before
    batch = actions.apply_status_report(batch_id=batch.pk, data=report)
    assert batch.status == BatchStatus.COMPLETED
    assert [line.status for line in batch_lines(batch)] == [LineStatus.PAID, LineStatus.PAID, LineStatus.ESCROWED]
    escrow = Escrow.objects.get()
    assert (escrow.reason_code, escrow.reason) == ("AC01", "AC01 收款账号不存在")


def test_camt054_return_after_payment_goes_to_escrow(personas: Personas, bank: Bank) -> None:
    batch, account = _setup(personas, bank)
    actions.send_batch(actor=personas.judge, batch_id=batch.pk)
    first = batch_lines(batch).first()
    assert first is not None and first.status == LineStatus.PAID
    notice = build_camt054(
        message_id="N-1",
        created_at=AT,
        account_number=account,
        entries=[
            Entry(
                first.amount_fen or 0,
                "BOOK",
                dt.date(2026, 12, 1),
                "RET01",
                first.end_to_end_id,
                return_reason="AC04",
                return_text="收款账户已销户",
            ),
            Entry(5_000, "BOOK", dt.date(2026, 12, 1), "IN01", "", "某某公司"),  # not ours: skipped
        ],
    )
    actions.apply_notifications(batch_id=batch.pk, data=notice)
    first.refresh_from_db()
    assert first.status == LineStatus.ESCROWED and first.failure_code == "AC04"
    assert Escrow.objects.count() == 2


def test_reconciled_with_the_bank_statement(personas: Personas, bank: Bank) -> None:
    batch, account = _setup(personas, bank)
    actions.send_batch(actor=personas.judge, batch_id=batch.pk)
    movements = bank.adapter.statement(account_number=account)
    entries = [
        Entry(m.amount_fen, "BOOK", m.booked_at.date(), m.bank_reference, m.idempotency_key, m.counterparty_name)
        for m in movements
    ]
    opening = movements[0].balance_after_fen - movements[0].amount_fen
    statement = build_camt053(
        message_id="ST-1",
        statement_id="ST-1",
        created_at=AT,
        account_number=account,
        opening_fen=opening,
        entries=entries,
        on=dt.date(2026, 12, 1),
    )
    result = reconcile_batch(batch, read_camt053(statement))
    assert result.reconciled and len(result.matched) == 3
    # A statement that lacks one payment does not reconcile, and names it.
    paid = next(line for line in batch_lines(batch) if line.status == LineStatus.PAID)
    partial = [e for e in entries if e.end_to_end_id != paid.end_to_end_id]
    statement = build_camt053(
        message_id="ST-2",
        statement_id="ST-2",
        created_at=AT,
        account_number=account,
        opening_fen=opening,
        entries=partial,
        on=dt.date(2026, 12, 1),
    )
    result = reconcile_batch(batch, read_camt053(statement))
    assert not result.reconciled and result.missing == [paid.end_to_end_id]


def test_execution_report_filed_after_reconciliation(personas: Personas, bank: Bank) -> None:
    from smartcourt.core.errors import Conflict, PermissionDenied
    from smartcourt.dossier.models import DossierEntry

    batch, account = _setup(personas, bank)
    with pytest.raises(Conflict, match="every line"):
        actions.file_execution_report(actor=personas.administrator, batch_id=batch.pk)
    actions.send_batch(actor=personas.judge, batch_id=batch.pk)
    movements = bank.adapter.statement(account_number=account)
    entries = [Entry(m.amount_fen, "BOOK", m.booked_at.date(), m.bank_reference, m.idempotency_key) for m in movements]
    opening = movements[0].balance_after_fen - movements[0].amount_fen
    short = build_camt053(
        message_id="S",
        statement_id="S",
        created_at=AT,
        account_number=account,
        opening_fen=opening,
        entries=[e for e in entries if e.end_to_end_id != batch_lines(batch)[0].end_to_end_id],
        on=dt.date(2026, 12, 1),
    )
    before = counts()
    with pytest.raises(Conflict, match="does not reconcile"):
        actions.file_execution_report(actor=personas.administrator, batch_id=batch.pk, statement=short)
    with pytest.raises(PermissionDenied):
        actions.file_execution_report(actor=personas.judge, batch_id=batch.pk)
    assert counts() == before
    full = build_camt053(
        message_id="F",
        statement_id="F",
        created_at=AT,
        account_number=account,
        opening_fen=opening,
        entries=entries,
        on=dt.date(2026, 12, 1),
    )
    batch = actions.file_execution_report(actor=personas.administrator, batch_id=batch.pk, statement=full)
    assert batch.report_entry_id is not None
    entry = DossierEntry.objects.get(pk=batch.report_entry_id)
    assert entry.title == "关于破产财产分配执行情况的报告" and entry.kind == "report"
    with pytest.raises(Conflict, match="already filed"):
        actions.file_execution_report(actor=personas.administrator, batch_id=batch.pk)


def test_unclaimed_escrow_forfeited_two_months_after_the_final_announcement(personas: Personas, bank: Bank) -> None:
    from smartcourt.core.errors import Conflict, PermissionDenied

    batch, _ = _setup(personas, bank)
    actions.send_batch(actor=personas.judge, batch_id=batch.pk)
    plan = batch.plan
    with pytest.raises(PermissionDenied):
        actions.record_announcement(actor=personas.judge, plan_id=plan.pk, announced_on=dt.date(2026, 11, 30))
    with pytest.raises(DomainError, match="before the court's ruling"):
        actions.record_announcement(actor=personas.administrator, plan_id=plan.pk, announced_on=dt.date(2026, 11, 1))
    actions.record_announcement(actor=personas.administrator, plan_id=plan.pk, announced_on=dt.date(2026, 11, 30))
    with pytest.raises(Conflict):
        actions.record_announcement(actor=personas.administrator, plan_id=plan.pk, announced_on=dt.date(2026, 12, 1))
    # Two months from 2026-11-30 is 2027-01-30, a Saturday: the period ends on the next working day.
    last_day = actions.forfeiture_date(dt.date(2026, 11, 30))
    assert last_day >= dt.date(2027, 2, 1)
    assert actions.forfeit_unclaimed(today=last_day) == 0
    assert Escrow.objects.get().forfeited_at is None
    assert actions.forfeit_unclaimed(today=last_day + dt.timedelta(days=1)) == 1
    assert Escrow.objects.get().forfeited_at is not None
    before = counts()
    assert actions.forfeit_unclaimed(today=last_day + dt.timedelta(days=2)) == 0
    assert counts() == before

    # The forfeited 2,000.00 goes to the other creditors (art. 118): the supplier who did not collect has waived
    # that amount; the employee is paid in full; 刘债权 still has 3,000.00 owed and takes all of it.
    assert actions.forfeited_to_redistribute(plan.case) == 200_000
    page = client_for(personas.administrator).get(f"/distributions/cases/{plan.case_id}/").content.decode()
    assert 'value="2000.00"' in page
    # The pool goes to the others only: a plan that also shares out other money is refused, nothing changes.
    before = counts()
    with pytest.raises(DomainError, match=r"2000\.00"):
        actions.create_plan(actor=personas.administrator, case_id=plan.case_id, plan_input=plan_input(200_001))
    assert counts() == before
    supplementary = ruled_plan(personas, 200_000)
    lines = {line.label: line.share_fen for line in supplementary.lines.all()}
    assert lines == {"张三": 0, "刘债权": 200_000}
    # Shared out by a plan the court approved: the pool is empty.
    assert actions.forfeited_to_redistribute(plan.case) == 0

    # The waiver covers the amount left unclaimed, not the supplier's claim (art. 118): in the next distribution
    # (property found later) he takes part again, with the 3,000.00 still owed him beside 刘债权's 1,000.00.
    later = actions.create_plan(actor=personas.administrator, case_id=plan.case_id, plan_input=plan_input(200_000))
    lines = {line.label: line.share_fen for line in later.lines.all()}
    assert lines == {"张三": 0, "刘债权": 50_000, "甲供应商有限公司": 150_000}
