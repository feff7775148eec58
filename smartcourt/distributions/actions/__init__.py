"""Writes of the distributions app: plans, their way through the meeting and the court, payment batches.

Every action takes an explicit ``actor``, runs in one transaction and writes its audit event inside it.
Plan and batch states change by compare-and-set on ``row_version`` and leave an immutable transition row.

The actions live in one module per topic; every public name is re-exported here, so callers import from
``smartcourt.distributions.actions`` as before.
"""

from smartcourt.distributions.actions.batches import (
    PAYMENT_FILE_LIMITS,
    approve_batch,
    build_batch_file,
    refuse_batch,
    submit_batch,
    upload_batch,
)
from smartcourt.distributions.actions.execution import (
    APPROVAL_VALIDITY,
    BANK_BATCH_SIZE,
    apply_notifications,
    apply_status_report,
    file_execution_report,
    mark_batch_sent,
    record_bank_results,
    send_batch,
)
from smartcourt.distributions.actions.plans import (
    CONFIRMED_STATES,
    HELD_STATES,
    MAX_BASIS,
    NATURE_CLASS,
    PlanInput,
    RedistributionPool,
    adopt_meeting_vote,
    available_from_ledger,
    create_plan,
    forfeited_to_redistribute,
    meeting_result_for_plan,
    record_meeting_resolution,
    redistribution_pool,
    rule_on_plan,
    submit_plan,
)
from smartcourt.distributions.actions.unclaimed import (
    RESERVE_YEARS,
    UNCLAIMED_MONTHS,
    forfeit_unclaimed,
    forfeiture_date,
    record_announcement,
    release_unresolved_reserves,
    reserve_release_date,
)

__all__ = [
    "APPROVAL_VALIDITY",
    "BANK_BATCH_SIZE",
    "CONFIRMED_STATES",
    "HELD_STATES",
    "MAX_BASIS",
    "NATURE_CLASS",
    "PAYMENT_FILE_LIMITS",
    "RESERVE_YEARS",
    "UNCLAIMED_MONTHS",
    "PlanInput",
    "RedistributionPool",
    "adopt_meeting_vote",
    "apply_notifications",
    "apply_status_report",
    "approve_batch",
    "available_from_ledger",
    "build_batch_file",
    "create_plan",
    "file_execution_report",
    "forfeit_unclaimed",
    "forfeited_to_redistribute",
    "forfeiture_date",
    "mark_batch_sent",
    "meeting_result_for_plan",
    "record_announcement",
    "record_bank_results",
    "record_meeting_resolution",
    "redistribution_pool",
    "refuse_batch",
    "release_unresolved_reserves",
    "reserve_release_date",
    "rule_on_plan",
    "send_batch",
    "submit_batch",
    "submit_plan",
    "upload_batch",
]
