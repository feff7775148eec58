"""The electronic dossier (电子卷宗): every case's numbered, immutable file of what was filed in it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict
from smartcourt.core.models import UUIDModel
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.errors import DossierError


class EntryImmutable(Conflict):
    """A filed entry is never changed or removed; a mistake is put right by a correction entry."""

    code = DossierError.IMMUTABLE


def _refuse(what: str) -> EntryImmutable:
    return EntryImmutable(f"dossier entries are immutable: {what} refused; file a correction instead")


class DossierEntryQuerySet(models.QuerySet["DossierEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise _refuse("update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise _refuse("delete")


class DossierCounter(models.Model):
    """The last entry number issued for a case. Its row is locked while a number is taken (gap-free)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, primary_key=True, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.case_id}: {self.last_number}"


def entry_file_path(entry: DossierEntry, filename: str) -> str:
    return f"dossier/{entry.case_id}/{entry.number}-{filename}"


class DossierEntry(UUIDModel):
    """One filed item. Written once; the model, its queryset and database triggers refuse changes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="dossier_entries")
    number = models.PositiveIntegerField(help_text="Position in the case's dossier: 1, 2, 3, … without gaps.")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    title = models.CharField(max_length=200, help_text="Catalogue title, e.g. 关于处置债务人财产的请示.")
    note = models.CharField(max_length=500, blank=True)
    filed_at = models.DateTimeField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=entry_file_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=200, blank=True, help_text="The file's name as it was given.")
    file_sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes; 0 for an entry without a file.")
    source_type = models.CharField(max_length=100, blank=True, help_text="Model label of what it came from.")
    source_id = models.CharField(max_length=64, blank=True, help_text="Primary key of what it came from.")
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text="For a correction: the entry it puts right.",
    )

    objects = DossierEntryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="unique_dossier_entry_number"),
            models.CheckConstraint(
                condition=models.Q(kind="correction", corrects__isnull=False)
                | (~models.Q(kind="correction") & models.Q(corrects__isnull=True)),
                name="dossier_correction_points_at_entry",
            ),
        ]
        indexes = [models.Index(fields=["source_type", "source_id"])]
        ordering = ["case", "number"]
        verbose_name_plural = "dossier entries"

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise _refuse("update")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise _refuse("delete")

    @property
    def has_file(self) -> bool:
        return bool(self.file)
