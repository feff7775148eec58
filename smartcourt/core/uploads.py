"""Checking uploaded files before anything keeps them.

The type a browser declares, and the extension a user gave the file, are claims; the bytes decide. A file
is accepted only when its extension names one of the allowed types *and* its content is that type, and
when it is no larger than ``settings.UPLOAD_MAX_BYTES``. Every refusal names the file and the reason.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Protocol

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcourt.core.errors import CoreError, DomainError, ErrorCode

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain"

DEFAULT_ALLOWED: frozenset[str] = frozenset({PDF, PNG, JPEG, DOCX, XLSX, TEXT})

# The extensions people give each type; the first one is what a generated name gets.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    TEXT: (".txt",),
}
TYPE_OF_EXTENSION = {extension: kind for kind, extensions in EXTENSIONS.items() for extension in extensions}
LABELS: dict[str, str | Promise] = {
    PDF: "PDF",
    PNG: "PNG",
    JPEG: "JPEG",
    DOCX: "Word (DOCX)",
    XLSX: "Excel (XLSX)",
    TEXT: gettext_lazy("plain text"),
}

MAX_NAME_LENGTH = 200
# Control characters other than tab, line feed, form feed and carriage return mark a file as binary.
_TEXT_CONTROLS = frozenset(range(32)) - {9, 10, 12, 13}


class UploadedFileLike(Protocol):
    """What Django's UploadedFile offers and this module needs."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]: ...


class UploadRefused(DomainError):
    """An uploaded file that is not kept. ``code`` says why: empty, too_large, unsupported_type, type_mismatch."""

    code = CoreError.UPLOAD_REFUSED

    def __init__(self, message: str, *, code: ErrorCode, field: str | None = None) -> None:
        super().__init__(message, field=field, code=code)
        if code == CoreError.TOO_LARGE:
            self.status = 413


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, held in memory: its cleaned name, real type, bytes and digest."""

    name: str
    content_type: str
    content: bytes
    size: int
    sha256: str


def sniff_content_type(content: bytes) -> str | None:
    """The type the bytes themselves show, among the ones this platform accepts; None when none fits."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _office_type(content)
    if _is_utf8_text(content):
        return TEXT
    return None


def _office_type(content: bytes) -> str | None:
    # Only the central directory is read, never a member: a zip bomb costs nothing here.
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _is_utf8_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(char) in _TEXT_CONTROLS for char in text)


def clean_filename(name: str | None) -> str:
    """The last path component of a client-supplied name, without control characters, at most 200 characters."""
    raw = name or ""
    # Browsers on Windows have been known to send the whole path.
    base = PureWindowsPath(PurePosixPath(raw).name).name
    base = "".join(char for char in base if ord(char) >= 32 and char not in '<>:"/\\|?*').strip().strip(".")
    if len(base) > MAX_NAME_LENGTH:
        stem, dot, extension = base.rpartition(".")
        base = (stem[: MAX_NAME_LENGTH - len(extension) - 1] + dot + extension) if dot else base[:MAX_NAME_LENGTH]
    return base


def checked_upload(
    uploaded_file: UploadedFileLike, *, allowed: frozenset[str] | set[str] = DEFAULT_ALLOWED, field: str = "file"
) -> CheckedFile:
    """Read and check one uploaded file; raise UploadRefused (a DomainError) naming the file and the reason."""
    limit: int = settings.UPLOAD_MAX_BYTES
    name = clean_filename(uploaded_file.name)
    shown = name or _("(unnamed file)")
    declared_size = uploaded_file.size or 0
    if declared_size > limit:
        raise _too_large(shown, limit, field)
    extension = PurePosixPath(name.lower()).suffix
    expected = TYPE_OF_EXTENSION.get(extension)
    if expected is None or expected not in allowed:
        accepted = ", ".join(sorted(ext for kind in allowed for ext in EXTENSIONS.get(kind, ())))
        raise UploadRefused(
            _("%(name)s: files of type %(extension)s are not accepted; accepted: %(accepted)s")
            % {"name": shown, "extension": extension or _("(no extension)"), "accepted": accepted},
            code=CoreError.UNSUPPORTED_TYPE,
            field=field,
        )
    content = _read(uploaded_file, limit=limit, shown=shown, field=field)
    if not content:
        raise UploadRefused(_("%(name)s: file is empty") % {"name": shown}, code=CoreError.EMPTY, field=field)
    actual = sniff_content_type(content)
    if actual != expected:
        what = LABELS[actual] if actual else _("not a type this platform accepts")
        raise UploadRefused(
            _("%(name)s: the name says %(expected)s but the content is %(actual)s")
            % {"name": shown, "expected": LABELS[expected], "actual": what},
            code=CoreError.TYPE_MISMATCH,
            field=field,
        )
    return CheckedFile(
        name=name,
        content_type=actual,
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _read(uploaded_file: UploadedFileLike, *, limit: int, shown: str, field: str) -> bytes:
    # The declared size can lie (a streamed body); count while reading and stop one byte past the limit.
    buffer = bytearray()
    for chunk in uploaded_file.chunks():
        buffer.extend(chunk)
        if len(buffer) > limit:
            raise _too_large(shown, limit, field)
    return bytes(buffer)


def _too_large(shown: str, limit: int, field: str) -> UploadRefused:
    message = _("%(name)s: file is larger than %(limit)s") % {"name": shown, "limit": _megabytes(limit)}
    return UploadRefused(message, code=CoreError.TOO_LARGE, field=field)


def _megabytes(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.0f} MiB"
    return _("%(count)d bytes") % {"count": limit}
