"""The one spreadsheet reader: hostile workbooks are refused before anything is allocated, with the reason in
the user's language; good ones read as before (numbers, text, formulas found)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import translation

from smartcourt.core.spreadsheets import (
    MAX_EMPTY_ROWS,
    Limits,
    SpreadsheetUnreadable,
    read_sheet,
    write_xlsx,
)
from smartcourt.core.tests import hostile_spreadsheets as hostile

LIMITS = Limits(max_rows=200_101, max_columns=32)


@pytest.fixture(autouse=True)
def _calamine_must_not_run(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    # Were a hostile file to reach python-calamine, the test process itself would abort; make it an error.
    if "good" in request.node.name:
        return

    def refuse(content: bytes) -> None:
        raise AssertionError("a hostile workbook reached python-calamine")

    monkeypatch.setattr("smartcourt.core.spreadsheets._calamine_rows", refuse)


def refusal(content: bytes, limits: Limits = LIMITS) -> str:
    with translation.override("zh-hans"), pytest.raises(SpreadsheetUnreadable) as caught:
        read_sheet(content, "清单.xlsx", limits=limits)
    return str(caught.value)


@pytest.mark.parametrize("declared", [True, False])
def test_a_far_cell_is_refused_on_its_row(declared: bool) -> None:
    content = hostile.far_cell(declared=declared)
    assert len(content) < 5 * 1024
    if declared:
        assert refusal(content) == "工作表声明其单元格延伸到 XFD1048576；最多读取 200101 行、32 列"
    else:
        assert refusal(content) == "工作表中有第 1048576 行；最多读取 200101 行（清单下方远处是否有多余的单元格？）"


def test_a_far_column_is_refused_on_its_cell() -> None:
    content = hostile.sparse_row(row=2, column="XFD")
    assert refusal(content) == "工作表在 XFD2 有单元格；最多读取 32 列（至 AF 列）"


def test_a_sparse_sheet_is_refused_on_its_empty_rows() -> None:
    # Within the row limit of a payment file, but 199,998 empty rows for calamine to fill.
    assert refusal(hostile.sparse_row()) == "工作表延伸到第 200000 行，但其中 199998 行为空：请删除清单下方多余的单元格"
    # Below the claims import's row limit it is refused on the row itself.
    assert refusal(hostile.sparse_row(), Limits(max_rows=50_002)) == (
        "工作表中有第 200000 行；最多读取 50002 行（清单下方远处是否有多余的单元格？）"
    )


def test_a_zip_bomb_is_refused_unread() -> None:
    content = hostile.zip_bomb()
    assert refusal(content) == f"该工作簿仅 {len(content) // 1024} KB，解压后却达 47 MB（压缩炸弹），已拒绝"


def test_a_directory_that_understates_a_part_is_refused() -> None:
    assert refusal(hostile.lying_directory()) == "无法读取的 xlsx 工作簿（压缩包已损坏）"


def test_entities_are_refused_before_any_expansion() -> None:
    assert refusal(hostile.entity_expansion()) == "无法读取的 xlsx 工作簿（工作表的 XML 声明了 DTD 或实体）"


def test_not_a_zip_at_all() -> None:
    assert refusal(b"PK\x03\x04 but nothing else") == "无法读取的 xlsx 工作簿（压缩包已损坏）"


def test_a_good_workbook_reads_with_its_formulas() -> None:
    rows: list[list[str | int | None]] = [["户名", "金额"]]
    rows += [[f"张三{i}", i] for i in range(1, MAX_EMPTY_ROWS + 5)]
    content = write_xlsx(rows)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").replace(
            b'<c r="B3"><v>2</v></c>', b'<c r="B3"><f>1+1</f><v>2</v></c>'
        )
    sheet = read_sheet(hostile.workbook(xml), "a.xlsx")
    assert sheet.rows[0] == ["户名", "金额"] and sheet.rows[2] == ["张三2", 2.0] and len(sheet.rows) == len(rows)
    assert sheet.formulas == frozenset({(2, 1)})


def test_a_good_workbook_with_a_few_empty_rows_reads() -> None:
    content = hostile.sparse_row(row=MAX_EMPTY_ROWS + 1, column="B")
    assert len(read_sheet(content, "a.xlsx", limits=LIMITS).rows) == MAX_EMPTY_ROWS + 1


def test_csv_limits() -> None:
    with translation.override("zh-hans"), pytest.raises(SpreadsheetUnreadable, match="文件超过 3 行；最多读取 3 行"):
        read_sheet(b"a\nb\nc\nd\n", "x.csv", limits=Limits(max_rows=3))
    with translation.override("zh-hans"), pytest.raises(SpreadsheetUnreadable, match="第 1 行有 3 列；最多读取 2 列"):
        read_sheet(b"a,b,c\n", "x.csv", limits=Limits(max_rows=3, max_columns=2))
