"""What banks send us: ``verify_inbound`` checks a push notification (signature, freshness, digest, nonce,
then decryption) and ``parse_notification`` reads it. The funds app's endpoint
``POST /api/v1/banking/notifications`` answers InboundRejected with 401 and changes nothing.

The notification JSON is documented in ``sandbox/bank/__init__.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from partnerproto import envelope, wire
from partnerproto.signatures import UNKNOWN_KEY, SignatureError
from smartcourt.banking.adapter import Movement
from smartcourt.banking.client import movement_from
from smartcourt.banking.partners import all_partners
from smartcourt.services.nonces import DatabaseNonceStore


class InboundRejected(Exception):
    """An inbound request we must not act on; ``reason`` names why (a signatures/digest/envelope reason)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class NotificationInvalid(ValueError):
    """A verified notification whose content is not what the protocol says (a bank-side bug: answer 400)."""


@dataclass(frozen=True)
class Inbound:
    partner: str
    keyid: str
    body: bytes  # the decrypted JSON


def _headers(request: HttpRequest) -> dict[str, str]:
    headers = {name.lower(): value for name, value in request.headers.items()}
    return headers


def verify_inbound_from(request: HttpRequest) -> Inbound:
    """Verify a bank's request against every configured partner's keys; the partner whose key signed it wins.
    Raises InboundRejected. The nonce is remembered (in the caller's transaction, if any) only once verified."""
    body = request.body
    # The signature covers the URL the bank called. Behind a proxy that rewrites Host or terminates TLS,
    # BANK_NOTIFICATION_URL names it; otherwise it is the URL this request arrived at.
    target = str(getattr(settings, "BANK_NOTIFICATION_URL", "") or request.build_absolute_uri())
    headers = _headers(request)
    nonces = DatabaseNonceStore()
    last: InboundRejected | None = None
    for candidate in all_partners():
        keys = candidate.keys()
        try:
            _, verified, payload = wire.open_request(
                keys, nonces, method=request.method or "POST", target_uri=target, headers=headers, body=body
            )
        except SignatureError as exc:
            last = InboundRejected(exc.reason, str(exc))
            if exc.reason == UNKNOWN_KEY:
                continue  # perhaps another partner's key
            raise last from exc
        except (envelope.EnvelopeError, wire.ProtocolError) as exc:
            raise InboundRejected(exc.reason, str(exc)) from exc
        return Inbound(
            partner=candidate.name,
            keyid=verified.keyid,
            body=json.dumps(payload, ensure_ascii=False).encode(),
        )
    raise last or InboundRejected(UNKNOWN_KEY, "no bank partner is configured")


def verify_inbound(request: HttpRequest) -> bytes:
    """The decrypted body of a verified bank request. Raises InboundRejected (answer 401)."""
    return verify_inbound_from(request).body


def parse_notification(body: bytes) -> list[Movement]:
    """The movements of a ``{"type": "movements", ...}`` notification, oldest first. Raises NotificationInvalid."""
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or data.get("type") != "movements" or not isinstance(data.get("movements"), list):
            raise NotificationInvalid("not a movements notification")
        movements = [movement_from(item) for item in data["movements"]]
    except NotificationInvalid:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise NotificationInvalid(f"malformed notification: {exc}") from exc
    return sorted(movements, key=lambda m: (m.account_number, m.sequence))
