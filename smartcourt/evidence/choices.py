"""What a leaf of the transparency log stands for, and what a witness can raise an alarm about."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeafSource(models.TextChoices):
    """The log's own leaves. The records that follow an audit event into the log (a filed dossier entry
    "dossier:<entry id>:<file SHA-256 or empty>", a counted ballot "ballot:<commitment>:", ...) are declared by
    their apps in ``smartcourt.audit.leaf_sources``, so ``Leaf.source_type`` takes any registered kind."""

    # An audit event: leaf data "audit:<seq>:<event hash>".
    AUDIT = "audit", _("Audit event")
    # An evidence deposit (存证): leaf data "deposit:<deposit id>:<SHA-256>".
    DEPOSIT = "deposit", _("Evidence deposit")


class AlarmKind(models.TextChoices):
    # The log served a checkpoint with the same size as one seen before but another root.
    SPLIT_VIEW = "split_view", _("Two different checkpoints of the same size")
    # The log's latest checkpoint is smaller than one it published before.
    ROLLBACK = "rollback", _("The log became smaller")
    # A consistency proof from the last checkpoint seen to the new one does not verify.
    INCONSISTENT = "inconsistent", _("The new checkpoint does not extend the last one")
    # A checkpoint carries no valid signature of the court's log key.
    BAD_SIGNATURE = "bad_signature", _("A checkpoint with a bad signature")
