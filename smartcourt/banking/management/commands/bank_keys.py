"""Rotate the platform's keys for a bank partner without downtime (docs/adr/0005-bank-partner-protocol.md).

manage.py bank_keys show
manage.py bank_keys new-signing-key [--alg ed25519|sm2-sm3]   # prints the public key for the bank
manage.py bank_keys activate-signing-key KEYID                 # once the bank accepts it
manage.py bank_keys retire-signing-key KEYID                   # 5 minutes after activating the new one
manage.py bank_keys add-bank-key '{"keyid": ..., "alg": ..., "public": ...}'
manage.py bank_keys remove-bank-key KEYID
manage.py bank_keys new-envelope-key [--enc A256GCM|SM4GCM]    # prints the secret: hand it over securely
manage.py bank_keys activate-envelope-key KID / retire-envelope-key KID
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnerproto import keyfiles
from partnerproto.envelope import EnvelopeKey
from partnerproto.signatures import PublicKey, SigningKey
from smartcourt.banking.actions import rotate_keys
from smartcourt.banking.partners import partner


class Command(BaseCommand):
    help = "Show or rotate the platform's signing and envelope keys for a bank partner."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "step",
            choices=[
                "show",
                "new-signing-key",
                "activate-signing-key",
                "retire-signing-key",
                "add-bank-key",
                "remove-bank-key",
                "new-envelope-key",
                "activate-envelope-key",
                "retire-envelope-key",
            ],
        )
        parser.add_argument("value", nargs="?", default="", help="a key id, or the bank's public key as JSON")
        parser.add_argument("--partner", default="", help="the bank partner (default: BANK_DEFAULT_PARTNER)")
        parser.add_argument("--alg", default="ed25519", choices=["ed25519", "sm2-sm3"])
        parser.add_argument("--enc", default="A256GCM", choices=["A256GCM", "SM4GCM"])

    def handle(self, *args: Any, **options: Any) -> None:
        config = partner(options["partner"])
        step, value = options["step"], options["value"]
        suffix = secrets.token_hex(3)
        try:
            if step == "show":
                keys = config.keys()
            elif step == "new-signing-key":
                key = SigningKey.generate(f"platform-{options['alg']}-{suffix}", options["alg"])
                keys = rotate_keys(
                    actor=None, partner=config, step="signing_added", change=lambda k: keyfiles.add_signing_key(k, key)
                )
            elif step == "new-envelope-key":
                envelope_key = EnvelopeKey.generate(f"envelope-{options['enc']}-{suffix}", options["enc"])
                keys = rotate_keys(
                    actor=None,
                    partner=config,
                    step="envelope_added",
                    change=lambda k: keyfiles.add_envelope_key(k, envelope_key),
                )
                self.stdout.write(json.dumps(envelope_key.to_dict()))
            elif step == "add-bank-key":
                public = PublicKey.from_dict(json.loads(value))
                keys = rotate_keys(
                    actor=None, partner=config, step="peer_added", change=lambda k: keyfiles.add_peer_key(k, public)
                )
            else:
                if not value:
                    raise CommandError(f"{step} needs a key id")
                change = {
                    "activate-signing-key": keyfiles.activate_signing_key,
                    "retire-signing-key": keyfiles.retire_signing_key,
                    "remove-bank-key": keyfiles.remove_peer_key,
                    "activate-envelope-key": keyfiles.activate_envelope_key,
                    "retire-envelope-key": keyfiles.retire_envelope_key,
                }[step]
                keys = rotate_keys(
                    actor=None,
                    partner=config,
                    step=step.replace("-", "_").removesuffix("_key"),
                    change=lambda k: change(k, value),
                )
        except (keyfiles.RotationError, ValueError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"partner {config.name} ({config.key_file})")
        for key in keys.signing_keys:
            marker = "*" if key.keyid == keys.signing_current else " "
            self.stdout.write(f" {marker} signing  {json.dumps(key.public_key().to_dict())}")
        for public in keys.peer_keys:
            self.stdout.write(f"   bank     {public.keyid} ({public.alg})")
        for kid, envelope in sorted(keys.envelope.keys.items()):
            marker = "*" if kid == keys.envelope.current else " "
            self.stdout.write(f" {marker} envelope {kid} ({envelope.enc})")
