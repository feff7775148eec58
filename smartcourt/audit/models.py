"""The append-only, hash-chained audit log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One thing that happened. Rows are never updated or deleted: database triggers refuse it.

    ``hash`` is the SHA-256 of the event's canonical form (see ``audit.chain``), which includes
    ``prev_hash``, the hash of the event before it: editing, removing or reordering any row breaks
    the chain from that row on.
    """

    seq = models.BigIntegerField(primary_key=True, help_text="Position in the log: 1, 2, 3, … without gaps.")
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(help_text="When the action was recorded, inside its transaction (server clock).")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="+",
        help_text="Who acted; empty for the system itself (periodic jobs, migrations).",
    )
    actor_label = models.CharField(max_length=200, help_text="The actor's name and role at the time, as shown.")
    action = models.CharField(max_length=100, db_index=True, help_text="What happened, e.g. cases.case_created.")
    case_id = models.UUIDField(null=True, blank=True, db_index=True, help_text="The case concerned, if any.")
    object_type = models.CharField(max_length=100, blank=True, help_text="Model label of the object concerned.")
    object_id = models.CharField(max_length=64, blank=True, help_text="Identity of the object concerned.")
    before = models.JSONField(null=True, blank=True, help_text="State before the action (changed fields).")
    after = models.JSONField(null=True, blank=True, help_text="State after the action (changed fields).")
    prev_hash = models.CharField(max_length=64, help_text="Hash of the previous event; 64 zeros for the first.")
    hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of this event's canonical form.")

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["case_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """The last sequence number and hash: one row, locked by every append so the chain stays linear.

    It also lets verification notice events removed from the end of the log.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"head #{self.last_seq}"
