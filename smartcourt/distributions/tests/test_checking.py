"""Amount cells of a payment file: text or number, read to the fen with integers only."""

from __future__ import annotations

import pytest

from smartcourt.distributions.checking import CheckedLine, _amount


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
