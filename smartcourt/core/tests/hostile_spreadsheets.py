"""Hostile workbooks, built byte by byte, for the reader's tests and every import that uses it."""

from __future__ import annotations

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook(sheet_xml: str | bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    """An xlsx whose first sheet is ``sheet_xml``, with the parts a reader needs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def far_cell(*, declared: bool) -> bytes:
    """5 KB or less: a header and one cell at XFD1048576, the last cell a sheet can have. python-calamine
    allocates the rectangle up to it (512 GiB) and aborts the process."""
    dimension = '<dimension ref="A1:XFD1048576"/>' if declared else ""
    return workbook(
        f'<worksheet xmlns="{MAIN}">{dimension}<sheetData><row r="1">{_text_cell("A1", "债权人名称")}</row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )


def sparse_row(row: int = 200_000, column: str = "H") -> bytes:
    """A header and one cell at row 200,000: calamine fills every row between (hundreds of MB)."""
    return workbook(
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{_text_cell("A1", "债权人名称")}</row>'
        f'<row r="{row}"><c r="{column}{row}"><v>1</v></c></row></sheetData></worksheet>'
    )


def zip_bomb(inflated: int = 50_000_000) -> bytes:
    """A sheet of whitespace that inflates about a thousand times its compressed size."""
    return workbook(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + b" " * inflated + b"</sheetData></worksheet>")


def entity_expansion() -> bytes:
    """The "billion laughs": entities that expand to gigabytes. Refused on the DTD, before any expansion."""
    lol = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    return workbook(
        f'<?xml version="1.0"?>{lol}<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        f"{_text_cell('A1', '&b;')}</row></sheetData></worksheet>"
    )


def lying_directory() -> bytes:
    """A zip whose central directory understates a part's inflated size (a bomb that hides from the check)."""
    content = bytearray(zip_bomb(2_000_000))
    name = b"xl/worksheets/sheet1.xml"
    # The central directory entry: signature PK\x01\x02; its uncompressed size is at offset 24 (4 bytes).
    start = content.rfind(b"PK\x01\x02", 0, content.rfind(name))
    content[start + 24 : start + 28] = (1000).to_bytes(4, "little")
    return bytes(content)
