"""Litigation fees (诉讼费用交纳办法 arts. 8, 13-16): worked examples for every kind, both halvings, the
properties that must hold for every amount, and the public endpoint's answers and refusals."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import DomainError
from smartcourt.core.money import MAX_FEN
from smartcourt.rules.litigation_fees.calculator import (
    ClosedBy,
    FeeKind,
    FeeProcedure,
    compute_litigation_fee,
    fee_schedule,
    halve,
)

URL = "/api/v1/rules/litigation-fee"
Y = 100  # fen per yuan


def fee(kind: str, amount_yuan: str | None = None, **kwargs: Any) -> int | None:
    amount = None if amount_yuan is None else int(Decimal(amount_yuan) * Y)
    return compute_litigation_fee(kind, amount, **kwargs).fee_fen


def fee_range(kind: str, amount_yuan: str | None = None, **kwargs: Any) -> tuple[int | None, int | None]:
    amount = None if amount_yuan is None else int(Decimal(amount_yuan) * Y)
    result = compute_litigation_fee(kind, amount, **kwargs)
    assert result.fee_fen is None
    return result.fee_min_fen, result.fee_max_fen


# Art. 13(一), worked by hand band by band.
@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0", 50 * Y),
        ("10000", 50 * Y),
        ("10000.01", 50 * Y),  # 1 fen at 2.5% = 0.025 fen, rounds to 0
        ("10000.20", 50 * Y + 1),  # 20 fen at 2.5% = 0.5 fen, rounds half up to 1
        ("50000", 50 * Y + 1000 * Y),  # 40,000 at 2.5%
        ("100000", 2300 * Y),  # 50 + 2,250
        ("150000.01", 3300 * Y),  # 2,300 + 50,000.01 at 2% = 1,000.0002
        ("200000", 4300 * Y),
        ("500000", 8800 * Y),  # + 4,500
        ("1000000", 13800 * Y),  # + 5,000
        ("2000000", 22800 * Y),  # + 9,000
        ("5000000", 46800 * Y),  # + 24,000
        ("10000000", 81800 * Y),  # + 35,000
        ("20000000", 141800 * Y),  # + 60,000
        ("30000000", 191800 * Y),  # + 50,000
        ("123456.78", 2300 * Y + 46914),  # 23,456.78 at 2% = 469.1356 -> 469.14
    ],
)
def test_property_bands_summed(amount: str, expected: int) -> None:
    assert fee("property", amount) == expected


def test_ip_with_an_amount_follows_the_property_scale_and_without_one_a_range() -> None:
    assert fee("ip", "1000000") == 13800 * Y
    assert fee_range("ip") == (500 * Y, 1000 * Y)


def test_divorce_range_plus_property_above_200000_at_half_a_percent() -> None:
    assert fee_range("divorce") == (50 * Y, 300 * Y)
    assert fee_range("divorce", "200000") == (50 * Y, 300 * Y)
    assert fee_range("divorce", "300000") == (550 * Y, 800 * Y)  # + 100,000 at 0.5%


def test_personality_range_plus_damages() -> None:
    assert fee_range("personality") == (100 * Y, 500 * Y)
    assert fee_range("personality", "50000") == (100 * Y, 500 * Y)
    assert fee_range("personality", "80000") == (400 * Y, 800 * Y)  # + 30,000 at 1%
    assert fee_range("personality", "300000") == (1600 * Y, 2000 * Y)  # + 500 + 200,000 at 0.5%


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("labour", 10 * Y),
        ("administrative", 50 * Y),
        ("administrative_ip_maritime", 100 * Y),
        ("public_notice", 100 * Y),
        ("arbitration_review", 400 * Y),
        ("special_procedure", 0),
    ],
)
def test_flat_fees(kind: str, expected: int) -> None:
    assert fee(kind) == expected


@pytest.mark.parametrize(
    ("kind", "low", "high"), [("other_non_property", 50, 100), ("jurisdiction_objection", 50, 100)]
)
def test_ranges_the_province_sets(kind: str, low: int, high: int) -> None:
    assert fee_range(kind) == (low * Y, high * Y)


def test_enforcement() -> None:
    assert fee_range("enforcement") == (50 * Y, 500 * Y)
    assert fee("enforcement", "10000") == 50 * Y
    assert fee("enforcement", "500000") == 7400 * Y  # 50 + 490,000 at 1.5%
    assert fee("enforcement", "600000") == 8400 * Y  # + 100,000 at 1%
    assert fee("enforcement", "5000000") == 52400 * Y  # + 4,500,000 at 1%
    assert fee("enforcement", "10000000") == 77400 * Y  # + 5,000,000 at 0.5%
    assert fee("enforcement", "20000000") == 87400 * Y  # + 10,000,000 at 0.1%


def test_preservation_capped_at_5000() -> None:
    assert fee("preservation") == 30 * Y
    assert fee("preservation", "1000") == 30 * Y
    assert fee("preservation", "100000") == 1020 * Y  # 30 + 99,000 at 1%
    assert fee("preservation", "500000") == 3020 * Y  # + 400,000 at 0.5%
    assert fee("preservation", "895998") == 4999_99  # 1,020 + 795,998 at 0.5% = 4,999.99
    assert fee("preservation", "896000") == 5000 * Y  # exactly the cap
    assert fee("preservation", "2000000") == 5000 * Y
    steps = compute_litigation_fee("preservation", 2_000_000 * Y).steps
    assert steps[-1].description == "最高不超过5,000元" and steps[-1].amount_fen == 5000 * Y


def test_payment_order_a_third_of_the_property_fee() -> None:
    assert fee("payment_order", "1000000") == 4600 * Y  # 13,800 / 3
    assert fee("payment_order", "100000") == 76667  # 2,300 / 3 = 766.666.. -> 766.67
    assert fee("payment_order", "10000") == 1667  # 50 / 3 = 16.666.. -> 16.67


def test_bankruptcy_half_the_property_fee_capped_at_300000() -> None:
    assert fee("bankruptcy", "1000000") == 6900 * Y
    assert fee("bankruptcy", "20000000") == 70900 * Y
    # 141,800 + 0.5% of the part above 20M reaches 600,000 (half: 300,000) at 111,640,000.
    assert fee("bankruptcy", "111640000") == 300000 * Y
    assert fee("bankruptcy", "1000000000") == 300000 * Y


def test_simplified_procedure_halves_the_acceptance_fee() -> None:
    result = compute_litigation_fee("property", 1_000_000 * Y, procedure="simplified")
    assert result.fee_fen == 6900 * Y
    assert result.basis == ["《诉讼费用交纳办法》第十三条第（一）项", "《诉讼费用交纳办法》第十六条"]
    assert result.steps[-1].amount_fen == 6900 * Y


@pytest.mark.parametrize("closed_by", ["mediation", "withdrawal"])
def test_mediation_or_withdrawal_halves_the_acceptance_fee(closed_by: str) -> None:
    result = compute_litigation_fee("property", 100_000 * Y, closed_by=closed_by)
    assert result.fee_fen == 1150 * Y
    assert result.basis[-1] == "《诉讼费用交纳办法》第十五条"
    assert fee_range("divorce", closed_by=closed_by) == (25 * Y, 150 * Y)
    assert fee("labour", closed_by=closed_by) == 5 * Y


def test_both_halvings_halve_once() -> None:
    result = compute_litigation_fee("property", 100_000 * Y, procedure="simplified", closed_by="mediation")
    assert result.fee_fen == 1150 * Y
    assert result.basis[1:] == ["《诉讼费用交纳办法》第十六条", "《诉讼费用交纳办法》第十五条"]
    assert "只减半一次" in result.steps[-1].description


def test_halving_an_odd_fen_rounds_half_up() -> None:
    # 10,000.20 yuan: 50.01 yuan; half is 25.005 -> 25.01.
    assert fee("property", "10000.20", closed_by="withdrawal") == 2501


@pytest.mark.parametrize("kind", ["enforcement", "preservation", "payment_order", "bankruptcy", "special_procedure"])
def test_application_fees_are_not_halved(kind: str) -> None:
    amount = None if kind == "special_procedure" else 100_000 * Y
    with pytest.raises(DomainError) as simplified:
        compute_litigation_fee(kind, amount, procedure="simplified")
    assert simplified.value.field == "procedure"
    with pytest.raises(DomainError) as mediation:
        compute_litigation_fee(kind, amount, closed_by="mediation")
    assert mediation.value.field == "closed_by"


def test_every_kind_has_a_rule_and_the_schedule_has_its_source() -> None:
    schedule = fee_schedule()
    assert set(schedule.kinds) == set(FeeKind)
    assert schedule.version == "2007-04-01"
    assert "国务院令第481号" in schedule.source


amounts = st.integers(min_value=0, max_value=MAX_FEN)


@settings(max_examples=300, deadline=None)
@given(
    a=amounts,
    b=amounts,
    kind=st.sampled_from(["property", "enforcement", "preservation", "payment_order", "bankruptcy", "ip"]),
)
def test_the_fee_never_decreases_as_the_amount_grows(a: int, b: int, kind: str) -> None:
    low, high = sorted((a, b))
    assert (compute_litigation_fee(kind, low).fee_fen or 0) <= (compute_litigation_fee(kind, high).fee_fen or 0)


@settings(max_examples=300, deadline=None)
@given(
    a=amounts,
    b=amounts,
    kind=st.sampled_from(["divorce", "personality"]),
)
def test_ranges_never_decrease_as_the_amount_grows(a: int, b: int, kind: str) -> None:
    low, high = sorted((a, b))
    small, large = compute_litigation_fee(kind, low), compute_litigation_fee(kind, high)
    assert small.fee_min_fen is not None and large.fee_min_fen is not None
    assert small.fee_min_fen <= large.fee_min_fen and small.fee_max_fen <= large.fee_max_fen  # type: ignore[operator]


@settings(max_examples=300, deadline=None)
@given(
    amount=amounts,
    procedure=st.sampled_from(list(FeeProcedure)),
    closed_by=st.sampled_from(list(ClosedBy)),
)
def test_halving_is_exact_to_the_fen(amount: int, procedure: FeeProcedure, closed_by: ClosedBy) -> None:
    full = compute_litigation_fee("property", amount).fee_fen
    result = compute_litigation_fee("property", amount, procedure=procedure, closed_by=closed_by).fee_fen
    assert full is not None and result is not None
    if procedure is FeeProcedure.ORDINARY and closed_by is ClosedBy.JUDGMENT:
        assert result == full
    else:
        # Half, to the fen: twice the half is the fee or one fen more (an odd fee's half rounds up).
        assert result == halve(full) and 2 * result - full in (0, 1)


@settings(max_examples=200, deadline=None)
@given(amount=amounts)
def test_the_steps_add_up_to_the_fee(amount: int) -> None:
    result = compute_litigation_fee("property", amount)
    assert sum(step.amount_fen or 0 for step in result.steps) == result.fee_fen


# ---------------------------------------------------------------------------------------------------------
# The endpoint.


def _post(body: Any) -> Any:
    return Client().post(URL, data=json.dumps(body, ensure_ascii=False), content_type="application/json")


def _error(response: Any) -> dict[str, Any]:
    assert response.status_code == 422
    body = json.loads(response.content)
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == "invalid"
    return dict(body["error"])


def test_endpoint_property_without_signing_in(db: None) -> None:
    before = AuditEvent.objects.count()
    response = _post({"kind": "property", "amount": "150000.00"})
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["fee"] == "3300.00" and body["fee_min"] is None and body["fee_max"] is None
    assert body["fee_type"] == "acceptance"
    assert body["procedure"] == "ordinary" and body["closed_by"] == "judgment"
    assert body["basis"] == ["《诉讼费用交纳办法》第十三条第（一）项"]
    assert body["schedule_version"] == "2007-04-01"
    assert [(s["from"], s["to"], s["rate"], s["base"], s["amount"]) for s in body["steps"]] == [
        ("0.00", "10000.00", None, "10000.00", "50.00"),
        ("10000.00", "100000.00", "0.025", "90000.00", "2250.00"),
        ("100000.00", "200000.00", "0.02", "50000.00", "1000.00"),
    ]
    assert body["steps"][1]["description"] == "超过10,000元至100,000元的部分，按照2.5%交纳"
    assert AuditEvent.objects.count() == before


def test_endpoint_range_has_fee_null(db: None) -> None:
    body = json.loads(_post({"kind": "divorce", "amount": "300000", "closed_by": "mediation"}).content)
    assert (body["fee"], body["fee_min"], body["fee_max"]) == (None, "275.00", "400.00")
    assert body["basis"] == ["《诉讼费用交纳办法》第十三条第（二）项第1目", "《诉讼费用交纳办法》第十五条"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"kind": "property"}, "amount", "财产案件：请填写金额"),
        ({"kind": "property", "amount": "-1"}, "amount", "金额不能为负数"),
        ({"kind": "property", "amount": "1.234"}, "amount", "金额以元为单位，最多两位小数，例如 1234.50"),
        ({"kind": "property", "amount": 1000}, "amount", '金额请写成字符串形式的元，例如 "1234.50"'),
        ({"kind": "property", "amount": "99999999999999.99"}, "amount", "金额超出平台允许的上限"),
        ({"kind": "labour", "amount": "100"}, "amount", "劳动争议案件按件交纳，不填写金额"),
        ({"kind": "nope"}, "kind", None),
        ({}, "kind", "请选择案件或申请的种类"),
        ({"kind": "property", "amount": "1", "procedure": "summary"}, "procedure", None),
        ({"kind": "property", "amount": "1", "closed_by": "settled"}, "closed_by", None),
        ({"kind": "enforcement", "closed_by": "mediation"}, "closed_by", None),
    ],
)
def test_endpoint_refusals(db: None, body: dict[str, Any], field: str, message: str | None) -> None:
    error = _error(_post(body))
    assert error["field"] == field
    if message is not None:
        assert error["message"] == message


def test_endpoint_in_the_openapi_document(db: None) -> None:
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    operation = document["paths"]["/api/v1/rules/litigation-fee"]["post"]
    assert operation["operationId"] == "litigation_fee"
