"""Rate limits on the internet zone (issue 18): at most RATE_LIMIT_PER_ADDRESS requests a minute from one
address and RATE_LIMIT_PER_USER from one signed-in user, counted in the shared cache (Redis in production, so
every web process counts together). Beyond them the answer is 429 with Retry-After, in the API's error shape
or the site's error page, and the request is not handled.

Fixed one-minute windows: simple, and a burst at a window's edge can at most double the rate for a moment,
which is what a limit meant to stop floods (not to meter use) can allow."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from smartcourt.accounts.errors import AccountError
from smartcourt.accounts.throttle import client_ip
from smartcourt.core.error_pages import too_many_requests

WINDOW_SECONDS = 60


def _count(key: str) -> int:
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this is the window's first request
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        return 1


def over_limit(request: HttpRequest, now: float | None = None) -> int:
    """Seconds until the window ends when this request is one too many, else 0. Counts the request."""
    moment = time.time() if now is None else now
    window = int(moment // WINDOW_SECONDS)
    retry_after = WINDOW_SECONDS - int(moment % WINDOW_SECONDS)
    address = client_ip(request) or "unknown"
    if _count(f"rl:addr:{address}:{window}") > settings.RATE_LIMIT_PER_ADDRESS:
        return retry_after
    user = getattr(request, "user", None)
    if (
        user is not None
        and user.is_authenticated
        and _count(f"rl:user:{user.pk}:{window}") > settings.RATE_LIMIT_PER_USER
    ):
        return retry_after
    return 0


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.RATE_LIMITS:
            return self.get_response(request)
        retry_after = over_limit(request)
        if not retry_after:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _("Too many requests: wait a moment and try again")
            response: HttpResponse = JsonResponse(
                {"error": {"code": AccountError.TOO_MANY_REQUESTS, "message": message, "field": None}},
                status=429,
                json_dumps_params={"ensure_ascii": False},
            )
        else:
            response = too_many_requests(request)
        response["Retry-After"] = str(retry_after)
        return response
