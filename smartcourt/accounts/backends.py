"""Password and session authentication that knows the zone (issue 18, ADR 0012)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from smartcourt.accounts.choices import COURT_ROLES
from smartcourt.accounts.models import User
from smartcourt.accounts.zones import may_sign_in_here

# The path sessions record for users signed in by the platform itself (registration, single sign-on): the one
# backend in AUTHENTICATION_BACKENDS, so a session's user is looked up with the zone's rule.
BACKEND_PATH = "smartcourt.accounts.backends.ZoneModelBackend"


class ZoneModelBackend(ModelBackend):
    """Django's model backend, refusing users whose role belongs to the other zone.

    ``user_can_authenticate`` is asked both at sign-in and for every request's session (``get_user``), so a
    session carried over from the other zone signs nobody in here."""

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return not isinstance(user, User) or may_sign_in_here(user)

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        # Production may leave court staff only the court's own sign-in (法综, single sign-on); the session that
        # sign-in opens is still this backend's (get_user is not affected).
        if isinstance(user, User) and user.role in COURT_ROLES and not settings.STAFF_PASSWORD_SIGN_IN:
            return None
        return user if isinstance(user, User) else None
