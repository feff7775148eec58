"""Reading creditor lists (xlsx with python-calamine, csv in UTF-8 or GBK) and writing the claims table as xlsx.

Spreadsheets are hostile input: a cell may hold a formula, or text that a spreadsheet program would run as
one when the file is opened again (=, +, -, @: "CSV injection"), and account numbers typed as numbers lose
their digits. Reading reports each such cell by line and column; writing escapes every text cell that starts
with one of those characters by prefixing a single quote, and writes no formula at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CELL_REF = re.compile(r'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)
# Characters XML 1.0 cannot carry at all.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

CellValue = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


class SpreadsheetUnreadable(Exception):
    """The file is not a spreadsheet this platform can read."""


@dataclass(frozen=True)
class Sheet:
    """The rows of a spreadsheet's first sheet, the (row, column) positions holding formulas (0-based), and
    the text encoding (csv only)."""

    rows: list[list[CellValue]]
    formulas: frozenset[tuple[int, int]]
    encoding: str = ""


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def read_sheet(content: bytes, filename: str) -> Sheet:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv"):
        return _read_csv(content)
    raise SpreadsheetUnreadable(_("only .xlsx and .csv files are accepted"))


def _read_xlsx(content: bytes) -> Sheet:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = workbook.sheet_names
        if not names:
            raise SpreadsheetUnreadable(_("the workbook has no sheet"))
        rows: list[list[CellValue]] = [
            list(row) for row in workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        ]
    except SpreadsheetUnreadable:
        raise
    except Exception as exc:  # calamine raises several unrelated types for a broken file
        raise SpreadsheetUnreadable(
            _("not a readable xlsx workbook (%(name)s)") % {"name": exc.__class__.__name__}
        ) from exc
    return Sheet(rows=rows, formulas=_xlsx_formulas(content))


def _xlsx_formulas(content: bytes) -> frozenset[tuple[int, int]]:
    """Cells of the first worksheet that hold a formula; calamine gives their cached values only."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        candidates = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
        if not candidates:
            return frozenset()
        first = "xl/worksheets/sheet1.xml" if "xl/worksheets/sheet1.xml" in candidates else candidates[0]
        info = archive.getinfo(first)
        if info.file_size > 200 * 1024 * 1024:
            raise SpreadsheetUnreadable(_("the worksheet is too large"))
        xml = archive.read(first).decode("utf-8", errors="replace")
    found = set()
    for match in _CELL_REF.finditer(xml):
        body = match.group(3) or ""
        if "<f" in body:
            found.add((int(match.group(2)) - 1, _column_index(match.group(1))))
    return frozenset(found)


def _read_csv(content: bytes) -> Sheet:
    if b"\x00" in content:
        raise SpreadsheetUnreadable(_("the file is binary, not a csv text file"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise SpreadsheetUnreadable(_("the csv file is neither UTF-8 nor GBK text"))
    rows: list[list[CellValue]] = [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    return Sheet(rows=rows, formulas=frozenset(), encoding="utf-8" if encoding == "utf-8-sig" else "gbk")


# --- writing -------------------------------------------------------------------------------------------------


def safe_text(value: str) -> str:
    """Text as it may go into a spreadsheet cell: never read as a formula, nothing XML cannot hold."""
    value = _XML_ILLEGAL.sub("", value)
    if value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _cell(ref: str, value: str | int | Decimal | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(safe_text(value))}</t></is></c>'


def write_xlsx(rows: Sequence[Sequence[str | int | Decimal | None]], *, sheet_name: str = "Sheet1") -> bytes:
    """A minimal SpreadsheetML workbook with one sheet: text as inline strings (escaped), numbers as numbers."""
    lines = []
    for row_index, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{column_letter(col)}{row_index}", value) for col, value in enumerate(row))
        lines.append(f'<row r="{row_index}">{cells}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(lines)}</sheetData></worksheet>"
    )
    name = escape(safe_text(sheet_name))[:31]
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return buffer.getvalue()
