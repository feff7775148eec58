"""JSON API of fund supervision, mounted by config/api.py: ``router`` at /funds, and ``banking_router`` at
/banking for what banks send us (POST /banking/notifications), checked with smartcourt.banking's protocol.
Glue only: parse, call one action or selector, shape."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Header, Query, Router
from ninja.responses import Status

from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import DomainError, NotFound
from smartcourt.core.money import fen_to_yuan
from smartcourt.core.schemas import ERRORS, MAX_OFFSET, ErrorOut
from smartcourt.funds import bank
from smartcourt.funds.actions import (
    PaymentDetails,
    book_movement,
    decide_payment,
    request_payment,
    review_payment,
)
from smartcourt.funds.actions.notices import next_step
from smartcourt.funds.choices import MovementSource
from smartcourt.funds.models import PaymentRequest
from smartcourt.funds.schemas import AccountOut, DecisionIn, NotificationOut, PaymentDetailOut, PaymentIn, PaymentOut
from smartcourt.funds.selectors import account_view, get_funds_case_for, get_payment_for, payments_of_case
from smartcourt.services.idempotency import body_digest, claim_client_key, release_client_key

logger = logging.getLogger("smartcourt.funds")

router = Router(tags=["funds"])
banking_router = Router(tags=["banking"])

MAX_LIST = 500


class Unauthenticated(DomainError):
    """A bank request that failed verification: 401 in the common error shape."""

    code = "unauthenticated"
    status = 401


class BadNotification(DomainError):
    code = "bad_request"
    status = 400


def _payment(payment: PaymentRequest) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "case_id": payment.case_id,
        "number": payment.number,
        "status": payment.status,
        "version": payment.version,
        "edition": payment.edition,
        "payee_name": payment.payee_name,
        "payee_account": payment.payee_account,
        "payee_bank": payment.payee_bank,
        "amount": fen_to_yuan(payment.amount_fen),
        "purpose": payment.purpose,
        "description": payment.description,
        "over_limits": list(payment.over_limits),
        "requested_by": payment.requested_by.full_name,
        "created_at": payment.created_at,
        "executed_at": payment.executed_at,
        "bank_reference": payment.bank_reference,
        "bank_reason": payment.bank_reason,
    }


def _detail(payment: PaymentRequest) -> dict[str, Any]:
    return {
        **_payment(payment),
        "next_step": next_step(payment),
        "transitions": [
            {
                "from_status": t.from_status,
                "to_status": t.to_status,
                "actor": t.actor.full_name if t.actor else None,
                "at": t.at,
                "note": t.note,
            }
            for t in payment.transitions.select_related("actor").order_by("at")
        ],
        "approvals": [
            {
                "step": a.step,
                "decision": a.decision,
                "decided_by": a.decided_by.full_name,
                "decided_at": a.decided_at,
                "note": a.note,
                "edition": a.edition,
                "current": a.edition == payment.edition,
            }
            for a in payment.approvals.select_related("decided_by").order_by("decided_at")
        ],
    }


def _limit(limit_fen: int | None, used_fen: int) -> dict[str, Any]:
    return {"limit": fen_to_yuan(limit_fen) if limit_fen is not None else None, "used": fen_to_yuan(used_fen)}


@router.get(
    "/cases/{case_id}/account",
    response={200: AccountOut, **ERRORS},
    summary="The case's supervised account: balance, limits and their use, movements as the bank reported, alerts",
    operation_id="funds_account",
)
def account(request: HttpRequest, case_id: uuid.UUID) -> dict[str, Any]:
    view = account_view(get_funds_case_for(signed_in_user(request), case_id))
    if view is None:
        raise NotFound("This case has no supervised account")
    a = view.account
    return {
        "id": a.pk,
        "bank_name": a.bank_name,
        "account_number": a.account_number,
        "account_name": a.account_name,
        "balance": fen_to_yuan(a.balance_fen),
        "last_sequence": a.last_sequence,
        "synced_sequence": a.synced_sequence,
        "per_transaction": _limit(a.per_transaction_limit_fen, 0),
        "daily": _limit(a.daily_limit_fen, view.use.today_fen),
        "cumulative": _limit(a.cumulative_limit_fen, view.use.total_fen),
        "movements": [
            {
                "sequence": m.sequence,
                "booked_at": m.booked_at,
                "amount": fen_to_yuan(m.amount_fen),
                "balance_after": fen_to_yuan(m.balance_after_fen),
                "counterparty_name": m.counterparty_name,
                "description": m.description,
                "payment_number": m.payment.number if m.payment else None,
            }
            for m in view.movements
        ],
        "alerts": [
            {"id": alert.pk, "kind": alert.kind, "message": alert.message, "created_at": alert.created_at}
            for alert in view.alerts
        ],
    }


@router.get(
    "/cases/{case_id}/payments",
    response={200: list[PaymentOut], **ERRORS},
    summary="Payment requests of a case (court staff of its court and the appointed administrator)",
    operation_id="list_payments",
)
def list_payments(
    request: HttpRequest, case_id: uuid.UUID, offset: int = Query(0, ge=0, le=MAX_OFFSET)
) -> list[dict[str, Any]]:
    case = get_funds_case_for(signed_in_user(request), case_id)
    return [_payment(p) for p in payments_of_case(case)[offset : offset + MAX_LIST]]


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
) -> Status[dict[str, Any]]:
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
    return Status(201 if created else 200, _detail(payment))


@router.get(
    "/payments/{payment_id}",
    response={200: PaymentDetailOut, **ERRORS},
    summary="One payment request with its transitions and the court's decisions",
    operation_id="get_payment",
)
def get_payment(request: HttpRequest, payment_id: uuid.UUID) -> dict[str, Any]:
    return _detail(get_payment_for(signed_in_user(request), payment_id))


@router.post(
    "/payments/{payment_id}/review",
    response={200: PaymentDetailOut, **ERRORS},
    summary="The judge assistant passes an over-limit request on to the judge (forward) or returns it",
    operation_id="review_payment",
)
def review(request: HttpRequest, payment_id: uuid.UUID, payload: DecisionIn) -> dict[str, Any]:
    user = signed_in_user(request)
    review_payment(
        actor=user,
        payment_id=payment_id,
        decision=payload.decision,
        note=payload.note,
        expected_version=payload.version,
    )
    return _detail(get_payment_for(user, payment_id))


@router.post(
    "/payments/{payment_id}/decision",
    response={200: PaymentDetailOut, **ERRORS},
    summary="The judge approves (the court's approval token goes to the bank with the instruction), rejects or "
    "returns a reviewed request",
    operation_id="decide_payment",
)
def decide(request: HttpRequest, payment_id: uuid.UUID, payload: DecisionIn) -> dict[str, Any]:
    user = signed_in_user(request)
    decide_payment(
        actor=user,
        payment_id=payment_id,
        decision=payload.decision,
        note=payload.note,
        expected_version=payload.version,
        for_panel=payload.for_panel,
    )
    return _detail(get_payment_for(user, payment_id))


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
        raise Unauthenticated("The request's signature could not be verified", code="unauthenticated") from exc
    except bank.NotificationUnreadable as exc:
        raise BadNotification(str(exc)) from exc
    return {"booked": booked, "duplicates": duplicates, "ignored": ignored}
