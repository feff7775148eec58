"""A bankruptcy or compulsory-liquidation proceeding and the work on its nodes.

The procedure itself (nodes, predecessors, outputs, deadlines) is data in rulepack.py; these tables hold one
case's progress through it. Node records change only through actions.py, by compare-and-set on ``version``,
and every change leaves an immutable ``NodeTransition``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from smartcourt.bankruptcy.choices import (
    MemberFate,
    NodeStatus,
    Procedure,
    ProceedingStatus,
    ReconsiderationOutcome,
    ReminderKind,
    TransitionAction,
)
from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict
from smartcourt.core.models import TimestampedModel, UUIDModel


class Proceeding(TimestampedModel):
    """The procedure a 破 or 强清 case runs, opened by the acceptance ruling."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="proceeding")
    procedure = models.CharField(
        max_length=32, choices=Procedure.choices, help_text="The procedure the case was accepted into."
    )
    branch = models.CharField(
        max_length=32,
        choices=Procedure.choices,
        help_text="The procedure now being followed: a reorganisation or settlement converts to liquidation.",
    )
    opened_on = models.DateField(help_text="Date of the acceptance ruling (受理).")
    status = models.CharField(max_length=16, choices=ProceedingStatus.choices, default=ProceedingStatus.OPEN)
    anchor_dates = models.JSONField(
        default=dict,
        blank=True,
        help_text="Dates deadlines run from, by smartcourt.rules anchor name (accepted_on, announced_on, …): "
        "ISO strings.",
    )
    converted_on = models.DateField(null=True, blank=True, help_text="Date of the conversion ruling, if any.")
    closed_on = models.DateField(null=True, blank=True, help_text="Date the closing node completed.")

    class Meta:
        indexes = [models.Index(fields=["branch", "status"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.branch}"


class NodeRecord(TimestampedModel):
    """One node of a proceeding: its status, who started and completed it, and its deadline."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="nodes")
    node_key = models.CharField(max_length=8, help_text="Node key in the rule pack, e.g. N04.")
    procedure = models.CharField(
        max_length=32, choices=Procedure.choices, help_text="Which procedure of the rule pack defines this node."
    )
    position = models.PositiveSmallIntegerField(help_text="Order of the node on the timeline.")
    status = models.CharField(max_length=24, choices=NodeStatus.choices, default=NodeStatus.BLOCKED)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every change; compare-and-set guard.")
    started_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="When it was sent for confirmation.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who completed it, or the judge who confirmed it.",
    )
    deadline_key = models.CharField(max_length=64, blank=True, help_text="smartcourt.rules deadline key in force.")
    due_on = models.DateField(null=True, blank=True, help_text="Statutory deadline; empty until its anchor is known.")
    due_basis = models.CharField(max_length=500, blank=True, help_text="How the deadline was computed.")
    holiday_data = models.BooleanField(
        null=True, blank=True, help_text="False when a year involved had no published holiday data."
    )
    calendar_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="Holiday table version the deadline was computed with."
    )
    extended = models.BooleanField(default=False, help_text="The court granted the node's extended deadline.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proceeding", "node_key"], name="unique_node_per_proceeding"),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]
        ordering = ["proceeding", "position"]

    def __str__(self) -> str:
        return f"{self.node_key} {self.status}"


class NodeTransition(UUIDModel):
    """An immutable record of one change of a node's status."""

    record = models.ForeignKey(NodeRecord, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=24, choices=NodeStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=NodeStatus.choices)
    action = models.CharField(max_length=16, choices=TransitionAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who caused it; empty when the system did (a predecessor completing).",
    )
    at = models.DateTimeField()
    reason = models.TextField(blank=True, help_text="The court's reasons for a return; a conversion's grounds.")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} -> {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise Conflict("a node transition is never changed")
        super().save(*args, **kwargs)


class NodeOutput(UUIDModel):
    """One output provided for a node: a filed dossier entry (document, attachment) or a value (data).
    Rows are only added: a better version of an output is a new row (the latest counts)."""

    record = models.ForeignKey(NodeRecord, on_delete=models.PROTECT, related_name="outputs")
    output_key = models.CharField(max_length=64)
    dossier_entry = models.ForeignKey(
        "dossier.DossierEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(null=True, blank=True, help_text="The value of a data output: {'value': …}.")
    provided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    provided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(dossier_entry__isnull=False, data__isnull=True)
                | Q(dossier_entry__isnull=True, data__isnull=False),
                name="node_output_is_entry_or_data",
            ),
        ]
        ordering = ["provided_at", "id"]

    def __str__(self) -> str:
        return f"{self.record_id} {self.output_key}"


class Reminder(TimestampedModel):
    """A deadline reminder to the administrator and the judge, raised by the daily job. One per node, day and
    kind: a second run of the job on the same day adds nothing."""

    record = models.ForeignKey(NodeRecord, on_delete=models.PROTECT, related_name="reminders")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    raised_on = models.DateField(help_text="The day the job raised it.")
    due_on = models.DateField(help_text="The deadline it is about, as it stood that day.")
    working_days = models.IntegerField(
        help_text="Working days left until the deadline (0 on the day), or days overdue as a negative number."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "raised_on", "kind"], name="unique_reminder_per_node_day_kind"),
        ]
        indexes = [models.Index(fields=["case", "-raised_on"])]
        ordering = ["-raised_on", "record"]

    def __str__(self) -> str:
        return f"{self.record_id} {self.kind} {self.raised_on}"


