"""Pytest fixtures for anything that talks to a bank: a real sandbox bank process (``python -m sandbox.bank``)
on a free loopback port with its own SQLite file and freshly generated keys on both sides, started once per
session, and the platform's settings pointed at it.

Registered for the whole suite from the root conftest (``pytest_plugins``). A test that needs its own bank
(other algorithms, key rotation) calls ``start_bank`` / ``stop_bank`` itself.

    def test_pays(bank):
        account = bank.adapter.open_account(...)
        bank.credit(account.account_number, 100_000_00, counterparty_name="如东县财政局")
        bank.notify_to(live_server.url + "/api/v1/banking/notifications")
        bank.push_now()
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from partnerproto import keyfiles
from sandbox.process import start_sandbox, stop_process
from smartcourt.banking.client import HttpBankAdapter
from smartcourt.banking.partners import Partner

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class BankServer:
    url: str
    db_path: Path
    keys_dir: Path
    process: subprocess.Popen[bytes]

    def partner(self, name: str = "sandbox") -> Partner:
        return Partner(name=name, url=self.url, keys_dir=self.keys_dir, timeout=10.0)


def write_keys(keys_dir: Path, *, signature_alg: str = "ed25519", envelope_alg: str = "A256GCM") -> None:
    platform, bank = keyfiles.generate_pair(signature_alg=signature_alg, envelope_alg=envelope_alg)
    keyfiles.write_private(keys_dir / keyfiles.PLATFORM_FILE, platform.to_dict())
    keyfiles.write_private(keys_dir / keyfiles.BANK_FILE, bank.to_dict())


def start_bank(
    directory: Path,
    *,
    signature_alg: str = "ed25519",
    envelope_alg: str = "A256GCM",
    test_clock: bool = True,
    push_interval: float = 0,
) -> BankServer:
    """Generate keys for both sides in ``directory`` (unless present), start the bank, wait until it answers."""
    directory.mkdir(parents=True, exist_ok=True)
    keys_dir = directory / "keys"
    if not (keys_dir / keyfiles.BANK_FILE).exists():
        write_keys(keys_dir, signature_alg=signature_alg, envelope_alg=envelope_alg)
    db_path = directory / "bank.sqlite3"
    args = ["--db", str(db_path), "--keys-dir", str(keys_dir), f"--push-interval={push_interval}"]
    if test_clock:
        args.append("--test-clock")
    started = start_sandbox("sandbox.bank", "bank", args, log_path=directory / "bank.log")
    return BankServer(url=started.url, db_path=db_path, keys_dir=keys_dir, process=started.process)


def stop_bank(process: subprocess.Popen[bytes]) -> None:
    stop_process(process)


class Bank:
    """A test's handle on the sandbox bank: the platform's adapter plus the bank's test operations."""

    def __init__(self, server: BankServer, name: str = "sandbox") -> None:
        self.server = server
        self.partner_name = name
        self.adapter = HttpBankAdapter(server.partner(name))

    @property
    def url(self) -> str:
        return self.server.url

    def credit(
        self,
        account_number: str,
        amount_fen: int,
        *,
        counterparty_name: str = "如东县某某有限公司",
        counterparty_account: str = "3206230001000000001",
        description: str = "来账",
    ) -> dict[str, Any]:
        """Money arrives on the account from a named counterparty (booked, and queued for notification)."""
        return self.adapter.call(
            "/v1/test/credit",
            {
                "account_number": account_number,
                "amount_fen": amount_fen,
                "counterparty_name": counterparty_name,
                "counterparty_account": counterparty_account,
                "description": description,
            },
        )

    def debit(
        self,
        account_number: str,
        amount_fen: int,
        *,
        counterparty_name: str = "银行手续费",
        counterparty_account: str = "",
        description: str = "扣款",
    ) -> dict[str, Any]:
        """A debit the platform did not instruct (booked whatever the limits)."""
        return self.adapter.call(
            "/v1/test/debit",
            {
                "account_number": account_number,
                "amount_fen": amount_fen,
                "counterparty_name": counterparty_name,
                "counterparty_account": counterparty_account,
                "description": description,
            },
        )

    def close_payee_account(self, account_number: str) -> None:
        """Transfers to this payee account are executed, then returned by the payee's bank."""
        self.adapter.call("/v1/test/close-payee", {"account_number": account_number})

    def freeze(self, account_number: str, frozen: bool = True) -> None:
        self.adapter.call("/v1/test/freeze", {"account_number": account_number, "frozen": frozen})

    def notify_to(self, url: str | None) -> None:
        """Where the bank pushes notifications (the platform's /api/v1/banking/notifications); None: nowhere."""
        self.adapter.call("/v1/test/notify-url", {"url": url})

    def push_now(self) -> dict[str, Any]:
        """Deliver every pending notification now; {"delivered": n, "failed": m, "errors": [...]}."""
        return self.adapter.call("/v1/test/push", {})

    def discard_pending(self) -> int:
        return int(self.adapter.call("/v1/test/push", {"discard": True})["discarded"])

    def set_clock(self, moment: dt.datetime | None) -> None:
        """The bank's business clock (booking time, the Asia/Shanghai day of daily limits, token expiry)."""
        if moment is not None and moment.tzinfo is None:
            raise ValueError("give an aware datetime")
        self.adapter.call("/v1/test/clock", {"now": moment.isoformat() if moment else None})

    # --- reading the bank's books directly (what a test asserts did not change) --------------------------

    def snapshot(self) -> dict[str, Any]:
        """Balances, movements and transfers as the bank's database holds them."""
        with sqlite3.connect(self.server.db_path, timeout=30) as connection:
            accounts = connection.execute(
                "SELECT number, balance, debited_total, last_seq, per_tx, daily, cumulative"
                " FROM accounts ORDER BY number"
            ).fetchall()
            movements = connection.execute("SELECT COUNT(*) FROM movements").fetchone()[0]
            transfers = connection.execute("SELECT idem, status, reason FROM transfers ORDER BY idem").fetchall()
        connection.close()
        return {"accounts": accounts, "movements": movements, "transfers": transfers}

    def balance(self, account_number: str) -> int:
        with sqlite3.connect(self.server.db_path, timeout=30) as connection:
            row = connection.execute("SELECT balance FROM accounts WHERE number = ?", (account_number,)).fetchone()
        connection.close()
        if row is None:
            raise KeyError(account_number)
        return int(row[0])


_running: BankServer | None = None


@pytest.fixture(scope="session")
def bank_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BankServer]:
    """The sandbox bank process for the session (real process, real HTTP, own SQLite, test clock on,
    notifications only on demand)."""
    global _running
    if _running is not None and _running.process.poll() is None:
        yield _running
        return
    server = start_bank(tmp_path_factory.mktemp("bank"))
    _running = server
    try:
        yield server
    finally:
        _running = None
        stop_bank(server.process)


@pytest.fixture
def bank(bank_server: BankServer, settings: Any) -> Iterator[Bank]:
    """Point the platform at the sandbox bank for one test (partner "sandbox"); the bank's clock is real and
    nothing is pending for notification at the start; afterwards the clock and notify URL are reset."""
    settings.BANK_URL = bank_server.url
    settings.BANK_KEYS_DIR = bank_server.keys_dir
    settings.BANK_DEFAULT_PARTNER = "sandbox"
    settings.BANK_PARTNERS = {}
    handle = Bank(bank_server)
    handle.set_clock(None)
    handle.notify_to(None)
    handle.discard_pending()
    try:
        yield handle
    finally:
        handle.set_clock(None)
        handle.notify_to(None)
