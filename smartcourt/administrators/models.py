"""The court's administrator roster (管理人名册) and the appointments made from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smartcourt.accounts.models import Organisation
from smartcourt.administrators.choices import AppointmentMethod, Grade
from smartcourt.cases.models import Case
from smartcourt.core.models import TimestampedModel


class RosterEntry(TimestampedModel):
    """A firm on a court's administrator roster, in a grade. Entries are never deleted: a firm that leaves
    the roster is made inactive, so past appointments keep pointing at the entry they came from."""

    court = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="roster_entries", help_text="The court keeping the roster."
    )
    firm = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="roster_listings", help_text="The administrator firm."
    )
    grade = models.CharField(max_length=16, choices=Grade.choices, help_text="Roster grade (一级/二级/三级).")
    active = models.BooleanField(default=True, help_text="Only active entries can be appointed.")
    listed_on = models.DateField(help_text="Date the firm was entered on the roster.")
    position = models.PositiveIntegerField(
        help_text="Listing order on this court's roster (1, 2, 3, …): breaks ties in rotation, orders draws."
    )
    draw_weight = models.PositiveSmallIntegerField(
        default=1,
        help_text="Tickets in a random draw (1 to 10): the court may weight draws by the firms' evaluations.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(draw_weight__gte=1, draw_weight__lte=10), name="roster_draw_weight_range"
            ),
            models.UniqueConstraint(fields=["court", "firm"], name="unique_roster_firm"),
            models.UniqueConstraint(fields=["court", "position"], name="unique_roster_position"),
        ]
        ordering = ["court", "position"]
        verbose_name_plural = "roster entries"

    def __str__(self) -> str:
        return f"{self.firm} ({self.get_grade_display()})"


class Appointment(TimestampedModel):
    """The appointment of an administrator firm to a case, with everything needed to check how it was chosen.

    For a random draw, ``candidates`` is the ordered candidate list as drawn from, ``digest`` is
    HMAC-SHA256(seed, canonical candidate list) and ``drawn_index`` is the digest modulo the number of
    candidates (see ``administrators.draw``). For rotation, ``candidates`` is the rotation order at the time,
    first the firm appointed. Rows are written once and never changed.
    """

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="administrator_appointment", help_text="The case."
    )
    firm = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="appointments", help_text="The firm appointed."
    )
    roster_entry = models.ForeignKey(
        RosterEntry, on_delete=models.PROTECT, related_name="appointments", help_text="The roster entry used."
    )
    method = models.CharField(max_length=16, choices=AppointmentMethod.choices, help_text="How the firm was chosen.")
    grade = models.CharField(
        max_length=16,
        choices=Grade.choices,
        blank=True,
        help_text="Grade the case required (rotation and draw); empty: any grade, or the judge's choice.",
    )
    seed = models.CharField(max_length=200, blank=True, help_text="Random draw: the seed, as given or generated.")
    candidates = models.JSONField(default=list, blank=True, help_text="Ordered candidate list (snapshot).")
    digest = models.CharField(max_length=64, blank=True, help_text="Random draw: HMAC-SHA256 hex of the draw.")
    drawn_index = models.PositiveIntegerField(
        null=True, blank=True, help_text="Index of the appointed firm in the candidate list (0-based)."
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", help_text="The judge who appointed."
    )
    appointed_at = models.DateTimeField(help_text="When the appointment was recorded.")
    appointed_on = models.DateField(help_text="Date of the appointment decision (指定管理人决定书).")

    class Meta:
        ordering = ["-appointed_at"]
        indexes = [models.Index(fields=["firm", "appointed_at"])]

    def __str__(self) -> str:
        return f"{self.case} → {self.firm}"
