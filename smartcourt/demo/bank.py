"""The sandbox bank while the demo is seeded: fund supervision and distributions are seeded through the real bank
protocol, and ``make run`` seeds before it starts its processes. So if no bank answers at BANK_URL, one is
started there for the seeding, on the same database and keys the running platform's bank uses afterwards."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from sandbox.process import answers, start_sandbox

logger = logging.getLogger("smartcourt.demo")


@contextmanager
def sandbox_bank() -> Iterator[None]:
    url = str(settings.BANK_URL)
    if answers(url):
        yield
        return
    parts = urlsplit(url)
    if parts.hostname not in {"127.0.0.1", "localhost"} or parts.port is None:
        logger.warning("no bank answers at %s and it is not a loopback sandbox address: funds are not seeded", url)
        yield
        return
    var_dir = Path(settings.VAR_DIR)
    keys_dir = Path(settings.BANK_KEYS_DIR)
    args = ["--host", "127.0.0.1", "--db", str(var_dir / "bank.sqlite3"), "--keys-dir", str(keys_dir)]
    started = start_sandbox(
        "sandbox.bank", "bank", [*args, "--push-interval=0"], log_path=var_dir / "bank-seed.log", port=parts.port
    )
    try:
        yield
    finally:
        started.stop()
