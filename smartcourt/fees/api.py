"""What the payment service sends us: POST /api/v1/fees/notifications (signed per RFC 9421, encrypted, with
a nonce). Glue only: verify, book in one transaction with the nonce, answer."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from smartcourt.core.errors import DomainError
from smartcourt.core.schemas import ErrorOut
from smartcourt.fees import payments
from smartcourt.fees.actions import book_notification

logger = logging.getLogger("smartcourt.fees")
router = Router(tags=["fees"])


class FeeNotificationOut(Schema):
    kind: str
    booked: bool


@router.post(
    "/notifications",
    auth=None,
    response={200: FeeNotificationOut, 401: ErrorOut, 422: ErrorOut},
    summary="The payment service reports a payment or a refund (signed per RFC 9421, encrypted); booked once",
    operation_id="fee_notification",
)
def notifications(request: HttpRequest) -> dict[str, Any]:
    """Verified and booked in one transaction: an unsigned, replayed or mismatched notification is refused
    and changes nothing (a refused booking also forgets the nonce, so the service may send it again)."""
    try:
        with transaction.atomic():
            payload = payments.verify_notification(request)
            kind, created = book_notification(payload=payload)
    except payments.NotificationRefused as exc:
        logger.warning("payment notification refused: %s", exc.reason)
        raise HttpError(401, f"The notification's signature could not be verified ({exc.reason})") from exc
    except DomainError:
        raise
    return {"kind": kind, "booked": created}
