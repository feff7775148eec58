"""Building a certified dossier export (the format is ``smartcourt.documents.dossier_export``).

The readable pages come from ``smartcourt.dossier.export``; this adds what makes the export verifiable by
anyone it is handed to: every filed file embedded unchanged, each entry's transparency-log receipt, the
manifest, and the export certificate page signed with the court's seal over all of it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader

from smartcourt.accounts.models import User
from smartcourt.documents import pades
from smartcourt.documents.actions import COURT_SEAL_PURPOSE, create_seal
from smartcourt.documents.dossier_export import FORMAT, MANIFEST_KEY, original_key, receipt_key
from smartcourt.documents.models import Seal
from smartcourt.documents.rendering import RenderedDocument, render_pdf
from smartcourt.documents.selectors import active_seal
from smartcourt.dossier.choices import KIND_DOCUMENT_NAMES
from smartcourt.dossier.export import Appendix, build_pdf, build_zip, zip_member_name
from smartcourt.dossier.models import DossierEntry
from smartcourt.dossier.selectors import Dossier
from smartcourt.evidence.receipts import dossier_receipt_for

CERTIFICATE_TITLE = "电子卷宗导出证明"
CERTIFICATE_FILE = "export-certificate.pdf"

Step = Callable[[], None]


@dataclass
class Certified:
    manifest: dict[str, Any]
    manifest_bytes: bytes
    receipts: dict[int, bytes]  # entry number -> receipt JSON
    certificate: RenderedDocument  # the certificate page(s), unsigned, with the place of the seal


def _extension(entry: DossierEntry) -> str:
    return entry.file_name.rpartition(".")[2] if "." in entry.file_name else ""


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def court_seal(dossier: Dossier) -> Seal:
    """The court's seal, made on first use as when the court first signs a document."""
    court = dossier.case.court
    return active_seal(court) or create_seal(actor=None, organisation=court, purpose=COURT_SEAL_PURPOSE)


