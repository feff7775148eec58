"""Every write of fund supervision: the supervised account and its limits, payment requests through review and
approval to the bank, the bank's answers and movements (the estate ledger), alerts and reconciliation.

Bank calls never run inside a database transaction: an instruction is released to the bank (status
``sent_to_bank``) in one transaction, sent after commit by a task, and the answer is recorded in another
transaction. The bank deduplicates on the idempotency key, so sending again after a crash never pays twice.

The actions live in one module per topic; every public name is re-exported here, so callers import from
``smartcourt.funds.actions`` as before.
"""

from smartcourt.funds.actions._common import MAX_NOTE, raise_alert
from smartcourt.funds.actions.account import LimitsInput, change_limits, open_account
from smartcourt.funds.actions.bank_calls import check_payment, record_transfer_result, send_payment
from smartcourt.funds.actions.movements import (
    STALE_AFTER,
    Difference,
    ExpectedDebitInput,
    book_movement,
    expect_debits,
    reconcile,
    resolve_alert,
    retry_unanswered,
    sync_account,
)
from smartcourt.funds.actions.payments import (
    AMOUNT,
    ATTACHMENT_TYPES,
    MAX_ATTACHMENTS,
    MAX_PAYEE_NAME,
    TOKEN_LIFETIME,
    PaymentDetails,
    decide_payment,
    edit_payment,
    request_payment,
    review_payment,
    withdraw_payment,
)

__all__ = [
    "AMOUNT",
    "ATTACHMENT_TYPES",
    "MAX_ATTACHMENTS",
    "MAX_NOTE",
    "MAX_PAYEE_NAME",
    "STALE_AFTER",
    "TOKEN_LIFETIME",
    "Difference",
    "ExpectedDebitInput",
    "LimitsInput",
    "PaymentDetails",
    "book_movement",
    "change_limits",
    "check_payment",
    "decide_payment",
    "edit_payment",
    "expect_debits",
    "open_account",
    "raise_alert",
    "reconcile",
    "record_transfer_result",
    "request_payment",
    "resolve_alert",
    "retry_unanswered",
    "review_payment",
    "send_payment",
    "sync_account",
    "withdraw_payment",
]
