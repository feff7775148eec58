"""The one spreadsheet reader for every import (creditor lists, employee lists, payment files), and the writer.

Spreadsheets are hostile input, in three ways this module stops before anything is allocated:

- **The archive.** An xlsx is a zip: its central directory states each part's inflated size without inflating
  anything. A workbook whose parts inflate beyond ``MAX_INFLATED`` bytes, or far beyond its own size (a zip
  bomb), is refused; every part is then read through ``zipfile``, which never inflates past the stated size and
  checks each part's CRC, so a directory that lies is refused too.
- **The sheet's extent.** python-calamine allocates the whole rectangle from A1 to the last cell it meets: a
  5 KB file whose only far cell is ``XFD1048576`` makes it allocate 512 GiB and abort the process (not an
  exception: the worker dies), and a sparse sheet with one cell at row 200,000 costs 470 MB. So the sheet's
  XML is first streamed with a non-expanding parser (defusedxml: no DTD, no entities), element by element
  and freed as it goes: the declared ``<dimension>``, every row number and every cell reference are checked
  against the caller's row and column limits and the rectangle's area, and a sheet whose used range is mostly
  empty rows (a stray cell far below the list) is refused. Only a sheet that passed is handed to calamine,
  whose allocation is then bounded by ``max_rows`` x ``max_columns``.
- **The cells.** A cell may hold a formula, or text that a spreadsheet program would run as one when the file
  is opened again (=, +, -, @: "CSV injection"), and account numbers typed as numbers lose their digits. The
  stream records the formula cells, so the importers report each by line and column; writing escapes every text
  cell that starts with one of those characters and writes no formula at all.

Why a streaming pre-check and not calamine in a child process with memory limits: the check is exact (it
refuses on the cell that breaks a limit and says so), costs one pass over XML that is read anyway, needs no
process per upload, and cannot be defeated by what a resource limit measures differently on another system.
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
from xml.etree.ElementTree import Element
from xml.parsers import expat
from xml.sax.saxutils import escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.translation import gettext as _

from smartcourt.core.lengths import shorten

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry at all.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_REFERENCE = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")

MAX_INFLATED = 200 * 1024 * 1024  # bytes of all parts inflated: a 200,000-line payment file is ~70 MB
MAX_RATIO = 200  # inflated / compressed, over the whole archive, once it inflates past RATIO_FLOOR
RATIO_FLOOR = 4 * 1024 * 1024  # below this a workbook cannot hurt, whatever its ratio
MAX_SMALL_PART = 2 * 1024 * 1024  # workbook.xml and its relationships: a list of sheets
MAX_AREA = 2_500_000  # cells in the rectangle calamine allocates (~80 MB of cells at the worst)
MAX_EMPTY_ROWS = 1_000  # empty rows inside the used range: more is a stray cell far below the list
DEFAULT_MAX_COLUMNS = 64
DEFAULT_MAX_ROWS = 200_001  # the longest import: a payment file of 200,000 lines and its header

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

CellValue = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


class SpreadsheetUnreadable(Exception):
    """The file is not a spreadsheet this platform reads, or it breaks a limit; the message says which, in
    the user's language."""


@dataclass(frozen=True)
class Sheet:
    """The rows of a spreadsheet's first sheet, the (row, column) positions holding formulas (0-based), and
    the text encoding (csv only)."""

    rows: list[list[CellValue]]
    formulas: frozenset[tuple[int, int]]
    encoding: str = ""


@dataclass(frozen=True)
class Limits:
    """What one import accepts: rows (the header included) and columns."""

    max_rows: int
    max_columns: int = DEFAULT_MAX_COLUMNS


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, Z -> 25, AA -> 26."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


DEFAULT_LIMITS = Limits(max_rows=DEFAULT_MAX_ROWS)


