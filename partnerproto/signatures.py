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
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import SplitResult, unquote_to_bytes, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from partnerproto import structured
from partnerproto.digest import DigestError, verify_content_digest
from partnerproto.structured import Bare, Member, Params

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


# --- RFC 8941 structured fields: partnerproto.structured -------------------------------------------------


def parse_dictionary(text: str) -> dict[str, Member]:
    """An RFC 8941 dictionary; a malformed one is a malformed signature."""
    try:
        return structured.parse_dictionary(text)
    except structured.StructuredFieldError as exc:
        raise SignatureError(MALFORMED, f"structured field: {exc}") from exc


def _serialize_bare(value: Bare) -> str:
    return structured.serialize_bare(value)


def _serialize_params(params: Params) -> str:
    return structured.serialize_params(params)


# --- components and the signature base (RFC 9421 §2) -------------------------------------------------------

# Structured fields whose type the signer and verifier know, for the ``sf`` and ``key`` parameters (§2.1.1):
# RFC 9421's own fields, RFC 9530's digests and the RFC 8941 fields a partner may sign.
STRUCTURED_FIELDS: dict[str, str] = {
    "signature-input": "dictionary",
    "signature": "dictionary",
    "accept-signature": "dictionary",
    "content-digest": "dictionary",
    "repr-digest": "dictionary",
    "want-content-digest": "dictionary",
    "want-repr-digest": "dictionary",
    "priority": "dictionary",
    "cache-status": "list",
    "proxy-status": "list",
    "client-cert": "item",
    "client-cert-chain": "list",
}
DERIVED = frozenset(
    {"@method", "@target-uri", "@authority", "@scheme", "@request-target", "@path", "@query", "@query-param", "@status"}
)
# A component parameter not listed here is refused: a verifier must not ignore what it does not understand.
FIELD_PARAMS = frozenset({"sf", "key", "bs", "req", "tr"})
DERIVED_PARAMS = {"@query-param": frozenset({"name", "req"})}
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Component:
    """A covered component: a derived component (``@method``) or a lower-case field name, with parameters
    (``req`` for the request a response answers, ``key`` for one member of a dictionary field, ``sf``, ``bs``,
    ``tr``, and ``name`` for ``@query-param``)."""

    name: str
    params: tuple[tuple[str, Bare], ...] = ()

    def identifier(self) -> str:
        return _serialize_bare(self.name) + _serialize_params(dict(self.params))


FieldValue = str | Sequence[str]


@dataclass(frozen=True)
class Message:
    """What a signature covers. ``headers`` are lower-case names, each with its value or its field lines (for
    ``bs``); ``request`` is set on a response; ``request_target`` is the request line's target when it is not
    the origin form of ``target_uri``; ``structured_types`` adds field types for ``sf`` and ``key``."""

    method: str = ""
    target_uri: str = ""
    status: int | None = None
    headers: Mapping[str, FieldValue] = field(default_factory=dict)
    request: Message | None = None
    trailers: Mapping[str, FieldValue] = field(default_factory=dict)
    request_target: str = ""
    structured_types: Mapping[str, str] = field(default_factory=dict)


def _field_lines(raw: FieldValue) -> list[str]:
    lines = [raw] if isinstance(raw, str) else list(raw)
    # §2.1: leading and trailing whitespace goes, and an obsolete line folding is one space.
    return [re.sub(r"\r?\n[ \t]+", " ", line).strip(" \t") for line in lines]


def header_value(message: Message, name: str) -> str | None:
    """A header's value as a recipient combines its field lines (RFC 9110 §5.3), or None."""
    raw = message.headers.get(name)
    return None if raw is None else ", ".join(_field_lines(raw))


def _url(message: Message) -> SplitResult:
    if not message.target_uri:
        raise SignatureError(MISSING_COMPONENT, "the message has no target URI")
    parts = urlsplit(message.target_uri)
    if not parts.scheme or not parts.netloc:
        raise SignatureError(MALFORMED, f"the target URI {message.target_uri!r} is not absolute")
    return parts


def _authority(parts: SplitResult) -> str:
    # §2.2.3: the host, lower-cased, with the port only when it is not the scheme's default.
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


# The application/x-www-form-urlencoded percent-encode set leaves exactly these bytes as they are (URL Standard
# §5.2); a space is %20, not "+" (RFC 9421 §2.2.8 and its example).
_FORM_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._")


