"""Signed notes, checkpoints and witness cosignatures in the C2SP formats (c2sp.org/signed-note,
c2sp.org/tlog-checkpoint, c2sp.org/tlog-cosignature), with Ed25519 keys from ``cryptography``.

No Django here: the offline verifier and the sandbox witness import this module.

A checkpoint is the note text::

    smartcourt.example/log          origin
    1234                            tree size
    <base64 root hash>              root hash (RFC 6962)
    timestamp 1764300000            extension line: when the court signed it (POSIX seconds)

followed by a blank line and signature lines ``— <key name> base64(key ID || signature)``. The court signs
the text with an Ed25519 note signature (type 0x01); a witness adds a timestamped cosignature (type 0x04)
over ``cosignature/v1\\ntime <t>\\n`` + the text. Public keys travel as verifier keys
``<name>+<key ID hex>+base64(type || 32-byte public key)``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
SIGNATURE_DASH = "\u2014 "
MAX_SIGNATURES = 32
TIMESTAMP_PREFIX = "timestamp "

_NAME = re.compile(r"^[^\s+]+$")
_DECIMAL = re.compile(r"^(0|[1-9][0-9]{0,19})$")


class NoteError(ValueError):
    """A note, key or checkpoint that is malformed or whose signature does not verify."""


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str, *, what: str = "value") -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise NoteError(f"{what} is not valid base64") from exc


def key_id(name: str, signature_type: int, public_key: bytes) -> bytes:
    """SHA-256(name || 0x0A || type || public key)[:4], the C2SP key ID."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([signature_type]) + public_key).digest()[:4]


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class VerifierKey:
    """A named public key of one signature type: the court's log key (0x01) or a witness's (0x04)."""

    name: str
    signature_type: int
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.signature_type, self.public_key)

    def encode(self) -> str:
        blob = b64encode(bytes([self.signature_type]) + self.public_key)
        return f"{self.name}+{self.key_id.hex()}+{blob}"

    def ed25519(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.public_key)


def check_name(name: str) -> str:
    if not name or not _NAME.match(name):
        raise NoteError(f"key name {name!r} must be non-empty, without spaces or '+'")
    return name


def verifier_key(name: str, key: Ed25519PublicKey, signature_type: int = ED25519) -> VerifierKey:
    return VerifierKey(check_name(name), signature_type, raw_public_key(key))


def parse_verifier_key(text: str) -> VerifierKey:
    # The base64 part may itself contain '+': only the first two separate.
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise NoteError("a verifier key is <name>+<key ID hex>+<base64 key>")
    name, hex_id, blob = parts
    check_name(name)
    raw = b64decode(blob, what="the verifier key")
    if len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE_V1):
        raise NoteError("only Ed25519 verifier keys (type 0x01 or 0x04, 32 bytes) are supported")
    key = VerifierKey(name, raw[0], raw[1:])
    if hex_id.lower() != key.key_id.hex():
        raise NoteError(f"the verifier key of {name} names key ID {hex_id}, but its key has ID {key.key_id.hex()}")
    try:
        key.ed25519()
    except ValueError as exc:
        raise NoteError("the verifier key is not an Ed25519 public key") from exc
    return key


