"""HTML to PDF with WeasyPrint, in the Noto CJK font that Chinese court documents need.

Without a CJK font WeasyPrint still renders, silently, with empty boxes for every Chinese character; so the
font is looked up first and its absence is an error that names the package to install.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from typing import Any

from django.template.loader import render_to_string

CJK_FAMILY = "Noto Sans CJK SC"
CJK_PACKAGE = "fonts-noto-cjk"


class FontMissing(RuntimeError):
    """The CJK font that PDFs are rendered in is not installed."""


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


def html_to_pdf(html: str) -> bytes:
    """Render a complete HTML document to PDF bytes (no network access: images must be data: URLs)."""
    cjk_font_file()
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    # No base_url, and a fetcher that only reads data: URLs: a document cannot reach the network or the file
    # system, whatever its content says.
    pdf: bytes = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    return pdf


def template_to_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))