def _form_encode(text: str) -> str:
    return "".join(chr(b) if b in _FORM_SAFE else f"%{b:02X}" for b in text.encode())


def _query_params(query: str) -> list[tuple[str, str]]:
    """URL Standard §5.1 application/x-www-form-urlencoded parsing, names and values re-encoded (§2.2.8)."""
    pairs = []
    for sequence in query.split("&"):
        if not sequence:
            continue
        name, _, value = sequence.partition("=")
        decoded = (unquote_to_bytes(part.replace("+", " ")).decode("utf-8", "replace") for part in (name, value))
        pairs.append(tuple(_form_encode(part) for part in decoded))
    return pairs  # type: ignore[return-value]


def _derived(message: Message, name: str, params: dict[str, Bare]) -> str:
    if name == "@status":
        if message.status is None:
            raise SignatureError(MISSING_COMPONENT, "@status on a request")
        return str(message.status)
    if message.status is not None:
        raise SignatureError(MALFORMED, f"{name} is a request component; on a response it needs req")
    if name == "@method":
        if not message.method:
            raise SignatureError(MISSING_COMPONENT, "@method is empty")
        return message.method  # §2.2.1: as sent, case-sensitive ("POST")
    parts = _url(message)  # checked for every URI component, @target-uri too
    if name == "@target-uri":
        return message.target_uri
    if name in _URL_COMPONENTS:
        return _URL_COMPONENTS[name](parts)
    if name == "@request-target":
        if message.request_target:
            return message.request_target
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if name == "@query-param":
        return _query_param(parts, params)
    raise SignatureError(MALFORMED, f"unknown derived component {name}")


# The derived components that are a part of the target URI (RFC 9421 §2.2.3-2.2.7).
_URL_COMPONENTS: dict[str, Callable[[SplitResult], str]] = {
    "@authority": lambda parts: _authority(parts),
    "@scheme": lambda parts: parts.scheme.lower(),
    "@path": lambda parts: parts.path or "/",
    "@query": lambda parts: f"?{parts.query}",
}


def _query_param(parts: SplitResult, params: dict[str, Bare]) -> str:
    """@query-param (§2.2.8): the one value of the parameter the ``name`` parameter names."""
    wanted = params.get("name")
    if not isinstance(wanted, str) or isinstance(wanted, structured.Token):
        raise SignatureError(MALFORMED, "@query-param needs a name parameter (a string)")
    found = [value for key, value in _query_params(parts.query) if key == wanted]
    if not found:
        raise SignatureError(MISSING_COMPONENT, f"no query parameter named {wanted!r}")
    if len(found) > 1:
        # §2.2.8: a name that occurs more than once cannot be covered (which value would it be?).
        raise SignatureError(MALFORMED, f"the query parameter {wanted!r} occurs {len(found)} times")
    return found[0]


def _structured_type(message: Message, name: str) -> str:
    kind = message.structured_types.get(name) or STRUCTURED_FIELDS.get(name)
    if kind is None:
        raise SignatureError(MALFORMED, f"{name} is not a structured field this signer knows (sf, key)")
    return kind


def _field(message: Message, component: Component, params: dict[str, Bare]) -> str:
    name = component.name
    if name != name.lower():
        raise SignatureError(MALFORMED, f"field names are lower case: {name!r}")
    fields = message.trailers if params.get("tr") is True else message.headers
    raw = fields.get(name)
    if raw is None:
        where = "trailer" if params.get("tr") is True else "header"
        raise SignatureError(MISSING_COMPONENT, f"the {name} {where} is covered but missing")
    lines = _field_lines(raw)
    if params.get("bs") is True:
        if "sf" in params or "key" in params:
            raise SignatureError(MALFORMED, f"{component.identifier()}: bs cannot be combined with sf or key")
        # §2.1.3: each field line's bytes, separately, as byte sequences.
        return ", ".join(_serialize_bare(line.encode()) for line in lines)
    value = ", ".join(lines)
    try:
        if "key" in params:
            key = params["key"]
            if not isinstance(key, str) or _structured_type(message, name) != "dictionary":
                raise SignatureError(MALFORMED, f"{component.identifier()}: key needs a dictionary field and a string")
            member = structured.parse_dictionary(value).get(key)
            if member is None:
                raise SignatureError(MISSING_COMPONENT, f"{name} has no member {key!r}")
            # §2.1.2: the member's value (an item or an inner list) with its parameters, serialised.
            return structured.serialize_member(member)
        if params.get("sf") is True:
            kind = _structured_type(message, name)
            if kind == "dictionary":
                return structured.serialize_dictionary(structured.parse_dictionary(value))
            if kind == "list":
                return structured.serialize_list(structured.parse_list(value))
            return structured.serialize_member(structured.parse_item(value))
    except structured.StructuredFieldError as exc:
        raise SignatureError(MALFORMED, f"{name} is not a valid structured field: {exc}") from exc
    return value


