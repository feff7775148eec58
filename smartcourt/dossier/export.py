"""The readable part of a dossier export: one PDF (catalogue page, then every entry, one bookmark each, then an
appendix the caller supplies) and the zip's catalogue.

Both are built from a ``Dossier`` the caller obtained through ``selectors.dossier_for``, so access has been
checked. The certified export (the originals embedded unchanged, the export certificate signed by the court,
built in the background worker) is ``smartcourt.exports``; this module knows nothing of seals or the log.
The PDF is assembled in memory: every entry's pages are held until the document is written, which is fine
for the dossiers of today (tens of MiB) and is the part to stream if dossiers grow to hundreds of MiB.

A signed PDF's pages are merged **flattened**: its signature fields are turned into plain page content (the
seal image stays where it was). A signature cannot survive being merged into another file (the bytes it
covers are gone), and a merged signature field would only show as a broken seal; the original, whose
signature does verify, travels unchanged as an attachment of the certified export.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, StreamObject

from smartcourt.core.pdf import template_to_pdf
from smartcourt.core.uploads import JPEG, PDF, PNG
from smartcourt.dossier.actions import stored_name
from smartcourt.dossier.choices import KIND_DOCUMENT_NAMES
from smartcourt.dossier.models import DossierEntry
from smartcourt.dossier.selectors import Dossier

SPOOL_BYTES = 16 * 1024 * 1024
IMAGE_TYPES = {PNG, JPEG}


@dataclass
class _Part:
    entry: DossierEntry
    reader: PdfReader
    start_page: int = 0


def _read_file(entry: DossierEntry) -> bytes:
    with default_storage.open(entry.file.name, "rb") as handle:
        content: bytes = handle.read()
    return content


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _entry_context(entry: DossierEntry) -> dict[str, Any]:
    return {
        "entry": entry,
        "kind_name": KIND_DOCUMENT_NAMES.get(entry.kind, entry.kind),
        "filed_at": _local(entry.filed_at),
        "filed_by": entry.filed_by.full_name or entry.filed_by.username,
    }


def _entry_pages(entry: DossierEntry) -> PdfReader:
    """The pages that stand for one entry in the export."""
    reason = ""
    if entry.has_file:
        content = _read_file(entry)
        if entry.content_type == PDF:
            try:
                reader = PdfReader(io.BytesIO(content))
                if reader.is_encrypted and not reader.decrypt(""):
                    reason = "该 PDF 文件已加密，无法编入合并文档，请在压缩包导出中查阅原件。"
                elif len(reader.pages) == 0:
                    reason = "该 PDF 文件没有页面。"
                else:
                    return reader
            except (PdfReadError, ValueError, OSError):
                reason = "该 PDF 文件无法读取，请在压缩包导出中查阅原件。"
        elif entry.content_type in IMAGE_TYPES:
            data_url = f"data:{entry.content_type};base64,{base64.b64encode(content).decode()}"
            pdf = template_to_pdf("dossier/pdf/image_page.html", {**_entry_context(entry), "data_url": data_url})
            return PdfReader(io.BytesIO(pdf))
        else:
            reason = "该文件格式无法在 PDF 中显示，原件见压缩包导出，可用下列 SHA-256 值核对。"
    else:
        reason = "本条目为记录，没有附带文件。"
    pdf = template_to_pdf("dossier/pdf/info_page.html", {**_entry_context(entry), "reason": reason})
    return PdfReader(io.BytesIO(pdf))


def _catalogue(dossier: Dossier, parts: list[_Part], generated_at: dt.datetime) -> PdfReader:
    rows = [
        {**_entry_context(part.entry), "start_page": part.start_page, "corrects": part.entry.corrects} for part in parts
    ]
    case = dossier.case
    context = {
        "case": case,
        "court": case.court.name,
        "generated_at": _local(generated_at),
        "rows": rows,
    }
    return PdfReader(io.BytesIO(template_to_pdf("dossier/pdf/catalogue.html", context)))


@dataclass(frozen=True)
class Appendix:
    """Pages added after the last entry, with their own bookmark (the export certificate)."""

    pdf: bytes
    title: str


Progress = Callable[[int], None]


def build_pdf(
    dossier: Dossier,
    *,
    generated_at: dt.datetime | None = None,
    appendix: Appendix | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The whole dossier as one PDF: catalogue first, then each entry from the page the catalogue names, then
    the appendix. ``progress`` is called with the number of entries laid out so far."""
    generated_at = generated_at or timezone.now()
    parts = []
    for done, entry in enumerate(dossier.entries, start=1):
        parts.append(_Part(entry=entry, reader=_entry_pages(entry)))
        if progress is not None:
            progress(done)
    # The start pages depend on how long the catalogue is, which depends (barely) on the start pages:
    # lay out until the catalogue's length stops changing.
    catalogue_pages = 1
    for _attempt in range(4):
        page = catalogue_pages + 1
        for part in parts:
            part.start_page = page
            page += len(part.reader.pages)
        catalogue = _catalogue(dossier, parts, generated_at)
        if len(catalogue.pages) == catalogue_pages:
            break
        catalogue_pages = len(catalogue.pages)
    writer = PdfWriter()
    writer.append(catalogue, import_outline=False)
    writer.add_outline_item(title="卷宗目录", page_number=0)
    for part in parts:
        writer.append(part.reader, import_outline=False)
        writer.add_outline_item(title=f"{part.entry.number} {part.entry.title}", page_number=part.start_page - 1)
    if appendix is not None:
        first = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(appendix.pdf)), import_outline=False)
        writer.add_outline_item(title=appendix.title, page_number=first)
    _flatten_signature_fields(writer)
    writer.add_metadata({"/Title": f"{dossier.case.number} 电子卷宗", "/Creator": "SmartCourt 智慧法院平台"})
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _is_signature_widget(annotation: DictionaryObject) -> bool:
    if annotation.get("/Subtype") != "/Widget":
        return False
    field = annotation
    for _level in range(8):  # a widget's field type may sit on its parent field
        if field.get("/FT") is not None:
            return bool(field.get("/FT") == "/Sig")
        parent = field.get("/Parent")
        if parent is None:
            return False
        field = parent.get_object()
    return False


