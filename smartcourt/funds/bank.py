"""The one place fund supervision reaches a bank: the adapter of the account's bank partner and the court's
approval token. Tests replace ``adapter_for`` with a fake or point the settings at the sandbox bank."""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any

from django.http import HttpRequest

from smartcourt.banking.adapter import BankAdapter, Movement, Payee


def adapter_for(bank_partner: str) -> BankAdapter:
    """The adapter of ``bank_partner`` (smartcourt.banking.client, configured from the environment)."""
    client: Any = importlib.import_module("smartcourt.banking.client")
    adapter: BankAdapter = client.get_bank_adapter(bank_partner)
    return adapter


def approval_token(
    *,
    case_reference: str,
    account_number: str,
    payee: Payee,
    amount_fen: int,
    idempotency_key: str,
    expires_at: datetime,
) -> str:
    """The court approval token the bank verifies before paying over a limit (smartcourt.banking.approval)."""
    approval: Any = importlib.import_module("smartcourt.banking.approval")
    token: str = approval.issue_approval_token(
        case_reference=case_reference,
        account_number=account_number,
        payee=payee,
        amount_fen=amount_fen,
        idempotency_key=idempotency_key,
        expires_at=expires_at,
    )
    return token


def verify_notification(request: HttpRequest) -> tuple[str, list[Movement]]:
    """Verify a bank's signed, encrypted notification and read its movements: (partner, movements).

    Raises NotificationRefused for anything that fails verification (the endpoint answers 401) and
    NotificationUnreadable for a verified body that is not a notification (400)."""
    inbound: Any = importlib.import_module("smartcourt.banking.inbound")
    try:
        verified = inbound.verify_inbound_from(request)
    except inbound.InboundRejected as exc:
        raise NotificationRefused(str(getattr(exc, "reason", "")), str(exc)) from exc
    try:
        movements: list[Movement] = inbound.parse_notification(verified.body)
    except inbound.NotificationInvalid as exc:
        raise NotificationUnreadable(str(exc)) from exc
    return str(verified.partner), movements


class NotificationRefused(Exception):
    """A request to the notification endpoint that failed signature, digest, freshness or decryption checks."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class NotificationUnreadable(Exception):
    """A verified request whose body is not a movements notification."""


def is_unknown_transfer(exc: Exception) -> bool:
    """The bank says it never received this idempotency key (adapter ``UnknownTransfer``): safe to send."""
    adapter_module: Any = importlib.import_module("smartcourt.banking.adapter")
    unknown = getattr(adapter_module, "UnknownTransfer", None)
    return unknown is not None and isinstance(exc, unknown)
