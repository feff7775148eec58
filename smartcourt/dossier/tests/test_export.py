"""The PDF export: catalogue page, every entry from the page the catalogue names, one bookmark per entry.

The rendered pages are also written as PNGs to var/screenshots/ (pdftoppm), to be looked at."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings
from pypdf import PdfReader
from pypdf.generic import Destination

from smartcourt.core import pdf as pdf_module
from smartcourt.core.pdf import FontMissing, cjk_font_file
from smartcourt.dossier.export import build_pdf
from smartcourt.dossier.selectors import dossier_for
from smartcourt.dossier.tests.helpers import fill_dossier

if TYPE_CHECKING:
    from conftest import Personas

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.mark.django_db
def test_the_pdf_has_a_catalogue_every_entry_and_bookmarks(personas: Personas, tmp_path: Path) -> None:
    fill_dossier(personas)
    # (The download itself is the background export's: smartcourt/exports/tests.)
    content = build_pdf(dossier_for(personas.judge, personas.case.pk))
    reader = PdfReader(io.BytesIO(content))
    # Catalogue 1 page, ruling 2 pages, photo 1, text-file info page 1, record 1, correction 1.
    assert len(reader.pages) == 7
    assert bookmarks(reader) == [
        ("卷宗目录", 0),
        ("1 受理破产清算申请民事裁定书", 1),
        ("2 厂房现场照片", 3),
        ("3 财产状况说明", 4),
        ("4 债权申报期限届满", 5),
        ("5 更正：裁定书落款日期", 6),
    ]
    catalogue = reader.pages[0].extract_text()
    # The heading is letter-spaced, which text extraction turns into spaces.
    assert "卷 宗 目 录" in catalogue
    for text in [personas.case.number, "如东某某建设有限公司破产清算案", "如东县人民法院", "更正第 1 号条目"]:
        assert text in catalogue
    # The start pages printed in the catalogue are where the bookmarks point (1-based).
    starts = [int(match) for match in re.findall(r"\d\d:\d\d (\d+)$", catalogue, flags=re.MULTILINE)]
    assert starts == [2, 4, 5, 6, 7]
    assert "民事裁定书 第2页" in reader.pages[2].extract_text()
    info = reader.pages[4].extract_text()
    assert "3 号 · 文书 · 财产状况说明" in info
    assert "SHA-256" in info
    assert reader.metadata is not None and reader.metadata.title == f"{personas.case.number} 电子卷宗"
    _render(content, tmp_path)


def bookmarks(reader: PdfReader) -> list[tuple[str, int | None]]:
    """The top-level outline: each bookmark's title and the (0-based) page it opens."""
    found = []
    for item in reader.outline:
        assert isinstance(item, Destination), "the outline is flat: one bookmark per entry"
        found.append((str(item.title), reader.get_destination_page_number(item)))
    return found


def _render(content: bytes, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    source = tmp_path / "dossier.pdf"
    source.write_bytes(content)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = SCREENSHOTS / "dossier-export"
    for old in SCREENSHOTS.glob("dossier-export-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(source), str(prefix)], check=True, timeout=120)  # noqa: S603, S607
    pages = sorted(SCREENSHOTS.glob("dossier-export-*.png"))
    assert len(pages) == 7
    assert all(page.stat().st_size > 2_000 for page in pages)


@pytest.mark.django_db
def test_an_empty_dossier_still_exports_its_catalogue(personas: Personas) -> None:
    reader = PdfReader(io.BytesIO(build_pdf(dossier_for(personas.judge, personas.case.pk))))
    assert len(reader.pages) == 1
    assert "卷宗中尚无条目" in reader.pages[0].extract_text()


@pytest.mark.django_db
def test_a_long_catalogue_runs_over_pages_and_the_start_pages_follow(personas: Personas) -> None:
    from smartcourt.dossier.actions import file_entry

    for index in range(1, 61):
        file_entry(actor=personas.judge, case=personas.case, kind="node_record", title=f"节点记录{index}")
    reader = PdfReader(io.BytesIO(build_pdf(dossier_for(personas.judge, personas.case.pk))))
    catalogue_pages = len(reader.pages) - 60
    assert catalogue_pages >= 2
    assert bookmarks(reader)[1] == ("1 节点记录1", catalogue_pages)
    assert "节点记录1" in reader.pages[catalogue_pages].extract_text()


def test_a_missing_cjk_font_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    cjk_font_file.cache_clear()
    monkeypatch.setattr(pdf_module, "CJK_FAMILY", "Font That Is Not Installed SC")
    try:
        with pytest.raises(FontMissing, match="install the Debian package fonts-noto-cjk"):
            cjk_font_file()
    finally:
        cjk_font_file.cache_clear()
