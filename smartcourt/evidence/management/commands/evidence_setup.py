from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from smartcourt.evidence.actions import ensure_witness, publish_checkpoint
from smartcourt.evidence.keys import log_verifier_key


class Command(BaseCommand):
    help = (
        "Make sure the log key exists (printing its verifier key), optionally register a witness from its verifier "
        "key (a file or the key itself), and sign a first checkpoint. Idempotent; scripts/run.py calls it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--register-witness", metavar="VKEY_OR_FILE", help="a witness verifier key to trust")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"log key: {log_verifier_key().encode()}")
        given = options.get("register_witness")
        if given:
            path = Path(given)
            vkey = path.read_text().strip() if path.exists() else given
            witness = ensure_witness(public_key=vkey)
            self.stdout.write(f"witness: {witness.name}")
        checkpoint = publish_checkpoint()
        self.stdout.write(f"checkpoint: {checkpoint.tree_size} leaves")
