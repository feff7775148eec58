"""Export jobs: long work (a dossier export, a claims table, a payment file) that the background worker does while
the requester's page shows its progress; request threads never wait for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smartcourt.cases.models import Case
from smartcourt.core.models import UUIDModel
from smartcourt.exports.choices import ExportKind, ExportStatus


class ExportJob(UUIDModel):
    """One export asked for by one user; only that user downloads it, and only while he may still have it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ExportKind.choices)
    subject_id = models.UUIDField(
        null=True, blank=True, help_text="The record of the case exported, when the kind needs one (a plan)."
    )
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    verify_url = models.CharField(
        max_length=300, blank=True, help_text="The public verify page, printed in a dossier export's receipts."
    )
    progress_done = models.PositiveIntegerField(default=0, help_text="Steps done (entries laid out, receipts).")
    progress_total = models.PositiveIntegerField(default=0, help_text="Steps in all.")
    file = models.FileField(upload_to="exports/%Y/%m/", max_length=300, blank=True)
    file_name = models.CharField(max_length=200, blank=True, help_text="The name the download is offered under.")
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True, help_text="Why it failed, for the requester.")

    class Meta:
        indexes = [models.Index(fields=["requested_by", "case", "-requested_at"])]
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.case_id} {self.status}"

    @property
    def percent_done(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(99, self.progress_done * 100 // self.progress_total)
