"""Fixtures of the funds tests: an in-memory bank behind the adapter seam, and a case account with limits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from smartcourt.banking.adapter import Movement, Payee
from smartcourt.funds import actions
from smartcourt.funds import bank as bank_seam
from smartcourt.funds.actions import payments
from smartcourt.funds.choices import MovementSource
from smartcourt.funds.tests.fakes import FakeBank, fake_token

if TYPE_CHECKING:
    pass


@pytest.fixture
def fake_bank(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBank]:
    """The fake bank answers every partner; instructions are sent at once when their transaction commits
    (tests wrap the action in ``django_capture_on_commit_callbacks(execute=True)``), and the bank pushes
    each movement to book_movement as its notification would."""
    fake = FakeBank()

    def push(movement: Movement) -> None:
        actions.book_movement(movement=movement, source=MovementSource.NOTIFICATION)

    fake.on_movement = push
    monkeypatch.setattr(bank_seam, "adapter_for", lambda partner: fake)

    def token(*, account_number: str, payee: Payee, amount_fen: int, idempotency_key: str, **_: Any) -> str:
        return fake_token(idempotency_key=idempotency_key, amount_fen=amount_fen, account_number=account_number)

    monkeypatch.setattr(bank_seam, "approval_token", token)
    yield fake


@pytest.fixture(autouse=True)
def _send_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The send task runs in the test's thread instead of the huey queue (still only after commit)."""
    monkeypatch.setattr(payments, "_queue_send", lambda payment_id: actions.send_payment(payment_id=payment_id))
