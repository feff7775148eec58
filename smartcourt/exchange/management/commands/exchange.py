"""Operate this zone's side of the exchange (docs/adr/0011-zones-and-gateway.md).

manage.py exchange keys DIR              # both zones' key files and the gateways' public key files, once
manage.py exchange pack                  # build packages from waiting messages into the outbox
manage.py exchange apply                 # apply the inbox in sequence; quarantine what fails
manage.py exchange ping USERNAME [NOTE]  # a connectivity check to the other zone, sent as USERNAME
manage.py exchange status                # sequences, unacknowledged packages, open alerts
manage.py exchange resolve ALERT USERNAME NOTE   # close an alert after looking into it
manage.py exchange run [--interval 2] [--once]   # the zone's exchange process: pack and apply every few seconds

Key rotation on this zone's key file, without downtime (ADR 0005's steps; each audited, key ids only):
manage.py exchange new-signing-key          # prints its public key: add it to the other zone and the gateway
manage.py exchange publish FILE             # this zone's public signing keys, for the gateway's --sender-keys
manage.py exchange add-peer-key JSON        # the other zone's new public key
manage.py exchange activate-signing-key KEYID / retire-signing-key KEYID / remove-peer-key KEYID
manage.py exchange new-envelope-key         # prints the shared secret: add it to the other zone, securely
manage.py exchange add-envelope-key JSON / activate-envelope-key KID / retire-envelope-key KID

``run`` is what keeps the lag to seconds (the worker's periodic jobs run once a minute and remain as a backstop;
both may run at once: the direction's head row serialises them).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import signal
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnerproto import exchange as px
from partnerproto import keyfiles
from partnerproto.envelope import EnvelopeKey
from partnerproto.signatures import PublicKey, SigningKey
from smartcourt.accounts.models import User
from smartcourt.exchange import actions, selectors, zones
from smartcourt.exchange.models import ExchangeAlert

ROTATION = (
    "new-signing-key",
    "activate-signing-key",
    "retire-signing-key",
    "add-peer-key",
    "remove-peer-key",
    "new-envelope-key",
    "add-envelope-key",
    "activate-envelope-key",
    "retire-envelope-key",
    "publish",
)
UPKEEP_SECONDS = 300  # resends and the silence check, as often as the worker's jobs would


class Command(BaseCommand):
    help = "Keys, packing, applying and status of this zone's exchange with the other zone."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["keys", "pack", "apply", "ping", "status", "resolve", "run", *ROTATION])
        parser.add_argument("--interval", type=float, default=2.0, help="run: seconds between rounds")
        parser.add_argument("--once", action="store_true", help="run: one round, then exit")
        parser.add_argument("values", nargs="*", help="keys: DIR; ping: USERNAME [NOTE]; resolve: ALERT USERNAME NOTE")

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"no user {username!r}") from exc

    def handle(self, *args: Any, step: str, values: list[str], **options: Any) -> None:
        if step == "keys":
            self._keys(values)
            return
        if zones.outbound() is None:
            raise CommandError("this is the single zone (SMARTCOURT_ZONE=single): nothing is exchanged")
        if step in ROTATION:
            self._rotate(step, " ".join(values))
        elif step == "run":
            self._run(interval=options["interval"], once=options["once"])
        else:
            {"pack": self._pack, "apply": self._apply, "ping": self._ping, "resolve": self._resolve}.get(
                step, self._status
            )(values)

    def _keys(self, values: list[str]) -> None:
        if len(values) != 1:
            raise CommandError("give the directory: manage.py exchange keys DIR")
        directory = Path(values[0])
        if (directory / px.INTERNET_KEYS).exists() or (directory / px.COURT_KEYS).exists():
            raise CommandError(f"{directory} has zone keys already; rotate them, do not overwrite them")
        px.write_zone_keys(directory)
        self.stdout.write(
            f"wrote {px.INTERNET_KEYS} (internet zone), {px.COURT_KEYS} (court zone), and the gateways' "
            f"{px.INTERNET_PUBLIC} and {px.COURT_PUBLIC} in {directory}"
        )

    def _pack(self, values: list[str]) -> None:
        for package in actions.pack_outbox(actor=None):
            self.stdout.write(f"{px.file_name(package.direction, package.sequence)}: {package.message_count}")

    def _apply(self, values: list[str]) -> None:
        for incoming in actions.apply_inbox(actor=None):
            self.stdout.write(f"{incoming.file_name}: {incoming.state} {incoming.reason}".rstrip())

    def _ping(self, values: list[str]) -> None:
        if not values:
            raise CommandError("give the username the ping is sent as")
        actions.send_ping(actor=self._user(values[0]), note=" ".join(values[1:]))
        self.stdout.write("queued; it leaves with the next pack")

    def _resolve(self, values: list[str]) -> None:
        if len(values) < 3:
            raise CommandError("give the alert, the username of whoever resolves it and a note")
        try:
            alert = actions.resolve_alert(actor=self._user(values[1]), alert_id=values[0], note=" ".join(values[2:]))
        except (ValueError, ValidationError, ExchangeAlert.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"resolved {alert.pk} ({alert.reason})")

    def _status(self, values: list[str]) -> None:
        for line in selectors.status_lines():
            self.stdout.write(line)

    def _rotate(self, step: str, value: str) -> None:
        zone = zones.current_zone_name()
        suffix = secrets.token_hex(3)
        try:
            if step == "publish":
                if not value:
                    raise CommandError("give the file to write: manage.py exchange publish FILE")
                keys = zones.keys()
                px.write_public_keys(Path(value), [key.public_key() for key in keys.signing_keys])
                self.stdout.write(f"wrote {len(keys.signing_keys)} public key(s) to {value}")
                return
            if step == "new-signing-key":
                key = SigningKey.generate(f"{zone}-ed25519-{suffix}")
                actions.rotate_keys(actor=None, step="signing_added", change=lambda k: keyfiles.add_signing_key(k, key))
                self.stdout.write(json.dumps(key.public_key().to_dict()))
            elif step == "add-peer-key":
                public = PublicKey.from_dict(json.loads(value))
                actions.rotate_keys(actor=None, step="peer_added", change=lambda k: keyfiles.add_peer_key(k, public))
            elif step == "new-envelope-key":
                secret = EnvelopeKey.generate(f"exchange-A256GCM-{suffix}")
                actions.rotate_keys(
                    actor=None, step="envelope_added", change=lambda k: keyfiles.add_envelope_key(k, secret)
                )
                self.stdout.write(json.dumps(secret.to_dict()))
            elif step == "add-envelope-key":
                shared = EnvelopeKey.from_dict(json.loads(value))
                actions.rotate_keys(
                    actor=None, step="envelope_added", change=lambda k: keyfiles.add_envelope_key(k, shared)
                )
            else:
                if not value:
                    raise CommandError(f"{step} needs a key id")
                change = {
                    "activate-signing-key": keyfiles.activate_signing_key,
                    "retire-signing-key": keyfiles.retire_signing_key,
                    "remove-peer-key": keyfiles.remove_peer_key,
                    "activate-envelope-key": keyfiles.activate_envelope_key,
                    "retire-envelope-key": keyfiles.retire_envelope_key,
                }[step]
                name = step.replace("-", "_").removesuffix("_key")
                actions.rotate_keys(actor=None, step=name, change=lambda k: change(k, value))
        except (keyfiles.RotationError, ValueError, KeyError) as exc:
            raise CommandError(str(exc)) from exc

    def _run(self, *, interval: float, once: bool) -> None:
        stop = threading.Event()
        if not once:  # a process of its own: SIGTERM ends it after the round in progress
            signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
        last_upkeep = 0.0
        while True:
            sent = len(actions.pack_outbox(actor=None))
            judged = actions.apply_inbox(actor=None)
            sent += len(actions.pack_outbox(actor=None))  # the acknowledgments of what was just applied
            if time.monotonic() - last_upkeep >= UPKEEP_SECONDS:
                older_than = dt.timedelta(seconds=settings.EXCHANGE_RESEND_SECONDS)
                sent += len(actions.resend_unacknowledged(actor=None, older_than=older_than))
                actions.check_inbound(actor=None)
                last_upkeep = time.monotonic()
            if sent or judged:
                self.stdout.write(f"sent {sent}, judged {len(judged)}")
            if once or stop.wait(interval):
                return
