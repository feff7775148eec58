"""RFC 9530 ``Content-Digest``: the hash of the exact body bytes, so a signature over the header covers the body.

Pure module (no Django): the sandbox bank uses it too. We send ``sha-256`` and accept ``sha-256`` or
``sha-512``; a header naming only algorithms we do not know is refused, never silently skipped.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

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
    """Parse the RFC 8941 dictionary of byte sequences (``alg=:b64:, alg=:b64:``)."""
    members: dict[str, bytes] = {}
    for raw in header.split(","):
        part = raw.strip()
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name or len(value) < 2 or value[0] != ":" or value[-1] != ":":
            raise DigestError("digest_malformed", f"Content-Digest member {part!r} is not alg=:base64:")
        try:
            members[name] = base64.b64decode(value[1:-1], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise DigestError("digest_malformed", f"Content-Digest {name} is not base64") from exc
    return members


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
