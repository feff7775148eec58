"""Seed the demo's fund supervision once the sandbox bank answers.

``make run`` seeds the demo before scripts/run.py starts the sandbox bank, so seed_demo cannot open the
account then; run.py calls this after starting the bank (it waits for the bank up to ``--wait`` seconds).
Idempotent: with the account already open it does nothing."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcourt.funds.demo import seed_demo_world_funds


class Command(BaseCommand):
    help = "Open the 宏达纺织 case's supervised account at the sandbox bank with demo movements and payments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wait", type=float, default=30.0, help="Seconds to wait for the bank (default 30).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 <= options["wait"] <= 600:
            raise CommandError("--wait must be between 0 and 600 seconds")
        deadline = time.monotonic() + options["wait"]
        while True:
            account = seed_demo_world_funds()
            if account is not None:
                self.stdout.write(f"fund supervision demo: account {account.account_number} at {account.bank_name}")
                return
            if time.monotonic() >= deadline:
                raise CommandError("fund supervision demo not seeded: no demo world yet, or the bank did not answer")
            time.sleep(1)
