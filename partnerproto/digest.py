"""RFC 9530 ``Content-Digest``: the hash of the exact body bytes, so a signature over the header covers the body.

Pure module (no Django): the sandbox bank uses it too. We send ``sha-256`` and accept ``sha-256`` or
``sha-512``; a header naming only algorithms we do not know is refused, never silently skipped.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from partnerproto.structured import StructuredFieldError, parse_dictionary

SEND_ALGORITHM = "sha-256"
ALGORITHMS = {"sha-256": hashlib.sha256, "sha-512": hashlib.sha512}


class DigestError(Exception):
    """The Content-Digest header is missing, malformed, uses no algorithm we accept, or does not match."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # "digest_missing" | "digest_malformed" | "digest_unsupported" | "digest_mismatch"


def content_digest(body: bytes, algorithm: str = SEND_ALGORITHM) -> str:
    """The header value for ``body``: ``sha-256=:<base64>:``."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unsupported digest algorithm {algorithm!r}")
    value = base64.b64encode(ALGORITHMS[algorithm](body).digest()).decode()
    return f"{algorithm}=:{value}:"


def _members(header: str) -> dict[str, bytes]:
    """The RFC 8941 dictionary of the header (RFC 9530 §2): each member a byte sequence, with parameters allowed
    (and ignored: RFC 9530 defines none, and a later extension must not make a valid header unreadable)."""
    try:
        members = parse_dictionary(header)
    except StructuredFieldError as exc:
        raise DigestError("digest_malformed", f"Content-Digest is not a structured dictionary: {exc}") from exc
    if not members:
        raise DigestError("digest_malformed", "Content-Digest is empty")
    digests: dict[str, bytes] = {}
    for name, (value, _params) in members.items():
        if not isinstance(value, bytes):
            raise DigestError("digest_malformed", f"Content-Digest member {name} is not a byte sequence (alg=:base64:)")
        digests[name] = value
    return digests


def verify_content_digest(header: str | None, body: bytes) -> str:
    """Check every member we know against ``body``; return the algorithm used. Raises DigestError."""
    if not header:
        raise DigestError("digest_missing", "no Content-Digest header")
    members = _members(header)
    known = [name for name in members if name in ALGORITHMS]
    if not known:
        raise DigestError("digest_unsupported", f"Content-Digest uses none of {sorted(ALGORITHMS)}")
    for name in known:
        expected = ALGORITHMS[name](body).digest()
        if not hmac.compare_digest(expected, members[name]):
            raise DigestError("digest_mismatch", f"the body does not match its Content-Digest ({name})")
    return known[0]