def load_public_key_pem(pem: bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM (a public key, or a private key whose public half is wanted)."""
    try:
        if b"PRIVATE KEY" in pem:
            private = serialization.load_pem_private_key(pem, password=None)
            if not isinstance(private, Ed25519PrivateKey):
                raise NoteError("the PEM holds a private key that is not Ed25519")
            return private.public_key()
        key = serialization.load_pem_public_key(pem)
    except ValueError as exc:
        raise NoteError(f"not a PEM key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise NoteError("the PEM public key is not Ed25519")
    return key


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        return f"{SIGNATURE_DASH}{self.name} {b64encode(self.key_id + self.signature)}\n"


@dataclass(frozen=True)
class Note:
    text: str
    signatures: tuple[Signature, ...]

    def encode(self) -> str:
        return self.text + "\n" + "".join(signature.line() for signature in self.signatures)

    def with_signatures(self, extra: list[Signature]) -> Note:
        known = {(s.name, s.key_id) for s in self.signatures}
        return Note(self.text, self.signatures + tuple(s for s in extra if (s.name, s.key_id) not in known))


def check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("a note's text ends with a newline")
    if any(ord(char) < 0x20 and char != "\n" for char in text):
        raise NoteError("a note contains no control characters besides newline")


def parse_signature_line(line: str) -> Signature:
    line = line.rstrip("\n")
    if not line.startswith(SIGNATURE_DASH):
        raise NoteError("a signature line starts with an em dash and a space")
    name, _, blob = line[len(SIGNATURE_DASH) :].partition(" ")
    check_name(name)
    raw = b64decode(blob, what=f"the signature of {name}")
    if len(raw) < 5:
        raise NoteError(f"the signature of {name} is too short")
    return Signature(name, raw[:4], raw[4:])


def parse_note(encoded: str) -> Note:
    """Split a signed note into its text and signatures (the text ends at the last blank line)."""
    if len(encoded) > 64 * 1024:
        raise NoteError("a note is at most 64 KiB")
    check_text(encoded)
    cut = encoded.rfind("\n\n")
    if cut < 0:
        raise NoteError("a signed note has a blank line between its text and its signatures")
    text, lines = encoded[: cut + 1], encoded[cut + 2 :]
    signatures = tuple(parse_signature_line(line) for line in lines.splitlines())
    if not signatures:
        raise NoteError("a signed note has at least one signature")
    if len(signatures) > MAX_SIGNATURES:
        raise NoteError(f"a note with more than {MAX_SIGNATURES} signatures is refused")
    return Note(text, signatures)


def sign(text: str, name: str, private_key: Ed25519PrivateKey) -> Signature:
    """The court's (type 0x01) note signature over ``text``."""
    check_text(text)
    public = raw_public_key(private_key.public_key())
    return Signature(check_name(name), key_id(name, ED25519, public), private_key.sign(text.encode()))


def verify(note: Note, key: VerifierKey) -> None:
    """Raise NoteError unless ``note`` carries a valid type 0x01 signature by ``key``."""
    if key.signature_type != ED25519:
        raise NoteError(f"{key.name} is not a note-signing (type 0x01) key")
    for signature in note.signatures:
        if signature.name == key.name and signature.key_id == key.key_id:
            try:
                key.ed25519().verify(signature.signature, note.text.encode())
            except InvalidSignature as exc:
                raise NoteError(f"the signature of {key.name} does not verify: the note was altered") from exc
            return
    raise NoteError(f"the note is not signed by {key.name} (key ID {key.key_id.hex()})")


def cosignature_message(text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + text.encode()


def cosign(text: str, name: str, private_key: Ed25519PrivateKey, timestamp: int) -> Signature:
    """A witness's timestamped Ed25519 cosignature (type 0x04) over a checkpoint's text."""
    check_text(text)
    if not 0 <= timestamp < 2**63:
        raise NoteError("a cosignature timestamp is between 0 and 2^63 - 1")
    public = raw_public_key(private_key.public_key())
    signed = private_key.sign(cosignature_message(text, timestamp))
    return Signature(check_name(name), key_id(name, COSIGNATURE_V1, public), struct.pack(">Q", timestamp) + signed)


def verify_cosignature(note: Note, key: VerifierKey) -> int:
    """The timestamp of ``key``'s valid cosignature on ``note``; NoteError if there is none."""
    if key.signature_type != COSIGNATURE_V1:
        raise NoteError(f"{key.name} is not a cosigning (type 0x04) key")
    for signature in note.signatures:
        if signature.name == key.name and signature.key_id == key.key_id:
            return check_cosignature(note.text, signature, key)
    raise NoteError(f"the note carries no cosignature of {key.name}")


def check_cosignature(text: str, signature: Signature, key: VerifierKey) -> int:
    if len(signature.signature) != 8 + 64:
        raise NoteError(f"the cosignature of {key.name} is not a timestamp and an Ed25519 signature")
    (timestamp,) = struct.unpack(">Q", signature.signature[:8])
    try:
        key.ed25519().verify(signature.signature[8:], cosignature_message(text, timestamp))
    except InvalidSignature as exc:
        raise NoteError(f"the cosignature of {key.name} does not verify") from exc
    return int(timestamp)


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    timestamp: int

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{b64encode(self.root)}\n{TIMESTAMP_PREFIX}{self.timestamp}\n"


def parse_checkpoint(text: str) -> Checkpoint:
    """The fields of a checkpoint's note text (origin, size, root, our timestamp extension line)."""
    check_text(text)
    lines = text[:-1].split("\n")
    if len(lines) < 4:
        raise NoteError("a checkpoint has an origin, a tree size, a root hash and a timestamp line")
    origin, size_text, root_text = lines[:3]
    if not origin or origin != origin.strip():
        raise NoteError("a checkpoint's origin line is empty or padded")
    if not _DECIMAL.match(size_text):
        raise NoteError("a checkpoint's tree size is a decimal number without leading zeros")
    root = b64decode(root_text, what="the checkpoint's root hash")
    if len(root) != 32:
        raise NoteError("a checkpoint's root hash is 32 bytes")
    stamps = [line for line in lines[3:] if line.startswith(TIMESTAMP_PREFIX)]
    if len(stamps) != 1 or not _DECIMAL.match(stamps[0][len(TIMESTAMP_PREFIX) :]):
        raise NoteError("a checkpoint of this log has one 'timestamp <seconds>' line")
    return Checkpoint(origin, int(size_text), root, int(stamps[0][len(TIMESTAMP_PREFIX) :]))


ALARM_HEADER = b"smartcourt/witness-alarm/v1\n"
ALARM_FIELDS = ("witness", "kind", "message", "evidence", "timestamp")


def alarm_message(alarm: dict[str, object]) -> bytes:
    """What a witness signs when it raises an alarm: a header line and the alarm's canonical JSON."""
    body = {name: alarm[name] for name in ALARM_FIELDS}
    return ALARM_HEADER + json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
