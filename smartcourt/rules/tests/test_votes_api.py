"""POST /api/v1/rules/vote-tally: the public vote calculator, as the issue specifies it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from smartcourt.audit.models import AuditEvent

URL = "/api/v1/rules/vote-tally"


def _post(body: Any) -> Any:
    return Client().post(URL, data=json.dumps(body, ensure_ascii=False), content_type="application/json")


def _ok(body: Any) -> dict[str, Any]:
    response = _post(body)
    assert response.status_code == 200, response.content
    return dict(json.loads(response.content))


def _error(body: Any) -> dict[str, Any]:
    response = _post(body)
    assert response.status_code == 422, response.content
    answer = json.loads(response.content)
    assert set(answer) == {"error"} and set(answer["error"]) == {"code", "message", "field"}
    assert answer["error"]["code"] == "invalid"
    return dict(answer["error"])


def test_art64_without_signing_in_and_without_writing(db: None) -> None:
    before = AuditEvent.objects.count()
    answer = _ok(
        {
            "rule": "art64",
            "total_unsecured_claims": "1000.01",
            "voters": [
                {"id": "a", "vote": "for", "voting_amount": "500.01"},
                {"id": "b", "vote": "for", "voting_amount": "0"},
                {"id": "c", "vote": "against", "voting_amount": "300"},
                {"id": 4, "vote": "absent", "voting_amount": "200.00"},
                {"id": "s", "vote": "against", "voting_amount": "9000", "secured_not_waived": True},
            ],
        }
    )
    # Heads: 2 for of 4 present (s votes on a general item) is half: not passed. Amount 500.01 >= 1000.01/2.
    assert answer == {
        "passed": False,
        "classes": [
            {
                "class": "all",
                "passed": False,
                "present_count": 4,
                "for_count": 2,
                "for_amount": "500.01",
                "total_amount": "1000.01",
            }
        ],
    }
    assert AuditEvent.objects.count() == before


def test_art64_distribution_plan_leaves_out_secured_not_waived(db: None) -> None:
    answer = _ok(
        {
            "rule": "art64",
            "item": "distribution_plan",
            "total_unsecured_claims": "1000",
            "voters": [
                {"id": "a", "vote": "for", "voting_amount": "500"},
                {"id": "b", "vote": "for", "voting_amount": "0.5"},
                {"id": "c", "vote": "against", "voting_amount": "300"},
                {"id": "s", "vote": "against", "voting_amount": "9000", "secured_not_waived": True},
            ],
        }
    )
    assert answer["passed"] is True
    assert answer["classes"][0]["present_count"] == 3 and answer["classes"][0]["for_amount"] == "500.50"


def test_art97_two_thirds_inclusive(db: None) -> None:
    body = {
        "rule": "art97",
        "total_unsecured_claims": "3.00",
        "voters": [
            {"id": "a", "vote": "for", "voting_amount": "2.00"},
            {"id": "b", "vote": "abstain", "voting_amount": "1.00"},
            {"id": "c", "vote": "for", "voting_amount": "0"},
        ],
    }
    assert _ok(body)["passed"] is True
    body["voters"][0]["voting_amount"] = "1.99"  # type: ignore[index]
    assert _ok(body)["passed"] is False


def test_art84_per_class(db: None) -> None:
    answer = _ok(
        {
            "rule": "art84",
            "class_totals": {"secured": "1200", "ordinary": "300", "small_ordinary": "10"},
            "voters": [
                {"id": "s1", "vote": "for", "voting_amount": "800", "class": "secured"},
                {"id": "s2", "vote": "absent", "voting_amount": "400", "class": "secured"},
                {"id": "o1", "vote": "for", "voting_amount": "200", "class": "ordinary"},
                {"id": "o2", "vote": "against", "voting_amount": "100", "class": "ordinary"},
                {"id": "p1", "vote": "against", "voting_amount": "10", "class": "small_ordinary"},
            ],
        }
    )
    assert answer["passed"] is False
    assert answer["classes"] == [
        {"class": "secured", "passed": True, "present_count": 1, "for_count": 1, "for_amount": "800.00",
         "total_amount": "1200.00"},
        {"class": "ordinary", "passed": False, "present_count": 2, "for_count": 1, "for_amount": "200.00",
         "total_amount": "300.00"},
        {"class": "small_ordinary", "passed": False, "present_count": 1, "for_count": 0, "for_amount": "0.00",
         "total_amount": "10.00"},
    ]  # fmt: skip


GOOD_VOTER = {"id": "a", "vote": "for", "voting_amount": "1"}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"rule": "art65", "total_unsecured_claims": "1", "voters": []}, id="unknown rule"),
        pytest.param({"rule": "art64", "voters": []}, id="art64 without total"),
        pytest.param({"rule": "art64", "total_unsecured_claims": "-1", "voters": []}, id="negative total"),
        pytest.param({"rule": "art64", "total_unsecured_claims": "1.001", "voters": []}, id="three decimals"),
        pytest.param({"rule": "art64", "total_unsecured_claims": 100, "voters": []}, id="number not string"),
        pytest.param({"rule": "art64", "total_unsecured_claims": "1e3", "voters": []}, id="exponent"),
        pytest.param({"rule": "art64", "total_unsecured_claims": "NaN", "voters": []}, id="nan"),
        pytest.param({"rule": "art64", "total_unsecured_claims": "1" * 14, "voters": []}, id="too large"),
        pytest.param(
            {"rule": "art64", "total_unsecured_claims": "1", "voters": [{**GOOD_VOTER, "voting_amount": "-0.01"}]},
            id="negative voting amount",
        ),
        pytest.param(
            {"rule": "art64", "total_unsecured_claims": "1", "voters": [{**GOOD_VOTER, "voting_amount": "abc"}]},
            id="malformed voting amount",
        ),
        pytest.param(
            {"rule": "art64", "total_unsecured_claims": "1", "voters": [GOOD_VOTER, GOOD_VOTER]}, id="duplicate id"
        ),
        pytest.param(
            {"rule": "art64", "total_unsecured_claims": "1", "voters": [{**GOOD_VOTER, "vote": "yes"}]},
            id="unknown vote",
        ),
        pytest.param(
            {"rule": "art64", "item": "budget", "total_unsecured_claims": "1", "voters": []}, id="unknown item"
        ),
        pytest.param(
            {"rule": "art97", "item": "general", "total_unsecured_claims": "1", "voters": []}, id="item on art97"
        ),
        pytest.param({"rule": "art84", "class_totals": {"a": "1"}, "voters": [GOOD_VOTER]}, id="voter no class"),
        pytest.param(
            {"rule": "art84", "class_totals": {"a": "1"}, "voters": [{**GOOD_VOTER, "class": "b"}]},
            id="class missing from totals",
        ),
        pytest.param({"rule": "art84", "voters": []}, id="art84 without class totals"),
        pytest.param({"rule": "art84", "class_totals": {}, "voters": []}, id="art84 no classes"),
        pytest.param({"rule": "art64", "total_unsecured_claims": "1", "voters": [], "extra": 1}, id="unknown field"),
        pytest.param(
            {"rule": "art64", "total_unsecured_claims": "1", "voters": [{**GOOD_VOTER, "id": ""}]}, id="empty id"
        ),
        pytest.param(
            {
                "rule": "art64",
                "total_unsecured_claims": "1",
                "voters": [{"id": str(i), "vote": "for", "voting_amount": "1"} for i in range(20_001)],
            },
            id="too many voters",
        ),
        pytest.param([], id="not an object"),
    ],
)
def test_invalid_bodies_get_422_in_the_common_shape(db: None, body: Any) -> None:
    before = AuditEvent.objects.count()
    _error(body)
    assert AuditEvent.objects.count() == before


def test_voting_amounts_above_the_total_are_refused_not_passed(db: None) -> None:
    # Issue 15.7: 900 + 200 of a stated 1,000 answered "passed".
    body = {
        "rule": "art64",
        "total_unsecured_claims": "1000",
        "voters": [
            {"id": "a", "vote": "for", "voting_amount": "900"},
            {"id": "b", "vote": "for", "voting_amount": "200"},
            {"id": "c", "vote": "against", "voting_amount": "0"},
        ],
    }
    assert _error(body) == {
        "code": "invalid",
        "message": "表决债权额合计 1100.00 元，超过所填总额 1000.00 元",
        "field": "total_unsecured_claims",
    }


def test_full_width_digits_are_read_and_other_scripts_refused(db: None) -> None:
    voters = [{"id": "a", "vote": "for", "voting_amount": "６００．５０"}, {"id": "b", "vote": "against"}]
    voters[1]["voting_amount"] = "100"
    answer = _ok({"rule": "art64", "total_unsecured_claims": "１０００", "voters": voters})
    # Shown back folded to ASCII.
    assert (answer["classes"][0]["for_amount"], answer["classes"][0]["total_amount"]) == ("600.50", "1000.00")
    for digits in ("١٠٠٠", "๑๐๐๐", "①"):
        error = _error({"rule": "art64", "total_unsecured_claims": digits, "voters": voters})
        assert error["field"] == "total_unsecured_claims"