def read_sheet(content: bytes, filename: str, *, limits: Limits = DEFAULT_LIMITS) -> Sheet:
    """The first sheet of an .xlsx or .csv file within ``limits``; SpreadsheetUnreadable otherwise."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content, limits)
    if name.endswith(".csv"):
        return _read_csv(content, limits)
    raise SpreadsheetUnreadable(_("only .xlsx and .csv files are accepted"))


# --- xlsx ----------------------------------------------------------------------------------------------------


def _read_xlsx(content: bytes, limits: Limits) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SpreadsheetUnreadable(_("not a readable xlsx workbook (the zip archive is damaged)")) from exc
    with archive:
        _check_archive(archive, len(content))
        part = _first_sheet_part(archive)
        formulas = _scan_sheet(archive, part, limits)
    return Sheet(rows=_calamine_rows(content), formulas=formulas)


def _check_archive(archive: zipfile.ZipFile, size: int) -> None:
    # The central directory alone: nothing is inflated here.
    infos = archive.infolist()
    inflated = sum(info.file_size for info in infos)
    if inflated > MAX_INFLATED or (inflated > RATIO_FLOOR and inflated > MAX_RATIO * max(size, 1)):
        raise SpreadsheetUnreadable(
            _("the workbook would inflate to %(inflated)s MB from a %(size)s KB file (a zip bomb): refused")
            % {"inflated": inflated // (1024 * 1024), "size": max(size // 1024, 1)}
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise SpreadsheetUnreadable(_("the workbook is encrypted: save it without a password"))


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_SMALL_PART:
        raise SpreadsheetUnreadable(_("the workbook's part %(part)s is too large") % {"part": name})
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise SpreadsheetUnreadable(_("not a readable xlsx workbook (the zip archive is damaged)")) from exc


def _parse_small(archive: zipfile.ZipFile, name: str) -> Element:
    try:
        return fromstring(_read_part(archive, name))
    except (ParseError, DefusedXmlException, KeyError) as exc:
        raise SpreadsheetUnreadable(_("not a readable xlsx workbook (%(part)s is damaged)") % {"part": name}) from exc


def _first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The path of the first sheet as the workbook lists it (the one calamine reads as sheet 0)."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise SpreadsheetUnreadable(_("not a readable xlsx workbook (it has no xl/workbook.xml)"))
    sheet = _parse_small(archive, "xl/workbook.xml").find(f"{_MAIN}sheets/{_MAIN}sheet")
    if sheet is None:
        raise SpreadsheetUnreadable(_("the workbook has no sheet"))
    relation = sheet.get(f"{_REL}id", "")
    target = ""
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in _parse_small(archive, "xl/_rels/workbook.xml.rels").iter(f"{_PACKAGE_REL}Relationship"):
            if rel.get("Id") == relation:
                target = rel.get("Target", "")
    path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    if not target or path not in names:
        raise SpreadsheetUnreadable(_("not a readable xlsx workbook (its first sheet is missing)"))
    return path


@dataclass
class _Extent:
    limits: Limits
    last_row: int = 0  # 1-based, as in the XML
    last_column: int = -1  # 0-based
    rows_with_cells: int = 0

    def row(self, number: int) -> None:
        if number > self.limits.max_rows:
            raise SpreadsheetUnreadable(
                _("the sheet has a row %(row)s; at most %(max)s rows are read (a stray cell far below the list?)")
                % {"row": number, "max": self.limits.max_rows}
            )
        self.last_row = max(self.last_row, number)

    def column(self, index: int, row: int) -> None:
        if index >= self.limits.max_columns:
            raise SpreadsheetUnreadable(
                _("the sheet has a cell at %(cell)s; at most %(max)s columns (up to %(last)s) are read")
                % {
                    "cell": f"{column_letter(index)}{row}",
                    "max": self.limits.max_columns,
                    "last": column_letter(self.limits.max_columns - 1),
                }
            )
        self.last_column = max(self.last_column, index)
        if self.last_row * (self.last_column + 1) > MAX_AREA:
            raise SpreadsheetUnreadable(
                _("the sheet spans %(rows)s rows by %(columns)s columns, more than %(max)s cells")
                % {"rows": self.last_row, "columns": self.last_column + 1, "max": MAX_AREA}
            )

    def finish(self) -> None:
        empty = self.last_row - self.rows_with_cells
        if empty > MAX_EMPTY_ROWS:
            raise SpreadsheetUnreadable(
                _(
                    "the sheet reaches row %(row)s but %(empty)s of its rows are empty: delete the stray cells "
                    "below the list"
                )
                % {"row": self.last_row, "empty": empty}
            )


def _declared(reference: str, limits: Limits) -> None:
    """The sheet's own statement of its extent (``<dimension ref="A1:H120"/>``), checked before any row."""
    last = reference.split(":")[-1].strip().upper()
    match = _REFERENCE.match(last)
    if match is None:
        return  # absent or malformed: the cells themselves are checked below
    row, column = int(match.group(2)), column_index(match.group(1))
    if row > limits.max_rows or column >= limits.max_columns or row * (column + 1) > MAX_AREA:
        raise SpreadsheetUnreadable(
            _("the sheet declares its cells reach %(cell)s; at most %(rows)s rows and %(columns)s columns are read")
            % {"cell": last, "rows": limits.max_rows, "columns": limits.max_columns}
        )


