from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from smartcourt.audit.chain_check import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain; report the first event edited, removed or reordered."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.problem is not None:
            raise CommandError(
                f"audit log verification FAILED at event #{report.problem.seq}: {report.problem.problem} "
                f"({report.checked} events before it verified)",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"audit log intact: {report.checked} events verified"))
