"""Login throttling: how many sign-in failures a username or an address has had recently, and whether
sign-in is locked for it. Reads only; failures are written by ``actions.record_failed_login``.

A lock is a sliding window: sign-in is refused while LOGIN_THROTTLE_LIMIT or more failures for the same
username, or from the same address, fall inside the last LOGIN_THROTTLE_WINDOW_SECONDS. The first
LOGIN_THROTTLE_LIMIT attempts are checked; the attempt after that is refused without looking at the
password, until enough of those failures have aged out of the window."""

from __future__ import annotations

import datetime as dt
import ipaddress
import math

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from smartcourt.accounts.models import LoginAttempt

USERNAME_MAX_LENGTH = 150


def normalise_username(username: str) -> str:
    """The key failures are counted under. Case-folded, so that 'Judge' and 'judge' share one budget."""
    return username.strip().casefold()[:USERNAME_MAX_LENGTH]


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from.

    REMOTE_ADDR only: by default the platform is not behind a proxy, and X-Forwarded-For is set by the
    client, so trusting it would let an attacker pick a fresh address for every guess. A deployment behind
    a reverse proxy must have the proxy (or the app server) rewrite REMOTE_ADDR instead.
    """
    raw = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _window_start(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def _seconds_left(failures: list[dt.datetime], now: dt.datetime) -> int:
    """``failures`` newest first. The lock lifts when the LIMIT-th newest failure leaves the window."""
    limit = settings.LOGIN_THROTTLE_LIMIT
    if len(failures) < limit:
        return 0
    unlocks_at = failures[limit - 1] + dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    return max(1, math.ceil((unlocks_at - now).total_seconds()))


def lockout_seconds(*, username: str, ip_address: str | None, now: dt.datetime | None = None) -> int:
    """Seconds until sign-in is allowed again for this username and address; 0 when it is not locked."""
    now = now or timezone.now()
    limit = settings.LOGIN_THROTTLE_LIMIT
    recent = LoginAttempt.objects.filter(attempted_at__gt=_window_start(now)).order_by("-attempted_at")
    by_username = list(
        recent.filter(username=normalise_username(username)).values_list("attempted_at", flat=True)[:limit]
    )
    by_address: list[dt.datetime] = []
    if ip_address:
        by_address = list(recent.filter(ip_address=ip_address).values_list("attempted_at", flat=True)[:limit])
    return max(_seconds_left(by_username, now), _seconds_left(by_address, now))


def lockout_minutes(seconds: int) -> int:
    """Whole minutes to show for a lock, rounded up so that "try again in N minutes" is never too early."""
    return max(1, math.ceil(seconds / 60)) if seconds > 0 else 0
