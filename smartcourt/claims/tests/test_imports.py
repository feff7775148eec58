"""Importing the debtor's creditor list and the employee list: each bad file with its exact error, all or
nothing, GBK csv, and a 10,000-line import (its time is printed, not asserted)."""

from __future__ import annotations

import io
import time
import zipfile
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcourt.claims.actions import ImportRefused, import_creditor_list
from smartcourt.claims.imports import DEBTOR_LIST_COLUMNS, EMPLOYEE_LIST_COLUMNS
from smartcourt.claims.models import Creditor
from smartcourt.claims.tests.helpers import counts, open_proceeding
from smartcourt.core.errors import NotFound, PermissionDenied
from smartcourt.core.identifiers import credit_code_check_char, identity_number_problem
from smartcourt.core.spreadsheets import read_sheet, write_xlsx

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db

PERSON = "11010519491231002X"
COMPANY = "914403001922038216"


@pytest.fixture
def p(personas: Personas) -> Personas:
    open_proceeding(personas)
    return personas


def good_rows() -> list[list[Any]]:
    return [
        DEBTOR_LIST_COLUMNS,
        ["刘债权", "个人", PERSON, "13800138000", "6222020200112233445", "普通", "100000.50", "1200"],
        ["深圳某某公司", "单位", COMPANY, "", "", "有财产担保", "2500000", ""],
    ]


def xlsx(rows: list[list[Any]]) -> SimpleUploadedFile:
    return SimpleUploadedFile("债权人清册.xlsx", write_xlsx(rows))


def csv_file(rows: list[list[Any]], encoding: str = "utf-8") -> SimpleUploadedFile:
    text = "\r\n".join(",".join(str(value) for value in row) for row in rows) + "\r\n"
    return SimpleUploadedFile("债权人清册.csv", text.encode(encoding))


def refused(p: Personas, uploaded: SimpleUploadedFile, source: str = "debtor_list") -> list[str]:
    before = counts()
    with pytest.raises(ImportRefused) as caught:
        import_creditor_list(actor=p.administrator, case_id=p.case.pk, uploaded_file=uploaded, source=source)
    assert counts() == before
    return [str(problem) for problem in caught.value.problems]


def test_good_xlsx_imports_every_line(p: Personas) -> None:
    report = import_creditor_list(
        actor=p.administrator, case_id=p.case.pk, uploaded_file=xlsx(good_rows()), source="debtor_list"
    )
    assert report.created == 2
    person = Creditor.objects.get(identifier=PERSON)
    assert (person.account, person.listed_principal_fen, person.listed_interest_fen) == (
        "6222020200112233445",
        10_000_050,
        120_000,
    )
    company = Creditor.objects.get(identifier=COMPANY)
    assert (company.kind, company.listed_nature, company.source) == ("organisation", "secured", "debtor_list")


def test_gbk_csv_is_detected_and_imported(p: Personas) -> None:
    report = import_creditor_list(
        actor=p.administrator, case_id=p.case.pk, uploaded_file=csv_file(good_rows(), "gbk"), source="debtor_list"
    )
    assert (report.created, report.encoding) == (2, "gbk")
    assert Creditor.objects.get(identifier=PERSON).name == "刘债权"


def test_wrong_columns(p: Personas) -> None:
    rows = good_rows()
    rows[0] = ["名称", *DEBTOR_LIST_COLUMNS[1:]]
    assert refused(p, xlsx(rows)) == [
        "line 1: wrong columns: expected 债权人名称 | 类型 | 证件号码 | 联系电话 | 银行账号 | 债权性质 | 本金 | 利息; "
        "found 名称 | 类型 | 证件号码 | 联系电话 | 银行账号 | 债权性质 | 本金 | 利息"
    ]


def test_formula_cell(p: Personas) -> None:
    rows = good_rows()
    rows[2][6] = 2500000
    content = write_xlsx(rows)
    source = io.BytesIO(content)
    target = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="G3"><v>2500000</v></c>', b'<c r="G3"><f>SUM(1,2)</f><v>3</v></c>')
            new.writestr(info, data)
    assert refused(p, SimpleUploadedFile("list.xlsx", target.getvalue())) == [
        "line 3, cell G3 (本金): holds a formula; enter the value itself"
    ]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_cells_starting_with_formula_characters(p: Personas, prefix: str) -> None:
    rows = good_rows()
    rows[1][0] = f'{prefix}HYPERLINK("http://x")'
    assert refused(p, csv_file(rows)) == [
        f"line 2, cell A2 (债权人名称): starts with '{prefix}'; a cell may not start with = + - or @"
    ]


def test_account_stored_as_number_in_xlsx_and_in_scientific_csv(p: Personas) -> None:
    rows = good_rows()
    rows[1][4] = 6222020200112233445
    assert refused(p, xlsx(rows)) == [
        "line 2, cell E2 (银行账号): account number is stored as a number; format the column as text and enter it again"
    ]
    rows[1][4] = "6.22202E+18"
    assert refused(p, csv_file(rows)) == [
        "line 2, cell E2 (银行账号): account number 6.22202E+18 was saved as a number in scientific notation; "
        "digits are lost"
    ]


