"""People acting at the same moment, in real threads on committed transactions: two judges approving one
request produce exactly one decision; concurrent payments that together cross a limit leave exactly the
allowed ones going to the bank."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.db import close_old_connections

from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.actions import add_member
from smartcourt.cases.choices import MemberRole
from smartcourt.core.errors import Conflict
from smartcourt.funds.actions import decide_payment, request_payment, review_payment
from smartcourt.funds.models import PaymentApproval, PaymentTransition
from smartcourt.funds.tests.fakes import FakeBank
from smartcourt.funds.tests.helpers import LIMITS, ask, details, open_case_account

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same moment; each result is a value or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_judges_approving_at_once_make_one_decision(personas: Personas, fake_bank: FakeBank) -> None:
    from conftest import TEST_PASSWORD

    panel_judge = create_user(
        actor=None,
        username="judge2",
        password=TEST_PASSWORD,
        role=Role.JUDGE,
        full_name="钱法官",
        organisation=personas.rudong,
        check_password_strength=False,
    )
    add_member(actor=personas.judge, case=personas.case, role=MemberRole.PANEL_JUDGE, user=panel_judge)
    account = open_case_account(personas)
    fake_bank.book(account.account_number, 100_000_000, counterparty="某某")
    payment = ask(personas, amount="80000.00")
    review_payment(actor=personas.assistant, payment_id=payment.pk, decision="forward")

    results = run_together(
        lambda: decide_payment(actor=personas.judge, payment_id=payment.pk, decision="approve"),
        lambda: decide_payment(actor=panel_judge, payment_id=payment.pk, decision="reject", note="不同意"),
    )
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], Conflict)
    assert PaymentApproval.objects.filter(payment=payment, step="approval").count() == 1
    decided = AuditEvent.objects.filter(action__in=["funds.payment_approved", "funds.payment_rejected"])
    assert decided.count() == 1
    payment.refresh_from_db()
    assert payment.status in {"executed", "rejected"}
    assert len(fake_bank.transfers_sent) == (1 if payment.status == "executed" else 0)
    assert PaymentTransition.objects.filter(payment=payment, to_status__in=["approved", "rejected"]).count() == 1


def test_concurrent_payments_crossing_the_daily_limit(personas: Personas, fake_bank: FakeBank) -> None:
    """Six payments of 30,000 at once against a 100,000 day: three go to the bank, three wait for the court."""
    account = open_case_account(personas, LIMITS)
    fake_bank.book(account.account_number, 100_000_000, counterparty="某某")
    calls = [
        (
            lambda: request_payment(
                actor=personas.administrator, case_id=personas.case.pk, details=details(amount="30000.00")
            )
        )
        for _ in range(6)
    ]
    results = run_together(*calls)
    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = sorted(r[0].__class__.objects.get(pk=r[0].pk).status for r in results)
    assert statuses == ["executed"] * 3 + ["submitted"] * 3
    assert len(fake_bank.transfers_sent) == 3
