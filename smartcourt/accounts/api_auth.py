"""How the JSON API knows who is asking: an API token (``Authorization: Bearer sc_…``) or the browser session.

The token is tried first: a token is not an ambient credential, so a request that carries one needs no CSRF
check. Session requests keep ninja's CSRF check for unsafe methods."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from smartcourt.accounts.app_channel import signatures_required, verify_app_request
from smartcourt.accounts.errors import AccountError
from smartcourt.accounts.models import User
from smartcourt.accounts.tokens import authenticate_token
from smartcourt.accounts.twofactor import owes_second_factor
from smartcourt.core.errors import PermissionDenied


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a token issued by ``issue_api_token``."""

    openapi_bearerFormat = "sc_<prefix>_<secret>"

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = authenticate_token(token)
        if user is not None and signatures_required():
            verify_app_request(request, user)  # the internet zone's app channel: a token alone is not enough
        if user is not None:
            # Code below the API reads request.user whichever way the caller signed in.
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser session, once the second factor (when required) has been given.

    This refuses a half-signed-in session by itself rather than relying on the two-factor middleware, so the
    API stays closed even if the middleware is reordered or removed."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a signed-in session there is nothing for a forged request to ride on: the caller is simply
        # not authenticated (401), not refused a CSRF check (403). A session that fails the check is refused
        # in the user's language, in the API's error shape.
        if not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise PermissionDenied(
                _("The request lacks the page's CSRF token: reload the page and try again"),
                code=AccountError.CSRF_FAILED,
            )
        return request.COOKIES.get(self.param_name)

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