def _flatten_signature_fields(writer: PdfWriter) -> None:
    """Every signature widget becomes page content drawn from its appearance; the form goes (see the module
    docstring). Other annotations (links) stay."""
    for page in writer.pages:
        annotations = page.get("/Annots")
        if annotations is None:
            continue
        kept = ArrayObject()
        drawn: list[bytes] = []
        for reference in annotations.get_object():
            annotation = reference.get_object()
            if not _is_signature_widget(annotation):
                kept.append(reference)
                continue
            appearance = annotation.get("/AP", {}).get("/N")
            rect = [float(v) for v in annotation.get("/Rect", [0, 0, 0, 0])]
            if appearance is None or rect[2] - rect[0] <= 0 or rect[3] - rect[1] <= 0:
                continue
            form = appearance.get_object()
            if not isinstance(form, StreamObject):
                continue
            form[NameObject("/Type")] = NameObject("/XObject")
            form[NameObject("/Subtype")] = NameObject("/Form")
            bbox = [float(v) for v in form.get("/BBox", rect)]
            width, height = bbox[2] - bbox[0], bbox[3] - bbox[1]
            if width <= 0 or height <= 0:
                continue
            name = f"/SCSeal{len(drawn)}"
            resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
            xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
            xobjects[NameObject(name)] = writer._add_object(form)
            sx, sy = (rect[2] - rect[0]) / width, (rect[3] - rect[1]) / height
            tx, ty = rect[0] - bbox[0] * sx, rect[1] - bbox[1] * sy
            drawn.append(f"q {sx:.5f} 0 0 {sy:.5f} {tx:.3f} {ty:.3f} cm {name} Do Q".encode())
        if len(kept) == len(annotations.get_object()):
            continue
        page[NameObject("/Annots")] = kept
        if drawn:
            opening, closing = DecodedStreamObject(), DecodedStreamObject()
            opening.set_data(b"q\n")
            closing.set_data(b"\nQ\n" + b"\n".join(drawn) + b"\n")
            contents = page.get("/Contents")
            existing = contents.get_object() if contents is not None else ArrayObject()
            streams = list(existing) if isinstance(existing, ArrayObject) else [contents]
            page[NameObject("/Contents")] = ArrayObject(
                [writer._add_object(opening), *streams, writer._add_object(closing)]
            )
    if "/AcroForm" in writer._root_object:
        del writer._root_object["/AcroForm"]


def zip_member_name(entry: DossierEntry) -> str:
    return f"{entry.number}-{stored_name(entry.file_name, entry.content_type)}"


def catalogue_rows(dossier: Dossier) -> list[dict[str, Any]]:
    rows = []
    for entry in dossier.entries:
        rows.append(
            {
                "number": entry.number,
                "kind": entry.kind,
                "kind_name": KIND_DOCUMENT_NAMES.get(entry.kind, entry.kind),
                "title": entry.title,
                "note": entry.note,
                "filed_at": timezone.localtime(entry.filed_at).isoformat(),
                "filed_by": entry.filed_by.full_name or entry.filed_by.username,
                "file": zip_member_name(entry) if entry.has_file else "",
                "original_name": entry.file_name,
                "content_type": entry.content_type,
                "size": entry.size,
                "sha256": entry.file_sha256,
                "corrects": entry.corrects.number if entry.corrects else None,
                "source": f"{entry.source_type}:{entry.source_id}" if entry.source_type else "",
            }
        )
    return rows


def build_zip(
    dossier: Dossier,
    *,
    generated_at: dt.datetime | None = None,
    extra_members: Sequence[tuple[str, bytes]] = (),
    progress: Progress | None = None,
) -> IO[bytes]:
    """catalogue.json, catalogue.csv, every file as ``<number>-<name>`` and the caller's extra members (the
    manifest, receipts and export certificate), in a file positioned at its start."""
    generated_at = generated_at or timezone.now()
    rows = catalogue_rows(dossier)
    case = dossier.case
    catalogue = {
        "case": {"id": str(case.pk), "number": case.number, "title": case.title, "court": case.court.name},
        "generated_at": timezone.localtime(generated_at).isoformat(),
        "entries": rows,
    }
    csv_buffer = io.StringIO()
    writer = csv.DictWriter(csv_buffer, fieldnames=list(rows[0]) if rows else ["number"], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - handed to the caller
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("catalogue.json", json.dumps(catalogue, ensure_ascii=False, indent=2))
        # With a byte-order mark, so that Excel opens the Chinese as UTF-8.
        archive.writestr("catalogue.csv", "\ufeff" + csv_buffer.getvalue())
        for done, entry in enumerate(dossier.entries, start=1):
            if entry.has_file:
                with (
                    default_storage.open(entry.file.name, "rb") as source,
                    archive.open(zip_member_name(entry), "w") as target,
                ):
                    for chunk in iter(lambda: source.read(1024 * 1024), b""):
                        target.write(chunk)
            if progress is not None:
                progress(done)
        for name, data in extra_members:
            archive.writestr(name, data)
    spool.seek(0)
    return spool
