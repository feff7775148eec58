"""Idempotency-Key claims for API requests that must not run twice (a payment, a filing fee).

The key is claimed before the request is handled, in its own committed transaction, so that a second request
with the same key while the first is in flight is told so (409) instead of waiting or running twice. After the
request the key is marked done (a retry gets the first answer, which the domain keeps) or released (the
request failed with nothing to keep, and the client may try again). Bookkeeping of the API, not of a case: the
request it guards records its own audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.core.errors import Conflict, DomainError
from smartcourt.services.errors import ServiceError
from smartcourt.services.models import ClientKey

# A claim older than this is taken to be abandoned (a worker that died mid-request) and may be taken over.
CLIENT_KEY_LEASE = dt.timedelta(minutes=2)
MAX_KEY = ClientKey._meta.get_field("key").max_length or 100


def body_digest(data: dict[str, Any]) -> str:
    """A stable digest of a request body, to tell a retry (same body) from a reuse of a key (other body)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def claim_client_key(*, actor: AbstractBaseUser, key: str, body_sha256: str) -> bool:
    """Claim an Idempotency-Key before handling the request it came with, in its own committed transaction.
    Returns True if the request should be handled (new key, or its first request finished: the handler then
    answers with the first result); raises Conflict (409) while the first request with the key is still in
    flight, DomainError (422) if the key came with another body."""
    key = key.strip()
    if not key:
        return True
    if len(key) > MAX_KEY:
        raise DomainError(_("An Idempotency-Key is at most 100 characters"), field="Idempotency-Key")
    now = timezone.now()
    with transaction.atomic():
        claimed, created = ClientKey.objects.select_for_update().get_or_create(
            user_id=actor.pk, key=key, defaults={"body_sha256": body_sha256, "claimed_at": now}
        )
        if created:
            return True
        if claimed.body_sha256 != body_sha256:
            raise DomainError(
                _("This Idempotency-Key was used with a different request"),
                code=ServiceError.IDEMPOTENCY_KEY_REUSED,
                field="Idempotency-Key",
            )
        if not claimed.done and now - claimed.claimed_at < CLIENT_KEY_LEASE:
            raise Conflict(
                _("A request with this Idempotency-Key is still being handled; try again shortly"),
                code=ServiceError.IDEMPOTENCY_KEY_IN_FLIGHT,
                field="Idempotency-Key",
            )
        if not claimed.done:
            ClientKey.objects.filter(pk=claimed.pk).update(claimed_at=now)
    return True


def release_client_key(*, actor: AbstractBaseUser, key: str, done: bool) -> None:
    """After the request: mark the key done (later requests get the first answer), or, if the request failed
    without an answer to keep, release it so that the client may try again."""
    key = key.strip()
    if not key:
        return
    if done:
        ClientKey.objects.filter(user_id=actor.pk, key=key).update(done=True)
    else:
        ClientKey.objects.filter(user_id=actor.pk, key=key, done=False).delete()
