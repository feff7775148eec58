"""Exchange packages between the internet zone and the court zone (docs/adr/0011-zones-and-gateway.md).

Pure module (no Django): both zones build and open packages with it and the one-way gateway (``sandbox/gateway``)
inspects them with it. A package file is::

    b"SCX-PACKAGE/1\\n" | u32 len + header (canonical JSON) | u32 len + Ed25519 signature | u32 len + envelope

The header is clear text and signed: direction, sequence, the previous package's hash, creation time, signer,
message counts per kind, each carried file's SHA-256, size and declared type, and the digests of the plaintext
archive and of the envelope. The package hash is the SHA-256 of the header bytes, which therefore commits to
everything. The plaintext archive is a deterministic tar (``manifest.json``, then ``files/<sha256>``) sealed
with partnerproto's AES-256-GCM envelope in its binary form (envelope.seal), the associated data naming direction
and sequence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import struct
import tarfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerproto import envelope
from partnerproto.envelope import AES_256_GCM, EnvelopeError, EnvelopeKey, Keyring
from partnerproto.keyfiles import PartyKeys, write_private
from partnerproto.signatures import ED25519, PublicKey, SigningKey

MAGIC = b"SCX-PACKAGE/1\n"
INTERNET_TO_COURT = "internet->court"
COURT_TO_INTERNET = "court->internet"
DIRECTION_TAGS = {INTERNET_TO_COURT: "i2c", COURT_TO_INTERNET: "c2i"}
GENESIS = "0" * 64  # the "previous" of sequence 1
SUFFIX = ".scx"
MANIFEST = "manifest.json"


def _context(direction: str, sequence: int) -> str:
    """What the envelope's associated data names: a ciphertext moved to another sequence or direction fails."""
    return f"EXCHANGE {direction}#{sequence}"


_KIND = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_U32 = struct.Struct(">I")


# --- errors: one class per reason, so callers and tests can tell them apart -----------------------------------


class PackageError(Exception):
    reason = "package_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class Malformed(PackageError):
    reason = "malformed"


class Truncated(PackageError):
    reason = "truncated"


class WrongDirection(PackageError):
    reason = "wrong_direction"


class UnknownSigner(PackageError):
    reason = "unknown_key"


class BadSignature(PackageError):
    reason = "bad_signature"


class SealedMismatch(PackageError):
    reason = "sealed_mismatch"


class DecryptFailed(PackageError):
    reason = "decrypt_failed"


class ArchiveMismatch(PackageError):
    reason = "archive_mismatch"


class FileMismatch(PackageError):
    reason = "file_mismatch"


class ManifestMismatch(PackageError):
    reason = "manifest_mismatch"


class ChainBroken(PackageError):
    reason = "chain_broken"


# --- values ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One domain message: ``id`` (a UUID string) is what the receiver applies at most once."""

    id: str
    kind: str
    payload: Mapping[str, Any]
    files: Mapping[str, str] = field(default_factory=dict)  # name -> SHA-256 hex of a carried file


@dataclass(frozen=True)
class CarriedFile:
    content: bytes
    media_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Header:
    direction: str
    sequence: int
    previous: str
    created: str
    signer: str
    kinds: Mapping[str, int]
    files: tuple[tuple[str, int, str], ...]  # (sha256, size, media type), in digest order
    archive_sha256: str
    archive_size: int
    sealed_sha256: str
    sealed_size: int
    raw: bytes  # the exact signed bytes

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def created_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.created.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Parts:
    """A package split into its three sections, nothing verified yet."""

    header: Header
    signature: bytes
    sealed: bytes


@dataclass(frozen=True)
class Package:
    header: Header
    messages: tuple[Message, ...]
    files: Mapping[str, bytes]  # sha256 -> content

    @property
    def hash(self) -> str:
        return self.header.hash