def certify(
    dossier: Dossier, *, actor: User, carrier: str, verify_url: str, generated_at: dt.datetime, step: Step
) -> Certified:
    """The receipts, the manifest and the certificate page for ``dossier``; ``step`` after each receipt."""
    case = dossier.case
    receipts: dict[int, bytes] = {}
    rows: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    for entry in dossier.entries:
        receipt = dossier_receipt_for(actor, entry.pk, verify_url=verify_url)
        receipts[entry.number] = json.dumps(receipt, ensure_ascii=False, indent=1).encode()
        proof = receipt["inclusion_proof"]
        item = {
            "number": entry.number,
            "id": str(entry.pk),
            "kind": entry.kind,
            "title": entry.title,
            "filed_at": timezone.localtime(entry.filed_at).isoformat(),
            "file_name": entry.file_name,
            "content_type": entry.content_type,
            "size": entry.size,
            "sha256": entry.file_sha256,
            "attachment": original_key(entry.number, _extension(entry)) if entry.has_file and carrier == "pdf" else "",
            "file": zip_member_name(entry) if entry.has_file and carrier == "zip" else "",
            "receipt": receipt_key(entry.number),
            "leaf_index": proof["leaf_index"],
            "checkpoint_size": proof["tree_size"],
        }
        items.append(item)
        rows.append(
            {
                **item,
                "kind_name": KIND_DOCUMENT_NAMES.get(entry.kind, entry.kind),
                "filed_at_text": _local(entry.filed_at),
            }
        )
        step()
    manifest = {
        "format": FORMAT,
        "carrier": carrier,
        "case": {"id": str(case.pk), "number": case.number, "title": case.title, "court": case.court.name},
        "generated_at": timezone.localtime(generated_at).isoformat(),
        "generated_by": actor.full_name or actor.username,
        "log": json.loads(next(iter(receipts.values())))["log"] if receipts else None,
        "verify_url": verify_url,
        "entries": items,
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    html = render_to_string(
        "exports/pdf/certificate.html",
        {
            "case": case,
            "court": case.court.name,
            "generated_at": _local(generated_at),
            "generated_by": manifest["generated_by"],
            "rows": rows,
            "carrier": carrier,
            "verify_url": verify_url,
            "title": CERTIFICATE_TITLE,
        },
    )
    return Certified(manifest=manifest, manifest_bytes=manifest_bytes, receipts=receipts, certificate=render_pdf(html))


def _attachments(certified: Certified, originals: list[tuple[DossierEntry, bytes]]) -> list[pades.Attachment]:
    attachments = [
        pades.Attachment(
            key=original_key(entry.number, _extension(entry)),
            file_name=f"{entry.number}-{entry.file_name or 'file'}",
            data=data,
            mime_type=entry.content_type or "application/octet-stream",
            description=f"第 {entry.number} 号条目原件：{entry.title}",
        )
        for entry, data in originals
    ]
    attachments += [
        pades.Attachment(
            key=receipt_key(number),
            file_name=receipt_key(number),
            data=data,
            mime_type="application/json",
            description=f"第 {number} 号条目的透明日志回执",
            relationship="/Data",
        )
        for number, data in sorted(certified.receipts.items())
    ]
    attachments.append(
        pades.Attachment(
            key=MANIFEST_KEY,
            file_name=MANIFEST_KEY,
            data=certified.manifest_bytes,
            mime_type="application/json",
            description="导出清单：条目、SHA-256、附件与回执",
            relationship="/Data",
        )
    )
    return attachments


def _sign(
    pdf: bytes, *, dossier: Dossier, seal_page: int, certificate: RenderedDocument, attachments: list[pades.Attachment]
) -> bytes:
    seal = court_seal(dossier)
    return pades.sign_pdf(
        pdf,
        certificate_pem=seal.certificate_pem,
        key_pem=seal.key_pem,
        image_png=bytes(seal.image_png),
        page=seal_page,
        box=certificate.seal_box,
        reason=CERTIFICATE_TITLE,
        name=str(seal),
        location=dossier.case.court.name,
        attachments=attachments,
    )


def _read(entry: DossierEntry) -> bytes:
    with entry.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


def build_certified_pdf(
    dossier: Dossier, *, actor: User, verify_url: str, generated_at: dt.datetime, step: Step
) -> bytes:
    """Readable pages + certificate, the originals, receipts and manifest embedded, signed by the court."""
    certified = certify(
        dossier, actor=actor, carrier="pdf", verify_url=verify_url, generated_at=generated_at, step=step
    )
    readable = build_pdf(
        dossier,
        generated_at=generated_at,
        appendix=Appendix(pdf=certified.certificate.pdf, title=CERTIFICATE_TITLE),
        progress=lambda _done: step(),
    )
    total_pages = len(PdfReader(io.BytesIO(readable)).pages)
    certificate_pages = len(PdfReader(io.BytesIO(certified.certificate.pdf)).pages)
    seal_page = total_pages - certificate_pages + certified.certificate.seal_page
    originals = [(entry, _read(entry)) for entry in dossier.entries if entry.has_file]
    return _sign(
        readable,
        dossier=dossier,
        seal_page=seal_page,
        certificate=certified.certificate,
        attachments=_attachments(certified, originals),
    )


def build_certified_zip(
    dossier: Dossier, *, actor: User, verify_url: str, generated_at: dt.datetime, step: Step
) -> IO[bytes]:
    """The originals as files, the catalogue, and the same manifest, receipts and signed certificate."""
    certified = certify(
        dossier, actor=actor, carrier="zip", verify_url=verify_url, generated_at=generated_at, step=step
    )
    certificate = _sign(
        certified.certificate.pdf,
        dossier=dossier,
        seal_page=certified.certificate.seal_page,
        certificate=certified.certificate,
        attachments=_attachments(certified, []),
    )
    members = [
        (MANIFEST_KEY, certified.manifest_bytes),
        *((f"receipts/{receipt_key(number)}", data) for number, data in sorted(certified.receipts.items())),
        (CERTIFICATE_FILE, certificate),
    ]
    return build_zip(dossier, generated_at=generated_at, extra_members=members, progress=lambda _done: step())
