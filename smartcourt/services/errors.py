"""Error codes of the platform services (phone verification, Idempotency-Key claims): the ``code`` of their
answers (the values are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class ServiceError(ErrorCode):
    IDEMPOTENCY_KEY_IN_FLIGHT = "idempotency_key_in_flight"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    RATE_LIMITED = "rate_limited"
