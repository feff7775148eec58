from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from smartcourt.evidence.auditing import verify_log


class Command(BaseCommand):
    help = "Recompute the transparency log from its sources; report the first leaf, node or checkpoint that differs."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_log()
        if report.problem is not None:
            raise CommandError(
                f"transparency log verification FAILED: {report.problem} ({report.checked} leaves before it verified)",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"transparency log intact: {report.checked} leaves verified"))
