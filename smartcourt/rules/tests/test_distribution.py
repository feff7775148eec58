"""Statutory order of payment (EBL art. 41-43, 113) and the public calculator, by hand-computed examples and
properties over any claims and funds."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcourt.audit.models import AuditEvent
from smartcourt.rules.distribution.calculator import PRIORITY, ClaimClass, ClaimIn, distribute, pro_rata

URL = "/api/v1/rules/distribution"
E, CB, EMP, ST, ORD = (
    ClaimClass.EXPENSES,
    ClaimClass.COMMON_BENEFIT,
    ClaimClass.EMPLOYEE,
    ClaimClass.SOCIAL_TAX,
    ClaimClass.ORDINARY,
)


def _paid(available: int, claims: list[tuple[str, ClaimClass, int]]) -> dict[str, int]:
    result = distribute(available, [ClaimIn(id=i, claim_class=c, amount_fen=a) for i, c, a in claims])
    return {line.id: line.paid_fen for line in result.payouts}


# --- hand-computed examples -------------------------------------------------------------------------------


def test_enough_for_everybody_pays_everybody_and_leaves_the_rest() -> None:
    result = distribute(10_000, [ClaimIn("a", E, 1_000), ClaimIn("b", ORD, 2_000)])
    assert [p.paid_fen for p in result.payouts] == [1_000, 2_000]
    assert result.undistributed_fen == 7_000


def test_expenses_before_common_benefit_debts_when_short_art_43() -> None:
    # 150 fen for 100 of expenses and 100 of common-benefit debts: expenses in full, 50 to the debts.
    assert _paid(150, [("debt", CB, 100), ("fee", E, 100)]) == {"debt": 50, "fee": 100}


def test_expenses_short_are_shared_pro_rata_and_nothing_goes_further() -> None:
    # 100 fen over expenses of 100 and 300: 25 and 75; employees get nothing.
    assert _paid(100, [("a", E, 100), ("b", E, 300), ("w", EMP, 50)]) == {"a": 25, "b": 75, "w": 0}


def test_each_class_in_full_before_the_next_art_113() -> None:
    claims = [("o1", ORD, 1_000), ("t", ST, 300), ("w", EMP, 500), ("e", E, 200), ("c", CB, 100)]
    # 1,500: 200 + 100 + 500 + 300 = 1,100 in full, 400 over the ordinary 1,000.
    assert _paid(1_500, claims) == {"o1": 400, "t": 300, "w": 500, "e": 200, "c": 100}


def test_remainder_fen_by_largest_remainder() -> None:
    # 100 fen over three equal claims: 33.33 each; the one fen left goes to the first (all else equal).
    assert pro_rata(100, [100, 100, 100]) == [34, 33, 33]
    # Exact shares need no remainder.
    assert pro_rata(10, [3, 3, 4]) == [3, 3, 4]
    # 7 fen over 5, 3, 2: exact 3.5, 2.1, 1.4 -> 3, 2, 1 and the fen left to the largest remainder (0.5).
    assert pro_rata(7, [5, 3, 2]) == [4, 2, 1]
    # 2 fen over 2, 5, 3: exact 0.4, 1.0, 0.6 -> the fen left to 0.6.
    assert pro_rata(2, [2, 5, 3]) == [0, 1, 1]
    # 2 fen over 3, 1, 3, 1: exact 0.75, 0.25, 0.75, 0.25 -> both 0.75 get one.
    assert pro_rata(2, [3, 1, 3, 1]) == [1, 0, 1, 0]


def test_ties_on_remainder_go_to_the_larger_claim_then_input_order() -> None:
    # 3 fen over 1, 5: exact 0.5 and 2.5, equal remainders: the larger claim gets the fen.
    assert pro_rata(3, [1, 5]) == [0, 3]
    assert pro_rata(3, [5, 1]) == [3, 0]
    # 3 fen over 1, 2, 1, 2: exact 0.5, 1, 0.5, 1: the two 0.5 tie in remainder and size: the earlier wins.
    assert pro_rata(3, [1, 2, 1, 2]) == [1, 1, 0, 1]
    # 2 fen over 1, 1, 2: exact 0.5, 0.5, 1: the first 0.5.
    assert pro_rata(2, [1, 1, 2]) == [1, 0, 1]


def test_zero_claims_get_nothing() -> None:
    assert pro_rata(1, [0, 1, 1]) == [0, 1, 0]
    assert _paid(0, [("a", E, 5)]) == {"a": 0}


def test_refusals() -> None:
    with pytest.raises(ValueError, match="negative"):
        distribute(-1, [])
    with pytest.raises(ValueError, match="negative"):
        distribute(1, [ClaimIn("a", E, -1)])
    with pytest.raises(ValueError, match="twice"):
        distribute(1, [ClaimIn("a", E, 1), ClaimIn("a", ORD, 1)])


# --- properties -------------------------------------------------------------------------------------------

_claims = st.lists(
    st.tuples(st.sampled_from(list(ClaimClass)), st.integers(min_value=0, max_value=10**12)), max_size=40
)


def _build(raw: list[tuple[ClaimClass, int]]) -> list[ClaimIn]:
    return [ClaimIn(id=str(i), claim_class=c, amount_fen=a) for i, (c, a) in enumerate(raw)]


@settings(max_examples=300, deadline=None)
@given(available=st.integers(min_value=0, max_value=10**13), raw=_claims)
def test_lines_sum_exactly_and_respect_priority(available: int, raw: list[tuple[ClaimClass, int]]) -> None:
    claims = _build(raw)
    result = distribute(available, claims)
    total_claimed = sum(a for _, a in raw)
    assert result.distributed_fen == min(available, total_claimed)
    assert result.distributed_fen + result.undistributed_fen == available
    for line in result.payouts:
        assert 0 <= line.paid_fen <= line.claimed_fen
    # Class totals are the sums of their lines, and no class is paid before every higher class is full.
    for class_total in result.classes:
        assert class_total.paid_fen == sum(
            p.paid_fen for p in result.payouts if p.claim_class is class_total.claim_class
        )
    for higher, lower in zip(result.classes, result.classes[1:], strict=False):
        if lower.paid_fen > 0:
            assert higher.full
    # Within a class, every line is within one fen of its exact share.
    for class_total in result.classes:
        if class_total.claimed_fen == 0:
            continue
        for line in (p for p in result.payouts if p.claim_class is class_total.claim_class):
            exact_times_total = line.claimed_fen * class_total.paid_fen
            assert abs(line.paid_fen * class_total.claimed_fen - exact_times_total) < class_total.claimed_fen


@settings(max_examples=200, deadline=None)
@given(
    available=st.integers(min_value=0, max_value=10**12), more=st.integers(min_value=1, max_value=10**6), raw=_claims
)
def test_more_money_never_pays_a_class_less(available: int, more: int, raw: list[tuple[ClaimClass, int]]) -> None:
    claims = _build(raw)
    before, after = distribute(available, claims), distribute(available + more, claims)
    for b, a in zip(before.classes, after.classes, strict=True):
        assert a.paid_fen >= b.paid_fen
    # Line by line largest remainder may lose one fen (Alabama paradox), never more.
    for b_line, a_line in zip(before.payouts, after.payouts, strict=True):
        assert a_line.paid_fen >= b_line.paid_fen - 1


def test_priority_tuple_is_the_statutory_order() -> None:
    assert [c.value for c in PRIORITY] == ["expenses", "common_benefit", "employee", "social_tax", "ordinary"]


# --- the public endpoint ----------------------------------------------------------------------------------


def _post(body: Any) -> Any:
    return Client().post(URL, data=json.dumps(body), content_type="application/json")


def _error(response: Any) -> dict[str, Any]:
    assert response.status_code == 422
    body = json.loads(response.content)
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == "invalid"
    return dict(body["error"])


def test_endpoint_answers_without_signing_in(db: None) -> None:
    before = AuditEvent.objects.count()
    response = _post(
        {
            "available": "1000.00",
            "claims": [
                {"id": "fee", "class": "expenses", "amount": "300"},
                {"id": "wages", "class": "employee", "amount": "400.50"},
                {"id": "bank", "class": "ordinary", "amount": "1000.00"},
                {"id": "supplier", "class": "ordinary", "amount": "500.00"},
            ],
        }
    )
    assert response.status_code == 200
    # 1000 - 300 - 400.50 = 299.50 over ordinary 1500: 199.67 (199.666..) and 99.83 (99.833..).
    assert json.loads(response.content) == {
        "payouts": [
            {"id": "fee", "amount": "300.00"},
            {"id": "wages", "amount": "400.50"},
            {"id": "bank", "amount": "199.67"},
            {"id": "supplier", "amount": "99.83"},
        ],
        "classes": [
            {"class": "expenses", "claimed": "300.00", "paid": "300.00"},
            {"class": "common_benefit", "claimed": "0.00", "paid": "0.00"},
            {"class": "employee", "claimed": "400.50", "paid": "400.50"},
            {"class": "social_tax", "claimed": "0.00", "paid": "0.00"},
            {"class": "ordinary", "claimed": "1500.00", "paid": "299.50"},
        ],
        "undistributed": "0.00",
    }
    assert AuditEvent.objects.count() == before


def test_endpoint_reports_undistributed(db: None) -> None:
    response = _post({"available": "10", "claims": [{"id": "x", "class": "ordinary", "amount": "2.5"}]})
    assert json.loads(response.content)["undistributed"] == "7.50"


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"available": "1", "claims": [{"id": "a", "class": "secured", "amount": "1"}]}, "claims.0.class", "one of"),
        ({"available": "-1.00", "claims": []}, "available", "negative"),
        ({"available": "1.001", "claims": []}, "available", "two decimals"),
        (
            {"available": "1", "claims": [{"id": "a", "class": "ordinary", "amount": "-5"}]},
            "claims.0.amount",
            "negative",
        ),
        ({"available": "1", "claims": [{"id": "a", "class": "ordinary", "amount": "0.123"}]}, "claims.0.amount", "two"),
        ({"available": 1.5, "claims": []}, "available", "string"),
        ({"available": "1e3", "claims": []}, "available", "two decimals"),
        ({"available": "NaN", "claims": []}, "available", "two decimals"),
        ({"available": "99999999999999", "claims": []}, "available", "two decimals"),
        (
            {
                "available": "1",
                "claims": [
                    {"id": "a", "class": "ordinary", "amount": "1"},
                    {"id": "a", "class": "employee", "amount": "1"},
                ],
            },
            "claims",
            "unique",
        ),
        ({"available": "1", "claims": [{"id": "", "class": "ordinary", "amount": "1"}]}, "claims.0.id", ""),
        ({"available": "1", "claims": [{"id": "x" * 65, "class": "ordinary", "amount": "1"}]}, "claims.0.id", ""),
        ({"available": "1", "claims": [], "extra": 1}, "extra", ""),
        ({"claims": []}, "available", ""),
        ({"available": "1", "claims": [{"id": "a", "class": "ordinary", "amount": "1", "x": 2}]}, "claims.0.x", ""),
    ],
)
def test_endpoint_refuses_bad_bodies(db: None, body: dict[str, Any], field: str, words: str) -> None:
    error = _error(_post(body))
    assert error["field"] == field
    assert words in error["message"]


def test_endpoint_bounds_the_number_of_claims(db: None) -> None:
    claims = [{"id": str(i), "class": "ordinary", "amount": "1"} for i in range(20_001)]
    assert _error(_post({"available": "1", "claims": claims}))["field"] == "claims"
