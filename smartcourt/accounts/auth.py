"""Where a sign-in goes next. Shared by the sign-in views and the two-factor middleware."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from smartcourt.accounts import twofactor
from smartcourt.accounts.models import User


def safe_next_url(request: HttpRequest, candidate: str | None) -> str:
    """``candidate`` if it stays on this site (no open redirect to another host or scheme), else home."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url("home")


def second_factor_url(user: User) -> str:
    """The code page for an enrolled user, the set-up page for everyone else."""
    return reverse("accounts:two_factor" if twofactor.is_enrolled(user) else "accounts:two_factor_setup")
