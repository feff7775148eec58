"""Seed a large synthetic court for the dashboards' performance (see analytics/synthetic.py), then rebuild
the summary tables. Use a database of its own: ``SMARTCOURT_DB_NAME=var/perf.sqlite3 manage.py migrate``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcourt.analytics.facts import refresh_facts
from smartcourt.analytics.synthetic import seed


class Command(BaseCommand):
    help = "Bulk-create a large synthetic court (cases, node records, audit events) and summarise it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000, help="Number of cases (default 100,000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed, the same data.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["cases"] <= 2_000_000:
            raise CommandError("--cases must be between 1 and 2,000,000")
        try:
            result = seed(cases=options["cases"], seed_value=options["seed"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for name, count in result.counts.items():
            self.stdout.write(f"{name}: {count}")
        for name, seconds in result.seconds.items():
            self.stdout.write(f"{name}: {seconds:.1f} s")
        refresh = refresh_facts()
        self.stdout.write(f"summary tables: {refresh.cases} cases in {refresh.seconds:.1f} s")
        self.stdout.write(f"dashboards: sign in as {result.admin.username} (set a password with changepassword)")
