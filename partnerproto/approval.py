"""The court approval token: the court's signed statement that one payment (or one batch) over a limit may be
executed. The bank verifies it with the court's public key before executing (docs/adr/0005).

Pure module (no Django); the platform signs tokens with its configured key in smartcourt/banking/approval.py.

Format: a compact JWS (RFC 7515) with EdDSA/Ed25519 (RFC 8037)::

    base64url({"alg":"EdDSA","kid":"court-2026a","typ":"sc-approval+jws"})
    . base64url({"typ":"transfer","case":"(2026)苏0623破1号","acct":"...","payee":"...","amt":1234500,
                 "idem":"...","iat":1767225600,"exp":1767312000})
    . base64url(signature)

A batch token has ``"typ":"batch"`` and binds ``batch`` (batch id), ``sha256`` (over the canonical instruction
list, see ``batch_digest``), ``total`` (fen) and ``count`` instead of payee, amount and idempotency key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from partnerproto.signatures import ED25519, PublicKey, SigningKey

TOKEN_TYPE = "sc-approval+jws"  # noqa: S105 - a media type name, not a secret

MALFORMED = "malformed"
UNKNOWN_KEY = "unknown_key"
BAD_SIGNATURE = "bad_signature"
EXPIRED = "expired"
MISMATCH = "mismatch"


class ApprovalError(Exception):
    """``reason`` is one of the constants above; for a mismatch, ``field`` names the bound field that differs."""

    def __init__(self, reason: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.field = field


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def batch_digest(instructions: Iterable[tuple[str, str, int]]) -> str:
    """SHA-256 (hex) over the canonical list of (idempotency key, payee account, amount in fen), in the
    batch's order: ``[["key-1","6222...",100000],...]`` as compact UTF-8 JSON."""
    items = [[str(key), str(payee), int(amount)] for key, payee, amount in instructions]
    return hashlib.sha256(json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _issue(key: SigningKey, claims: dict[str, Any]) -> str:
    if key.alg != ED25519:
        raise ValueError("approval tokens are signed with Ed25519")
    header = _b64url(_canonical({"alg": "EdDSA", "kid": key.keyid, "typ": TOKEN_TYPE}))
    payload = _b64url(_canonical(claims))
    signing_input = f"{header}.{payload}".encode()
    signature = Ed25519PrivateKey.from_private_bytes(key.private).sign(signing_input)
    return f"{header}.{payload}.{_b64url(signature)}"


def issue_transfer_approval(
    key: SigningKey,
    *,
    case_reference: str,
    account_number: str,
    payee_account: str,
    amount_fen: int,
    idempotency_key: str,
    issued_at: int,
    expires_at: int,
) -> str:
    """A token approving exactly one transfer; ``issued_at``/``expires_at`` are Unix seconds."""
    return _issue(
        key,
        {
            "typ": "transfer",
            "case": case_reference,
            "acct": account_number,
            "payee": payee_account,
            "amt": int(amount_fen),
            "idem": idempotency_key,
            "iat": int(issued_at),
            "exp": int(expires_at),
        },
    )


def issue_batch_approval(
    key: SigningKey,
    *,
    case_reference: str,
    account_number: str,
    batch_id: str,
    instructions: Iterable[tuple[str, str, int]],
    issued_at: int,
    expires_at: int,
) -> str:
    """A token approving one batch: (idempotency key, payee account, amount) per instruction, in order."""
    items = list(instructions)
    return _issue(
        key,
        {
            "typ": "batch",
            "case": case_reference,
            "acct": account_number,
            "batch": batch_id,
            "sha256": batch_digest(items),
            "total": sum(int(amount) for _, _, amount in items),
            "count": len(items),
            "iat": int(issued_at),
            "exp": int(expires_at),
        },
    )


@dataclass(frozen=True)
class ApprovalClaims:
    kid: str
    claims: Mapping[str, Any]


def _verify(token: str, keys: Mapping[str, PublicKey], now: int) -> ApprovalClaims:
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        raise ApprovalError(MALFORMED, "an approval token has three dot-separated parts")
    try:
        header = json.loads(_unb64url(parts[0]))
        claims = json.loads(_unb64url(parts[1]))
        signature = _unb64url(parts[2])
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApprovalError(MALFORMED, "the approval token is not base64url JSON") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise ApprovalError(MALFORMED, "header and claims must be JSON objects")
    if header.get("alg") != "EdDSA" or header.get("typ") != TOKEN_TYPE:
        raise ApprovalError(MALFORMED, "not an EdDSA sc-approval+jws token")
    kid = header.get("kid")
    public = keys.get(kid) if isinstance(kid, str) else None
    if public is None or public.alg != ED25519:
        raise ApprovalError(UNKNOWN_KEY, f"unknown court key {kid!r}")
    try:
        Ed25519PublicKey.from_public_bytes(public.public).verify(signature, f"{parts[0]}.{parts[1]}".encode())
    except (InvalidSignature, ValueError) as exc:
        raise ApprovalError(BAD_SIGNATURE, "the approval token's signature does not verify") from exc
    expires = claims.get("exp")
    if not isinstance(expires, int) or expires <= now:
        raise ApprovalError(EXPIRED, "the approval token has expired")
    return ApprovalClaims(kid=str(kid), claims=claims)


def _match(claims: Mapping[str, Any], expected: Mapping[str, Any]) -> None:
    for name, value in expected.items():
        if claims.get(name) != value:
            raise ApprovalError(MISMATCH, f"the approval token's {name} does not match the instruction", field=name)


def verify_transfer_approval(
    token: str,
    *,
    keys: Mapping[str, PublicKey],
    now: int,
    case_reference: str,
    account_number: str,
    payee_account: str,
    amount_fen: int,
    idempotency_key: str,
) -> ApprovalClaims:
    """Check signature, expiry and that every bound field equals the instruction's. Raises ApprovalError."""
    verified = _verify(token, keys, now)
    _match(
        verified.claims,
        {
            "typ": "transfer",
            "case": case_reference,
            "acct": account_number,
            "payee": payee_account,
            "amt": amount_fen,
            "idem": idempotency_key,
        },
    )
    return verified


def verify_batch_approval(
    token: str,
    *,
    keys: Mapping[str, PublicKey],
    now: int,
    case_reference: str,
    account_number: str,
    batch_id: str,
    instructions: Iterable[tuple[str, str, int]],
) -> ApprovalClaims:
    items = list(instructions)
    verified = _verify(token, keys, now)
    _match(
        verified.claims,
        {
            "typ": "batch",
            "case": case_reference,
            "acct": account_number,
            "batch": batch_id,
            "sha256": batch_digest(items),
            "total": sum(int(amount) for _, _, amount in items),
            "count": len(items),
        },
    )
    return verified
