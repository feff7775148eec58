"""Long-term validation of sealed documents (court records are kept for decades).

- A revoked seal is reported to the platform CA's certificate status service (OCSP and CRL, sandbox/ocsp in the
  demo), so that whoever validates a signature later learns of it from the CA, not only from this platform.
- Archive timestamps (PAdES B-LTA) are renewed by a periodic job: the newest timestamp's validation data is
  added to the document security store and a new document timestamp covers everything, before the timestamp
  authority's certificate expires or its algorithms weaken. The signed PDF as filed stays as it is (its SHA-256
  is in the dossier and the transparency log); the renewed copy is kept beside it as ``archive_pdf``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import urllib.request
import uuid

from cryptography import x509
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from smartcourt.audit.actions import record_event
from smartcourt.documents import pades
from smartcourt.documents.choices import DocumentStatus
from smartcourt.documents.models import Document, Seal

logger = logging.getLogger("smartcourt.documents")

RENEWALS_PER_RUN = 200


class StatusServiceError(RuntimeError):
    """The certificate status service did not record a revocation."""


def publish_revocation(*, seal_id: uuid.UUID | str) -> bool:
    """Report a revoked seal to the CA's status service; True once it has it (idempotent: the service keeps the
    first report). False when no status service is configured."""
    url, key = getattr(settings, "DOCUMENTS_OCSP_URL", None), getattr(settings, "DOCUMENTS_OCSP_KEY", None)
    seal = Seal.objects.get(pk=seal_id)
    if seal.revoked_at is None:
        raise StatusServiceError("the seal is not revoked")
    if not url or not key:
        logger.warning("seal %s revoked, but no certificate status service is configured", seal.pk)
        return False
    certificate = x509.load_pem_x509_certificate(seal.certificate_pem.encode())
    body = json.dumps(
        {"serial": f"{certificate.serial_number:x}", "revoked_at": seal.revoked_at.isoformat(), "reason": "revoked"}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the configured status service
        url.rstrip("/") + "/revocations",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - the configured status service
        if answer.status not in (200, 201):
            raise StatusServiceError(f"the status service answered {answer.status}")
    Seal.objects.filter(pk=seal.pk, revocation_published_at__isnull=True).update(revocation_published_at=timezone.now())
    return True


def due_for_renewal(now: dt.datetime | None = None) -> list[uuid.UUID]:
    """Signed documents whose newest archive timestamp (or signature) is older than the renewal period."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.DOCUMENTS_ARCHIVE_RENEW_DAYS)
    due = Document.objects.filter(status=DocumentStatus.SIGNED).filter(
        Q(archive_renewed_at__isnull=True, signed_at__lte=cutoff) | Q(archive_renewed_at__lte=cutoff)
    )
    return list(due.order_by("signed_at").values_list("pk", flat=True)[:RENEWALS_PER_RUN])


def renew_archive_timestamp(*, document_id: uuid.UUID | str) -> Document:
    """Add fresh validation data and a new archive timestamp to one signed document's archive copy.

    The timestamp authority is asked outside the transaction; the result is stored only if nobody renewed the
    document meanwhile (compare-and-set on the copy's hash)."""
    document = Document.objects.get(pk=document_id, status=DocumentStatus.SIGNED)
    field = document.archive_pdf if document.archive_pdf else document.signed_pdf
    base_sha = document.archive_sha256 or document.signed_sha256
    with field.open("rb") as handle:
        current = handle.read()
    if hashlib.sha256(current).hexdigest() != base_sha:
        raise RuntimeError(f"document {document.pk}: the stored PDF does not match its recorded hash")
    renewed = pades.renew_archive_timestamp(current)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if (locked.archive_sha256 or locked.signed_sha256) != base_sha:
            return locked  # renewed by another run meanwhile
        locked.archive_pdf.save(f"archive-{locked.pk}.pdf", ContentFile(renewed), save=False)
        locked.archive_sha256 = hashlib.sha256(renewed).hexdigest()
        locked.archive_renewed_at = timezone.now()
        locked.save(update_fields=["archive_pdf", "archive_sha256", "archive_renewed_at", "updated_at"])
        record_event(
            actor=None,
            action="documents.archive_timestamp_renewed",
            case_id=locked.case_id,
            obj=locked,
            before={"sha256": base_sha},
            after={"sha256": locked.archive_sha256},
        )
    return locked


def renew_archive_timestamps() -> int:
    """Renew every document that is due; a failure is logged and the others go on. The number renewed."""
    if pades.timestamper() is None:
        logger.warning("archive timestamps not renewed: no timestamp authority is configured")
        return 0
    renewed = 0
    for document_id in due_for_renewal():
        try:
            renew_archive_timestamp(document_id=document_id)
            renewed += 1
        except Exception:
            logger.exception("archive timestamp of document %s not renewed", document_id)
    return renewed
