"""Error codes of claims: declaration, review, objections, the claims table and the creditor lists: the ``code`` of
their answers (the values are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class ClaimError(ErrorCode):
    BAD_TRANSITION = "bad_transition"
    CONSOLIDATED_DEBTOR = "consolidated_debtor"
    EMPTY_TABLE = "empty_table"
    IDENTITY_REQUIRED = "identity_required"
    IMPORT_REFUSED = "import_refused"
    NO_EMPLOYEE_LIST = "no_employee_list"
    NO_FIRM = "no_firm"
    NO_PROCEEDING = "no_proceeding"
    NOTHING_TO_CONFIRM = "nothing_to_confirm"
    OBJECTION_OPEN = "objection_open"
    PERIOD_OVER = "period_over"
    POA_UNCHECKED = "poa_unchecked"
    STALE = "stale"
    TABLE_TOO_LARGE = "table_too_large"
    CONSOLIDATION_REVOKED = "consolidation_revoked"
    TAKEN_OVER_ALREADY = "taken_over_already"
    CASE_CLOSED = "case_closed"
    LISTED_TWICE = "listed_twice"
