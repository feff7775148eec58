"""Body encryption for messages carrying account or personal data (docs/adr/0005-bank-partner-protocol.md).

Pure module (no Django). The encrypted body is a small JSON envelope sent with ``Content-Type:
application/vnd.smartcourt.envelope+json``::

    {"v": 1, "enc": "A256GCM", "kid": "sandbox-enc-2026a", "iv": "<12 bytes, base64>", "ct": "<ciphertext||tag>"}

``A256GCM`` is AES-256-GCM (the default), ``SM4GCM`` SM4 in GCM mode (GB/T 32907, 128-bit key, selectable
per partner). The 96-bit IV is random per message. The additional authenticated data binds the version,
algorithm, key id, direction and the request target
(``"v1|A256GCM|<kid>|request|POST https://bank/v1/transfers"``; an answer says ``response``), so a ciphertext
moved to another endpoint, reflected back as an answer, or relabelled with another key id or algorithm fails
to decrypt.

Keys are symmetric and shared per partner, each with a key id; a ``Keyring`` accepts every key it holds and
encrypts with its ``current`` one, which is how a key is rotated without downtime: add the new key on both
sides, switch ``current``, remove the old key once nothing in flight uses it.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CONTENT_TYPE = "application/vnd.smartcourt.envelope+json"
AES_256_GCM = "A256GCM"
SM4_GCM = "SM4GCM"
KEY_SIZES = {AES_256_GCM: 32, SM4_GCM: 16}
IV_SIZE = 12
TAG_SIZE = 16

# Reasons of EnvelopeError.
MALFORMED = "envelope_malformed"
UNKNOWN_KEY = "envelope_unknown_key"
ALGORITHM_MISMATCH = "envelope_algorithm_mismatch"
DECRYPT_FAILED = "envelope_decrypt_failed"  # wrong key, tampered ciphertext, other target, relabelled


class EnvelopeError(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class EnvelopeKey:
    kid: str
    enc: str
    secret: bytes

    def __post_init__(self) -> None:
        if self.enc not in KEY_SIZES:
            raise ValueError(f"unknown envelope algorithm {self.enc!r}")
        if len(self.secret) != KEY_SIZES[self.enc]:
            raise ValueError(f"{self.enc} needs a {KEY_SIZES[self.enc]}-byte key, {self.kid} has {len(self.secret)}")

    @classmethod
    def generate(cls, kid: str, enc: str = AES_256_GCM) -> EnvelopeKey:
        return cls(kid=kid, enc=enc, secret=os.urandom(KEY_SIZES[enc]))

    def to_dict(self) -> dict[str, str]:
        return {"kid": self.kid, "enc": self.enc, "secret": base64.b64encode(self.secret).decode()}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> EnvelopeKey:
        return cls(kid=data["kid"], enc=data["enc"], secret=base64.b64decode(data["secret"], validate=True))


@dataclass(frozen=True)
class Keyring:
    """The keys of one partner: all accepted for decryption, ``current`` used for encryption."""

    keys: Mapping[str, EnvelopeKey] = field(default_factory=dict)
    current: str = ""

    @classmethod
    def of(cls, *keys: EnvelopeKey, current: str | None = None) -> Keyring:
        if not keys:
            raise ValueError("a keyring needs at least one key")
        return cls(keys={key.kid: key for key in keys}, current=current or keys[0].kid)

    def sending_key(self) -> EnvelopeKey:
        return self.keys[self.current]


REQUEST = "request"
RESPONSE = "response"


def _aad(enc: str, kid: str, method: str, target_uri: str, direction: str) -> bytes:
    if direction not in (REQUEST, RESPONSE):
        raise ValueError(f"direction is {REQUEST!r} or {RESPONSE!r}")
    return f"v1|{enc}|{kid}|{direction}|{method.upper()} {target_uri}".encode()


def _seal(key: EnvelopeKey, iv: bytes, aad: bytes, plaintext: bytes) -> bytes:
    if key.enc == AES_256_GCM:
        return AESGCM(key.secret).encrypt(iv, plaintext, aad)
    import gmssl_pyx

    ciphertext, tag = gmssl_pyx.sm4_gcm_encrypt(key.secret, iv, aad, plaintext)
    return bytes(ciphertext) + bytes(tag)


def _open(key: EnvelopeKey, iv: bytes, aad: bytes, sealed: bytes) -> bytes:
    if len(sealed) < TAG_SIZE:
        raise EnvelopeError(MALFORMED, "the ciphertext is shorter than its tag")
    if key.enc == AES_256_GCM:
        try:
            return AESGCM(key.secret).decrypt(iv, sealed, aad)
        except InvalidTag as exc:
            raise EnvelopeError(DECRYPT_FAILED, f"AES-256-GCM authentication failed (key {key.kid})") from exc
    import gmssl_pyx

    try:
        return bytes(gmssl_pyx.sm4_gcm_decrypt(key.secret, iv, aad, sealed[:-TAG_SIZE], sealed[-TAG_SIZE:]))
    except gmssl_pyx.GmsslInnerError as exc:
        raise EnvelopeError(DECRYPT_FAILED, f"SM4-GCM authentication failed (key {key.kid})") from exc


def encrypt(keyring: Keyring, plaintext: bytes, *, method: str, target_uri: str, direction: str = REQUEST) -> bytes:
    """The envelope (JSON bytes) for ``plaintext`` sent to ``method target_uri`` (or answering it)."""
    key = keyring.sending_key()
    iv = os.urandom(IV_SIZE)
    sealed = _seal(key, iv, _aad(key.enc, key.kid, method, target_uri, direction), plaintext)
    envelope = {
        "v": 1,
        "enc": key.enc,
        "kid": key.kid,
        "iv": base64.b64encode(iv).decode(),
        "ct": base64.b64encode(sealed).decode(),
    }
    return json.dumps(envelope, separators=(",", ":")).encode()


def decrypt(keyring: Keyring, body: bytes, *, method: str, target_uri: str, direction: str = REQUEST) -> bytes:
    """The plaintext of an envelope; raises EnvelopeError with a specific reason."""
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise EnvelopeError(MALFORMED, "the body is not a JSON envelope") from exc
    if not isinstance(envelope, dict) or envelope.get("v") != 1:
        raise EnvelopeError(MALFORMED, "not a version 1 envelope")
    kid, enc, iv_text, ct_text = (envelope.get(name) for name in ("kid", "enc", "iv", "ct"))
    if not all(isinstance(value, str) for value in (kid, enc, iv_text, ct_text)):
        raise EnvelopeError(MALFORMED, "kid, enc, iv and ct are required strings")
    assert isinstance(kid, str) and isinstance(enc, str) and isinstance(iv_text, str) and isinstance(ct_text, str)
    key = keyring.keys.get(kid)
    if key is None:
        raise EnvelopeError(UNKNOWN_KEY, f"unknown envelope key id {kid!r}")
    if enc != key.enc:
        raise EnvelopeError(ALGORITHM_MISMATCH, f"key {kid} is {key.enc}, the envelope says {enc!r}")
    try:
        iv = base64.b64decode(iv_text, validate=True)
        sealed = base64.b64decode(ct_text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EnvelopeError(MALFORMED, "iv or ct is not base64") from exc
    if len(iv) != IV_SIZE:
        raise EnvelopeError(MALFORMED, f"the IV must be {IV_SIZE} bytes")
    return _open(key, iv, _aad(enc, kid, method, target_uri, direction), sealed)


# --- the binary form, for large payloads (exchange packages between zones, docs/adr/0011) ------------------------

SEALED_MAGIC = b"SCE1"


def _sealed_aad(enc: str, kid: str, context: str) -> bytes:
    return f"v1|{enc}|{kid}|sealed|{context}".encode()


def seal(keyring: Keyring, plaintext: bytes, *, context: str) -> bytes:
    """The same encryption as ``encrypt`` without JSON and base64 (which would add a third to every file):
    ``SCE1 | u8 len + kid | u8 len + enc | 12-byte IV | ciphertext||tag``. The associated data binds the version,
    algorithm, key id and ``context`` (what the payload is, e.g. ``EXCHANGE internet->court#12``)."""
    key = keyring.sending_key()
    iv = os.urandom(IV_SIZE)
    kid, enc = key.kid.encode(), key.enc.encode()
    sealed = _seal(key, iv, _sealed_aad(key.enc, key.kid, context), plaintext)
    return SEALED_MAGIC + bytes([len(kid)]) + kid + bytes([len(enc)]) + enc + iv + sealed


def unseal(keyring: Keyring, data: bytes, *, context: str) -> bytes:
    """The plaintext of ``seal``'s output; raises EnvelopeError with a specific reason."""
    try:
        if not data.startswith(SEALED_MAGIC):
            raise ValueError("magic")
        offset = len(SEALED_MAGIC)
        kid = data[offset + 1 : offset + 1 + data[offset]].decode()
        offset += 1 + data[offset]
        enc = data[offset + 1 : offset + 1 + data[offset]].decode()
        offset += 1 + data[offset]
        iv, sealed = data[offset : offset + IV_SIZE], data[offset + IV_SIZE :]
        if len(iv) != IV_SIZE:
            raise ValueError("iv")
    except (IndexError, ValueError, UnicodeDecodeError) as exc:
        raise EnvelopeError(MALFORMED, "not a sealed envelope") from exc
    key = keyring.keys.get(kid)
    if key is None:
        raise EnvelopeError(UNKNOWN_KEY, f"unknown envelope key id {kid!r}")
    if enc != key.enc:
        raise EnvelopeError(ALGORITHM_MISMATCH, f"key {kid} is {key.enc}, the envelope says {enc!r}")
    return _open(key, iv, _sealed_aad(enc, kid, context), sealed)
