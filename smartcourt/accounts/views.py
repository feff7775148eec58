"""Sign-in, sign-out, the second factor and the API token page. Glue only: the rules are in actions,
throttle and twofactor."""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from smartcourt.accounts import actions, app_channel, sso, throttle, twofactor
from smartcourt.accounts.auth import safe_next_url, second_factor_url
from smartcourt.accounts.forms import AppKeyForm, LoginForm, TokenCreateForm, TotpCodeForm
from smartcourt.accounts.models import User
from smartcourt.accounts.tokens import issue_api_token, revoke_api_token, tokens_of
from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import DomainError
from smartcourt.core.web import form_error
from smartcourt.core.zones import COURT_ONLY, serves

# 429 while locked: the page still explains itself, and scripts get an unambiguous answer.
LOCKED_STATUS = 429


def _lock_message(seconds: int) -> str:
    return _("Too many failed attempts: sign-in is locked. Try again in %(minutes)s min.") % {
        "minutes": throttle.lockout_minutes(seconds)
    }


def _attack_message(failures: int) -> str:
    return _(
        "Your account had %(count)s failed sign-ins from other addresses in the last %(minutes)s minutes: someone "
        "may be guessing your password. If it was not you, change your password and tell the court's "
        "administrator."
    ) % {"count": failures, "minutes": settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60}


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and not twofactor.owes_second_factor(request):
        return redirect(safe_next_url(request, request.GET.get("next")))
    form = LoginForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    status = 200
    lock_message = ""
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        ip_address = throttle.client_ip(request)
        locked_for = throttle.lockout_seconds(username=username, ip_address=ip_address)
        if locked_for:
            # The password is not even checked while locked: a right guess then would still tell the guesser.
            status, lock_message = LOCKED_STATUS, _lock_message(locked_for)
        else:
            # A username guessed from many addresses is slowed down, never locked (the real user still signs in).
            time.sleep(throttle.slowdown_seconds(username=username, ip_address=ip_address))
            attacked = throttle.failures_elsewhere(username=username, ip_address=ip_address)
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if isinstance(user, User):
                if attacked >= settings.LOGIN_THROTTLE_LIMIT:
                    messages.warning(request, _attack_message(attacked))
                next_url = safe_next_url(request, form.cleaned_data["next"])
                pending = twofactor.second_factor_required_for(user)
                login(request, user)
                actions.record_sign_in(actor=user, ip_address=ip_address, second_factor_pending=pending)
                if pending:
                    twofactor.mark_pending(request, next_url=next_url)
                    return redirect(second_factor_url(user))
                return redirect(next_url)
            actions.record_failed_login(username=username, ip_address=ip_address)
            form.add_error(None, _("The username or password is not correct."))
            locked_for = throttle.lockout_seconds(username=username, ip_address=ip_address)
            if locked_for:
                status, lock_message = LOCKED_STATUS, _lock_message(locked_for)
    context = {"form": form, "lock_message": lock_message, "sso_enabled": sso.enabled() and serves(COURT_ONLY)}
    return render(request, "accounts/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        actions.record_sign_out(actor=signed_in_user(request), ip_address=throttle.client_ip(request))
    logout(request)
    return redirect("accounts:login")


def _code_page(
    request: HttpRequest,
    *,
    template: str,
    confirm: bool,
    extra: dict[str, object],
) -> HttpResponse:
    """The shared part of the code page and the set-up page: lock check, code check, finish sign-in."""
    user = signed_in_user(request)
    form = TotpCodeForm(request.POST or None)
    status = 200
    ip_address = throttle.client_ip(request)
    locked_for = throttle.lockout_seconds(username=user.username, ip_address=ip_address)
    if request.method == "POST" and form.is_valid() and not locked_for:
        code = form.cleaned_data["code"]
        if confirm:
            accepted = actions.confirm_totp_enrolment(actor=user, code=code, ip_address=ip_address)
        else:
            accepted = actions.verify_totp(actor=user, code=code, ip_address=ip_address)
        if accepted:
            return redirect(safe_next_url(request, twofactor.mark_verified(request)))
        form.add_error("code", _("That code is not correct or has already been used. Wait for the next one."))
        locked_for = throttle.lockout_seconds(username=user.username, ip_address=ip_address)
    lock_message = _lock_message(locked_for) if locked_for else ""
    if lock_message and request.method == "POST":
        status = LOCKED_STATUS
    context = {"form": form, "lock_message": lock_message, **extra}
    return render(request, template, context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not twofactor.owes_second_factor(request):
        return redirect("home")
    if not twofactor.is_enrolled(user):
        return redirect("accounts:two_factor_setup")
    return _code_page(request, template="accounts/two_factor.html", confirm=False, extra={})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not twofactor.owes_second_factor(request):
        return redirect("home")
    if twofactor.is_enrolled(user):
        return redirect("accounts:two_factor")
    secret = actions.begin_totp_enrolment(actor=user)
    extra: dict[str, object] = {
        "secret": twofactor.grouped_secret(secret),
        "qr_svg": twofactor.qr_svg(twofactor.provisioning_uri(user, secret)),
    }
    return _code_page(request, template="accounts/two_factor_setup.html", confirm=True, extra=extra)


def _tokens_page(
    request: HttpRequest, user: User, *, form: TokenCreateForm, key_form: AppKeyForm, new_token: str, status: int
) -> HttpResponse:
    """The API tokens page: the user's tokens and app keys, with the two forms."""
    context = {
        "form": form,
        "tokens": tokens_of(user),
        "new_token": new_token,
        "now": timezone.now(),
        "key_form": key_form,
        "app_keys": app_channel.app_keys_of(user),
        "signatures_required": app_channel.signatures_required(),
    }
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = TokenCreateForm(request.POST or None)
    new_token = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = issue_api_token(
                actor=user, user=user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except DomainError as exc:
            form.add_error("name" if exc.field == "name" else None, exc.message)
        else:
            # Rendered, not redirected: the full token exists only in this response and is never stored.
            form = TokenCreateForm()
            status = 201
    if request.method == "POST" and not new_token:
        status = 422
    response = _tokens_page(request, user, form=form, key_form=AppKeyForm(), new_token=new_token, status=status)
    # The one response that shows a secret must not be kept by the browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def add_app_key(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = AppKeyForm(request.POST)
    if form.is_valid():
        try:
            key = app_channel.register_app_key(actor=user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("App key %(keyid)s was registered.") % {"keyid": key.keyid})
            return redirect(reverse("accounts:tokens"))
    return _tokens_page(request, user, form=TokenCreateForm(), key_form=form, new_token="", status=422)


@login_required
@require_POST
def revoke_app_key(request: HttpRequest, key_id: uuid.UUID) -> HttpResponse:
    key = app_channel.revoke_app_key(actor=signed_in_user(request), key_id=key_id)
    messages.success(request, _("App key %(keyid)s was revoked.") % {"keyid": key.keyid})
    return redirect(reverse("accounts:tokens"))


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    token = revoke_api_token(actor=signed_in_user(request), token_id=token_id)
    messages.success(request, _("Token %(name)s was revoked.") % {"name": token.name})
    return redirect(reverse("accounts:tokens"))