class Consolidation(TimestampedModel):
    """Substantive consolidation (关联企业实质合并破产): the court's ruling that several related debtors are
    administered in one proceeding, the lead case's, with one estate and one claims table (SPC Minutes of the
    National Courts' Bankruptcy Trial Work Conference, 法〔2018〕53号, paras. 32-37)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="consolidation")
    ruled_on = models.DateField(help_text="Date of the ruling to consolidate.")
    reasons = models.TextField(help_text="Why the debtors are consolidated, as the ruling gives it.")
    ruled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ruling_entry = models.ForeignKey(
        "dossier.DossierEntry", on_delete=models.PROTECT, related_name="+", help_text="The ruling in the dossier."
    )
    served_on = models.DateField(
        null=True, blank=True, help_text="When the ruling was served on the interested parties (送达)."
    )
    reconsideration_ends_on = models.DateField(
        null=True,
        blank=True,
        help_text="Last day to apply to the court at the next level up for reconsideration: 15 days from service "
        "(SPC Minutes para. 34), moved past rest days.",
    )

    def __str__(self) -> str:
        return f"{self.case_id} consolidation"

    @property
    def revoked(self) -> bool:
        """The court at the next level up revoked the ruling on reconsideration."""
        return self.reconsiderations.filter(outcome=ReconsiderationOutcome.REVOKED).exists()


class ConsolidationReconsideration(TimestampedModel):
    """An interested party's application for reconsideration of the ruling to consolidate, made to the court at
    the next level up (SPC Minutes 法〔2018〕53号 para. 34), and that court's decision, as the lead court records
    them."""

    consolidation = models.ForeignKey(Consolidation, on_delete=models.PROTECT, related_name="reconsiderations")
    applicant = models.CharField(max_length=200, help_text="The interested party who applied.")
    filed_on = models.DateField(help_text="Date of the application.")
    late = models.BooleanField(help_text="Made after the 15 days from service had ended.")
    outcome = models.CharField(
        max_length=10, choices=ReconsiderationOutcome.choices, default=ReconsiderationOutcome.PENDING
    )
    decided_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True, help_text="The higher court's decision number.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["consolidation", "filed_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.applicant} {self.outcome}"


class ConsolidatedDebtor(TimestampedModel):
    """One debtor of a consolidated proceeding (the lead debtor too): its registry record as fetched when the
    court ruled, the bankruptcy case of its own that the consolidation took over, and its deregistration (each
    member is deregistered after a consolidated liquidation ends, Minutes para. 37)."""

    consolidation = models.ForeignKey(Consolidation, on_delete=models.PROTECT, related_name="debtors")
    position = models.PositiveSmallIntegerField(help_text="1 for the lead debtor, then in the ruling's order.")
    name = models.CharField(max_length=200)
    credit_code = models.CharField(max_length=18)
    address = models.CharField(max_length=300, blank=True)
    registration_authority = models.CharField(max_length=200, blank=True)
    registry_entry = models.ForeignKey(
        "dossier.DossierEntry",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The registry record as fetched at the ruling, filed in the lead case's dossier.",
    )
    merged_case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member's own bankruptcy case, administered from now on in the lead case.",
    )
    plan_fate = models.CharField(
        max_length=10,
        choices=MemberFate.choices,
        blank=True,
        help_text="In a consolidated reorganisation or settlement, what the plan does with it (Minutes para. 37).",
    )
    claims_taken_over_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the claims of its own case were moved into the lead case and that case closed.",
    )
    deregistered_on = models.DateField(null=True, blank=True)
    deregistration_entry = models.ForeignKey(
        "dossier.DossierEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consolidation", "credit_code"], name="unique_consolidated_debtor"),
            models.UniqueConstraint(fields=["consolidation", "position"], name="unique_consolidated_position"),
        ]
        ordering = ["consolidation", "position"]

    def __str__(self) -> str:
        return self.name
