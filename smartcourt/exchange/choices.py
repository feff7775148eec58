"""States of exchange packages, each with its transitions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    INTERNET_TO_COURT = "internet->court", _("Internet zone to court zone")
    COURT_TO_INTERNET = "court->internet", _("Court zone to internet zone")


class OutgoingState(models.TextChoices):
    # Built and stored in the database; its file is not yet in the outbox (a crash in between is repaired from
    # the stored bytes by the next pack).
    BUILT = "built", _("Built")
    # Its file is in the outbox, where the gateway reads it.
    SENT = "sent", _("Sent")
    # The other zone said it applied it (an exchange.ack in the other direction); the file is cleared.
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the other zone")


OUTGOING_TRANSITIONS: dict[str, frozenset[str]] = {
    # Acknowledged while still "built": written to the outbox, then the worker died before marking it sent.
    OutgoingState.BUILT: frozenset({OutgoingState.SENT, OutgoingState.ACKNOWLEDGED}),
    OutgoingState.SENT: frozenset({OutgoingState.ACKNOWLEDGED}),
    OutgoingState.ACKNOWLEDGED: frozenset(),
}


class IncomingState(models.TextChoices):
    """An incoming package's row is written once, in its final state: an arrival is judged when it is read."""

    # Verified and applied, every message once, in one transaction.
    APPLIED = "applied", _("Applied")
    # A sequence already applied, with the same hash (a resend, a replay): ignored.
    DUPLICATE = "duplicate", _("Duplicate, ignored")
    # Failed verification (tampered, unsigned, truncated, a forked chain, an unknown kind): nothing applied.
    QUARANTINED = "quarantined", _("Quarantined")
