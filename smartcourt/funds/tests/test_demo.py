"""The demo seed against the sandbox bank: an account with limits, money in, two payments executed, one waiting
for the judge, alerts; the ledger balances and matches the bank; a second run changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.db.models import Sum

from smartcourt.banking.testing import Bank
from smartcourt.funds.demo import seed_funds
from smartcourt.funds.models import BankMovement, FundAlert, JournalLine, PaymentRequest
from smartcourt.testing import database_state

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db


def test_seed_funds(personas: Personas, bank: Bank, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        account = seed_funds(
            case=personas.case, judge=personas.judge, assistant=personas.assistant, administrator=personas.administrator
        )
    assert account is not None
    account.refresh_from_db()
    statuses = list(PaymentRequest.objects.order_by("number").values_list("status", flat=True))
    assert statuses == ["executed", "executed", "reviewed"]
    assert (
        account.balance_fen
        == bank.balance(account.account_number)
        == 128_000_000 + 35_600_000 + 4_200_000 - 1_800_000 - 2_650_000 - 3_500
    )
    assert BankMovement.objects.filter(account=account).count() == 6
    assert set(FundAlert.objects.values_list("kind", flat=True)) == {"limit_breach_attempted", "unexpected_debit"}
    totals = JournalLine.objects.aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    assert totals["d"] == totals["c"]
    before = database_state()
    seed_funds(
        case=personas.case, judge=personas.judge, assistant=personas.assistant, administrator=personas.administrator
    )
    assert database_state() == before


def test_seed_funds_without_a_bank_seeds_nothing(personas: Personas, bank: Bank, settings: Any) -> None:
    settings.BANK_URL = "http://127.0.0.1:9"  # the sandbox's keys, but nothing listens there
    before = database_state()
    assert (
        seed_funds(
            case=personas.case, judge=personas.judge, assistant=personas.assistant, administrator=personas.administrator
        )
        is None
    )
    assert database_state() == before


def test_the_command_without_the_demo_world_says_so(personas: Personas, bank: Bank) -> None:
    from django.core.management import CommandError, call_command

    before = database_state()
    with pytest.raises(CommandError, match="not seeded"):
        call_command("seed_funds_demo", "--wait", "0")
    assert database_state() == before
