"""manage.py verify_pdf FILE: the verification of the public page, offline. Exit status 0 only when valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcourt.documents.signature_check import verify_pdf


class Command(BaseCommand):
    help = "Verify the seal signatures of a PDF against the platform CA and the seal register."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        report = verify_pdf(data)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"{path}: {report.verdict.upper()}")
            for problem in report.problems:
                self.stdout.write(f"  problem: {problem}")
            if report.case_number:
                self.stdout.write(f"  document: {report.document_title} ({report.case_number})")
            for signature in report.signatures:
                when = signature.signed_at.isoformat() if signature.signed_at else "unknown time"
                self.stdout.write(f"  signed by {signature.seal or signature.signer} at {when}")
                self.stdout.write(f"    intact: {'yes' if signature.intact else 'NO'}")
                for problem in signature.problems:
                    self.stdout.write(f"    problem: {problem}")
        if not report.ok:
            raise SystemExit(1)
