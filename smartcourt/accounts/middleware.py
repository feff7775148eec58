"""Keeps a signed-in user who still owes the second factor away from everything but the 2FA pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from smartcourt.accounts import twofactor
from smartcourt.accounts.auth import second_factor_url
from smartcourt.accounts.errors import AccountError
from smartcourt.accounts.models import User

# Reachable while the code is owed (besides the 2FA pages and sign-out, resolved at request time).
_OPEN_PREFIXES = ("/i18n/",)


class TwoFactorMiddleware:
    """Must sit after AuthenticationMiddleware (it reads request.user) and before anything that serves pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if twofactor.owes_second_factor(request) and not self._is_open(request.path_info):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        open_paths = {
            reverse("accounts:two_factor"),
            reverse("accounts:two_factor_setup"),
            reverse("accounts:logout"),
        }
        return path in open_paths or path.startswith((settings.STATIC_URL or "/static/", *_OPEN_PREFIXES))

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            body = {
                "error": {
                    "code": AccountError.TWO_FACTOR_REQUIRED,
                    "message": _("Finish signing in with the code from your authenticator app first."),
                    "field": None,
                }
            }
            return JsonResponse(body, status=401, json_dumps_params={"ensure_ascii": False})
        user = request.user
        assert isinstance(user, User)
        target = second_factor_url(user)
        # An HTMX request would swap the 2FA page into a fragment; make the browser navigate instead.
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(target)
        return HttpResponseRedirect(target)
