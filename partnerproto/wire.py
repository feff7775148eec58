"""One message of the bank partner protocol, both ways: encrypt, digest, sign; verify, check, decrypt.

Pure module (no Django): the platform's client and inbound endpoint and the sandbox bank all use it, so the
two sides cannot drift apart. Payloads are JSON objects; every body is an encrypted envelope (every endpoint
of the protocol carries account numbers) except a 401 refusal, which says only why.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from partnerproto import envelope
from partnerproto.digest import content_digest
from partnerproto.keyfiles import PartyKeys
from partnerproto.signatures import Message, NonceStore, Verified, header_value, sign, verify

JSON = "application/json"


class ProtocolError(Exception):
    """A message that is signed correctly but cannot be read (not an envelope, not JSON)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Outgoing:
    body: bytes
    headers: dict[str, str]
    message: Message  # what was signed (a response's signature binds it)


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def seal_request(
    keys: PartyKeys, *, method: str, url: str, payload: Mapping[str, Any], created: int | None = None
) -> Outgoing:
    plaintext = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    body = envelope.encrypt(keys.envelope, plaintext, method=method, target_uri=url, direction=envelope.REQUEST)
    headers = {"Content-Type": envelope.CONTENT_TYPE, "Content-Digest": content_digest(body)}
    unsigned = Message(method=method, target_uri=url, headers=_lower(headers))
    headers.update(sign(unsigned, keys.signing_key(), created=created))
    return Outgoing(body=body, headers=headers, message=Message(method=method, target_uri=url, headers=_lower(headers)))


def _decode(plaintext: bytes) -> dict[str, Any]:
    try:
        data = json.loads(plaintext)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError("not_json", "the decrypted body is not JSON") from exc
    if not isinstance(data, dict):
        raise ProtocolError("not_json", "the decrypted body is not a JSON object")
    return data


def open_request(
    keys: PartyKeys, nonces: NonceStore | None, *, method: str, target_uri: str, headers: Mapping[str, str], body: bytes
) -> tuple[Message, Verified, dict[str, Any]]:
    """Verify (signature, freshness, digest, nonce) and decrypt a request. Raises SignatureError first (401),
    then envelope.EnvelopeError or ProtocolError (the peer is authentic but its body is unreadable)."""
    message = Message(method=method, target_uri=target_uri, headers=_lower(headers))
    verified = verify(message, body, keys=keys.peer_key, nonces=nonces)
    content_type = (header_value(message, "content-type") or "").split(";")[0].strip()
    if content_type != envelope.CONTENT_TYPE:
        raise ProtocolError("not_encrypted", f"the body must be {envelope.CONTENT_TYPE}")
    plaintext = envelope.decrypt(keys.envelope, body, method=method, target_uri=target_uri)
    return message, verified, _decode(plaintext)


def seal_response(keys: PartyKeys, request: Message | None, *, status: int, payload: Mapping[str, Any]) -> Outgoing:
    """An answer: encrypted when it answers an authentic request, plain JSON for a refusal; always signed."""
    plaintext = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    if request is not None:
        body = envelope.encrypt(
            keys.envelope, plaintext, method=request.method, target_uri=request.target_uri, direction=envelope.RESPONSE
        )
        content_type = envelope.CONTENT_TYPE
    else:
        body, content_type = plaintext, JSON
    headers = {"Content-Type": content_type, "Content-Digest": content_digest(body)}
    unsigned = Message(status=status, headers=_lower(headers), request=request)
    headers.update(sign(unsigned, keys.signing_key()))
    return Outgoing(
        body=body, headers=headers, message=Message(status=status, headers=_lower(headers), request=request)
    )


def open_response(
    keys: PartyKeys, request: Message, *, status: int, headers: Mapping[str, str], body: bytes
) -> dict[str, Any]:
    """Verify the answer's signature (bound to ``request``) and decrypt it. Raises SignatureError,
    EnvelopeError or ProtocolError; a refusal (plain JSON, not bound to our request) raises SignatureError
    only if its own signature fails, otherwise it is returned as it is for the caller to report."""
    lowered = _lower(headers)
    bound = Message(status=status, headers=lowered, request=request)
    content_type = lowered.get("content-type", "").split(";")[0].strip()
    if content_type != envelope.CONTENT_TYPE:
        # Only a refusal travels in clear; it cannot be bound to a request the bank could not authenticate.
        verify(Message(status=status, headers=lowered), body, keys=keys.peer_key, nonces=None)
        if status < 400:
            raise ProtocolError("not_encrypted", "a successful answer must be encrypted")
        return _decode(body)
    # The covered components must include our request's method, target and signature (verify requires them).
    verify(bound, body, keys=keys.peer_key, nonces=None)
    plaintext = envelope.decrypt(
        keys.envelope, body, method=request.method, target_uri=request.target_uri, direction=envelope.RESPONSE
    )
    return _decode(plaintext)
