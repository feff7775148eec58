"""The one place fund supervision reaches a bank: the adapter of the account's bank partner, the court's
approval token, and the verification of what a bank pushes to us. Domain tests replace ``adapter_for`` and
``approval_token`` with an in-memory bank; integration tests point the settings at the sandbox bank."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest

from smartcourt.banking import approval, inbound
from smartcourt.banking.adapter import BankAdapter, Movement, Payee, UnknownTransfer
from smartcourt.banking.client import get_bank_adapter


def adapter_for(bank_partner: str) -> BankAdapter:
    """The adapter of ``bank_partner`` (configured from the settings by smartcourt.banking.partners)."""
    return get_bank_adapter(bank_partner)


def approval_token(
    *,
    case_reference: str,
    account_number: str,
    payee: Payee,
    amount_fen: int,
    idempotency_key: str,
    expires_at: datetime,
) -> str:
    """The court approval token the bank verifies before paying over a limit, signed with the court's key."""
    return approval.issue_approval_token(
        case_reference=case_reference,
        account_number=account_number,
        payee=payee,
        amount_fen=amount_fen,
        idempotency_key=idempotency_key,
        expires_at=expires_at,
    )


class NotificationRefused(Exception):
    """A request to the notification endpoint that failed signature, digest, freshness or decryption checks."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class NotificationUnreadable(Exception):
    """A verified request whose body is not a movements notification."""


def verify_notification(request: HttpRequest) -> tuple[str, list[Movement]]:
    """Verify a bank's signed, encrypted notification and read its movements: (partner, movements).

    Raises NotificationRefused for anything that fails verification (the endpoint answers 401) and
    NotificationUnreadable for a verified body that is not a notification (400). Run it inside the
    transaction that books the movements: the nonce is remembered in it."""
    try:
        verified = inbound.verify_inbound_from(request)
    except inbound.InboundRejected as exc:
        raise NotificationRefused(exc.reason, str(exc)) from exc
    try:
        movements = inbound.parse_notification(verified.body)
    except inbound.NotificationInvalid as exc:
        raise NotificationUnreadable(str(exc)) from exc
    return verified.partner, movements


def is_unknown_transfer(exc: Exception) -> bool:
    """The bank says it never received this idempotency key: the instruction did not arrive, sending is safe."""
    return isinstance(exc, UnknownTransfer)
