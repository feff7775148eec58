"""``manage.py idp_config --dir var/idp --site http://127.0.0.1:8000``: the sandbox identity provider's staff and
client files for ``make run`` (issue 18): every active court staff member of the demo, with the demo password,
and SmartCourt registered as a client by the public half of its private_key_jwt key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from sandbox.idp.app import hash_password
from smartcourt.accounts import sso
from smartcourt.accounts.choices import COURT_ROLES
from smartcourt.accounts.models import User
from smartcourt.cases.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dir", type=Path, required=True)
        parser.add_argument("--site", required=True, help="SmartCourt's address, e.g. http://127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["dir"]
        site = str(options["site"]).rstrip("/")
        target.mkdir(parents=True, exist_ok=True)
        staff = [
            {
                "username": user.username,
                "password_hash": hash_password(DEMO_PASSWORD),
                "name": user.full_name,
                "role": user.role,
                "court": user.organisation.court_code if user.organisation else "",
            }
            for user in User.objects.filter(role__in=COURT_ROLES, is_active=True, organisation__isnull=False)
            .select_related("organisation")
            .order_by("username")
        ]
        clients = [
            {
                "client_id": "smartcourt",
                "redirect_uris": [f"{site}/accounts/sso/callback/"],
                "jwks": sso.public_jwks(),
                "backchannel_logout_uri": f"{site}/accounts/sso/backchannel-logout/",
                "portal_url": f"{site}/",
            }
        ]
        (target / "staff.json").write_text(json.dumps(staff, ensure_ascii=False, indent=1), encoding="utf-8")
        (target / "clients.json").write_text(json.dumps(clients, indent=1), encoding="utf-8")
        self.stdout.write(f"{len(staff)} staff and 1 client written to {target}")