def file_name(direction: str, sequence: int) -> str:
    return f"{DIRECTION_TAGS[direction]}-{sequence:012d}{SUFFIX}"


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# --- file types: sniffed by the receiving zone, the only place that sees the bytes ----------------------------


def _is_utf8_text(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in content


def _is_json(content: bytes) -> bool:
    try:
        json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return False
    return True


SNIFFERS = {
    "application/pdf": lambda b: b.startswith(b"%PDF-"),
    "image/png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda b: b.startswith(b"\xff\xd8\xff"),
    "application/zip": lambda b: b.startswith(b"PK\x03\x04"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": lambda b: b.startswith(b"PK\x03\x04"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": lambda b: b.startswith(b"PK\x03\x04"),
    "application/xml": lambda b: _is_utf8_text(b) and b.lstrip().startswith(b"<"),
    "application/json": _is_json,
    "text/plain": _is_utf8_text,
}


def sniff_matches(media_type: str, content: bytes) -> bool:
    """Whether ``content`` looks like ``media_type``; an unknown type never matches."""
    sniffer = SNIFFERS.get(media_type)
    return sniffer is not None and bool(sniffer(content))


# --- building ------------------------------------------------------------------------------------------------


def _tar_member(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    # Fixed metadata: the same messages and files always give the same bytes.
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = len(content), 0, 0o644, 0, 0, "", ""
    archive.addfile(info, io.BytesIO(content))


def _archive(manifest: bytes, files: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        _tar_member(archive, MANIFEST, manifest)
        for sha in sorted(files):
            _tar_member(archive, f"files/{sha}", files[sha])
    return buffer.getvalue()


def _manifest(direction: str, sequence: int, messages: Sequence[Message]) -> bytes:
    return canonical_json(
        {
            "direction": direction,
            "sequence": sequence,
            "messages": [
                {"id": m.id, "kind": m.kind, "payload": dict(m.payload), "files": dict(m.files)} for m in messages
            ],
        }
    )


def _section(data: bytes) -> bytes:
    return _U32.pack(len(data)) + data


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build_package(
    *,
    direction: str,
    sequence: int,
    previous: str,
    messages: Sequence[Message],
    files: Sequence[CarriedFile] = (),
    signing_key: SigningKey,
    keyring: Keyring,
    created: dt.datetime | None = None,
) -> tuple[bytes, Header]:
    """The package file's bytes and its header. Every file a message names must be carried, and only those."""
    if direction not in DIRECTION_TAGS:
        raise ValueError(f"direction is {INTERNET_TO_COURT!r} or {COURT_TO_INTERNET!r}")
    if sequence < 1 or not _HEX64.match(previous):
        raise ValueError("sequence counts from 1 and previous is a SHA-256 hex digest")
    if not messages:
        raise ValueError("a package carries at least one message")
    carried = {item.sha256: item for item in files}
    named = {sha for message in messages for sha in message.files.values()}
    if named != set(carried):
        raise ValueError(f"files named by messages and files carried differ: {sorted(named ^ set(carried))}")
    if len({message.id for message in messages}) != len(messages):
        raise ValueError("two messages share an id")
    for message in messages:
        if not _KIND.match(message.kind):
            raise ValueError(f"message kind {message.kind!r} is not app.name")
    for item in carried.values():
        if not sniff_matches(item.media_type, item.content):
            raise ValueError(f"a file declared {item.media_type} does not look like one")
    archive = _archive(_manifest(direction, sequence, messages), {sha: item.content for sha, item in carried.items()})
    sealed = envelope.seal(keyring, archive, context=_context(direction, sequence))
    kinds: dict[str, int] = {}
    for message in messages:
        kinds[message.kind] = kinds.get(message.kind, 0) + 1
    header_value = {
        "v": 1,
        "direction": direction,
        "sequence": sequence,
        "previous": previous,
        "created": _utc(created or dt.datetime.now(dt.UTC)),
        "signer": signing_key.keyid,
        "kinds": kinds,
        "files": [[sha, len(carried[sha].content), carried[sha].media_type] for sha in sorted(carried)],
        "archive": {"sha256": hashlib.sha256(archive).hexdigest(), "size": len(archive)},
        "sealed": {"sha256": hashlib.sha256(sealed).hexdigest(), "size": len(sealed)},
    }
    raw = canonical_json(header_value)
    signature = signing_key.sign(raw)
    data = MAGIC + _section(raw) + _section(signature) + _section(sealed)
    return data, _header(raw)


# --- opening -------------------------------------------------------------------------------------------------


def _header(raw: bytes) -> Header:
    try:
        value = json.loads(raw)
        archive, sealed = value["archive"], value["sealed"]
        header = Header(
            direction=value["direction"],
            sequence=value["sequence"],
            previous=value["previous"],
            created=value["created"],
            signer=value["signer"],
            kinds=dict(value["kinds"]),
            files=tuple((sha, size, media) for sha, size, media in value["files"]),
            archive_sha256=archive["sha256"],
            archive_size=archive["size"],
            sealed_sha256=sealed["sha256"],
            sealed_size=sealed["size"],
            raw=raw,
        )
        header.created_at  # noqa: B018 - parsed here so a bad timestamp is malformed, not a crash later
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise Malformed(f"the header is not a package header: {exc}") from exc
    if value.get("v") != 1 or header.direction not in DIRECTION_TAGS:
        raise Malformed("the header is not a version 1 package header")
    if not isinstance(header.sequence, int) or header.sequence < 1 or not _HEX64.match(str(header.previous)):
        raise Malformed("sequence or previous hash is invalid")
    if not all(isinstance(kind, str) and isinstance(n, int) and n > 0 for kind, n in header.kinds.items()):
        raise Malformed("kinds is not a map of kind to count")
    for sha, size, media in header.files:
        if not (isinstance(sha, str) and _HEX64.match(sha) and isinstance(size, int) and isinstance(media, str)):
            raise Malformed("a file entry is not [sha256, size, type]")
    return header


def split(data: bytes) -> Parts:
    """The three sections of a package; checks structure only (Malformed, Truncated)."""
    if not data.startswith(MAGIC):
        if MAGIC.startswith(data):
            raise Truncated("the package ends inside its magic line")
        raise Malformed("not an exchange package (magic line)")
    offset, sections = len(MAGIC), []
    for name in ("header", "signature", "envelope"):
        if offset + _U32.size > len(data):
            raise Truncated(f"the package ends before its {name}")
        (length,) = _U32.unpack_from(data, offset)
        offset += _U32.size
        if offset + length > len(data):
            raise Truncated(f"the package ends inside its {name} ({len(data) - offset} of {length} bytes)")
        sections.append(data[offset : offset + length])
        offset += length
    if offset != len(data):
        raise Malformed(f"{len(data) - offset} bytes after the envelope")
    return Parts(header=_header(sections[0]), signature=sections[1], sealed=sections[2])


def _verify_header(header: Header, signature: bytes, direction: str, sender_keys: Mapping[str, PublicKey]) -> None:
    if header.direction != direction:
        raise WrongDirection(f"the package goes {header.direction}, this side receives {direction}")
    key = sender_keys.get(header.signer)
    if key is None:
        raise UnknownSigner(f"unknown signing key {header.signer!r}")
    if not key.verify(signature, header.raw):
        raise BadSignature(f"the header's signature does not verify with {header.signer}")


def peek_header(path: Path, *, direction: str, sender_keys: Mapping[str, PublicKey]) -> Header:
    """The signed header of the package file at ``path``, read without the envelope: enough to order an inbox
    and to refuse an unsigned or misdirected package at once. The envelope is checked when it is opened."""
    with path.open("rb") as handle:
        start = handle.read(len(MAGIC) + _U32.size)
        if not start.startswith(MAGIC):
            if MAGIC.startswith(start):
                raise Truncated("the package ends inside its magic line")
            raise Malformed("not an exchange package (magic line)")
        sections = []
        length_bytes = start[len(MAGIC) :]
        for name in ("header", "signature"):
            if len(length_bytes) < _U32.size:
                raise Truncated(f"the package ends before its {name}")
            (length,) = _U32.unpack(length_bytes)
            section = handle.read(length)
            if len(section) < length:
                raise Truncated(f"the package ends inside its {name}")
            sections.append(section)
            length_bytes = handle.read(_U32.size)
    header = _header(sections[0])
    _verify_header(header, sections[1], direction, sender_keys)
    return header


def check_outer(data: bytes, *, direction: str, sender_keys: Mapping[str, PublicKey]) -> Parts:
    """What can be checked without the envelope key (the gateway's check): structure, direction, signer,
    signature, and the envelope's size and digest against the signed header."""
    parts = split(data)
    header = parts.header
    _verify_header(header, parts.signature, direction, sender_keys)
    if len(parts.sealed) != header.sealed_size or hashlib.sha256(parts.sealed).hexdigest() != header.sealed_sha256:
        raise SealedMismatch("the envelope is not the one the header signs")
    return parts


def _read_archive(archive: bytes, header: Header) -> tuple[Any, dict[str, bytes]]:
    expected = {MANIFEST, *(f"files/{sha}" for sha, _size, _media in header.files)}
    contents: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
            for member in tar:
                if not member.isfile() or member.name not in expected or member.name in contents:
                    raise ManifestMismatch(f"unexpected archive member {member.name!r}")
                handle = tar.extractfile(member)
                assert handle is not None  # a regular file always has one
                contents[member.name] = handle.read()
    except tarfile.TarError as exc:
        raise ManifestMismatch(f"the archive is not a tar: {exc}") from exc
    if set(contents) != expected:
        raise ManifestMismatch(f"archive members missing: {sorted(expected - set(contents))}")
    try:
        manifest = json.loads(contents.pop(MANIFEST))
    except ValueError as exc:
        raise ManifestMismatch("the manifest is not JSON") from exc
    return manifest, {name.removeprefix("files/"): content for name, content in contents.items()}


def _messages(manifest: Any, header: Header, files: Mapping[str, bytes]) -> tuple[Message, ...]:
    try:
        if manifest["direction"] != header.direction or manifest["sequence"] != header.sequence:
            raise ManifestMismatch("the manifest names another direction or sequence than the header")
        messages = tuple(
            Message(id=str(m["id"]), kind=str(m["kind"]), payload=dict(m["payload"]), files=dict(m["files"]))
            for m in manifest["messages"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ManifestMismatch(f"the manifest is not a list of messages: {exc}") from exc
    kinds: dict[str, int] = {}
    for message in messages:
        kinds[message.kind] = kinds.get(message.kind, 0) + 1
        if not set(message.files.values()) <= set(files):
            raise ManifestMismatch(f"message {message.id} names a file the package does not carry")
    if kinds != dict(header.kinds):
        raise ManifestMismatch("the messages' kinds are not those the header declares")
    if len({message.id for message in messages}) != len(messages):
        raise ManifestMismatch("two messages share an id")
    return messages


def open_package(
    data: bytes,
    *,
    direction: str,
    sender_keys: Mapping[str, PublicKey],
    keyring: Keyring,
    previous: str | None = None,
) -> Package:
    """Verify everything and return the package's messages and files. ``previous``: the hash of the package
    applied before this one (GENESIS before the first); None skips the chain check (a duplicate's look-up)."""
    parts = check_outer(data, direction=direction, sender_keys=sender_keys)
    header = parts.header
    if previous is not None and header.previous != previous:
        raise ChainBroken(f"package {header.sequence} follows {header.previous[:12]}…, expected {previous[:12]}…")
    try:
        archive = envelope.unseal(keyring, parts.sealed, context=_context(header.direction, header.sequence))
    except EnvelopeError as exc:
        raise DecryptFailed(f"the envelope does not open: {exc.reason}") from exc
    if len(archive) != header.archive_size or hashlib.sha256(archive).hexdigest() != header.archive_sha256:
        raise ArchiveMismatch("the archive is not the one the header signs")
    manifest, files = _read_archive(archive, header)
    for sha, size, media in header.files:
        content = files[sha]
        if hashlib.sha256(content).hexdigest() != sha or len(content) != size:
            raise FileMismatch(f"file {sha[:12]}… does not match its digest or size")
        if not sniff_matches(media, content):
            raise FileMismatch(f"file {sha[:12]}… is declared {media} and does not look like one")
    return Package(header=header, messages=_messages(manifest, header, files), files=files)


# --- files: a package appears in a directory whole or not at all ------------------------------------------------


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (POSIX: the entry lives in the directory, not in the file)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(
    directory: Path, name: str, data: bytes, *, temp_prefix: str = ".", partial: Callable[[int], None] | None = None
) -> None:
    """Write ``directory/name`` under a hidden temporary name (``temp_prefix`` + name + ``.tmp``, which no reader
    of ``*.scx`` picks up), fsync it, rename it, fsync the directory. ``partial`` (the gateway's test hook) is
    called after the first half is on disk, with its size."""
    directory.mkdir(parents=True, exist_ok=True)
    temp = directory / f"{temp_prefix}{name}.tmp"
    with temp.open("wb") as handle:
        if partial is not None:
            handle.write(data[: len(data) // 2])
            handle.flush()
            os.fsync(handle.fileno())
            partial(len(data) // 2)
        handle.write(data[len(data) // 2 :] if partial is not None else data)
        handle.flush()
        os.fsync(handle.fileno())
    temp.replace(directory / name)
    fsync_directory(directory)


# --- the zones' keys ---------------------------------------------------------------------------------------------

INTERNET_KEYS = "internet.json"
COURT_KEYS = "court.json"
INTERNET_PUBLIC = "internet.public.json"  # what the internet->court gateway is given
COURT_PUBLIC = "court.public.json"


def generate_zone_keys(*, suffix: str = "1", envelope_alg: str = AES_256_GCM) -> tuple[PartyKeys, PartyKeys]:
    """(internet, court): each its own Ed25519 signing key and the other's public key, one shared envelope
    keyring (ADR 0011)."""
    internet = SigningKey.generate(f"internet-{ED25519}-{suffix}", ED25519)
    court = SigningKey.generate(f"court-{ED25519}-{suffix}", ED25519)
    ring = Keyring.of(EnvelopeKey.generate(f"exchange-{envelope_alg}-{suffix}", envelope_alg))
    return (
        PartyKeys(
            signing_keys=(internet,), signing_current=internet.keyid, peer_keys=(court.public_key(),), envelope=ring
        ),
        PartyKeys(
            signing_keys=(court,), signing_current=court.keyid, peer_keys=(internet.public_key(),), envelope=ring
        ),
    )


def write_zone_keys(directory: Path) -> None:
    """Both zones' key files and the public key file each gateway is given."""
    internet, court = generate_zone_keys()
    write_private(directory / INTERNET_KEYS, internet.to_dict())
    write_private(directory / COURT_KEYS, court.to_dict())
    write_public_keys(directory / INTERNET_PUBLIC, [key.public_key() for key in internet.signing_keys])
    write_public_keys(directory / COURT_PUBLIC, [key.public_key() for key in court.signing_keys])


def write_public_keys(path: Path, keys: Sequence[PublicKey]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"keys": [key.to_dict() for key in keys]}, indent=2), encoding="utf-8")


def read_public_keys(path: Path) -> dict[str, PublicKey]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {item["keyid"]: PublicKey.from_dict(item) for item in data["keys"]}
