"""Error codes of distributions: plans, payment batches, their execution and unclaimed shares: the ``code`` of their
answers (the values are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class DistributionError(ErrorCode):
    ACCOUNT_MISMATCH = "account_mismatch"
    ALREADY_ANNOUNCED = "already_announced"
    ALREADY_FILED = "already_filed"
    BAD_TRANSITION = "bad_transition"
    BANK_MISMATCH = "bank_mismatch"
    BATCH_IN_PROGRESS = "batch_in_progress"
    DIFFERS_FROM_PLAN = "differs_from_plan"
    NO_ACCOUNT = "no_account"
    NOT_COMPLETED = "not_completed"
    NOT_SENT = "not_sent"
    PLAN_NOT_RULED = "plan_not_ruled"
    STALE = "stale"
    UNREADABLE = "unreadable"
    UNRECONCILED = "unreconciled"
    VOTE_OPEN = "vote_open"
    VOTE_USED = "vote_used"
