"""Error codes of the bankruptcy engine: nodes, applications and consolidation: the ``code`` of their answers
(the values are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class BankruptcyError(ErrorCode):
    ALREADY_CONSOLIDATED = "already_consolidated"
    DEBTORS_NOT_DEREGISTERED = "debtors_not_deregistered"
    DUPLICATE_APPLICATION = "duplicate_application"
    MISSING_OUTPUTS = "missing_outputs"
    PLAN_STRUCTURE_MISSING = "plan_structure_missing"
    SERVED_ALREADY = "served_already"
    DECIDED_ALREADY = "decided_already"
