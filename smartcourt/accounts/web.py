"""The signed-in user of a request, typed.

Django types ``request.user`` as ``User | AnonymousUser`` (and ninja's ``request.auth`` as ``Any``), so every
view used to cast it. A view behind ``login_required`` or an API endpoint behind the default authentication
asks ``signed_in_user(request)`` instead: it returns the ``User``, and an anonymous request reaching it is a
wiring mistake that fails loudly rather than passing an ``AnonymousUser`` into actions.
"""

from __future__ import annotations

from django.http import HttpRequest

from smartcourt.accounts.models import User

__all__ = ["NotSignedIn", "signed_in_user"]


class NotSignedIn(RuntimeError):
    """A view that needs a user was reached without one: it lacks ``login_required`` or API authentication."""


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in, active user making ``request`` (the browser session or, on the API, the token's user:
    accounts.api_auth sets ``request.user`` either way)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        raise NotSignedIn(f"{request.path} needs a signed-in user")
    return user
