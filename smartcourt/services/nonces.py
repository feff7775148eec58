"""A NonceStore on the database: the unique constraint on (keyid, nonce) makes check-and-remember atomic
across processes (two deliveries of one signed request: exactly one insert succeeds). Used for every signed
request the platform receives: the bank's and the payment service's notifications, the app channel's requests."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from partnerproto.signatures import MALFORMED, MAX_AGE_SECONDS, MAX_FUTURE_SKEW_SECONDS, SignatureError
from smartcourt.services.models import SeenNonce

WINDOW = dt.timedelta(seconds=MAX_AGE_SECONDS + MAX_FUTURE_SKEW_SECONDS)
KEYID_MAX = SeenNonce._meta.get_field("keyid").max_length or 0
NONCE_MAX = SeenNonce._meta.get_field("nonce").max_length or 0
PRUNE_ONE_IN = 200  # prune on about one call in this many, so the table stays small without a scheduled job


class DatabaseNonceStore:
    def remember(self, keyid: str, nonce: str, created: int) -> bool:
        # Cutting an over-long key id or nonce to fit would make distinct nonces collide: refuse them instead.
        if len(keyid) > KEYID_MAX or len(nonce) > NONCE_MAX:
            raise SignatureError(MALFORMED, f"key id or nonce longer than {KEYID_MAX} / {NONCE_MAX} characters")
        if secrets.randbelow(PRUNE_ONE_IN) == 0:
            prune_nonces()
        try:
            with transaction.atomic():  # a savepoint: the failed insert does not spoil the caller's transaction
                SeenNonce.objects.create(keyid=keyid, nonce=nonce, created=created)
        except IntegrityError:
            return False
        return True


def prune_nonces() -> int:
    """Forget nonces older than the replay window (a request that old is refused for its age)."""
    deleted, _ = SeenNonce.objects.filter(seen_at__lt=timezone.now() - WINDOW - dt.timedelta(seconds=60)).delete()
    return deleted
