"""Password and session authentication that knows the zone (issue 18, ADR 0012)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from smartcourt.accounts.models import User
from smartcourt.accounts.zones import may_sign_in_here


class ZoneModelBackend(ModelBackend):
    """Django's model backend, refusing users whose role belongs to the other zone.

    ``user_can_authenticate`` is asked both at sign-in and for every request's session (``get_user``), so a
    session carried over from the other zone signs nobody in here."""

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return not isinstance(user, User) or may_sign_in_here(user)
