"""Sample files and a filled dossier for the dossier and correspondence tests."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile

from smartcourt.core.pdf import html_to_pdf
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry

if TYPE_CHECKING:
    from conftest import Personas


def sample_pdf(text: str, pages: int = 1) -> bytes:
    body = "".join(f'<p style="page-break-after: always">{text} 第{page}页</p>' for page in range(1, pages + 1))
    return html_to_pdf(f"<html><body style=\"font-family: 'Noto Sans CJK SC'\">{body}</body></html>")


def sample_png(width: int = 240, height: int = 160) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (240, 240, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, width - 20, height - 20), outline=(164, 22, 26), width=6)
    draw.line((20, 20, width - 20, height - 20), fill=(0, 0, 128), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def fill_dossier(p: Personas) -> dict[str, Any]:
    """Five entries on the personas' case: a 2-page PDF, an image, a text file, a record, a correction."""
    ruling = file_entry(
        actor=p.judge,
        case=p.case,
        kind=EntryKind.RULING,
        title="受理破产清算申请民事裁定书",
        content=sample_pdf("民事裁定书", pages=2),
        filename="裁定书.pdf",
        content_type="application/pdf",
    )
    photo = file_entry(
        actor=p.administrator,
        case=p.case,
        kind=EntryKind.ATTACHMENT,
        title="厂房现场照片",
        content=sample_png(),
        filename="现场.png",
        content_type="image/png",
    )
    text = file_entry(
        actor=p.administrator,
        case=p.case,
        kind=EntryKind.DOCUMENT,
        title="财产状况说明",
        content="财产状况说明\n".encode(),
        filename="说明.txt",
        content_type="text/plain",
    )
    record = file_entry(actor=p.judge, case=p.case, kind=EntryKind.NODE_RECORD, title="债权申报期限届满")
    correction = file_entry(
        actor=p.judge, case=p.case, kind=EntryKind.CORRECTION, title="更正：裁定书落款日期", corrects=ruling
    )
    entries: dict[str, DossierEntry] = {
        "ruling": ruling,
        "photo": photo,
        "text": text,
        "record": record,
        "correction": correction,
    }
    return entries
