"""Administrator remuneration cap (SPC provisions, art. 2): marginal rates, hand-computed, and the endpoint."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcourt.rules.fees import administrator_fee_cap

URL = "/api/v1/rules/administrator-fee"
YUAN = 100


@pytest.mark.parametrize(
    ("value_yuan", "cap_yuan"),
    [
        (0, 0),
        (500_000, 60_000),  # 12%
        (1_000_000, 120_000),
        (3_000_000, 120_000 + 200_000),  # + 10% of 2M
        (5_000_000, 520_000),
        (8_000_000, 520_000 + 240_000),  # + 8% of 3M
        (10_000_000, 920_000),
        (50_000_000, 920_000 + 2_400_000),  # + 6% of 40M
        (100_000_000, 3_320_000 + 1_500_000),  # + 3% of 50M
        (500_000_000, 4_820_000 + 4_000_000),  # + 1% of 400M
        (1_000_000_000, 8_820_000 + 2_500_000),  # + 0.5% of 500M
    ],
)
def test_cap_by_hand(value_yuan: int, cap_yuan: int) -> None:
    assert administrator_fee_cap(value_yuan * YUAN).cap_fen == cap_yuan * YUAN


def test_a_fraction_of_a_fen_is_dropped() -> None:
    # 0.01 yuan at 12% = 0.12 fen -> 0; 0.09 yuan = 9 fen at 12% = 1.08 fen -> 1 fen.
    assert administrator_fee_cap(1).cap_fen == 0
    assert administrator_fee_cap(9).cap_fen == 1


def test_negative_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        administrator_fee_cap(-1)


@settings(max_examples=300, deadline=None)
@given(value=st.integers(min_value=0, max_value=10**15), more=st.integers(min_value=1, max_value=10**9))
def test_cap_is_monotone_and_never_above_the_top_rate(value: int, more: int) -> None:
    cap = administrator_fee_cap(value)
    assert cap.cap_fen <= value * 12 // 100
    assert administrator_fee_cap(value + more).cap_fen >= cap.cap_fen
    assert sum(b.base_fen for b in cap.brackets) == value


def _post(body: Any) -> Any:
    return Client().post(URL, data=json.dumps(body), content_type="application/json")


def test_endpoint(db: None) -> None:
    response = _post({"distributed_value": "6000000.50"})
    assert response.status_code == 200
    # 120,000 + 400,000 + 8% of 1,000,000.50 = 80,000.04 -> 600,000.04
    assert json.loads(response.content) == {
        "cap": "600000.04",
        "brackets": [
            {"from": "0.00", "to": "1000000.00", "rate": "0.12", "amount": "120000.00"},
            {"from": "1000000.00", "to": "5000000.00", "rate": "0.10", "amount": "400000.00"},
            {"from": "5000000.00", "to": "10000000.00", "rate": "0.08", "amount": "80000.04"},
        ],
    }


def test_endpoint_top_bracket_is_open(db: None) -> None:
    body = json.loads(_post({"distributed_value": "600000000"}).content)
    assert body["brackets"][-1] == {"from": "500000000.00", "to": None, "rate": "0.005", "amount": "500000.00"}
    assert body["cap"] == "9320000.00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"distributed_value": "-1"}, "distributed_value"),
        ({"distributed_value": "1.005"}, "distributed_value"),
        ({"distributed_value": 100}, "distributed_value"),
        ({"distributed_value": "abc"}, "distributed_value"),
        ({}, "distributed_value"),
        ({"distributed_value": "1", "more": 1}, "more"),
    ],
)
def test_endpoint_refuses_bad_bodies(db: None, body: dict[str, Any], field: str) -> None:
    response = _post(body)
    assert response.status_code == 422
    assert json.loads(response.content)["error"]["field"] == field
