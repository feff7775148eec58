"""Error codes of fund supervision: the supervised account, payment requests and the bank: the ``code`` of their
answers (the values are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class FundsError(ErrorCode):
    ACCOUNT_EXISTS = "account_exists"
    ALREADY_DECIDED = "already_decided"
    BAD_TRANSITION = "bad_transition"
    BANK_MISMATCH = "bank_mismatch"
    BANK_REFUSED = "bank_refused"
    BANK_UNAVAILABLE = "bank_unavailable"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    NO_ACCOUNT = "no_account"
    NOT_EDITABLE = "not_editable"
    NOT_REVIEWED = "not_reviewed"
    STALE = "stale"
