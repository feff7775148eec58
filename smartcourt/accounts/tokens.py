"""API tokens for integrations: ``sc_<prefix>_<secret>``. Only the SHA-256 of the secret is stored;
the whole token is shown once, when it is issued."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from smartcourt.accounts.models import ApiToken, User
from smartcourt.accounts.zones import may_sign_in_here
from smartcourt.audit.actions import record_event
from smartcourt.core.errors import DomainError
from smartcourt.core.lookups import get_or_not_found

TOKEN_PREFIX = "sc"  # noqa: S105 - the public marker of our tokens, not a secret
_PREFIX_PATTERN = re.compile(r"^[0-9a-f]{12}$")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


NAME_MAX_LENGTH = 100


@transaction.atomic
def issue_api_token(
    *, actor: User, user: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the record and the token text, which is never stored."""
    name = name.strip() or "API"
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(f"A token name has at most {NAME_MAX_LENGTH} characters", field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError("The expiry must be in the future", field="expires_at")
    if not user.is_active:
        raise DomainError("An inactive user cannot be given a token", field="user")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, secret_hash=_digest(secret), expires_at=expires_at
    )
    record_event(
        actor=actor,
        action="accounts.api_token_issued",
        obj=token,
        after={"user": str(user.pk), "name": token.name, "prefix": prefix, "expires_at": expires_at},
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def revoke_api_token(*, actor: User, token_id: str | uuid.UUID) -> ApiToken:
    """Revoke one of the actor's own tokens. Anyone else's token, or no token at all, is NotFound: the two
    look the same. Revoking a revoked token changes nothing."""
    token = get_or_not_found(ApiToken.objects.select_for_update(), "No such token", pk=token_id, user=actor)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        record_event(
            actor=actor,
            action="accounts.api_token_revoked",
            obj=token,
            after={"prefix": token.prefix, "name": token.name},
        )
    return token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (secrets are never readable, only the public prefix)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def authenticate_token(raw: str) -> User | None:
    """The active user a token belongs to, or None for anything malformed, unknown, expired or revoked."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    _, prefix, secret = parts
    # Checked before the query: arbitrary bytes (a NUL, say) in a lookup make PostgreSQL raise, not miss.
    if not _PREFIX_PATTERN.match(prefix) or not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _digest(secret)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    # A token of a role the zone does not serve opens nothing here, as a session would not (ADR 0012).
    if not token.user.is_active or not may_sign_in_here(token.user):
        return None
    # Throttled to one write a minute per token, so reads stay reads.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