def _component_value(message: Message, component: Component) -> str:
    params = dict(component.params)
    allowed = DERIVED_PARAMS.get(component.name, frozenset({"req"})) if component.name.startswith("@") else FIELD_PARAMS
    unknown = set(params) - allowed
    if unknown:
        raise SignatureError(MALFORMED, f"{component.identifier()}: unknown parameters {sorted(unknown)}")
    for flag in ("req", "sf", "bs", "tr"):
        if flag in params and params[flag] is not True:
            raise SignatureError(MALFORMED, f"{component.identifier()}: {flag} is a flag")
    if params.get("req") is True:
        if message.request is None:
            raise SignatureError(MISSING_COMPONENT, f"{component.identifier()} needs the request")
        message = message.request
    if component.name.startswith("@"):
        if component.name not in DERIVED:
            raise SignatureError(MALFORMED, f"unknown derived component {component.name}")
        return _derived(message, component.name, params)
    return _field(message, component, params)


def signature_params(components: list[Component], params: Params) -> str:
    return "(" + " ".join(c.identifier() for c in components) + ")" + _serialize_params(params)


def signature_base(message: Message, components: list[Component], params_value: str) -> bytes:
    """RFC 9421 §2.5: one line per component, then ``"@signature-params"``; newline-joined, no trailing one."""
    identifiers = [c.identifier() for c in components]
    if len(set(identifiers)) != len(identifiers):
        raise SignatureError(MALFORMED, "a component is covered twice")
    if any(c.name == "@signature-params" for c in components):
        raise SignatureError(MALFORMED, "@signature-params is not a covered component")
    lines = [
        f"{identifier}: {_component_value(message, c)}" for identifier, c in zip(identifiers, components, strict=True)
    ]
    lines.append(f'"@signature-params": {params_value}')
    text = "\n".join(lines)
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
        raise SignatureError(MALFORMED, "control characters in a covered component (use bs)")
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


def _signature_of(message: Message) -> tuple[list[Component], Params, bytes]:
    """The covered components, the parameters and the signature labelled ``sig1``, as the headers carry them."""
    signature_input, signature_field = header_value(message, "signature-input"), header_value(message, "signature")
    if signature_input is None or signature_field is None:
        raise SignatureError(MISSING_SIGNATURE, "no Signature-Input / Signature headers")
    inputs = parse_dictionary(signature_input)
    signatures = parse_dictionary(signature_field)
    if LABEL not in inputs or LABEL not in signatures:
        raise SignatureError(MISSING_SIGNATURE, f"no signature labelled {LABEL}")
    covered, params = inputs[LABEL]
    signature = signatures[LABEL][0]
    if not isinstance(covered, list) or not isinstance(signature, bytes):
        raise SignatureError(MALFORMED, f"{LABEL} is not an inner list / byte sequence")
    components: list[Component] = []
    for item, item_params in covered:
        if not isinstance(item, str) or isinstance(item, structured.Token):
            raise SignatureError(MALFORMED, "a covered component is not a string")
        components.append(Component(item, tuple(item_params.items())))
    return components, params, signature


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
    components, params, signature = _signature_of(message)
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
        verify_content_digest(header_value(message, "content-digest"), body)
    except DigestError as exc:
        raise SignatureError(exc.reason, str(exc)) from exc
    if nonces is not None and not nonces.remember(keyid, nonce, created):
        raise SignatureError(REPLAYED_NONCE, f"nonce {nonce!r} of key {keyid} was already used")
    return Verified(keyid=keyid, alg=public.alg, created=created, nonce=nonce)