class _SheetScanner:
    """Expat callbacks over the sheet's XML: every row and cell checked as it arrives, nothing kept but the
    formula positions. pyexpat directly (not ElementTree, which builds elements in pure Python: 23 s for
    200,000 lines) with defusedxml's rules: a DTD or an entity declaration refuses the file."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.extent = _Extent(limits)
        self.formulas: set[tuple[int, int]] = set()
        self.row_number = 0
        self.column = -1
        self.row_has_cells = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = name.rpartition("}")[2]
        if tag == "c":
            self.column = _cell_column(attributes.get("r"), self.column, self.row_number)
            self.extent.column(self.column, self.row_number)
            self.row_has_cells = True
        elif tag == "f":
            self.formulas.add((self.row_number - 1, self.column))
        elif tag == "row":
            self.extent.rows_with_cells += self.row_has_cells
            reference = attributes.get("r")
            self.row_number = int(reference) if reference and reference.isdigit() else self.row_number + 1
            self.extent.row(self.row_number)
            self.column, self.row_has_cells = -1, False
        elif tag == "dimension":
            _declared(attributes.get("ref", ""), self.limits)

    def finish(self) -> frozenset[tuple[int, int]]:
        self.extent.rows_with_cells += self.row_has_cells
        self.extent.finish()
        return frozenset(self.formulas)


def _forbidden(*_args: object) -> None:
    raise SpreadsheetUnreadable(_("not a readable xlsx workbook (the sheet's XML declares a DTD or entities)"))


def _scan_sheet(archive: zipfile.ZipFile, part: str, limits: Limits) -> frozenset[tuple[int, int]]:
    """Stream the sheet's XML once, checking every row and cell against the limits; the formula cells."""
    scanner = _SheetScanner(limits)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = scanner.start
    parser.StartDoctypeDeclHandler = _forbidden
    parser.EntityDeclHandler = _forbidden
    parser.ExternalEntityRefHandler = _forbidden  # type: ignore[assignment]
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise SpreadsheetUnreadable(_("not a readable xlsx workbook (the sheet's XML is damaged)")) from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        # zipfile stops at the stated size and checks the CRC at the end: a lying archive lands here.
        raise SpreadsheetUnreadable(_("not a readable xlsx workbook (the zip archive is damaged)")) from exc
    return scanner.finish()


def _cell_column(reference: str | None, previous: int, row_number: int) -> int:
    if not reference:
        return previous + 1  # a cell without a reference follows the previous one
    match = _REFERENCE.match(reference.upper())
    if match is None or int(match.group(2)) != row_number:
        raise SpreadsheetUnreadable(
            _("not a readable xlsx workbook (a cell reference %(ref)s is not in row %(row)s)")
            % {"ref": shorten(reference, 20), "row": row_number}
        )
    return column_index(match.group(1))


def _calamine_rows(content: bytes) -> list[list[CellValue]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        if not workbook.sheet_names:
            raise SpreadsheetUnreadable(_("the workbook has no sheet"))
        return [list(row) for row in workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)]
    except SpreadsheetUnreadable:
        raise
    except Exception as exc:  # calamine raises several unrelated types for a broken file
        raise SpreadsheetUnreadable(
            _("not a readable xlsx workbook (%(name)s)") % {"name": exc.__class__.__name__}
        ) from exc


# --- csv -----------------------------------------------------------------------------------------------------


def _read_csv(content: bytes, limits: Limits) -> Sheet:
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
    rows: list[list[CellValue]] = []
    for row in csv.reader(io.StringIO(text, newline="")):
        if len(rows) >= limits.max_rows:
            raise SpreadsheetUnreadable(
                _("the file has more than %(max)s lines; at most %(max)s are read") % {"max": limits.max_rows}
            )
        if len(row) > limits.max_columns:
            raise SpreadsheetUnreadable(
                _("line %(line)s has %(count)s columns; at most %(max)s are read")
                % {"line": len(rows) + 1, "count": len(row), "max": limits.max_columns}
            )
        rows.append(list(row))
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
    # Excel opens no workbook whose sheet name is longer than 31 characters; the name is a label of ours.
    name = escape(shorten(safe_text(sheet_name), 31))
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
