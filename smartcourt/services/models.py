"""The platform services' records: phone-number challenges and claimed Idempotency-Keys.

Both tables moved here from the apps that first needed them (claims, funds) with their rows: the migrations
rename the tables and hand the models over without copying data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smartcourt.core.models import TimestampedModel, UUIDModel


class PhoneChallenge(TimestampedModel):
    """A 6-digit code sent by SMS to confirm a phone number. Only its keyed hash is stored; it expires after
    10 minutes and allows 5 attempts."""

    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True, help_text="When a registration consumed it.")


class ClientKey(UUIDModel):
    """An Idempotency-Key a client sent with an API request that must not run twice, claimed before the request
    is handled and committed at once, so that a second request with the same key while the first is still
    being handled is told so (409) instead of waiting or running twice."""

    # The user model by its setting, not by import: the services sit below accounts.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=100)
    body_sha256 = models.CharField(max_length=64)
    done = models.BooleanField(default=False, help_text="False while the first request is being handled.")
    claimed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="services_client_key_claimed_once")]


class SeenNonce(models.Model):
    """One (key id, nonce) pair that arrived in a verified signature. The unique constraint is the
    check-and-remember: a second insert of the same pair fails, in every process and on every database.
    Rows older than the replay window are pruned: a request that old is refused for its age anyway."""

    keyid = models.CharField(max_length=100)
    nonce = models.CharField(max_length=200)
    created = models.BigIntegerField(help_text="the signature's created parameter (Unix seconds)")
    seen_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["keyid", "nonce"], name="services_seen_nonce_unique")]

    def __str__(self) -> str:
        return f"{self.keyid}:{self.nonce}"
