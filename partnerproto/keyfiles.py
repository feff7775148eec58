"""Key files of the bank partner protocol: one JSON file per side, written 0600.

Pure module (no Django): the platform (``partners.py``) and the sandbox bank both read these files. Each side
holds its own private signing keys (one ``current``, older ones still published for overlap), the other side's
public keys, the shared envelope keys (a ``Keyring``) and the court's approval keys (the platform holds the
private half, the bank only the public half).

A rotation without downtime: (1) add the new key to the owner's file and its public half to the peer's file,
both still signing with the old key; (2) switch ``signing_current`` to the new key; (3) once no request signed
with the old key can still be in flight (5 minutes), remove the old key from both files. Both sides re-read
their file when it changes, so no restart is needed.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from partnerproto.envelope import AES_256_GCM, EnvelopeKey, Keyring
from partnerproto.signatures import ED25519, PublicKey, SigningKey

PLATFORM_FILE = "platform.json"
BANK_FILE = "bank.json"


@dataclass(frozen=True)
class PartyKeys:
    """Everything one side needs to talk to the other."""

    signing_keys: tuple[SigningKey, ...]
    signing_current: str
    peer_keys: tuple[PublicKey, ...]
    envelope: Keyring
    court_signing_keys: tuple[SigningKey, ...] = ()  # the platform only
    court_current: str = ""
    court_public_keys: tuple[PublicKey, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # e.g. the bank's notify_url

    def signing_key(self) -> SigningKey:
        for key in self.signing_keys:
            if key.keyid == self.signing_current:
                return key
        raise KeyError(f"the current signing key {self.signing_current!r} is not among the signing keys")

    def peer_key(self, keyid: str) -> PublicKey | None:
        for key in self.peer_keys:
            if key.keyid == keyid:
                return key
        return None

    def court_key(self) -> SigningKey:
        for key in self.court_signing_keys:
            if key.keyid == self.court_current:
                return key
        raise KeyError("no court approval signing key on this side")

    def court_public(self) -> dict[str, PublicKey]:
        keys = {key.keyid: key for key in self.court_public_keys}
        keys.update({key.keyid: key.public_key() for key in self.court_signing_keys})
        return keys

    def to_dict(self) -> dict[str, Any]:
        return {
            "signing_keys": [key.to_dict() for key in self.signing_keys],
            "signing_current": self.signing_current,
            "peer_keys": [key.to_dict() for key in self.peer_keys],
            "envelope_keys": [key.to_dict() for key in self.envelope.keys.values()],
            "envelope_current": self.envelope.current,
            "court_signing_keys": [key.to_dict() for key in self.court_signing_keys],
            "court_current": self.court_current,
            "court_public_keys": [key.to_dict() for key in self.court_public_keys],
            **dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PartyKeys:
        known = {
            "signing_keys",
            "signing_current",
            "peer_keys",
            "envelope_keys",
            "envelope_current",
            "court_signing_keys",
            "court_current",
            "court_public_keys",
        }
        envelope_keys = [EnvelopeKey.from_dict(item) for item in data["envelope_keys"]]
        return cls(
            signing_keys=tuple(SigningKey.from_dict(item) for item in data["signing_keys"]),
            signing_current=data["signing_current"],
            peer_keys=tuple(PublicKey.from_dict(item) for item in data["peer_keys"]),
            envelope=Keyring.of(*envelope_keys, current=data["envelope_current"]),
            court_signing_keys=tuple(SigningKey.from_dict(item) for item in data.get("court_signing_keys", [])),
            court_current=data.get("court_current", ""),
            court_public_keys=tuple(PublicKey.from_dict(item) for item in data.get("court_public_keys", [])),
            extra={name: value for name, value in data.items() if name not in known},
        )


def write_private(path: Path, data: Mapping[str, Any], *, exclusive: bool = False) -> bool:
    """Write ``data`` as JSON, mode 0600, atomically. With ``exclusive`` an existing file wins (returns False)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")  # unique per thread too
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
    try:
        if exclusive:
            try:
                os.link(tmp, path)  # fails if another process wrote the file first: theirs is the key
            except FileExistsError:
                return False
        else:
            tmp.replace(path)
            return True
    finally:
        tmp.unlink(missing_ok=True)
    return True


def read(path: Path) -> PartyKeys:
    return PartyKeys.from_dict(json.loads(path.read_text(encoding="utf-8")))


def generate_pair(
    *, signature_alg: str = ED25519, envelope_alg: str = AES_256_GCM, suffix: str = "1"
) -> tuple[PartyKeys, PartyKeys]:
    """Fresh keys for both sides: (platform, bank)."""
    platform_key = SigningKey.generate(f"platform-{signature_alg}-{suffix}", signature_alg)
    bank_key = SigningKey.generate(f"bank-{signature_alg}-{suffix}", signature_alg)
    court_key = SigningKey.generate(f"court-{suffix}", ED25519)
    envelope = Keyring.of(EnvelopeKey.generate(f"envelope-{envelope_alg}-{suffix}", envelope_alg))
    platform = PartyKeys(
        signing_keys=(platform_key,),
        signing_current=platform_key.keyid,
        peer_keys=(bank_key.public_key(),),
        envelope=envelope,
        court_signing_keys=(court_key,),
        court_current=court_key.keyid,
    )
    bank = PartyKeys(
        signing_keys=(bank_key,),
        signing_current=bank_key.keyid,
        peer_keys=(platform_key.public_key(),),
        envelope=envelope,
        court_public_keys=(court_key.public_key(),),
    )
    return platform, bank


