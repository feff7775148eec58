"""Login throttling: how many sign-in failures a username or an address has had recently, and whether
sign-in is locked for it. Reads only; failures are written by ``actions.record_failed_login``.

A lock is a sliding window: sign-in is refused while LOGIN_THROTTLE_LIMIT or more failures from the same
address, or for the same username from the same address, fall inside the last LOGIN_THROTTLE_WINDOW_SECONDS
(django-axes' ``[ip_address, [username, ip_address]]``). The first LOGIN_THROTTLE_LIMIT attempts are checked;
the attempt after that is refused without looking at the password, until enough failures have aged out.

A username alone is never locked: five wrong passwords for ``judge`` from anywhere would otherwise lock the
real judge out (issue 15.5). Failures for a username from many addresses slow its sign-in down instead
(``slowdown_seconds``), which never refuses the right password and second factor, and the user is told at
sign-in that his account is being attacked (``failures_elsewhere``)."""

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
    """Seconds until sign-in is allowed again from this address (for this username); 0 when not locked."""
    now = now or timezone.now()
    limit = settings.LOGIN_THROTTLE_LIMIT
    recent = LoginAttempt.objects.filter(attempted_at__gt=_window_start(now)).order_by("-attempted_at")
    pair = recent.filter(username=normalise_username(username))
    if ip_address is None:
        # No address to tell the guesser from the user: the username is all there is to count.
        return _seconds_left(list(pair.values_list("attempted_at", flat=True)[:limit]), now)
    by_pair = list(pair.filter(ip_address=ip_address).values_list("attempted_at", flat=True)[:limit])
    by_address = list(recent.filter(ip_address=ip_address).values_list("attempted_at", flat=True)[:limit])
    return max(_seconds_left(by_pair, now), _seconds_left(by_address, now))


def failures_elsewhere(*, username: str, ip_address: str | None, now: dt.datetime | None = None) -> int:
    """Recent failures for this username from addresses other than this one: the attack the user is told of."""
    now = now or timezone.now()
    recent = LoginAttempt.objects.filter(attempted_at__gt=_window_start(now), username=normalise_username(username))
    if ip_address is not None:
        recent = recent.exclude(ip_address=ip_address)
    return recent.count()


def slowdown_seconds(*, username: str, ip_address: str | None, now: dt.datetime | None = None) -> int:
    """How long to wait before checking a password for a username under attack from many addresses: one second
    per LOGIN_THROTTLE_LIMIT failures elsewhere, at most LOGIN_SLOWDOWN_MAX_SECONDS. Never a refusal."""
    failures = failures_elsewhere(username=username, ip_address=ip_address, now=now)
    return min(failures // settings.LOGIN_THROTTLE_LIMIT, settings.LOGIN_SLOWDOWN_MAX_SECONDS)


def lockout_minutes(seconds: int) -> int:
    """Whole minutes to show for a lock, rounded up so that "try again in N minutes" is never too early."""
    return max(1, math.ceil(seconds / 60)) if seconds > 0 else 0
