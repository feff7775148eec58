"""Amount cells of a payment file: text or number, read to the fen with integers only."""

from __future__ import annotations

import pytest

from smartcourt.distributions.payment_file_check import CheckedLine, _amount


@pytest.mark.parametrize(
    ("value", "fen", "error"),
    [
        ("1000.00", 100_000, None),
        ("1000.5", 100_050, None),
        ("1000.100", 100_010, None),  # trailing zeros are not fractions of a fen
        ("0.01", 1, None),
        (1000, 100_000, None),
        (1000.1, 100_010, None),  # a number cell, through its shortest repr
        ("1000.001", None, "amount_decimals"),
        ("0", None, "amount_range"),
        ("0.00", None, "amount_range"),
        ("-5", None, "amount_invalid"),
        ("1,000.00", None, "amount_invalid"),
        ("1e3", None, "amount_invalid"),
        ("", None, "amount_missing"),
        (None, None, "amount_missing"),
        (True, None, "amount_invalid"),
        ("99999999999999", None, "amount_invalid"),
    ],
)
def test_amounts(value: object, fen: int | None, error: str | None) -> None:
    line = CheckedLine(row=2)
    _amount(line, value)  # type: ignore[arg-type]
    assert line.amount_fen == fen
    assert [e["code"] for e in line.errors] == ([error] if error else [])


# --- Issue 15.14: what the bank file bounds is refused at upload, with the reason, never cut ----------------

from django.utils import translation  # noqa: E402

from smartcourt.core.spreadsheets import CellValue  # noqa: E402
from smartcourt.distributions.payment_file_check import HEADER, Payee, check_rows, error_text  # noqa: E402


def _check(name: str, identity: str = "32062319800101001X", bank: str = "中国银行如东支行") -> list[dict[str, object]]:
    payee = Payee(creditor_id="c1", name=name, identity=identity, amount_fen=100_000)
    rows: list[list[CellValue]] = [
        list(HEADER),
        [1, name, identity, "6222020000000001", bank, "104306200021", "1000.00"],
    ]
    result = check_rows(rows, formulas=frozenset(), payees=[payee])
    (line,) = result.lines
    return line.errors


def test_a_payee_name_of_140_characters_passes() -> None:
    assert _check("南" * 140) == []


@pytest.mark.parametrize(
    ("kwargs", "field", "length", "maximum"),
    [
        ({"name": "南" * 141}, "name", 141, 140),
        ({"name": "张三", "bank": "银" * 141}, "bank_name", 141, 140),
        ({"name": "张三", "identity": "9" * 36}, "identity", 36, 35),
    ],
)
def test_an_over_long_field_is_an_error_on_its_line(
    kwargs: dict[str, str], field: str, length: int, maximum: int
) -> None:
    errors = _check(**kwargs)
    assert {"field": field, "code": "too_long", "params": {"length": length, "max": maximum}} in errors
    with translation.override("zh-hans"):
        text = error_text({"code": "too_long", "params": {"length": length, "max": maximum}})
    assert text == f"共 {length} 个字符，银行转账文件（ISO 20022）此处最多 {maximum} 个字符，请按银行登记的名称缩短"
