"""The one place fund supervision reaches a bank: the adapter of the account's bank partner and the court's
approval token. Tests replace ``adapter_for`` with a fake or point the settings at the sandbox bank."""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any

from smartcourt.banking.adapter import BankAdapter, Payee


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
