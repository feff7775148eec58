"""POST /api/v1/rules/deadlines: the public deadline calculator."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from conftest import Personas
from smartcourt.audit.models import AuditEvent
from smartcourt.rules import actions
from smartcourt.rules.calendar import clear_cache
from smartcourt.rules.choices import DayKind
from smartcourt.rules.models import HolidayOverride

URL = "/api/v1/rules/deadlines"

FULL_LIQUIDATION = {
    "procedure": "liquidation",
    "accepted_on": "2026-09-10",  # Thursday
    "announced_on": "2026-09-30",  # Wednesday
    "claims_period_ends_on": "2026-11-13",  # Friday
    "declared_bankrupt_on": "2026-12-21",  # Monday
    "terminated_on": "2026-12-28",  # Monday
}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_cache()


def _post(body: Any, client: Client | None = None) -> Any:
    return (client or Client()).post(URL, data=json.dumps(body, ensure_ascii=False), content_type="application/json")


def _error(response: Any) -> dict[str, Any]:
    assert response.status_code == 422
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == "invalid"
    return dict(body["error"])


def test_a_full_liquidation_without_signing_in(db: None) -> None:
    before = AuditEvent.objects.count()
    response = _post(FULL_LIQUIDATION)
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["procedure"] == "liquidation"
    assert body["holiday_calendar_version"] == 0
    answers = {d["key"]: (d["unadjusted_on"], d["due_on"], d["holiday_data"]) for d in body["deadlines"]}
    assert answers == {
        # accepted 09-10 + 5 days = Tue 09-15.
        "serve_acceptance": ("2026-09-15", "2026-09-15", True),
        # accepted 09-10 + 25 days = Mon 10-05, inside National Day (Oct 1-7) -> Thu 10-08.
        "notify_creditors": ("2026-10-05", "2026-10-08", True),
        # accepted 09-10 + 2 months = Tue 11-10.
        "executory_contracts": ("2026-11-10", "2026-11-10", True),
        # announced 09-30 + 30 days = Fri 10-30 (Sep 30 + 1 = Oct 1 is day 1, Oct 30 day 30).
        "claims_period_earliest_end": ("2026-10-30", "2026-10-30", True),
        # announced 09-30 + 3 months = Wed 12-30.
        "claims_period_latest_end": ("2026-12-30", "2026-12-30", True),
        # claims period ends 11-13 + 15 days = Sat 11-28 -> Mon 11-30.
        "first_meeting": ("2026-11-28", "2026-11-30", True),
        # declared 12-21 + 5 days = Sat 12-26 -> Mon 12-28; + 10 days = Thu 12-31.
        "serve_declaration": ("2026-12-26", "2026-12-28", True),
        "notify_declaration": ("2026-12-31", "2026-12-31", True),
        # terminated 12-28 + 10 days = Thu 2027-01-07: 2027 has no holiday data yet, weekends only.
        "deregistration": ("2027-01-07", "2027-01-07", False),
        # terminated 12-28 + 24 months = Thu 2028-12-28, also without holiday data.
        "supplementary_distribution": ("2028-12-28", "2028-12-28", False),
    }
    notify = next(d for d in body["deadlines"] if d["key"] == "notify_creditors")
    assert notify["basis"] == "《中华人民共和国企业破产法》第十四条"
    assert notify["basis_en"] == "Enterprise Bankruptcy Law art. 14"
    assert notify["anchor"] == "accepted_on" and notify["anchor_on"] == "2026-09-10"
    assert notify["period"] == "25 days after"
    assert notify["description"].startswith("法院自裁定受理破产申请之日起二十五日内")
    assert "顺延至休假日后的第一个工作日2026-10-08" in notify["calculation"]
    deregistration = next(d for d in body["deadlines"] if d["key"] == "deregistration")
    assert "2027年尚无公布的节假日安排" in deregistration["calculation"]
    # Chinese is sent as it is, not as \\u escapes.
    assert "企业破产法" in response.content.decode()
    assert "\\u" not in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_signed_in_or_not_and_without_a_csrf_token(personas: Personas) -> None:
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(personas.creditor_a)
    for client in (Client(enforce_csrf_checks=True), signed_in):
        response = _post({"procedure": "settlement", "accepted_on": "2026-09-10"}, client)
        assert response.status_code == 200
        assert [d["key"] for d in json.loads(response.content)["deadlines"]] == [
            "serve_acceptance",
            "notify_creditors",
            "executory_contracts",
        ]


def test_a_published_holiday_table_changes_the_answer(personas: Personas) -> None:
    body = {"procedure": "liquidation", "accepted_on": "2026-12-21", "terminated_on": "2026-12-28"}
    first = json.loads(_post(body).content)
    assert next(d for d in first["deadlines"] if d["key"] == "deregistration")["due_on"] == "2027-01-07"
    # Illustrative test data: the court enters a rest day on Thursday 2027-01-07 and publishes 2027.
    actions.set_holiday(actor=personas.court_admin, date=dt.date(2027, 1, 7), kind=DayKind.REST_DAY, name="测试")
    actions.publish_holiday_year(actor=personas.court_admin, year=2027)
    second = json.loads(_post(body).content)
    deregistration = next(d for d in second["deadlines"] if d["key"] == "deregistration")
    assert (deregistration["due_on"], deregistration["holiday_data"]) == ("2027-01-08", True)
    assert second["holiday_calendar_version"] == first["holiday_calendar_version"] + 2


def test_a_reorganisation(db: None) -> None:
    response = _post(
        {
            "procedure": "reorganisation",
            "accepted_on": "2026-04-30",
            "reorganisation_ruled_on": "2026-04-30",
            "plan_submitted_on": "2026-09-01",
        }
    )
    found = {d["key"]: d["due_on"] for d in json.loads(response.content)["deadlines"]}
    # 04-30 + 6 months = Fri 10-30; + 9 months = Sat 2027-01-30 -> Mon 02-01; 09-01 + 30 = Thu 10-01 -> 10-08.
    assert (found["reorganisation_plan"], found["reorganisation_plan_extended"], found["plan_vote_meeting"]) == (
        "2026-10-30",
        "2027-02-01",
        "2026-10-08",
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"procedure": "compulsory_liquidation"}, "procedure", "取值应为以下之一：'liquidation'"),
        ({"accepted_on": "2026-02-30"}, "accepted_on", "2026-02-30 is not a calendar date"),
        ({"accepted_on": "2026-2-3"}, "accepted_on", "must be a date written YYYY-MM-DD"),
        ({"accepted_on": "10/09/2026"}, "accepted_on", "must be a date written YYYY-MM-DD"),
        ({"accepted_on": 1789000000}, "accepted_on", "must be a date written YYYY-MM-DD"),
        ({"accepted_on": None}, "accepted_on", "must be a date written YYYY-MM-DD"),
        ({"announced_on": "2026-13-01"}, "announced_on", "not a calendar date"),
        ({"accepted_on": "2101-01-01"}, "accepted_on", "out of range: years 2007 to 2100"),
        ({"accepted_on": "1990-01-01"}, "accepted_on", "out of range"),
        ({"terminated_on": "9999-12-31"}, "terminated_on", "out of range"),
        ({"filed_on": "2026-09-01"}, "filed_on", "请求中不应包含此字段"),
        ({"announced_on": "2026-09-09"}, "announced_on", "before accepted_on"),
    ],
)
def test_bad_input_gets_422_in_the_common_shape(db: None, change: dict[str, Any], field: str, message: str) -> None:
    before = AuditEvent.objects.count(), HolidayOverride.objects.count()
    error = _error(_post({"procedure": "liquidation", "accepted_on": "2026-09-10", **change}))
    assert error["field"] == field
    assert message in error["message"]
    assert (AuditEvent.objects.count(), HolidayOverride.objects.count()) == before


def test_missing_fields_and_a_body_that_is_not_an_object(db: None) -> None:
    error = _error(_post({"procedure": "liquidation"}))
    assert error["field"] == "accepted_on" and "此项必填" in error["message"]
    error = _error(_post({"accepted_on": "2026-09-10"}))
    assert error["field"] == "procedure"
    assert _error(_post([]))["field"] is None


def test_only_post(db: None) -> None:
    response = Client().get(URL)
    assert response.status_code == 405
    assert json.loads(response.content)["error"]["code"] == "method_not_allowed"


def test_the_openapi_document_shows_a_public_endpoint(db: None) -> None:
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    operation = schema["paths"][URL]["post"]
    assert operation["operationId"] == "compute_deadlines"
    assert "security" not in operation
    # 400 and 413 are the answers to an unreadable or oversized body, documented on every operation with one.
    assert set(operation["responses"]) == {"200", "400", "413", "422"}
