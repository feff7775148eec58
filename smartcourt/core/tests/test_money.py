from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from smartcourt.core.errors import DomainError
from smartcourt.core.money import MAX_FEN, fen_to_grouped_yuan, fen_to_yuan, yuan_to_fen


@pytest.mark.parametrize(
    ("text", "fen"), [("0", 0), ("0.01", 1), ("1234.5", 123450), ("1234.56", 123456), ("-3.10", -310)]
)
def test_yuan_strings_become_fen(text: str, fen: int) -> None:
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.001", "has more than two decimals"),
        ("abc", "is not an amount in yuan"),
        ("NaN", "is not an amount in yuan"),
        # An exponent is not how an amount is written: refused as such, before any range check.
        ("1e300", "is not an amount in yuan"),
        ("99999999999999.99", "is out of range"),
        ("١٢٣", "is not an amount in yuan"),  # Arabic-Indic digits: Decimal() would read 123
        ("๑๒๓", "is not an amount in yuan"),  # Thai digits
        ("①", "is not an amount in yuan"),
        ("1_000", "is not an amount in yuan"),
        ("+5", "is not an amount in yuan"),
    ],
)
def test_bad_amounts_are_refused(value: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        yuan_to_fen(value)


def test_floats_are_refused() -> None:
    with pytest.raises(DomainError, match="never floats"):
        yuan_to_fen(0.1)  # type: ignore[arg-type]


@given(st.integers(min_value=-MAX_FEN, max_value=MAX_FEN))
def test_fen_round_trip_through_yuan_strings(fen: int) -> None:
    text = fen_to_yuan(fen)
    assert Decimal(text) * 100 == fen
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize(
    ("fen", "shown"),
    [(0, "0.00"), (5, "0.05"), (123456, "1,234.56"), (100000000000, "1,000,000,000.00"), (-123456789, "-1,234,567.89")],
)
def test_amounts_for_people_are_grouped_by_thousands(fen: int, shown: str) -> None:
    assert fen_to_grouped_yuan(fen) == shown
    assert Template("{% load money %}{{ amount|yuan }}").render(Context({"amount": fen})) == shown


def test_table_figures_are_grouped_and_labels_left_alone() -> None:
    rendered = Template("{% load money %}{{ a|grouped }}|{{ b|grouped }}|{{ c|grouped }}").render(
        Context({"a": Decimal("2255279.7"), "b": 14673, "c": "江苏通达律师事务所"})
    )
    assert rendered == "2,255,279.70|14,673|江苏通达律师事务所"


def test_full_width_digits_are_folded_deliberately() -> None:
    # What a Chinese input method types in full-width mode.
    assert yuan_to_fen("１２３４．５０") == 123450
    assert yuan_to_fen("－３．１０") == -310
    assert yuan_to_fen("\u3000１２\u3000") == 1200
