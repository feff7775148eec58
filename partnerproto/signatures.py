"""RFC 9421 HTTP Message Signatures for the bank partner protocol (docs/adr/0005-bank-partner-protocol.md).

Pure module (no Django): the sandbox bank signs and verifies with the same code.

A request is signed over ``"@method"``, ``"@target-uri"``, ``"content-digest"`` and, when present,
``"content-type"``, with the parameters ``created``, ``nonce``, ``keyid`` and ``alg`` under the label ``sig1``::

    Signature-Input: sig1=("@method" "@target-uri" "content-digest" "content-type");created=1767225600;
                     nonce="...";keyid="platform-2026a";alg="ed25519"
    Signature: sig1=:<base64>:

A response is signed over ``"@status"``, ``"content-digest"``, ``"content-type"`` and the request it answers
(``"@method";req``, ``"@target-uri";req`` and ``"signature";req;key="sig1"``), so an answer cannot be replayed
to another request.

Algorithms: ``ed25519`` (RFC 9421 §3.3.6, the default) and ``sm2-sm3``: SM2 with the SM3 hash over the
signature base, Z computed with the default signer id ``1234567812345678`` (GM/T 0009), and the signature
encoded as the ASN.1 DER ``SEQUENCE { r INTEGER, s INTEGER }`` of GM/T 0009 (the form GmSSL produces).
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from partnerproto.digest import DigestError, verify_content_digest

LABEL = "sig1"
ED25519 = "ed25519"
SM2_SM3 = "sm2-sm3"
ALGORITHMS = (ED25519, SM2_SM3)
SM2_SIGNER_ID = b"1234567812345678"

MAX_AGE_SECONDS = 300  # requests older than this are refused (and their nonces forgotten after it)
MAX_FUTURE_SKEW_SECONDS = 30  # clocks of two parties on NTP differ by far less than this

REQUEST_COMPONENTS: tuple[str, ...] = ("@method", "@target-uri", "content-digest")
RESPONSE_COMPONENTS: tuple[str, ...] = ("@status", "content-digest")

# Reasons a verification fails; each is the ``reason`` of a SignatureError (tests and logs name them).
MISSING_SIGNATURE = "missing_signature"
MALFORMED = "malformed_signature"
UNKNOWN_KEY = "unknown_key"
ALGORITHM_MISMATCH = "algorithm_mismatch"
MISSING_COMPONENT = "missing_component"
EXPIRED = "expired"
FROM_FUTURE = "created_in_future"
BAD_SIGNATURE = "bad_signature"
REPLAYED_NONCE = "replayed_nonce"


class SignatureError(Exception):
    """A message signature we must not trust; ``reason`` is one of the constants above or a DigestError reason."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


# --- keys ------------------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


@dataclass(frozen=True)
class PublicKey:
    """A partner's verification key: Ed25519 (32 raw bytes) or SM2 (64 bytes, x||y)."""

    keyid: str
    alg: str
    public: bytes

    def verify(self, signature: bytes, message: bytes) -> bool:
        if self.alg == ED25519:
            try:
                Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
            except (InvalidSignature, ValueError):
                return False
            return True
        if self.alg == SM2_SM3:
            import gmssl_pyx

            try:
                return bool(gmssl_pyx.sm2_verify(self.public, message, signature, SM2_SIGNER_ID))
            except gmssl_pyx.GmsslInnerError:
                return False
        raise ValueError(f"unknown signature algorithm {self.alg!r}")

    def to_dict(self) -> dict[str, str]:
        return {"keyid": self.keyid, "alg": self.alg, "public": _b64(self.public)}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> PublicKey:
        return cls(keyid=data["keyid"], alg=data["alg"], public=_unb64(data["public"]))


