"""The court administrators' holiday table page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from conftest import Personas
from smartcourt.audit.models import AuditEvent
from smartcourt.rules import actions
from smartcourt.rules.calendar import clear_cache, holiday_calendar_version
from smartcourt.rules.choices import DayKind
from smartcourt.rules.models import HolidayOverride, HolidayYear
from smartcourt.testing import client_as

D = dt.date


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_cache()


def _state() -> tuple[int, int, int, int]:
    return (
        HolidayOverride.objects.count(),
        HolidayYear.objects.count(),
        AuditEvent.objects.count(),
        holiday_calendar_version(),
    )


def test_the_2026_page_lists_chinese_calendars_days(personas: Personas) -> None:
    response = client_as(personas, "court_admin").get("/rules/holidays/2026/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-10-01" in page and "国庆节" in page
    assert "2026-10-10" in page  # the make-up Saturday
    # The days come from the built-in State Council arrangement (the chinese-calendar package, not named to users).
    assert "国务院节假日安排（平台内置）" in page and "chinese-calendar" not in page
    assert 'data-testid="year-status"' in page


def test_a_court_administrator_enters_and_publishes_2027_through_the_page(personas: Personas) -> None:
    client = client_as(personas, "court_admin")
    page = client.get("/rules/holidays/2027/").content.decode()
    assert "2027-02-08" not in page
    response = client.post(
        "/rules/holidays/2027/set/",
        {"date": "2027-02-08", "kind": DayKind.REST_DAY, "name": "春节", "source": "测试数据"},
    )
    assert response.status_code == 302 and response["Location"] == "/rules/holidays/2027/"
    entry = HolidayOverride.objects.get()
    assert (entry.date, entry.kind, entry.name, entry.created_by) == (
        D(2027, 2, 8),
        DayKind.REST_DAY,
        "春节",
        personas.court_admin,
    )
    page = client.get("/rules/holidays/2027/").content.decode()
    assert "2027-02-08" in page and "春节" in page
    response = client.post("/rules/holidays/2027/publish/", {"source": "测试数据"})
    assert response.status_code == 302
    assert HolidayYear.objects.get().year == 2027
    response = client.post("/rules/holidays/2027/remove/", {"date": "2027-02-08"})
    assert response.status_code == 302
    assert HolidayOverride.objects.count() == 0
    response = client.post("/rules/holidays/2027/withdraw/")
    assert response.status_code == 302
    assert HolidayYear.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="rules.").count() == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2027-02-30", "kind": DayKind.REST_DAY, "name": "春节"}, "date"),
        ({"date": "2027-02-08", "kind": "holiday", "name": "春节"}, "kind"),
        ({"date": "2027-02-08", "kind": DayKind.REST_DAY, "name": ""}, "name"),
        ({"date": "2101-02-08", "kind": DayKind.REST_DAY, "name": "春节"}, "2007 to 2100"),
    ],
)
def test_bad_entries_come_back_with_the_error_and_change_nothing(
    personas: Personas, data: dict[str, Any], message: str
) -> None:
    client = client_as(personas, "court_admin")
    before = _state()
    response = client.post("/rules/holidays/2027/set/", data)
    assert response.status_code == 422
    assert "is-invalid" in response.content.decode() or "alert-danger" in response.content.decode()
    if message == "2007 to 2100":
        assert message in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("persona", ["judge", "assistant", "clerk", "administrator", "creditor_a", "outsider"])
def test_only_court_administrators_see_or_edit_the_table(personas: Personas, persona: str) -> None:
    actions.set_holiday(actor=personas.court_admin, date=D(2027, 2, 9), kind=DayKind.REST_DAY, name="春节")
    client = client_as(personas, persona)
    before = _state()
    assert client.get("/rules/holidays/").status_code == 403
    assert client.get("/rules/holidays/2027/").status_code == 403
    for path, data in [
        ("/rules/holidays/2027/set/", {"date": "2027-02-08", "kind": DayKind.REST_DAY, "name": "春节"}),
        ("/rules/holidays/2027/remove/", {"date": "2027-02-09"}),
        ("/rules/holidays/2027/publish/", {}),
        ("/rules/holidays/2027/withdraw/", {}),
    ]:
        assert client.post(path, data).status_code == 403
    assert _state() == before


def test_signed_out_visitors_are_sent_to_sign_in(db: None) -> None:
    response = Client().get("/rules/holidays/2026/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_years_out_of_range_and_the_current_year(personas: Personas) -> None:
    client = client_as(personas, "court_admin")
    assert client.get("/rules/holidays/2006/").status_code == 404
    assert client.get("/rules/holidays/2101/").status_code == 404
    response = client.get("/rules/holidays/")
    assert response.status_code == 302 and response["Location"].startswith("/rules/holidays/20")
