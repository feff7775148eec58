"""Error codes of litigation fees and the payment service: the ``code`` of their answers (the values are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class FeeError(ErrorCode):
    UNAVAILABLE = "unavailable"
