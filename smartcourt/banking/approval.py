"""The court issues approval tokens (docs/adr/0005) with the key configured in its settings.

The token format and its verification are the partner protocol's (``partnerproto.approval``), shared with
the banks; this module only adds the court's key.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from partnerproto.approval import issue_batch_approval, issue_transfer_approval
from smartcourt.banking.partners import court_approval_key


def issue_approval_token(
    *,
    case_reference: str,
    account_number: str,
    payee: Any,
    amount_fen: int,
    idempotency_key: str,
    expires_at: datetime,
) -> str:
    """A transfer approval signed with the court's configured key (``payee``: an adapter ``Payee``)."""
    return issue_transfer_approval(
        court_approval_key(),
        case_reference=case_reference,
        account_number=account_number,
        payee_account=str(payee.account_number),
        amount_fen=amount_fen,
        idempotency_key=idempotency_key,
        issued_at=int(time.time()),
        expires_at=int(expires_at.timestamp()),
    )


def issue_batch_approval_token(
    *,
    case_reference: str,
    account_number: str,
    batch_id: str,
    instructions: Iterable[Any],
    expires_at: datetime,
) -> str:
    """A batch approval signed with the court's key; ``instructions``: adapter ``TransferInstruction``s, in the
    order they will be sent."""
    return issue_batch_approval(
        court_approval_key(),
        case_reference=case_reference,
        account_number=account_number,
        batch_id=batch_id,
        instructions=[(i.idempotency_key, i.payee.account_number, i.amount_fen) for i in instructions],
        issued_at=int(time.time()),
        expires_at=int(expires_at.timestamp()),
    )