@dataclass(frozen=True)
class SigningKey:
    """Our private key with its key id; ``private`` is 32 raw bytes for both algorithms."""

    keyid: str
    alg: str
    private: bytes
    public: bytes

    @classmethod
    def generate(cls, keyid: str, alg: str = ED25519) -> SigningKey:
        if alg == ED25519:
            key = Ed25519PrivateKey.generate()
            return cls(
                keyid=keyid, alg=alg, private=key.private_bytes_raw(), public=key.public_key().public_bytes_raw()
            )
        if alg == SM2_SM3:
            import gmssl_pyx

            public, private = gmssl_pyx.sm2_key_generate()
            return cls(keyid=keyid, alg=alg, private=private, public=public)
        raise ValueError(f"unknown signature algorithm {alg!r}")

    def sign(self, message: bytes) -> bytes:
        if self.alg == ED25519:
            return Ed25519PrivateKey.from_private_bytes(self.private).sign(message)
        if self.alg == SM2_SM3:
            import gmssl_pyx

            return bytes(gmssl_pyx.sm2_sign(self.private, self.public, message, SM2_SIGNER_ID))
        raise ValueError(f"unknown signature algorithm {self.alg!r}")

    def public_key(self) -> PublicKey:
        return PublicKey(keyid=self.keyid, alg=self.alg, public=self.public)

    def to_dict(self) -> dict[str, str]:
        return {"keyid": self.keyid, "alg": self.alg, "private": _b64(self.private), "public": _b64(self.public)}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> SigningKey:
        return cls(keyid=data["keyid"], alg=data["alg"], private=_unb64(data["private"]), public=_unb64(data["public"]))


class NonceStore(Protocol):
    """Remembers nonces for the replay window. ``remember`` checks and records in one atomic step: it returns
    False when (keyid, nonce) was already seen (a replay), True when it is new and is now recorded."""

    def remember(self, keyid: str, nonce: str, created: int) -> bool: ...


@dataclass
class MemoryNonceStore:
    """A process-local NonceStore (the sandbox bank is one process; the platform uses the database)."""

    window: int = MAX_AGE_SECONDS + MAX_FUTURE_SKEW_SECONDS
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def remember(self, keyid: str, nonce: str, created: int) -> bool:
        now = int(time.time())
        with self.lock:  # the check and the insert are one step
            if len(self.seen) > 10_000:
                for item, at in list(self.seen.items()):
                    if at < now - self.window:
                        del self.seen[item]
            if (keyid, nonce) in self.seen:
                return False
            self.seen[(keyid, nonce)] = now
            return True


# --- RFC 8941 structured fields (the subset RFC 9421 needs) ----------------------------------------------

Bare = str | int | bool | bytes
Params = dict[str, Bare]


DIGITS = frozenset("0123456789")
LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


