"""A NonceStore on the database: the unique constraint on (keyid, nonce) makes check-and-remember atomic
across processes (two deliveries of one signed request: exactly one insert succeeds)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from partnerproto.signatures import MAX_AGE_SECONDS, MAX_FUTURE_SKEW_SECONDS
from smartcourt.banking.models import SeenNonce

WINDOW = dt.timedelta(seconds=MAX_AGE_SECONDS + MAX_FUTURE_SKEW_SECONDS)
PRUNE_ONE_IN = 200  # prune on about one call in this many, so the table stays small without a scheduled job


class DatabaseNonceStore:
    def remember(self, keyid: str, nonce: str, created: int) -> bool:
        if secrets.randbelow(PRUNE_ONE_IN) == 0:
            prune_nonces()
        try:
            with transaction.atomic():  # a savepoint: the failed insert does not spoil the caller's transaction
                SeenNonce.objects.create(keyid=keyid[:100], nonce=nonce[:200], created=created)
        except IntegrityError:
            return False
        return True


def prune_nonces() -> int:
    """Forget nonces older than the replay window (a request that old is refused for its age)."""
    deleted, _ = SeenNonce.objects.filter(seen_at__lt=timezone.now() - WINDOW - dt.timedelta(seconds=60)).delete()
    return deleted
