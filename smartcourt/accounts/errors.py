"""Error codes of sign-in, second factor, single sign-on and signed app requests: the ``code`` of their
answers (the values are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class AccountError(ErrorCode):
    ALREADY_ENROLLED = "already_enrolled"
    BAD_SIGNATURE = "bad_signature"
    CSRF_FAILED = "csrf_failed"
    NOT_ENROLLED = "not_enrolled"
    NOT_ENROLLING = "not_enrolling"
    SSO_REFUSED = "sso_refused"
    TOO_MANY_REQUESTS = "too_many_requests"  # the rate limits (accounts.ratelimit), before any endpoint
    TWO_FACTOR_REQUIRED = "two_factor_required"  # signed in with a password, the second factor still to come
