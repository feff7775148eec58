"""POST /api/v1/rules/deadlines with "procedure": "civil": the civil anchors (Civil Procedure Law arts. 126,
128, 171, 205) with the same period rules and holiday table, and the public fee schedule page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from smartcourt.audit.models import AuditEvent
from smartcourt.rules.calendar import clear_cache

URL = "/api/v1/rules/deadlines"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_cache()


def _post(body: Any) -> Any:
    return Client().post(URL, data=json.dumps(body), content_type="application/json")


def test_every_civil_anchor_without_accepted_on(db: None) -> None:
    before = AuditEvent.objects.count()
    response = _post(
        {
            "procedure": "civil",
            "filing_received_on": "2026-09-28",  # Monday
            "complaint_served_on": "2026-11-06",  # Friday
            "judgment_served_on": "2026-12-01",  # Tuesday
            "ruling_served_on": "2026-12-01",
            "mediation_agreement_effective_on": "2026-11-10",
        }
    )
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["procedure"] == "civil"
    answers = {d["key"]: (d["unadjusted_on"], d["due_on"], d["basis"]) for d in body["deadlines"]}
    assert answers == {
        # 09-28 + 7 days = Mon 10-05, inside National Day (Oct 1-7) -> Thu 10-08.
        "filing_decision": ("2026-10-05", "2026-10-08", "《中华人民共和国民事诉讼法》第一百二十六条"),
        # 11-06 + 15 days = Sat 11-21 -> Mon 11-23.
        "defence": ("2026-11-21", "2026-11-23", "《中华人民共和国民事诉讼法》第一百二十八条"),
        "appeal_judgment": ("2026-12-16", "2026-12-16", "《中华人民共和国民事诉讼法》第一百七十一条"),
        "appeal_ruling": ("2026-12-11", "2026-12-11", "《中华人民共和国民事诉讼法》第一百七十一条"),
        "judicial_confirmation_application": ("2026-12-10", "2026-12-10", "《中华人民共和国民事诉讼法》第二百零五条"),
    }
    assert [d["key"] for d in body["deadlines"]] == [
        "filing_decision",
        "defence",
        "appeal_judgment",
        "appeal_ruling",
        "judicial_confirmation_application",
    ]
    assert AuditEvent.objects.count() == before


def test_civil_anchors_are_each_optional(db: None) -> None:
    body = json.loads(_post({"procedure": "civil"}).content)
    assert body["deadlines"] == []
    body = json.loads(_post({"procedure": "civil", "ruling_served_on": "2026-12-01"}).content)
    assert [d["key"] for d in body["deadlines"]] == ["appeal_ruling"]
    assert body["deadlines"][0]["basis_en"] == "Civil Procedure Law art. 171"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"procedure": "civil", "accepted_on": "2026-09-10"}, "accepted_on", "not a date of the civil procedure"),
        (
            {"procedure": "liquidation", "accepted_on": "2026-09-10", "filing_received_on": "2026-09-01"},
            "filing_received_on",
            "not a date of the liquidation procedure",
        ),
        (
            {"procedure": "civil", "filing_received_on": "2026-09-28", "complaint_served_on": "2026-09-01"},
            "complaint_served_on",
            "before filing_received_on",
        ),
        ({"procedure": "civil", "judgment_served_on": "2026-02-30"}, "judgment_served_on", "not a calendar date"),
        ({"procedure": "reorganisation"}, "accepted_on", "此项必填"),
    ],
)
def test_civil_refusals(db: None, body: dict[str, Any], field: str, message: str) -> None:
    response = _post(body)
    assert response.status_code == 422
    error = json.loads(response.content)["error"]
    assert error["code"] == "invalid" and error["field"] == field
    assert message in error["message"]


def test_the_fee_schedule_page_is_public_with_source_and_version(db: None) -> None:
    response = Client().get("/rules/litigation-fees/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "诉讼费用交纳标准" in page
    assert "国务院令第481号" in page and "2007-04-01" in page
    assert "超过20,000,000.00元" in page or "20,000,000.00" in page
    assert "离婚案件" in page and "申请支付令" in page


def test_the_fee_page_calculates_and_refuses_in_chinese(db: None) -> None:
    page = Client().get("/rules/litigation-fees/", {"kind": "property", "amount": "1000000"}).content.decode()
    assert "13,800.00" in page
    response = Client().get("/rules/litigation-fees/", {"kind": "property", "amount": "1.234"})
    assert response.status_code == 422
    assert "金额以元为单位，最多两位小数，例如 1234.50" in response.content.decode()


def test_the_cause_list_is_public_searchable_with_source_and_version(db: None) -> None:
    page = Client().get("/rules/causes/").content.decode()
    assert "民事案件案由" in page and "法〔2020〕347号" in page and "2021-01-01" in page
    assert "并非全部" in page  # says honestly that it is a selection
    found = Client().get("/rules/causes/", {"q": "借款"})
    rows = found.content.decode().count('data-testid="cause-row"')
    assert rows == 2  # 借款合同纠纷 and 金融借款合同纠纷 (民间借贷纠纷 says 借贷)
    assert "金融借款合同纠纷" in found.content.decode() and "离婚纠纷" not in found.content.decode()
    too_long = Client().get("/rules/causes/", {"q": "借" * 51})
    assert too_long.status_code == 422 and "最多50个字" in too_long.content.decode()
