"""The app channel's signed requests (issue 18, ADR 0012). On the internet zone, an API request made with a
token must also be signed with one of the token owner's registered app keys (RFC 9421, the partner protocol the
bank uses): method, target URI and body digest covered, at most five minutes old, its nonce never seen before.
A stolen token alone is then not enough, and a captured request cannot be replayed.

Browser pages calling the API with the session are not the app channel: they carry the session cookie and the
page's CSRF token instead."""

from __future__ import annotations

import base64
import secrets
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerproto.signatures import ED25519, SM2_SM3, Message, PublicKey, SignatureError, verify
from smartcourt.accounts.errors import AccountError
from smartcourt.accounts.models import AppKey, User
from smartcourt.audit.actions import record_event
from smartcourt.core.errors import DomainError, NotFound
from smartcourt.core.lengths import check_length
from smartcourt.services.nonces import DatabaseNonceStore


class UnsignedAppRequest(DomainError):
    code = AccountError.BAD_SIGNATURE
    status = 401


def signatures_required() -> bool:
    return bool(settings.APP_CHANNEL_SIGNATURES)


def _target_uri(request: HttpRequest) -> str:
    # Behind a proxy that rewrites the address, SMARTCOURT_PUBLIC_URL names the one the client signed.
    public = str(settings.PUBLIC_URL or "").rstrip("/")
    return f"{public}{request.get_full_path()}" if public else request.build_absolute_uri()


def verify_app_request(request: HttpRequest, user: User) -> str:
    """The key id that signed this request, one of ``user``'s active app keys; raises UnsignedAppRequest."""

    def keys(keyid: str) -> PublicKey | None:
        key = AppKey.objects.filter(user=user, keyid=keyid, revoked_at__isnull=True).first()
        return None if key is None else PublicKey.from_dict({"keyid": key.keyid, "alg": key.alg, "public": key.public})

    headers = {name.lower(): value for name, value in request.headers.items()}
    message = Message(method=request.method or "GET", target_uri=_target_uri(request), headers=headers)
    try:
        verified = verify(message, request.body, keys=keys, nonces=DatabaseNonceStore())
    except SignatureError as exc:
        raise UnsignedAppRequest(
            _("On the internet service, API requests must be signed with one of your registered app keys (%(reason)s)")
            % {"reason": exc.reason}
        ) from exc
    return verified.keyid


# --- Registering and revoking app keys (each an audited action) ---------------------------------------------

PUBLIC_KEY_BYTES = {ED25519: 32, SM2_SM3: 64}


@transaction.atomic
def register_app_key(*, actor: User, name: str, alg: str, public: str) -> AppKey:
    """Register the public half of a key the actor's app signs with; returns it with its new key id."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the key a name, e.g. the app that holds it"), field="name")
    check_length(AppKey, "name", name, label=_("The key's name"))
    if alg not in PUBLIC_KEY_BYTES:
        raise DomainError(_("Choose Ed25519 or SM2"), field="alg")
    try:
        raw = base64.b64decode(public.strip(), validate=True)
    except ValueError as exc:
        raise DomainError(_("The public key is not base64"), field="public") from exc
    if len(raw) != PUBLIC_KEY_BYTES[alg]:
        raise DomainError(
            _("An %(alg)s public key is %(size)d bytes; this one is %(got)d")
            % {"alg": alg, "size": PUBLIC_KEY_BYTES[alg], "got": len(raw)},
            field="public",
        )
    key = AppKey.objects.create(
        user=actor, name=name, keyid=f"app-{secrets.token_hex(8)}", alg=alg, public=base64.b64encode(raw).decode()
    )
    record_event(actor=actor, action="accounts.app_key_registered", obj=key, after={"keyid": key.keyid, "alg": alg})
    return key


@transaction.atomic
def revoke_app_key(*, actor: User, key_id: uuid.UUID) -> AppKey:
    key = AppKey.objects.select_for_update().filter(pk=key_id, user=actor).first()
    if key is None:
        raise NotFound(_("No such app key"))
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        record_event(actor=actor, action="accounts.app_key_revoked", obj=key, after={"keyid": key.keyid})
    return key


def app_keys_of(user: User) -> QuerySet[AppKey]:
    return AppKey.objects.filter(user=user).order_by("-created_at")
