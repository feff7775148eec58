"""The format of an exported dossier PDF, and its verification.

An export (built by ``smartcourt.exports``) is one PDF that a person reads and a machine checks:

- the readable pages: the catalogue, every entry's pages (signed originals flattened: their signature fields
  would not survive the merge, so they become plain page content), and the export certificate, which lists
  every entry's SHA-256 and its transparency-log receipt;
- every filed file **unchanged**, embedded as an associated file of the document (PDF 2.0 / PDF/A-3 ``/AF``,
  relationship ``/Source``), so a signed original keeps its own signature;
- each entry's receipt (``/Data``) and a manifest (``/Data``, this module's ``MANIFEST_KEY``) tying numbers,
  SHA-256 values, attachments and receipts together;
- the court's seal signature over all of it, placed on the certificate page.

Verification checks the export's own signature like any other (see ``verification``), then every entry: its
attachment is there and has the SHA-256 of the manifest, a signed original verifies in its own right, and its
receipt proves (offline, with the log key the receipt carries, which the court's signature over the export
vouches for) that the transparency log holds that SHA-256 for that entry.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from smartcourt.documents.signature_check import EmbeddedOriginal, ExportReport, Report

FORMAT = "smartcourt/dossier-export/v1"
MANIFEST_KEY = "manifest.json"
MAX_ATTACHMENTS = 10_000
# The receipt verifier is Django-free and names its checks in English (the same labels as the evidence pages').
CHECK_LABELS = {
    "receipt readable": gettext_lazy("The receipt can be read"),
    "leaf commits to the subject": gettext_lazy("The leaf commits to the evidence's SHA-256"),
    "leaf hash": gettext_lazy("Leaf hash"),
    "file": gettext_lazy("The file matches the receipt"),
    "checkpoint signature": gettext_lazy("The court's signature on the checkpoint"),
    "checkpoint origin": gettext_lazy("The checkpoint is this court's log"),
    "inclusion proof": gettext_lazy("Inclusion proof: the leaf is in the signed tree"),
}


def original_key(number: int, extension: str) -> str:
    """The name-tree key of an entry's original: ASCII, as PDFDocEncoding requires."""
    safe = "".join(c for c in extension.lower() if c.isascii() and c.isalnum())[:8]
    return f"original-{number:05d}{'.' + safe if safe else ''}"


def receipt_key(number: int) -> str:
    return f"receipt-{number:05d}.json"


def embedded_files(data: bytes) -> dict[str, bytes] | None:
    """The document's embedded files by name-tree key (a flat tree, as the exporter writes it); None when the
    PDF has none or they cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        root: Any = reader.trailer["/Root"]
        names = root.get("/Names")
        if names is None:
            return None
        tree = names.get_object().get("/EmbeddedFiles")
        if tree is None:
            return None
        pairs = tree.get_object().get("/Names")
        pairs = pairs.get_object() if pairs is not None else []
        files: dict[str, bytes] = {}
        for index in range(0, min(len(pairs), 2 * MAX_ATTACHMENTS), 2):
            key = str(pairs[index])
            spec = pairs[index + 1].get_object()
            files[key] = spec["/EF"]["/F"].get_object().get_data()
        return files
    except (PdfReadError, KeyError, AttributeError, TypeError, ValueError):
        return None


def _check_receipt(entry: EmbeddedOriginal, text: bytes, manifest_entry: dict[str, Any]) -> None:
    # The offline receipt verifier is a pure module (no Django, no database); see docs/adr/0007.
    from smartcourt.evidence.verify import ReceiptError, load_receipt, verify_receipt

    try:
        receipt = load_receipt(text)
    except ReceiptError as exc:
        entry.receipt_ok = False
        entry.problems.append(_("the receipt cannot be read (%(error)s)") % {"error": exc})
        return
    subject = receipt.get("subject", {})
    checked = verify_receipt(receipt, file_sha256=entry.sha256 or None)
    same_entry = str(subject.get("id")) == str(manifest_entry.get("id")) and (subject.get("sha256") or "") == (
        manifest_entry.get("sha256") or ""
    )
    entry.receipt_ok = checked.ok and same_entry
    if not same_entry:
        entry.problems.append(_("the receipt is for another entry or another SHA-256"))
    for check in checked.checks:
        if not check.ok:
            label = str(CHECK_LABELS.get(check.name, check.name))
            entry.problems.append(_("receipt check failed: %(check)s") % {"check": label})


def _check_original(
    entry: EmbeddedOriginal, content: bytes | None, *, verify_original: Callable[[bytes], Report]
) -> None:
    """One embedded original: present, the bytes the court certified, and (a PDF) its own signatures."""
    if content is None:
        entry.problems.append(_("the original is missing from the export"))
        return
    entry.present = True
    entry.sha256 = hashlib.sha256(content).hexdigest()
    if entry.sha256 != entry.expected_sha256:
        entry.problems.append(_("the original's SHA-256 differs from the one the court certified"))
    if content.startswith(b"%PDF-"):
        original = verify_original(content)
        if original.signatures:
            entry.signed_report = original


def verify_export(data: bytes, outer: Report, *, verify_original: Callable[[bytes], Report]) -> ExportReport | None:
    """The export part of the report for ``data``; None when ``data`` is not an exported dossier."""
    from smartcourt.documents.signature_check import EmbeddedOriginal, ExportReport

    files = embedded_files(data)
    if not files or MANIFEST_KEY not in files:
        return None
    try:
        manifest = json.loads(files[MANIFEST_KEY])
        if manifest.get("format") != FORMAT:
            raise ValueError(manifest.get("format"))
        entries = list(manifest["entries"])
        case = manifest["case"]
    except (ValueError, KeyError, TypeError, AttributeError):
        report = ExportReport(case_number="", generated_at="")
        report.problems.append(_("the export's manifest cannot be read"))
        return report
    report = ExportReport(case_number=str(case.get("number", "")), generated_at=str(manifest.get("generated_at", "")))
    if not outer.signatures:
        report.problems.append(_("the export certificate is not signed"))
    listed = {MANIFEST_KEY}
    for item in entries:
        key = str(item.get("attachment") or "")
        entry = EmbeddedOriginal(
            number=int(item.get("number", 0)),
            title=str(item.get("title", "")),
            attachment=key,
            expected_sha256=str(item.get("sha256") or ""),
        )
        report.entries.append(entry)
        if key:
            listed.add(key)
            _check_original(entry, files.get(key), verify_original=verify_original)
        receipt = str(item.get("receipt") or "")
        if receipt:
            listed.add(receipt)
            if receipt not in files:
                entry.receipt_ok = False
                entry.problems.append(_("the receipt is missing from the export"))
            else:
                _check_receipt(entry, files[receipt], item)
    extra = sorted(set(files) - listed)
    if extra:
        report.problems.append(
            _("the export carries files its manifest does not list: %(names)s") % {"names": ", ".join(extra)}
        )
    return report
