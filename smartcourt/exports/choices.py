"""What can be exported (each kind declared in kinds.py), and the states of an export job."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    # The certified PDF: readable pages, the originals embedded unchanged, the court's export certificate.
    DOSSIER_PDF = "dossier_pdf", _("Dossier PDF")
    # The zip: the originals as files, the catalogue, the manifest, the receipts and the signed certificate.
    DOSSIER_ZIP = "dossier_zip", _("Dossier zip")
    # The claims table (债权表) as a workbook: the same rows and masking as the page.
    CLAIMS_TABLE_XLSX = "claims_table_xlsx", _("Claims table (xlsx)")
    # A ruled plan's payment file, prefilled for the administrator to complete and upload back.
    PAYMENT_FILE_XLSX = "payment_file_xlsx", _("Payment file (xlsx)")
    PAYMENT_FILE_CSV = "payment_file_csv", _("Payment file (csv)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")  # waiting for the background worker
    RUNNING = "running", _("Being built")  # the worker is building it (a retry after a crash starts again)
    DONE = "done", _("Ready")  # the file can be downloaded
    FAILED = "failed", _("Failed")  # the worker gave up; the requester asks again


EXPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ExportStatus.QUEUED: frozenset({ExportStatus.RUNNING, ExportStatus.FAILED}),
    ExportStatus.RUNNING: frozenset({ExportStatus.RUNNING, ExportStatus.DONE, ExportStatus.FAILED}),
    ExportStatus.DONE: frozenset(),
    ExportStatus.FAILED: frozenset(),
}
UNFINISHED = (ExportStatus.QUEUED, ExportStatus.RUNNING)
