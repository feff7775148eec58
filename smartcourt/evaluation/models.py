"""Scoring formulas, evaluations of administrator firms, judges' assessments and the firms' responses.

Every row here is written once and never changed: a new formula is a new version, a new computation is a
new evaluation, so a score shown today can always be traced to the formula and the events it came from.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from smartcourt.accounts.models import Organisation
from smartcourt.core.errors import Conflict
from smartcourt.core.models import UUIDModel


class WriteOnce(UUIDModel):
    """A row that is inserted and never updated (the audit event is the record of its creation)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise Conflict(f"a {self._meta.verbose_name} is never changed")
        super().save(*args, **kwargs)


class Formula(WriteOnce):
    """One published version of a court's scoring formula.

    score = max(0, 100 − Σ weight[measure] × value[measure] ÷ n), where n is the number of the firm's cases at
    the court when ``per_case`` (so a firm with many cases is not marked down for having many) and 1 otherwise;
    the grade suggested is the first grade whose threshold the score reaches.
    """

    court = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", help_text="The court.")
    version = models.PositiveIntegerField(help_text="1, 2, 3, … per court; a published version never changes.")
    weights = models.JSONField(help_text="Points deducted per unit, by measure: {measure: decimal string}.")
    per_case = models.BooleanField(
        default=True, help_text="Deductions are averaged over the firm's cases (True) or summed (False)."
    )
    answer_within_hours = models.PositiveIntegerField(help_text="A creditor's question is due an answer within this.")
    grade_thresholds = models.JSONField(
        help_text="Lowest score for each grade, best grade first: [[grade, decimal string], …]."
    )
    explanation = models.TextField(help_text="Why the weights are what they are, for the firms to read.")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["court", "version"], name="evaluation_formula_version_once")]
        ordering = ["court", "-version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class Evaluation(WriteOnce):
    """A firm's score at one court, computed once under one formula version.

    ``measures`` holds each measure's value and the audit event numbers behind it; ``cases`` the same per
    case. Recomputing makes a new row."""

    court = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    firm = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="evaluations")
    formula = models.ForeignKey(Formula, on_delete=models.PROTECT, related_name="evaluations")
    score = models.DecimalField(max_digits=5, decimal_places=2, help_text="0.00 to 100.00.")
    suggested_grade = models.CharField(max_length=16, help_text="Grade the formula's thresholds give the score.")
    measures = models.JSONField(help_text="{measure: {value, deduction, events: [audit seq, …]}}.")
    cases = models.JSONField(help_text="[{case_id, number, measures: {measure: {value, events}}}] per case.")
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-computed_at"]
        indexes = [models.Index(fields=["court", "firm", "-computed_at"])]

    def __str__(self) -> str:
        return f"{self.firm_id} {self.score}"

    @property
    def suggested_grade_label(self) -> str:
        from smartcourt.administrators.choices import Grade

        return str(Grade(self.suggested_grade).label) if self.suggested_grade in Grade.values else self.suggested_grade


class Assessment(WriteOnce):
    """A judge's reasoned assessment of an evaluation (法官评价)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="assessments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(help_text="The judge's reasons.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]


class FirmResponse(WriteOnce):
    """The evaluated firm's response to its evaluation (管理人申辩/说明)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]
