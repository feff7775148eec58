from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from smartcourt.cases.demo import DEMO_PASSWORD
from smartcourt.demo.signing import sandbox_signing
from smartcourt.demo.world import seed_demo


class Command(BaseCommand):
    help = "Create the demo courts, people, cases and proceedings (idempotent) and print the demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        # The timestamp authority and the CA's status service run before anything is signed: the demo's seals
        # are PAdES B-LTA like those of the running platform (issue 15.12).
        with translation.override(settings.LANGUAGE_CODE), sandbox_signing():
            sign_ins = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with any of these (password below):"))
        for s in sign_ins:
            where = f" · {s.organisation}" if s.organisation else ""
            self.stdout.write(f"  {s.username:<12} {s.full_name} · {s.role}{where}")
        self.stdout.write(f"  password for every demo user: {DEMO_PASSWORD}")
