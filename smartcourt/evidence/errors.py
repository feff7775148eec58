"""Error codes of the evidence log: the ``code`` of their answers (the values are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class EvidenceError(ErrorCode):
    LOG_DAMAGED = "log_damaged"
