"""Error codes of claims: declaration, review, objections, the claims table and the creditor lists (the values
are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class ClaimError(ErrorCode):
    NO_FIRM = "no_firm"