class _Parser:
    """RFC 8941 parsing, ASCII only (``str.isdigit`` and friends accept other scripts' digits and letters)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, what: str) -> SignatureError:
        return SignatureError(MALFORMED, f"structured field: {what} at {self.pos} in {self.text[:200]!r}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip(self, chars: str = " \t") -> None:
        while self.peek() and self.peek() in chars:
            self.pos += 1

    def key(self) -> str:
        start = self.pos
        if not self.peek() or not (self.peek() in LOWER or self.peek() == "*"):
            raise self.fail("key expected")
        while self.peek() and (self.peek() in LOWER or self.peek() in DIGITS or self.peek() in "_-.*"):
            self.pos += 1
        return self.text[start : self.pos]

    def bare(self) -> Bare:
        char = self.peek()
        if char == '"':
            self.pos += 1
            out = []
            while True:
                char = self.peek()
                if not char:
                    raise self.fail("unterminated string")
                self.pos += 1
                if char == "\\":
                    escaped = self.peek()
                    if escaped not in ('"', "\\"):
                        raise self.fail("bad escape")
                    out.append(escaped)
                    self.pos += 1
                elif char == '"':
                    return "".join(out)
                else:
                    out.append(char)
        if char == ":":
            end = self.text.find(":", self.pos + 1)
            if end < 0:
                raise self.fail("unterminated byte sequence")
            try:
                value = base64.b64decode(self.text[self.pos + 1 : end], validate=True)
            except (binascii.Error, ValueError) as exc:
                raise self.fail("bad base64") from exc
            self.pos = end + 1
            return value
        if char == "?":
            flag = self.text[self.pos + 1 : self.pos + 2]
            if flag not in ("0", "1"):
                raise self.fail("bad boolean")
            self.pos += 2
            return flag == "1"
        if char and (char in DIGITS or char == "-"):
            start = self.pos
            self.pos += 1
            while self.peek() and self.peek() in DIGITS:
                self.pos += 1
            digits = self.text[start : self.pos]
            if digits == "-" or len(digits.lstrip("-")) > 15:
                raise self.fail("bad integer")
            return int(digits)
        if (char.isascii() and char.isalpha()) or char == "*":
            start = self.pos
            while self.peek() and (
                (self.peek().isascii() and self.peek().isalnum()) or self.peek() in "!#$%&'*+-.^_`|~:/"
            ):
                self.pos += 1
            return self.text[start : self.pos]
        raise self.fail("item expected")

    def params(self) -> Params:
        params: Params = {}
        while self.peek() == ";":
            self.pos += 1
            self.skip(" ")
            name = self.key()
            value: Bare = True
            if self.peek() == "=":
                self.pos += 1
                value = self.bare()
            params[name] = value
        return params

    def member(self) -> tuple[Bare | list[tuple[Bare, Params]], Params]:
        if self.peek() != "(":
            return self.bare(), self.params()
        self.pos += 1
        items: list[tuple[Bare, Params]] = []
        while True:
            self.skip(" ")
            if self.peek() == ")":
                self.pos += 1
                return items, self.params()
            items.append((self.bare(), self.params()))
            if self.peek() not in (" ", ")"):
                raise self.fail("space or ) expected in inner list")

    def dictionary(self) -> dict[str, tuple[Bare | list[tuple[Bare, Params]], Params]]:
        out: dict[str, tuple[Bare | list[tuple[Bare, Params]], Params]] = {}
        self.skip()
        while self.pos < len(self.text):
            name = self.key()
            if self.peek() == "=":
                self.pos += 1
                out[name] = self.member()
            else:
                out[name] = (True, self.params())
            self.skip()
            if self.pos >= len(self.text):
                break
            if self.peek() != ",":
                raise self.fail(", expected")
            self.pos += 1
            self.skip()
        return out


def parse_dictionary(text: str) -> dict[str, tuple[Bare | list[tuple[Bare, Params]], Params]]:
    return _Parser(text).dictionary()


def _serialize_bare(value: Bare) -> str:
    if isinstance(value, bool):
        return "?1" if value else "?0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return f":{_b64(value)}:"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _serialize_params(params: Params) -> str:
    return "".join(
        f";{name}" if value is True else f";{name}={_serialize_bare(value)}" for name, value in params.items()
    )


# --- components and the signature base ---------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    """A covered component: a derived component (``@method``) or a lower-case field name, with parameters
    (``req`` for the request a response answers, ``key`` for one member of a dictionary field)."""

    name: str
    params: tuple[tuple[str, Bare], ...] = ()

    def identifier(self) -> str:
        return _serialize_bare(self.name) + _serialize_params(dict(self.params))


@dataclass(frozen=True)
class Message:
    """What a signature covers. ``headers`` are lower-case names; ``request`` is set on a response."""

    method: str = ""
    target_uri: str = ""
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    request: Message | None = None


def _component_value(message: Message, component: Component) -> str:
    params = dict(component.params)
    if params.get("req") is True:
        if message.request is None:
            raise SignatureError(MISSING_COMPONENT, f"{component.identifier()} needs the request")
        message = message.request
        params.pop("req")
    name = component.name
    if name == "@method":
        value = message.method.upper()
    elif name == "@target-uri":
        value = message.target_uri
    elif name == "@status":
        if message.status is None:
            raise SignatureError(MISSING_COMPONENT, "@status on a request")
        value = str(message.status)
    elif name.startswith("@"):
        raise SignatureError(MALFORMED, f"derived component {name} is not supported")
    else:
        raw = message.headers.get(name)
        if raw is None:
            raise SignatureError(MISSING_COMPONENT, f"the {name} header is covered but missing")
        value = raw.strip()
        if "key" in params:
            member = parse_dictionary(value).get(str(params["key"]))
            if member is None or isinstance(member[0], list):
                raise SignatureError(MISSING_COMPONENT, f"{name} has no member {params['key']!r}")
            value = _serialize_bare(member[0]) + _serialize_params(member[1])
    if not value and name in ("@method", "@target-uri"):
        raise SignatureError(MISSING_COMPONENT, f"{name} is empty")
    return value


def signature_params(components: list[Component], params: Params) -> str:
    return "(" + " ".join(c.identifier() for c in components) + ")" + _serialize_params(params)


def signature_base(message: Message, components: list[Component], params_value: str) -> bytes:
    """RFC 9421 §2.5: one line per component, then ``"@signature-params"``; newline-joined, no trailing one."""
    lines = [f"{c.identifier()}: {_component_value(message, c)}" for c in components]
    lines.append(f'"@signature-params": {params_value}')
    text = "\n".join(lines)
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
        raise SignatureError(MALFORMED, "control characters in a covered component")
    return text.encode()


def _components_for(message: Message) -> list[Component]:
    if message.status is None:
        names = list(REQUEST_COMPONENTS)
        if "content-type" in message.headers:
            names.append("content-type")
        return [Component(name) for name in names]
    components = [Component(name) for name in RESPONSE_COMPONENTS]
    if "content-type" in message.headers:
        components.append(Component("content-type"))
    if message.request is not None:
        components += [
            Component("@method", (("req", True),)),
            Component("@target-uri", (("req", True),)),
        ]
        if "signature" in message.request.headers:
            components.append(Component("signature", (("req", True), ("key", LABEL))))
    return components


def sign(message: Message, key: SigningKey, *, created: int | None = None, nonce: str | None = None) -> dict[str, str]:
    """The ``Signature-Input`` and ``Signature`` headers for ``message`` (its headers must already carry
    ``content-digest`` and ``content-type``)."""
    components = _components_for(message)
    params: Params = {
        "created": int(time.time()) if created is None else created,
        "nonce": nonce or secrets.token_urlsafe(18),
        "keyid": key.keyid,
        "alg": key.alg,
    }
    params_value = signature_params(components, params)
    signature = key.sign(signature_base(message, components, params_value))
    return {"Signature-Input": f"{LABEL}={params_value}", "Signature": f"{LABEL}=:{_b64(signature)}:"}


@dataclass(frozen=True)
class Verified:
    keyid: str
    alg: str
    created: int
    nonce: str


KeyLookup = Callable[[str], PublicKey | None]


def verify(
    message: Message,
    body: bytes,
    *,
    keys: KeyLookup,
    nonces: NonceStore | None,
    now: int | None = None,
    max_age: int = MAX_AGE_SECONDS,
) -> Verified:
    """Check the ``sig1`` signature of ``message`` and the Content-Digest of ``body``; remember the nonce.

    Order matters: nothing is remembered before the signature is proven, so a forger cannot burn nonces;
    the digest is checked after the signature so a tampered body is reported as a digest mismatch.
    Raises SignatureError (``reason`` names the failure)."""
    headers = message.headers
    if "signature-input" not in headers or "signature" not in headers:
        raise SignatureError(MISSING_SIGNATURE, "no Signature-Input / Signature headers")
    inputs = parse_dictionary(headers["signature-input"])
    signatures = parse_dictionary(headers["signature"])
    if LABEL not in inputs or LABEL not in signatures:
        raise SignatureError(MISSING_SIGNATURE, f"no signature labelled {LABEL}")
    covered, params = inputs[LABEL]
    signature = signatures[LABEL][0]
    if not isinstance(covered, list) or not isinstance(signature, bytes):
        raise SignatureError(MALFORMED, f"{LABEL} is not an inner list / byte sequence")
    components: list[Component] = []
    for item, item_params in covered:
        if not isinstance(item, str):
            raise SignatureError(MALFORMED, "a covered component is not a string")
        components.append(Component(item, tuple(item_params.items())))
    keyid, alg, created, nonce = params.get("keyid"), params.get("alg"), params.get("created"), params.get("nonce")
    if not isinstance(keyid, str) or not isinstance(nonce, str) or not nonce:
        raise SignatureError(MALFORMED, "keyid and nonce are required string parameters")
    if not isinstance(created, int) or isinstance(created, bool):
        raise SignatureError(MALFORMED, "created is a required integer parameter")
    public = keys(keyid)
    if public is None:
        raise SignatureError(UNKNOWN_KEY, f"unknown key id {keyid!r}")
    if alg != public.alg:
        raise SignatureError(ALGORITHM_MISMATCH, f"key {keyid} is {public.alg}, the signature says {alg!r}")
    required = {c.identifier() for c in _components_for(message)}
    missing = required - {c.identifier() for c in components}
    if missing:
        raise SignatureError(MISSING_COMPONENT, f"the signature does not cover {sorted(missing)}")
    current = int(time.time()) if now is None else now
    if created < current - max_age:
        raise SignatureError(EXPIRED, f"the signature was created {current - created} s ago (limit {max_age} s)")
    if created > current + MAX_FUTURE_SKEW_SECONDS:
        raise SignatureError(FROM_FUTURE, f"the signature was created {created - current} s in the future")
    base = signature_base(message, components, signature_params(components, params))
    if not public.verify(signature, base):
        raise SignatureError(BAD_SIGNATURE, f"the signature does not verify with key {keyid}")
    try:
        verify_content_digest(headers.get("content-digest"), body)
    except DigestError as exc:
        raise SignatureError(exc.reason, str(exc)) from exc
    if nonces is not None and not nonces.remember(keyid, nonce, created):
        raise SignatureError(REPLAYED_NONCE, f"nonce {nonce!r} of key {keyid} was already used")
    return Verified(keyid=keyid, alg=public.alg, created=created, nonce=nonce)
