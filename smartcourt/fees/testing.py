"""Pytest fixtures for anything that talks to the payment service: a real sandbox payment process
(``python -m sandbox.payments``) on a free loopback port with its own SQLite file and fresh keys, started once
per session, and the platform's settings pointed at it (like smartcourt/banking/testing.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from partnerproto import keyfiles
from sandbox.process import start_sandbox, stop_process
from smartcourt.fees import payments


@dataclass(frozen=True)
class PaymentsServer:
    url: str
    db_path: Path
    keys_dir: Path
    process: subprocess.Popen[bytes]


def start_payments(directory: Path) -> PaymentsServer:
    directory.mkdir(parents=True, exist_ok=True)
    keys_dir = directory / "keys"
    if not (keys_dir / keyfiles.BANK_FILE).exists():
        platform, service = keyfiles.generate_pair()
        keyfiles.write_private(keys_dir / keyfiles.PLATFORM_FILE, platform.to_dict())
        keyfiles.write_private(keys_dir / keyfiles.BANK_FILE, service.to_dict())
    db_path = directory / "payments.sqlite3"
    args = ["--db", str(db_path), "--keys-dir", str(keys_dir), "--push-interval=0"]
    started = start_sandbox("sandbox.payments", "payments", args, log_path=directory / "payments.log")
    return PaymentsServer(url=started.url, db_path=db_path, keys_dir=keys_dir, process=started.process)


class Payments:
    """A test's handle: the platform's client plus the service's test operations."""

    def __init__(self, server: PaymentsServer) -> None:
        self.server = server

    @property
    def url(self) -> str:
        return self.server.url

    def notify_to(self, url: str | None) -> None:
        payments.call("/v1/test/notify-url", {"url": url})

    def push_now(self) -> dict[str, Any]:
        return payments.call("/v1/test/push", {})


_running: PaymentsServer | None = None


@pytest.fixture(scope="session")
def payments_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PaymentsServer]:
    global _running
    if _running is not None and _running.process.poll() is None:
        yield _running
        return
    server = start_payments(tmp_path_factory.mktemp("payments"))
    _running = server
    try:
        yield server
    finally:
        _running = None
        stop_process(server.process)


@pytest.fixture
def payment_service(payments_server: PaymentsServer, settings: Any) -> Iterator[Payments]:
    settings.PAYMENTS_URL = payments_server.url
    settings.PAYMENTS_KEYS_DIR = payments_server.keys_dir
    handle = Payments(payments_server)
    handle.notify_to(None)
    try:
        yield handle
    finally:
        handle.notify_to(None)
