"""HTML to PDF with WeasyPrint, in the Noto CJK font that Chinese court documents need: the one place the
platform calls WeasyPrint.

Without a CJK font WeasyPrint still renders, silently, with empty boxes for every Chinese character; so the
font is looked up first and its absence is an error that names the package to install. A document is read
with no base URL and a fetcher that only reads data: URLs, so it cannot reach the network or the file system,
whatever its content says.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

CJK_FAMILY = "Noto Sans CJK SC"
CJK_PACKAGE = "fonts-noto-cjk"


class FontMissing(RuntimeError):
    """The CJK font that PDFs are rendered in is not installed."""


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF (its name, text content and a description)."""

    name: str
    content: str
    description: str


@functools.cache
def cjk_font_file() -> str:
    """The file of the Noto Sans CJK SC font, as fontconfig finds it; FontMissing when it is not installed."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise FontMissing(f"fontconfig's fc-match is missing; install the packages fontconfig and {CJK_PACKAGE}")
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [fc_match, "--format=%{family}\n%{file}", CJK_FAMILY], capture_output=True, text=True, check=False, timeout=30
    )
    family, _, path = result.stdout.partition("\n")
    # fc-match always answers with *some* font; only the CJK family itself will do.
    if result.returncode != 0 or CJK_FAMILY not in family:
        raise FontMissing(
            f"the font {CJK_FAMILY} is not installed (fontconfig offers {family or 'nothing'!r} instead); "
            f"install the Debian package {CJK_PACKAGE}"
        )
    return path


def _safe_html(html: str) -> Any:
    """WeasyPrint's HTML for a complete document, after checking the CJK font: the only place it is built."""
    cjk_font_file()
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    # No base_url, and a fetcher that only reads data: URLs: a document cannot reach the network or the file
    # system, whatever its content says.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}))


def html_to_pdf(html: str, *, attachments: Sequence[PdfAttachment] = ()) -> bytes:
    """Render a complete HTML document to PDF bytes (no network access: images must be data: URLs), with
    ``attachments`` embedded as files of the PDF."""
    document = _safe_html(html)
    if not attachments:
        pdf: bytes = document.write_pdf()
        return pdf
    from weasyprint import Attachment

    embedded = [Attachment(string=a.content, name=a.name, description=a.description) for a in attachments]
    with_files: bytes = document.write_pdf(attachments=embedded)
    return with_files


def template_to_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))


def laid_out(html: str) -> Any:
    """The laid-out WeasyPrint document of ``html`` (pages and boxes), for callers that measure the layout
    before writing the PDF with its ``write_pdf()``."""
    return _safe_html(html).render()
