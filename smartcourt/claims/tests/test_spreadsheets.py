"""The xlsx writer never writes a cell that a spreadsheet would run, and reads back what it wrote."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from smartcourt.core.spreadsheets import column_letter, read_sheet, safe_text, write_xlsx


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\r=1"])
def test_dangerous_text_is_prefixed_with_a_quote(value: str) -> None:
    assert safe_text(value) == "'" + value


def test_written_workbook_has_no_formula_and_escapes_xml() -> None:
    content = write_xlsx([['=HYPERLINK("http://evil")', "<b>&", Decimal("12.50"), 3], ["@x", None, "", "ok"]])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert "&lt;b&gt;&amp;" in sheet
    rows = read_sheet(content, "t.xlsx").rows
    assert rows[0][0] == '\'=HYPERLINK("http://evil")'
    assert rows[0][2] == 12.5 and rows[0][3] == 3
    assert rows[1][0] == "'@x"


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
