"""The platform's memory of nonces in signed bank requests (RFC 9421 replay protection for inbound calls)."""

from __future__ import annotations

from django.db import models


class SeenNonce(models.Model):
    """One (key id, nonce) pair that arrived in a verified signature. The unique constraint is the
    check-and-remember: a second insert of the same pair fails, in every process and on every database.
    Rows older than the replay window are pruned: a request that old is refused for its age anyway."""

    keyid = models.CharField(max_length=100)
    nonce = models.CharField(max_length=200)
    created = models.BigIntegerField(help_text="the signature's created parameter (Unix seconds)")
    seen_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["keyid", "nonce"], name="banking_seen_nonce_unique")]

    def __str__(self) -> str:
        return f"{self.keyid}:{self.nonce}"
