"""Procedures, actors, node states and their transitions, reminder kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Procedure(models.TextChoices):
    # 破产清算 (EBL chapter 10): the 17 nodes N01-N17.
    LIQUIDATION = "liquidation", _("Liquidation")
    # 重整 (EBL chapter 8): R1-R8 alongside N01-N09; converts to a declaration of bankruptcy (N10).
    REORGANISATION = "reorganisation", _("Reorganisation")
    # 和解 (EBL chapter 9): S1-S6; converts to a declaration of bankruptcy (N10).
    SETTLEMENT = "settlement", _("Settlement")
    # 强制清算 (Company Law): a shorter flow run by a court-appointed liquidation group.
    COMPULSORY_LIQUIDATION = "compulsory_liquidation", _("Compulsory liquidation")


class Actor(models.TextChoices):
    """Who acts at a node in law. Who operates the node on the platform is the node's ``operator``."""

    COURT = "court", _("Court")
    ADMINISTRATOR = "administrator", _("Administrator")
    CREDITORS_MEETING = "creditors_meeting", _("Creditors' meeting")
    DEBTOR = "debtor", _("Debtor")


class Operator(models.TextChoices):
    """Who works a node on the platform: court staff of the case, or the appointed administrator (who also
    records what the creditors' meeting and a supervised debtor do)."""

    COURT = "court", _("Court")
    ADMINISTRATOR = "administrator", _("Administrator")


class OutputKind(models.TextChoices):
    # A formal document (ruling, notice, report), filed into the dossier as a file.
    DOCUMENT = "document", _("Document")
    # A value (a date, a name), kept with the node; a date may set one of the proceeding's anchor dates.
    DATA = "data", _("Data")
    # Supporting material (lists, minutes, reports of others), filed into the dossier as a file.
    ATTACHMENT = "attachment", _("Attachment")


class ProceedingStatus(models.TextChoices):
    # Nodes are being worked.
    OPEN = "open", _("Open")
    # A closing node completed (N17, R8, S5, S6, C10): nothing more to do.
    CLOSED = "closed", _("Ended")


class NodeStatus(models.TextChoices):
    # Waiting for its predecessors to complete.
    BLOCKED = "blocked", _("Waiting for earlier nodes")
    # Ready: its predecessors are complete and nobody has started it.
    PENDING = "pending", _("Ready to start")
    # Being worked by its operator.
    IN_PROGRESS = "in_progress", _("In progress")
    # Completed by the administrator; the court must confirm it.
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting the court's confirmation")
    # The court sent it back with reasons; the administrator resumes it.
    RETURNED = "returned", _("Returned by the court")
    # Done.
    COMPLETED = "completed", _("Completed")
    # No longer part of the proceeding: the branch was converted or the proceeding closed.
    CANCELLED = "cancelled", _("Cancelled")


# Every allowed change of a node's status. Anything else is refused with a Conflict.
NODE_TRANSITIONS: dict[str, frozenset[str]] = {
    NodeStatus.BLOCKED: frozenset({NodeStatus.PENDING, NodeStatus.CANCELLED}),
    # pending -> completed is only taken by court records (acceptance, appointment, a conversion ruling).
    NodeStatus.PENDING: frozenset({NodeStatus.IN_PROGRESS, NodeStatus.COMPLETED, NodeStatus.CANCELLED}),
    NodeStatus.IN_PROGRESS: frozenset({NodeStatus.AWAITING_CONFIRMATION, NodeStatus.COMPLETED, NodeStatus.CANCELLED}),
    NodeStatus.AWAITING_CONFIRMATION: frozenset({NodeStatus.COMPLETED, NodeStatus.RETURNED, NodeStatus.CANCELLED}),
    NodeStatus.RETURNED: frozenset({NodeStatus.IN_PROGRESS, NodeStatus.CANCELLED}),
    NodeStatus.COMPLETED: frozenset(),
    NodeStatus.CANCELLED: frozenset(),
}

# Nodes someone can act on now: what the supervision board shows as "current".
OPEN_NODE_STATUSES = frozenset(
    {NodeStatus.PENDING, NodeStatus.IN_PROGRESS, NodeStatus.AWAITING_CONFIRMATION, NodeStatus.RETURNED}
)
# Nodes whose deadline still moves with the proceeding's dates and the holiday table.
UNFINISHED_NODE_STATUSES = OPEN_NODE_STATUSES | {NodeStatus.BLOCKED}


class TransitionAction(models.TextChoices):
    """What caused a transition (kept on the immutable transition row)."""

    OPEN = "open", _("Opened")
    UNBLOCK = "unblock", _("Predecessors completed")
    START = "start", _("Started")
    SUBMIT = "submit", _("Submitted for confirmation")
    COMPLETE = "complete", _("Completed")
    CONFIRM = "confirm", _("Confirmed by the court")
    RETURN = "return", _("Returned by the court")
    RECORD = "record", _("Recorded by the court")
    CONVERT = "convert", _("Procedure converted")
    CLOSE = "close", _("Proceeding closed")


class Colour(models.TextChoices):
    """How a deadline stands today on the supervision board."""

    # No statutory deadline, or its date is not known yet.
    NONE = "none", _("No deadline")
    # More than three working days left.
    GREEN = "green", _("On time")
    # Due within three working days (today included).
    YELLOW = "yellow", _("Due soon")
    # The deadline has passed.
    RED = "red", _("Overdue")


class ReminderKind(models.TextChoices):
    # Raised on each of the last three working days before a deadline.
    DUE_SOON = "due_soon", _("Deadline approaching")
    # Raised on each day after a missed deadline while the node is unfinished.
    OVERDUE = "overdue", _("Deadline missed")


class ReconsiderationOutcome(models.TextChoices):
    """An interested party's application to the court at the next level up to reconsider a ruling to
    consolidate (SPC Minutes 法〔2018〕53号 para. 34)."""

    # Made; the court at the next level up has not decided (the lead court records what it is told).
    PENDING = "pending", _("Pending before the higher court")
    # The higher court kept the ruling.
    UPHELD = "upheld", _("Ruling upheld")
    # The higher court revoked the ruling: the debtors are no longer administered as one.
    REVOKED = "revoked", _("Ruling revoked")


RECONSIDERATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ReconsiderationOutcome.PENDING: frozenset({ReconsiderationOutcome.UPHELD, ReconsiderationOutcome.REVOKED}),
    ReconsiderationOutcome.UPHELD: frozenset(),
    ReconsiderationOutcome.REVOKED: frozenset(),
}


class MemberFate(models.TextChoices):
    """What a consolidated reorganisation or settlement does with each debtor (SPC Minutes 法〔2018〕53号 para. 37:
    in principle they become one enterprise; one the plan or agreement truly needs kept apart is handled under
    the rules on division of enterprises)."""

    # The enterprise the members are merged into; it continues.
    SURVIVOR = "survivor", _("Continues as the merged enterprise")
    # Merged into the survivor and deregistered.
    MERGED = "merged", _("Merged into it and deregistered")
    # Kept as a separate enterprise by the plan or agreement (rules on division of enterprises).
    SEPARATE = "separate", _("Kept separate under the plan")
