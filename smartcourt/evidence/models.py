"""The transparency log: leaves, the stored subtree hashes, signed checkpoints, witnesses and their
cosignatures and alarms, and evidence deposits (存证). See docs/adr/0004-transparency-log.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smartcourt.core.models import TimestampedModel, UUIDModel
from smartcourt.evidence.choices import AlarmKind


def node_key(level: int, index: int) -> int:
    """The in-order ("flat tree") number of the perfect subtree (level, index).

    Unique over all levels, and it grows with the leaf that completes a subtree, so the rows of a growing log
    are inserted at the right end of the primary-key index.
    """
    return (index << (level + 1)) + (1 << level) - 1


class LogHead(models.Model):
    """The log's size, its right edge and how far it has read the audit log. One row, locked by every append."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0, help_text="Number of leaves.")
    frontier = models.BinaryField(
        default=b"", help_text="Hashes of the perfect subtrees along the right edge, largest first (32 bytes each)."
    )
    audit_seq = models.BigIntegerField(default=0, help_text="The last audit event appended as a leaf.")

    def __str__(self) -> str:
        return f"log head: {self.size} leaves"


class Leaf(models.Model):
    """One entry of the log, in append order. Append-only: database triggers refuse UPDATE and DELETE."""

    index = models.BigIntegerField(primary_key=True, help_text="Position in the log: 0, 1, 2, … without gaps.")
    leaf_hash = models.BinaryField(max_length=32, db_index=True, help_text="SHA-256(0x00 || leaf data).")
    source_type = models.CharField(
        max_length=16,
        help_text="What the leaf stands for: 'audit', 'deposit' (LeafSource) or a kind an app registered in "
        "smartcourt.audit.leaf_sources ('dossier', 'ballot', ...).",
    )
    source_id = models.CharField(
        max_length=64, help_text="Audit event seq, deposit id, or the registered record's id (entry id, commitment)."
    )
    appended_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source_type", "source_id"], name="unique_leaf_source")]

    def __str__(self) -> str:
        return f"leaf {self.index} ({self.source_type} {self.source_id})"


class Node(models.Model):
    """The hash of a complete (perfect) subtree of 2^level leaves, level >= 1, kept as the log grows so that any
    proof is a handful of primary-key look-ups. Append-only."""

    key = models.BigIntegerField(primary_key=True, help_text="node_key(level, index).")
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField(help_text="Covers leaves [index * 2^level, (index + 1) * 2^level).")
    hash = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"node {self.level}/{self.index}"


class Checkpoint(models.Model):
    """A signed tree head in the C2SP checkpoint format. Append-only."""

    tree_size = models.BigIntegerField(db_index=True)
    root_hash = models.BinaryField(max_length=32)
    signed_at = models.DateTimeField(help_text="The time in the checkpoint's timestamp line.")
    text = models.TextField(unique=True, help_text="The note text the court signed.")
    signature = models.TextField(help_text="The court's signature line.")
    key_id = models.CharField(max_length=8, help_text="Key ID (hex) of the log key that signed.")

    class Meta:
        ordering = ["-tree_size", "-id"]

    def __str__(self) -> str:
        return f"checkpoint {self.tree_size}"


class Witness(TimestampedModel):
    """An outside institution that checks each checkpoint against the last it saw and cosigns it."""

    name = models.CharField(max_length=120, unique=True, help_text="Its key name, e.g. witness.notary.example/1.")
    public_key = models.CharField(max_length=300, help_text="Verifier key: name+keyid+base64(0x04 || key).")
    active = models.BooleanField(default=True, help_text="Cosignatures and alarms are accepted from active ones.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cosignature(models.Model):
    """A witness's timestamped cosignature on a checkpoint. Append-only."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures")
    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="cosignatures")
    timestamp = models.BigIntegerField(help_text="When the witness cosigned (POSIX seconds, its clock).")
    line = models.TextField(help_text="The signature line, as appended to the checkpoint.")
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkpoint", "witness"], name="unique_cosignature")]

    def __str__(self) -> str:
        return f"{self.witness_id} on {self.checkpoint_id}"


class Alarm(UUIDModel):
    """A witness's report that the log misbehaved, with what it saw. Append-only."""

    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="alarms")
    kind = models.CharField(max_length=20, choices=AlarmKind.choices)
    message = models.CharField(max_length=1000)
    evidence = models.JSONField(help_text="The checkpoints (signed notes) and proof the witness saw.")
    raised_at = models.DateTimeField(help_text="When the witness raised it (its clock).")
    received_at = models.DateTimeField()
    signature = models.CharField(max_length=100, unique=True, help_text="The witness's signature (base64).")

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.kind} from {self.witness_id}"


class Deposit(UUIDModel):
    """Evidence deposited by a party or a partner platform: its SHA-256 is a leaf of the log. The file itself
    is hashed as it arrives and not kept. Append-only."""

    depositor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64, db_index=True, help_text="SHA-256 (hex) of the evidence.")
    file_name = models.CharField(max_length=200, blank=True, help_text="The file's name, when a file was sent.")
    size = models.BigIntegerField(null=True, blank=True, help_text="Bytes, when a file was sent.")
    title = models.CharField(max_length=200, blank=True, help_text="What the evidence is, in the depositor's words.")
    deposited_at = models.DateTimeField()
    leaf_index = models.BigIntegerField(unique=True, help_text="Its leaf in the log.")

    class Meta:
        ordering = ["-deposited_at"]

    def __str__(self) -> str:
        return f"deposit {self.sha256[:12]}…"