def ensure_demo_keys(directory: Path, *, signature_alg: str = ED25519, envelope_alg: str = AES_256_GCM) -> None:
    """Generate ``platform.json`` and ``bank.json`` in ``directory`` on first run (the demo); keep them after.

    Both files are written as a pair; if two processes race (the platform and the sandbox bank starting
    together), the first link of ``platform.json`` wins and the loser waits for the winner's ``bank.json``."""
    platform_path, bank_path = directory / PLATFORM_FILE, directory / BANK_FILE
    if platform_path.exists() and bank_path.exists():
        return
    platform, bank = generate_pair(signature_alg=signature_alg, envelope_alg=envelope_alg)
    # bank.json first under a private name, then platform.json exclusively: the winner renames its bank file.
    staged = directory / f"{BANK_FILE}.{os.getpid()}.{secrets.token_hex(4)}.staged"
    write_private(staged, bank.to_dict())
    try:
        if write_private(platform_path, platform.to_dict(), exclusive=True):
            staged.replace(bank_path)
    finally:
        staged.unlink(missing_ok=True)
    # The loser of a race waits for the winner's bank.json (written right after its platform.json).
    deadline = time.monotonic() + 10
    while not bank_path.exists():
        if time.monotonic() > deadline:
            raise FileNotFoundError(f"{bank_path} did not appear beside {platform_path}")
        time.sleep(0.02)


# --- rotation steps (each returns a new PartyKeys; the caller writes it with write_private) ---------------


class RotationError(ValueError):
    """A rotation step that would break the link (retiring the key in use, activating an unknown key)."""


def add_signing_key(keys: PartyKeys, key: SigningKey) -> PartyKeys:
    if any(existing.keyid == key.keyid for existing in keys.signing_keys):
        raise RotationError(f"a signing key {key.keyid!r} exists already")
    return replace(keys, signing_keys=(*keys.signing_keys, key))


def activate_signing_key(keys: PartyKeys, keyid: str) -> PartyKeys:
    if not any(existing.keyid == keyid for existing in keys.signing_keys):
        raise RotationError(f"no signing key {keyid!r}")
    return replace(keys, signing_current=keyid)


def retire_signing_key(keys: PartyKeys, keyid: str) -> PartyKeys:
    if keyid == keys.signing_current:
        raise RotationError(f"{keyid!r} is the key in use: activate another one first")
    remaining = tuple(key for key in keys.signing_keys if key.keyid != keyid)
    if len(remaining) == len(keys.signing_keys):
        raise RotationError(f"no signing key {keyid!r}")
    return replace(keys, signing_keys=remaining)


def add_peer_key(keys: PartyKeys, key: PublicKey) -> PartyKeys:
    if keys.peer_key(key.keyid) is not None:
        raise RotationError(f"a peer key {key.keyid!r} exists already")
    return replace(keys, peer_keys=(*keys.peer_keys, key))


def remove_peer_key(keys: PartyKeys, keyid: str) -> PartyKeys:
    remaining = tuple(key for key in keys.peer_keys if key.keyid != keyid)
    if len(remaining) == len(keys.peer_keys):
        raise RotationError(f"no peer key {keyid!r}")
    if not remaining:
        raise RotationError("the last peer key cannot be removed: nothing from the peer could be verified")
    return replace(keys, peer_keys=remaining)


def add_envelope_key(keys: PartyKeys, key: EnvelopeKey) -> PartyKeys:
    if key.kid in keys.envelope.keys:
        raise RotationError(f"an envelope key {key.kid!r} exists already")
    ring = Keyring(keys={**keys.envelope.keys, key.kid: key}, current=keys.envelope.current)
    return replace(keys, envelope=ring)


def activate_envelope_key(keys: PartyKeys, kid: str) -> PartyKeys:
    if kid not in keys.envelope.keys:
        raise RotationError(f"no envelope key {kid!r}")
    return replace(keys, envelope=Keyring(keys=keys.envelope.keys, current=kid))


def retire_envelope_key(keys: PartyKeys, kid: str) -> PartyKeys:
    if kid == keys.envelope.current:
        raise RotationError(f"{kid!r} is the envelope key in use: activate another one first")
    if kid not in keys.envelope.keys:
        raise RotationError(f"no envelope key {kid!r}")
    ring = Keyring(keys={k: v for k, v in keys.envelope.keys.items() if k != kid}, current=keys.envelope.current)
    return replace(keys, envelope=ring)
