"""JSON API of fund supervision, mounted by config/api.py: ``router`` at /funds, and ``banking_router`` at
/banking for what banks send us (POST /banking/notifications), checked with smartcourt.banking's protocol.
Glue only: parse, call one action or selector; the output schemas read what it returns."""

from __future__ import annotations

import logging
import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Header, Router
from ninja.responses import Status

from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import CoreError, DomainError, NotFound
from smartcourt.core.pagination import paginated
from smartcourt.core.schemas import ERRORS, ErrorOut
from smartcourt.funds import bank
from smartcourt.funds.actions import (
    PaymentDetails,
    book_movement,
    decide_payment,
    request_payment,
    review_payment,
)
from smartcourt.funds.choices import MovementSource
from smartcourt.funds.models import PaymentRequest
from smartcourt.funds.schemas import AccountOut, DecisionIn, NotificationOut, PaymentDetailOut, PaymentIn, PaymentOut
from smartcourt.funds.selectors import AccountView, account_view, get_funds_case_for, get_payment_for, payments_of_case
from smartcourt.services.idempotency import body_digest, claim_client_key, release_client_key

logger = logging.getLogger("smartcourt.funds")

router = Router(tags=["funds"])
banking_router = Router(tags=["banking"])

MAX_LIST = 500


class Unauthenticated(DomainError):
    """A bank request that failed verification: 401 in the common error shape."""

    code = CoreError.UNAUTHENTICATED
    status = 401


class BadNotification(DomainError):
    code = CoreError.BAD_REQUEST
    status = 400


@router.get(
    "/cases/{case_id}/account",
    response={200: AccountOut, **ERRORS},
    summary="The case's supervised account: balance, limits and their use, movements as the bank reported, alerts",
    operation_id="funds_account",
)
def account(request: HttpRequest, case_id: uuid.UUID) -> AccountView:
    view = account_view(get_funds_case_for(signed_in_user(request), case_id))
    if view is None:
        raise NotFound("This case has no supervised account")
    return view


@router.get(
    "/cases/{case_id}/payments",
    response={200: list[PaymentOut], **ERRORS},
    summary="Payment requests of a case (court staff of its court and the appointed administrator)",
    operation_id="list_payments",
)
@paginated(page_size=MAX_LIST)
def list_payments(request: HttpRequest, case_id: uuid.UUID) -> QuerySet[PaymentRequest]:
    return payments_of_case(get_funds_case_for(signed_in_user(request), case_id))


@router.post(
    "/cases/{case_id}/payments",
    response={200: PaymentDetailOut, 201: PaymentDetailOut, **ERRORS},
    summary="The administrator requests a payment; within limits it goes to the bank at once, over a limit to "
    "the court. Idempotency-Key: the same key and body answer with the first request (200), another body 422, "
    "a key whose first request is still being handled 409",
    operation_id="request_payment",
)
def create_payment(
    request: HttpRequest,
    case_id: uuid.UUID,
    payload: PaymentIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100),
) -> Status[PaymentRequest]:
    data = payload.dict()
    user, digest = signed_in_user(request), body_digest({"case_id": str(case_id), **data})
    claim_client_key(actor=user, key=idempotency_key, body_sha256=digest)
    try:
        payment, created = request_payment(
            actor=user,
            case_id=case_id,
            details=PaymentDetails(**data),
            client_key=idempotency_key,
            client_body_sha256=digest,
        )
    except Exception:
        release_client_key(actor=user, key=idempotency_key, done=False)
        raise
    release_client_key(actor=user, key=idempotency_key, done=True)
    payment.refresh_from_db()
    return Status(201 if created else 200, payment)


@router.get(
    "/payments/{payment_id}",
    response={200: PaymentDetailOut, **ERRORS},
    summary="One payment request with its transitions and the court's decisions",
    operation_id="get_payment",
)
def get_payment(request: HttpRequest, payment_id: uuid.UUID) -> PaymentRequest:
    return get_payment_for(signed_in_user(request), payment_id)


@router.post(
    "/payments/{payment_id}/review",
    response={200: PaymentDetailOut, **ERRORS},
    summary="The judge assistant passes an over-limit request on to the judge (forward) or returns it",
    operation_id="review_payment",
)
def review(request: HttpRequest, payment_id: uuid.UUID, payload: DecisionIn) -> PaymentRequest:
    user = signed_in_user(request)
    review_payment(
        actor=user,
        payment_id=payment_id,
        decision=payload.decision,
        note=payload.note,
        expected_version=payload.version,
    )
    return get_payment_for(user, payment_id)


@router.post(
    "/payments/{payment_id}/decision",
    response={200: PaymentDetailOut, **ERRORS},
    summary="The judge approves (the court's approval token goes to the bank with the instruction), rejects or "
    "returns a reviewed request",
    operation_id="decide_payment",
)
def decide(request: HttpRequest, payment_id: uuid.UUID, payload: DecisionIn) -> PaymentRequest:
    user = signed_in_user(request)
    decide_payment(
        actor=user,
        payment_id=payment_id,
        decision=payload.decision,
        note=payload.note,
        expected_version=payload.version,
        for_panel=payload.for_panel,
    )
    return get_payment_for(user, payment_id)


@banking_router.post(
    "/notifications",
    auth=None,
    response={200: NotificationOut, 400: ErrorOut, 401: ErrorOut},
    summary="A bank pushes account movements (signed per RFC 9421, encrypted); each is booked once",
    operation_id="bank_notification",
)
def notifications(request: HttpRequest) -> dict[str, int] | HttpResponse:
    """Verified, then every movement booked in the same transaction as the nonce: a refused request changes
    nothing, and a repeated movement (same account and sequence) is booked once."""
    booked = duplicates = ignored = 0
    try:
        with transaction.atomic():
            partner, movements = bank.verify_notification(request)
            for movement in movements:
                try:
                    _row, created = book_movement(
                        movement=movement, source=MovementSource.NOTIFICATION, bank_partner=partner
                    )
                except NotFound:
                    logger.warning("notification for an account we do not supervise: %s", movement.account_number)
                    ignored += 1
                    continue
                booked += int(created)
                duplicates += int(not created)
    except bank.NotificationRefused as exc:
        logger.warning("bank notification refused: %s", exc.reason)
        raise Unauthenticated("The request's signature could not be verified", code=CoreError.UNAUTHENTICATED) from exc
    except bank.NotificationUnreadable as exc:
        raise BadNotification(str(exc)) from exc
    return {"booked": booked, "duplicates": duplicates, "ignored": ignored}
