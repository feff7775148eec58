"""How the JSON API knows who is asking: an API token (``Authorization: Bearer sc_…``) or the browser session.

The token is tried first: a token is not an ambient credential, so a request that carries one needs no CSRF
check. Session requests keep ninja's CSRF check for unsafe methods."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from smartcourt.accounts.models import User
from smartcourt.accounts.tokens import authenticate_token
from smartcourt.accounts.twofactor import owes_second_factor


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a token issued by ``issue_api_token``."""

    openapi_bearerFormat = "sc_<prefix>_<secret>"

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = authenticate_token(token)
        if user is not None:
            # Code below the API reads request.user whichever way the caller signed in.
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser session, once the second factor (when required) has been given.

    This refuses a half-signed-in session by itself rather than relying on the two-factor middleware, so the
    API stays closed even if the middleware is reordered or removed."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        if owes_second_factor(request):
            return None
        return user


def api_auth() -> list[Any]:
    """The default authentication of every API endpoint, in the order it is tried."""
    return [TokenAuth(), SessionAuth()]
