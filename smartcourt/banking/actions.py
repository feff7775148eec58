"""Writes of the banking app: key rotation steps on the platform's key file, each recorded in the audit chain
(a key change is a security event: who added, activated or retired which key id, never the key material)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from partnerproto import keyfiles
from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.banking.partners import Partner


def _summary(keys: keyfiles.PartyKeys) -> dict[str, object]:
    return {
        "signing_keys": [key.keyid for key in keys.signing_keys],
        "signing_current": keys.signing_current,
        "peer_keys": [key.keyid for key in keys.peer_keys],
        "envelope_keys": sorted(keys.envelope.keys),
        "envelope_current": keys.envelope.current,
    }


@transaction.atomic
def rotate_keys(
    *,
    actor: User | None,
    partner: Partner,
    step: str,
    change: Callable[[keyfiles.PartyKeys], keyfiles.PartyKeys],
) -> keyfiles.PartyKeys:
    """Apply one rotation step (``change``, e.g. ``lambda k: keyfiles.activate_signing_key(k, "p-2")``) to the
    partner's key file and record it. The audit event is written first: if the file cannot be written the
    transaction rolls back, and the file is replaced atomically, so the record and the file agree."""
    before = partner.keys()
    after = change(before)
    record_event(
        actor=actor,
        action=f"banking.keys_{step}",
        before={"partner": partner.name, **_summary(before)},
        after={"partner": partner.name, **_summary(after)},
    )
    keyfiles.write_private(partner.key_file, after.to_dict())
    return after
