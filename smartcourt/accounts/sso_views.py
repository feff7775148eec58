"""Single sign-on pages (issue 18, ADR 0012): start at the court's identity provider, come back with a code,
and the provider's back-channel logout. Glue only: the protocol is in ``sso``, the writes in ``actions``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from smartcourt.accounts import actions, sso, throttle, twofactor
from smartcourt.accounts.auth import safe_next_url
from smartcourt.accounts.backends import BACKEND_PATH


def _enabled() -> None:
    if not sso.enabled():
        raise Http404


@require_GET
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    _enabled()
    next_url = safe_next_url(request, request.GET.get("next"))
    callback = request.build_absolute_uri(reverse("accounts:sso_callback"))
    try:
        return redirect(sso.authorization_url(request.session, callback, next_url))
    except sso.SsoError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:login")


@require_GET
@never_cache
def callback(request: HttpRequest) -> HttpResponse:
    _enabled()
    try:
        identity = sso.identity_from_callback(
            request.session, code=request.GET.get("code", ""), state=request.GET.get("state", "")
        )
        user = actions.sign_in_from_provider(identity=identity, ip_address=throttle.client_ip(request))
    except sso.SsoError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:login")
    login(request, user, backend=BACKEND_PATH)  # a new session key: none seen before the sign-in is worth anything
    # The provider authenticated the user with its own factors; our TOTP is not asked again.
    request.session[twofactor.VERIFIED_KEY] = True
    request.session.save()
    actions.remember_provider_session(user=user, identity=identity, session_key=request.session.session_key or "")
    return redirect(safe_next_url(request, identity.next_url))


@csrf_exempt  # a server-to-server POST from the provider, authenticated by its signed logout token
@require_POST
def backchannel_logout(request: HttpRequest) -> HttpResponse:
    _enabled()
    try:
        logout = sso.verified_logout(request.POST.get("logout_token", ""))
    except sso.SsoError:
        return HttpResponse(status=400, headers={"Cache-Control": "no-store"})
    actions.end_provider_sessions(logout=logout)
    return HttpResponse(status=200, headers={"Cache-Control": "no-store"})
