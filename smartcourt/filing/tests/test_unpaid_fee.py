"""An unpaid fee: the case is handled as withdrawn (诉讼费用交纳办法 art. 22; SPC interpretation of the CPL (2022)
art. 213). The plaintiff pays within 7 days of the fee notice; the day after the last day, with no relief
application pending, the daily job rules the case handled as withdrawn, seals the ruling, closes the case and
serves the ruling on the filer. The clock is set by the test."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import Personas
from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import DomainError
from smartcourt.documents.models import Delivery, Document
from smartcourt.fees import actions as fee_actions
from smartcourt.fees.models import LitigationFee
from smartcourt.filing import actions
from smartcourt.filing.models import Filing
from smartcourt.filing.tasks import handle_unpaid_fees
from smartcourt.filing.templates_seed import WITHDRAWAL_RULING
from smartcourt.filing.tests.helpers import filed, lawyer
from smartcourt.testing import client_for, unchanged_database

# Monday 2 March 2026, 10:00 in Shanghai: the filing is docketed and the fee notice issued.
DOCKETED_AT = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def _docketed(personas: Personas, time_machine: Any) -> tuple[Filing, LitigationFee]:
    time_machine.move_to(DOCKETED_AT, tick=False)
    user = lawyer()
    filing = actions.docket(
        actor=personas.clerk, filing_id=filed(personas, user).pk, presiding_judge_id=personas.judge.pk
    )
    return filing, LitigationFee.objects.get(case=filing.case)


def test_unpaid_after_the_last_day_the_case_is_handled_as_withdrawn(
    personas: Personas, time_machine: Any, django_capture_on_commit_callbacks: Any
) -> None:
    filing, fee = _docketed(personas, time_machine)
    assert fee.due_on == dt.date(2026, 3, 9)  # 7 days from the notice (art. 22)
    # On the last day the plaintiff may still pay: nothing happens.
    with unchanged_database():
        assert handle_unpaid_fees(today=fee.due_on) == []
    time_machine.move_to(dt.datetime(2026, 3, 10, 0, 40, tzinfo=dt.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert handle_unpaid_fees(today=dt.date(2026, 3, 10)) == [filing.pk]
    filing.refresh_from_db()
    fee.refresh_from_db()
    assert filing.case is not None
    filing.case.refresh_from_db()
    assert (fee.status, filing.handled_as_withdrawn_on) == ("overdue", dt.date(2026, 3, 10))
    assert (filing.case.status, filing.case.closed_on) == ("closed", dt.date(2026, 3, 10))
    assert filing.case.status_changes.last().reason == actions.UNPAID_FEE_REASON  # type: ignore[union-attr]
    assert filing.withdrawal_ruling_id is not None
    ruling = Document.objects.get(pk=filing.withdrawal_ruling_id)
    assert (ruling.status, ruling.template_version.template.key) == ("served", WITHDRAWAL_RULING)
    assert ruling.signed_entry is not None and ruling.signed_entry.title == "民事裁定书（按撤诉处理）"
    event = AuditEvent.objects.get(action="filing.handled_as_withdrawn")
    after = event.after or {}
    assert (event.actor_id, after["by_job"], after["ruling"]) == (personas.clerk.pk, True, str(ruling.pk))
    assert AuditEvent.objects.filter(action="fees.overdue", object_id=str(fee.pk)).count() == 1
    # Served on the filer (his inbox) and on the parties named without an account.
    delivery = Delivery.objects.get(document=ruling, user=filing.filer)
    assert (delivery.status, delivery.channels[0]) == ("delivered", "inbox")
    page = client_for(filing.filer).get(f"/filing/{filing.pk}/").content.decode()
    assert 'data-testid="handled-as-withdrawn"' in page and "按撤诉处理" in page
    # Ruled once: the next morning's run finds nothing and changes nothing.
    with unchanged_database():
        assert handle_unpaid_fees(today=dt.date(2026, 3, 11)) == []


def test_a_pending_relief_application_stops_it_until_decided(
    personas: Personas, time_machine: Any, django_capture_on_commit_callbacks: Any
) -> None:
    filing, fee = _docketed(personas, time_machine)
    relief = fee_actions.apply_for_relief(actor=filing.filer, fee_id=fee.pk, kind="waiver", reasons="原告系低保户。")
    time_machine.move_to(dt.datetime(2026, 3, 12, 1, 0, tzinfo=dt.UTC), tick=False)
    with unchanged_database():
        assert handle_unpaid_fees(today=dt.date(2026, 3, 12)) == []
    # Refused, still unpaid: the next run rules (the interpretation's "申请...未获批准而仍不预交").
    fee_actions.decide_relief(actor=personas.judge, relief_id=relief.pk, grant=False, note="不符合条件")
    with django_capture_on_commit_callbacks(execute=True):
        assert handle_unpaid_fees(today=dt.date(2026, 3, 12)) == [filing.pk]


def test_paid_or_waived_fees_are_left_alone(personas: Personas, time_machine: Any) -> None:
    filing, fee = _docketed(personas, time_machine)
    relief = fee_actions.apply_for_relief(actor=filing.filer, fee_id=fee.pk, kind="waiver", reasons="原告系低保户。")
    fee_actions.decide_relief(actor=personas.judge, relief_id=relief.pk, grant=True)
    time_machine.move_to(dt.datetime(2026, 4, 1, 1, 0, tzinfo=dt.UTC), tick=False)
    with unchanged_database():
        assert handle_unpaid_fees(today=dt.date(2026, 4, 1)) == []


@pytest.mark.parametrize("who", ["outsider", "assistant", "creditor_a", "lawyer"])
def test_only_the_courts_filing_clerks_or_the_presiding_judge_rule(
    personas: Personas, time_machine: Any, who: str
) -> None:
    filing, fee = _docketed(personas, time_machine)
    actor = filing.filer if who == "lawyer" else getattr(personas, who)
    time_machine.move_to(dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC), tick=False)
    with unchanged_database(), pytest.raises(DomainError) as refused:
        actions.rule_unpaid_fee_withdrawn(actor=actor, fee_id=fee.pk, today=dt.date(2026, 3, 10))
    assert refused.value.status == 403


def test_not_before_the_last_day_has_passed(personas: Personas, time_machine: Any) -> None:
    _filing, fee = _docketed(personas, time_machine)
    with unchanged_database(), pytest.raises(DomainError) as refused:
        actions.rule_unpaid_fee_withdrawn(actor=personas.judge, fee_id=fee.pk, today=fee.due_on)
    assert (refused.value.status, refused.value.field) == (409, "fee")


def test_a_payment_after_the_ruling_is_booked_and_refunded_whole(
    personas: Personas, time_machine: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The party opened the payment order in time but paid after the case was handled as withdrawn: the money
    was taken, so it is booked (the reconciliation finds it) and all of it goes back."""
    filing, fee = _docketed(personas, time_machine)
    fee_actions._record_notice(actor=filing.filer, fee_id=fee.pk, notice_number="PN20260302000001")
    time_machine.move_to(dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        handle_unpaid_fees(today=dt.date(2026, 3, 10))
    kind, booked = fee_actions.book_notification(
        payload={
            "type": "payment",
            "order_id": str(fee.pk),
            "notice_number": "PN20260302000001",
            "amount_fen": 2300_00,
            "payment_reference": "PAY-LATE-1",
            "paid_at": "2026-03-10T09:30:00+08:00",
            "payer_account_name": "马某某",
            "payer_account_number": "6222020000000000001",
        }
    )
    fee.refresh_from_db()
    assert (kind, booked, fee.status, fee.paid_fen) == ("payment", True, "overdue", 2300_00)
    assert (AuditEvent.objects.get(action="fees.paid").after or {})["late"] is True
    refund = fee_actions.request_refund(actor=personas.clerk, fee_id=fee.pk, reason="withdrawal")
    assert (refund.reason, refund.amount_fen, refund.calculation["kept_fen"]) == ("overpaid", 2300_00, 0)
