"""Upload checks: the bytes decide the type, the extension must agree, the size is counted."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from smartcourt.core.uploads import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    TEXT,
    XLSX,
    UploadRefused,
    checked_upload,
    clean_filename,
    sniff_content_type,
)

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 40


def office(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # The refusals are translated; these tests read them in English.
    with translation.override("en"):
        yield


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("报告.pdf", PDF_BYTES, PDF),
        ("scan.PNG", PNG_BYTES, PNG),
        ("photo.jpg", JPEG_BYTES, JPEG),
        ("photo.jpeg", JPEG_BYTES, JPEG),
        ("清单.docx", office("word/document.xml"), DOCX),
        ("债权表.xlsx", office("xl/workbook.xml"), XLSX),
        ("说明.txt", "管理人工作说明\n第二行\n".encode(), TEXT),
    ],
)
def test_accepted_files_keep_their_bytes_type_and_digest(name: str, content: bytes, expected: str) -> None:
    checked = checked_upload(upload(name, content, content_type="text/html"))
    assert checked.name == name
    # The declared type (text/html here) is ignored; the bytes decide.
    assert checked.content_type == expected
    assert checked.content == content
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("invoice.pdf", b"MZ\x90\x00\x03", "type_mismatch", "invoice.pdf: the name says PDF but the content is not"),
        ("photo.png", JPEG_BYTES, "type_mismatch", "photo.png: the name says PNG but the content is JPEG"),
        ("合同.docx", office("xl/workbook.xml"), "type_mismatch", "合同.docx: the name says Word (DOCX) but the"),
        ("notes.txt", b"abc\x00def", "type_mismatch", "notes.txt: the name says plain text but the content is not"),
        ("notes.txt", "GBK文本".encode("gbk"), "type_mismatch", "notes.txt: the name says plain text"),
        ("run.exe", b"MZ\x90\x00", "unsupported_type", "run.exe: files of type .exe are not accepted; accepted: "),
        ("page.html", b"<html></html>", "unsupported_type", "page.html: files of type .html are not accepted"),
        ("README", b"text", "unsupported_type", "README: files of type (no extension) are not accepted"),
        ("empty.pdf", b"", "empty", "empty.pdf: file is empty"),
    ],
)
def test_refused_files_name_the_file_and_the_reason(name: str, content: bytes, code: str, message: str) -> None:
    with pytest.raises(UploadRefused) as refused:
        checked_upload(upload(name, content), field="attachments")
    assert refused.value.code == code
    assert refused.value.status == 422
    assert refused.value.field == "attachments"
    assert refused.value.message.startswith(message)


def test_a_type_outside_the_allowed_set_is_refused() -> None:
    with pytest.raises(UploadRefused, match=r"scan.png: files of type .png are not accepted; accepted: .pdf$"):
        checked_upload(upload("scan.png", PNG_BYTES), allowed={PDF})


def test_files_over_the_limit_are_refused_with_413(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(UploadRefused, match=r"^big.pdf: file is larger than 1 MiB$") as refused:
        checked_upload(upload("big.pdf", PDF_BYTES + b"0" * (1024 * 1024)))
    assert (refused.value.code, refused.value.status) == ("too_large", 413)
    # Exactly at the limit is fine.
    exact = PDF_BYTES + b"0" * (1024 * 1024 - len(PDF_BYTES))
    assert checked_upload(upload("exact.pdf", exact)).size == 1024 * 1024


def test_a_lying_declared_size_does_not_get_past_the_limit(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 100
    lying = upload("small.pdf", PDF_BYTES + b"0" * 200)
    lying.size = 10
    with pytest.raises(UploadRefused, match=r"small\.pdf: file is larger than 100 bytes"):
        checked_upload(lying)


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [
        ("C:\\Users\\陈律师\\Desktop\\请示.pdf", "请示.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("a\x00b<c>.pdf", "abc.pdf"),
        ("  .hidden.pdf  ", "hidden.pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_client_file_names_are_cleaned(given: str, cleaned: str) -> None:
    assert clean_filename(given) == cleaned


def test_zip_that_is_not_office_is_not_recognised() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.sh", "rm -rf /")
    assert sniff_content_type(buffer.getvalue()) is None
    assert sniff_content_type(b"PK\x03\x04 broken") is None
