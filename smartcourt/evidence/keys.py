"""The court's log key: an Ed25519 private key in a PEM file (settings.EVIDENCE_LOG_KEY), generated on first use.

Beside it the public half is written twice, for whoever verifies: ``<key>.pub.pem`` and ``<key>.vkey`` (the
C2SP verifier key, which names the log). In production the key file is provisioned (mode 0600, owned by the
service) and only read; generating it is for a new install and the demo.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from partnerproto.note import NoteError, VerifierKey, check_name, verifier_key


def log_origin() -> str:
    origin = str(settings.EVIDENCE_LOG_ORIGIN)
    try:
        return check_name(origin)
    except NoteError as exc:
        raise ImproperlyConfigured(f"SMARTCOURT_LOG_ORIGIN: {exc}") from exc


def log_signing_key() -> Ed25519PrivateKey:
    return _load_or_create(Path(settings.EVIDENCE_LOG_KEY))


def log_verifier_key() -> VerifierKey:
    return verifier_key(log_origin(), log_signing_key().public_key())


def public_key_pem() -> str:
    return (
        log_signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@functools.cache
def _load_or_create(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        _create(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"the log key {path} cannot be read: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"the log key {path} is not an Ed25519 private key")
    _publish(path, key)
    return key


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    try:
        # link() fails if another process created the key first; that key is then the log's key.
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def _publish(path: Path, key: Ed25519PrivateKey) -> None:
    public = key.public_key()
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    vkey = verifier_key(log_origin(), public).encode() + "\n"
    for target, content in (
        (path.with_name(path.name + ".pub.pem"), pem),
        (path.with_name(path.name + ".vkey"), vkey.encode()),
    ):
        try:
            if not target.exists() or target.read_bytes() != content:
                target.write_bytes(content)
        except OSError:
            # A read-only key directory in production: the public key is also served by the API.
            pass