def test_duplicate_creditors_in_the_file_and_in_the_case(p: Personas) -> None:
    rows = good_rows()
    rows.append(["刘某", "个人", PERSON.lower(), "", "", "", "1", ""])
    assert refused(p, xlsx(rows)) == [f"line 4, cell C4 (证件号码): duplicate creditor: {PERSON} is already on line 2"]
    import_creditor_list(
        actor=p.administrator, case_id=p.case.pk, uploaded_file=xlsx(good_rows()), source="debtor_list"
    )
    assert refused(p, xlsx(good_rows()[:2])) == [
        f"line 2, cell C2 (证件号码): duplicate creditor: {PERSON} is already a creditor of this case"
    ]


def test_amount_with_more_than_two_decimals_and_bad_identifier(p: Personas) -> None:
    rows = good_rows()
    rows[1][6] = "100.005"
    rows[2][2] = COMPANY[:-1] + "0"
    assert refused(p, csv_file(rows)) == [
        "line 2, cell G2 (本金): 100.005 has more than two decimals",
        f"line 3, cell C3 (证件号码): {COMPANY[:-1]}0: check character is 0, expected 6",
    ]


def test_float_amount_from_xlsx_uses_its_decimal_text(p: Personas) -> None:
    rows = good_rows()
    rows[1][6] = Decimal("0.1")
    report = import_creditor_list(
        actor=p.administrator, case_id=p.case.pk, uploaded_file=xlsx(rows), source="debtor_list"
    )
    assert report.created == 2
    assert Creditor.objects.get(identifier=PERSON).listed_principal_fen == 10


def test_undecodable_csv_and_fake_xlsx(p: Personas) -> None:
    assert refused(p, SimpleUploadedFile("list.csv", b"\xff\xfe\x00a")) == [
        "line 0: the file is binary, not a csv text file"
    ]
    assert refused(p, SimpleUploadedFile("list.xlsx", b"name,kind\n")) == [
        "line 0: the content is not an xlsx workbook"
    ]
    assert refused(p, SimpleUploadedFile("list.xls", b"x")) == ["line 0: only .xlsx and .csv files are accepted"]


def test_employee_list(p: Personas) -> None:
    rows = [EMPLOYEE_LIST_COLUMNS, ["王工", PERSON, "13800138000", "6222020200112233445", "30000", "5000.5", "12000"]]
    report = import_creditor_list(
        actor=p.administrator, case_id=p.case.pk, uploaded_file=xlsx(rows), source="employee_list"
    )
    assert report.created == 1
    worker = Creditor.objects.get()
    assert (worker.source, worker.listed_nature, worker.listed_principal_fen, worker.listed_other_fen) == (
        "employee_list",
        "employee",
        3_000_000,
        1_700_050,
    )


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("judge", PermissionDenied),
        ("creditor_a", PermissionDenied),
        ("other_administrator", NotFound),
        ("creditor_b", NotFound),
    ],
)
def test_only_the_appointed_administrator_imports(p: Personas, persona: str, error: type[Exception]) -> None:
    before = counts()
    with pytest.raises(error):
        import_creditor_list(
            actor=getattr(p, persona), case_id=p.case.pk, uploaded_file=xlsx(good_rows()), source="debtor_list"
        )
    assert counts() == before


def identity(serial: int) -> str:
    stem = f"320623198001{1 + serial // 1000 % 28:02d}{serial % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(stem, weights, strict=True)) % 11]
    return stem + check


def company(serial: int) -> str:
    stem = f"91320623MA{serial:07d}"
    return stem + credit_code_check_char(stem)


def test_ten_thousand_lines(p: Personas, capsys: Any) -> None:
    rows: list[list[Any]] = [DEBTOR_LIST_COLUMNS]
    for serial in range(10_000):
        if serial % 2:
            rows.append(
                [
                    f"债权人{serial}",
                    "个人",
                    identity(serial),
                    "13800138000",
                    f"62220{serial:014d}",
                    "普通",
                    f"{serial}.25",
                    "10",
                ]
            )
        else:
            rows.append([f"公司{serial}", "单位", company(serial), "", "", "普通", "1000", ""])
    assert identity_number_problem(identity(9999)) is None
    content = write_xlsx(rows)
    started = time.perf_counter()
    assert len(read_sheet(content, "x.xlsx").rows) == 10_001
    report = import_creditor_list(
        actor=p.administrator,
        case_id=p.case.pk,
        uploaded_file=SimpleUploadedFile("big.xlsx", content),
        source="debtor_list",
    )
    elapsed = time.perf_counter() - started
    assert report.created == 10_000
    assert Creditor.objects.filter(case=p.case).count() == 10_000
    with capsys.disabled():
        print(f"\n10,000-line xlsx import: {elapsed:.2f} s ({len(content) // 1024} KiB)")  # noqa: T201 - the figure is reported, never asserted
