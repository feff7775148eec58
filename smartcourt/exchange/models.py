"""The exchange's records: messages waiting to cross, the packages sent and received, the messages applied, and
the alerts a quarantined package raises (docs/adr/0011-zones-and-gateway.md).

One database may hold both zones' sides (the single-zone demo, the tests): every row names its direction, and a
zone only reads the rows of the directions it sends or receives.
"""

from __future__ import annotations

from django.db import models

from partnerproto.exchange import GENESIS
from smartcourt.core.models import UUIDModel
from smartcourt.exchange.choices import Direction, IncomingState, OutgoingState


class ExchangeHead(models.Model):
    """Per direction: the last package this zone sent and the last it applied. The row is the lock that makes
    sequences gap-free (packing) and applies strictly one after the other (applying)."""

    direction = models.CharField(max_length=20, choices=Direction.choices, primary_key=True)
    sent_sequence = models.BigIntegerField(default=0, help_text="The last package built in this direction.")
    sent_hash = models.CharField(max_length=64, default=GENESIS)
    applied_sequence = models.BigIntegerField(default=0, help_text="The last package applied from this direction.")
    applied_hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"{self.direction} sent {self.sent_sequence} applied {self.applied_sequence}"


class OutgoingPackage(UUIDModel):
    """A package this zone built. Its bytes stay here until the other zone acknowledges it."""

    direction = models.CharField(max_length=20, choices=Direction.choices)
    sequence = models.BigIntegerField()
    package_hash = models.CharField(max_length=64, unique=True)
    previous_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=20, choices=OutgoingState.choices, default=OutgoingState.BUILT)
    content = models.BinaryField(help_text="The package file, rewritten from here if the outbox lost it.")
    message_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(help_text="The package's creation time, as its header states it.")
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True, help_text="When its acknowledgment came back.")
    applied_elsewhere_at = models.DateTimeField(
        null=True, blank=True, help_text="When the other zone applied it, as its acknowledgment states."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["direction", "sequence"], name="exchange_one_package_per_sequence")
        ]


class OutboxMessage(UUIDModel):
    """A message emitted in the same transaction as the domain write it reports; its id is the receiver's
    idempotency key."""

    direction = models.CharField(max_length=20, choices=Direction.choices)
    kind = models.CharField(max_length=64, help_text="app.name, e.g. exchange.ping")
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    package = models.ForeignKey(
        OutgoingPackage, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )

    class Meta:
        indexes = [models.Index(fields=["direction", "package", "created_at"], name="exchange_unsent")]


class OutboxFile(UUIDModel):
    """A file an outbox message carries, stored with it in the domain write's transaction (no file on disk to
    orphan or fsync in the user's request); its bytes are dropped once a package holds them."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(max_length=255, help_text="The name the sender gave it, as the receiver sees it.")
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=100)
    content = models.BinaryField(help_text="Emptied once the message is packed (the package holds the bytes).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "name"], name="exchange_one_file_per_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.size} bytes)"


class IncomingPackage(UUIDModel):
    """One arrival of a package in this zone's inbox, judged once: applied, duplicate or quarantined."""

    direction = models.CharField(max_length=20, choices=Direction.choices)
    sequence = models.BigIntegerField(null=True, blank=True, help_text="Empty when the header was unreadable.")
    package_hash = models.CharField(max_length=64, help_text="Of the header; of the whole file if unreadable.")
    state = models.CharField(max_length=20, choices=IncomingState.choices)
    reason = models.CharField(max_length=40, blank=True, help_text="Why it was quarantined (partnerproto reason).")
    detail = models.TextField(blank=True)
    file_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(null=True, blank=True, help_text="When the sender built it (its header).")
    received_at = models.DateTimeField(auto_now_add=True, help_text="When this zone judged it.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "sequence"],
                condition=models.Q(state="applied"),
                name="exchange_applied_once_per_sequence",
            )
        ]


class AppliedMessage(models.Model):
    """A message applied in this zone: its id is never applied again, whatever package carries it."""

    message_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=64)
    package = models.ForeignKey(IncomingPackage, on_delete=models.PROTECT, related_name="applied_messages")
    applied_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"


class ExchangeAlert(UUIDModel):
    """Something the operators must look at: a quarantined package, an acknowledgment that does not match."""

    direction = models.CharField(max_length=20, choices=Direction.choices)
    reason = models.CharField(max_length=40)
    message = models.TextField()
    package = models.ForeignKey(IncomingPackage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
