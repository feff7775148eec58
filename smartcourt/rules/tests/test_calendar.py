"""The court's holiday table: who may edit it, what an edit changes, and that no answer is stale after one.

The 2027 Spring Festival entries below are illustrative test data, not the State Council's arrangement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction

from conftest import Personas
from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.rules import actions
from smartcourt.rules.calendar import clear_cache, current_calendar, holiday_calendar_version
from smartcourt.rules.choices import DayKind
from smartcourt.rules.deadlines import compute_deadlines
from smartcourt.rules.models import HolidayCalendarVersion, HolidayOverride, HolidayYear
from smartcourt.rules.periods import Period, Unit, period_end

D = dt.date
THIRTY_DAYS = Period(30, Unit.DAYS)
SOURCE_2027 = "国务院办公厅关于2027年部分节假日安排的通知（测试数据）"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # The cache is correct across tests anyway (keyed on the version token); clearing it makes query counts exact.
    clear_cache()
    yield
    clear_cache()


def _due(anchor: dt.date, period: Period = THIRTY_DAYS) -> tuple[dt.date, bool]:
    result = period_end(anchor, period, current_calendar())
    return result.due_on, result.holiday_data


def _enter_2027_spring_festival(admin: Any) -> None:
    # Rest days Saturday Feb 6 to Friday Feb 12, 2027; make-up working day Saturday Feb 20.
    for day in range(6, 13):
        actions.set_holiday(actor=admin, date=D(2027, 2, day), kind=DayKind.REST_DAY, name="春节", source=SOURCE_2027)
    actions.set_holiday(actor=admin, date=D(2027, 2, 20), kind=DayKind.WORKING_DAY, name="春节", source=SOURCE_2027)


def _state() -> tuple[int, int, int, int]:
    return (
        HolidayOverride.objects.count(),
        HolidayYear.objects.count(),
        AuditEvent.objects.count(),
        holiday_calendar_version(),
    )


def test_chinese_calendar_data_and_the_weekend_fallback(db: None) -> None:
    calendar = current_calendar()
    assert calendar.is_rest_day(D(2026, 10, 5))
    assert not calendar.is_rest_day(D(2026, 10, 10))  # make-up Saturday
    assert calendar.has_holiday_data(2026)
    assert not calendar.has_holiday_data(2027)
    assert calendar.year(2027).source == "weekends"
    assert not calendar.is_rest_day(D(2027, 2, 8))


def test_a_court_administrator_enters_and_publishes_2027_and_the_deadline_moves(personas: Personas) -> None:
    admin = personas.court_admin
    # Saturday 2027-01-09 + 30 days = Monday 2027-02-08: a working day by weekends only, unverified.
    assert _due(D(2027, 1, 9)) == (D(2027, 2, 8), False)
    # Friday 2027-02-05 + 15 days = Saturday 2027-02-20 -> Monday 2027-02-22 by weekends only.
    assert _due(D(2027, 2, 5), Period(15, Unit.DAYS)) == (D(2027, 2, 22), False)
    version = holiday_calendar_version()

    _enter_2027_spring_festival(admin)
    # Entered but not published: a draft changes nothing yet.
    assert holiday_calendar_version() == version + 8
    assert _due(D(2027, 1, 9)) == (D(2027, 2, 8), False)

    events = AuditEvent.objects.count()
    actions.publish_holiday_year(actor=admin, year=2027, source=SOURCE_2027)
    assert AuditEvent.objects.count() == events + 1
    # Feb 8 to 12 are rest days, Feb 13-14 a weekend: the period ends on Monday 2027-02-15, now verified.
    assert _due(D(2027, 1, 9)) == (D(2027, 2, 15), True)
    # Saturday Feb 20 is a make-up working day: the period ends that day.
    assert _due(D(2027, 2, 5), Period(15, Unit.DAYS)) == (D(2027, 2, 20), True)
    assert current_calendar().year(2027).source == "court"

    # Through the deadline engine too: accepted 2027-01-14 + 25 days = Tuesday 2027-02-08 -> 2027-02-15.
    [notify] = [
        d for d in compute_deadlines("liquidation", {"accepted_on": D(2027, 1, 14)}) if d.key == "notify_creditors"
    ]
    assert (notify.unadjusted_on, notify.due_on, notify.holiday_data) == (D(2027, 2, 8), D(2027, 2, 15), True)

    # Withdrawing the publication by mistake made goes back to weekends only.
    actions.withdraw_holiday_year(actor=admin, year=2027)
    assert _due(D(2027, 1, 9)) == (D(2027, 2, 8), False)


def test_a_correction_to_a_year_chinese_calendar_knows_applies_at_once(personas: Personas) -> None:
    admin = personas.court_admin
    # Friday 2026-11-13 + 15 days = Saturday 2026-11-28 -> Monday 2026-11-30.
    assert _due(D(2026, 11, 13), Period(15, Unit.DAYS)) == (D(2026, 11, 30), True)
    actions.set_holiday(actor=admin, date=D(2026, 11, 30), kind=DayKind.REST_DAY, name="测试更正")
    assert _due(D(2026, 11, 13), Period(15, Unit.DAYS)) == (D(2026, 12, 1), True)
    assert current_calendar().year(2026).source == "chinese-calendar+court"
    # Changing the entry back to a working day, then removing it.
    actions.set_holiday(actor=admin, date=D(2026, 11, 30), kind=DayKind.WORKING_DAY, name="测试更正")
    assert _due(D(2026, 11, 13), Period(15, Unit.DAYS)) == (D(2026, 11, 30), True)
    # A make-up day can be taken away: Saturday 2026-10-10 becomes an ordinary Saturday.
    actions.set_holiday(actor=admin, date=D(2026, 10, 10), kind=DayKind.REST_DAY, name="测试更正")
    assert _due(D(2026, 9, 30), Period(10, Unit.DAYS)) == (D(2026, 10, 12), True)
    actions.remove_holiday(actor=admin, date=D(2026, 10, 10))
    assert _due(D(2026, 9, 30), Period(10, Unit.DAYS)) == (D(2026, 10, 10), True)


def test_no_stale_answer_after_an_edit_even_with_a_warm_cache(personas: Personas) -> None:
    admin = personas.court_admin
    warm = current_calendar()
    assert not warm.is_rest_day(D(2026, 11, 30))
    before = holiday_calendar_version()
    actions.set_holiday(actor=admin, date=D(2026, 11, 30), kind=DayKind.REST_DAY, name="测试更正")
    assert holiday_calendar_version() == before + 1
    # A calendar made before the edit keeps its snapshot (one answer, one table); a new one sees the edit.
    assert not warm.is_rest_day(D(2026, 11, 30))
    assert current_calendar().is_rest_day(D(2026, 11, 30))
    actions.remove_holiday(actor=admin, date=D(2026, 11, 30))
    assert holiday_calendar_version() == before + 2
    assert not current_calendar().is_rest_day(D(2026, 11, 30))


def test_an_edit_in_another_process_is_seen_through_the_version_row(personas: Personas) -> None:
    actions.set_holiday(actor=personas.court_admin, date=D(2026, 11, 30), kind=DayKind.REST_DAY, name="测试")
    assert current_calendar().is_rest_day(D(2026, 11, 30))  # 2026 now cached under this version
    token = HolidayCalendarVersion.objects.get().token
    # Another process changes the row. Until it bumps the version, this process answers from its cache
    # (which is why the table is only ever written through the actions, which bump it) ...
    HolidayOverride.objects.filter(date=D(2026, 11, 30)).update(kind=DayKind.WORKING_DAY)
    assert current_calendar().is_rest_day(D(2026, 11, 30))
    # ... and once the new version is committed, the next calendar reloads the year.
    HolidayCalendarVersion.objects.filter(pk=1).update(version=999, token=HolidayCalendarVersion().token)
    assert HolidayCalendarVersion.objects.get().token != token
    assert holiday_calendar_version() == 999
    assert not current_calendar().is_rest_day(D(2026, 11, 30))


def test_a_rolled_back_edit_leaves_no_trace_in_the_cache(personas: Personas) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.set_holiday(actor=personas.court_admin, date=D(2026, 11, 30), kind=DayKind.REST_DAY, name="测试")
        assert current_calendar().is_rest_day(D(2026, 11, 30))  # cached under the rolled-back token
        raise RuntimeError("roll back")
    assert not current_calendar().is_rest_day(D(2026, 11, 30))
    # A later change reaching the same version number is not confused with the rolled-back one.
    actions.set_holiday(actor=personas.court_admin, date=D(2026, 11, 27), kind=DayKind.REST_DAY, name="测试")
    calendar = current_calendar()
    assert not calendar.is_rest_day(D(2026, 11, 30))
    assert calendar.is_rest_day(D(2026, 11, 27))


def test_lookups_cost_one_query_per_calendar_once_the_year_is_loaded(
    db: None, django_assert_num_queries: Callable[..., Any]
) -> None:
    # The version row, as the migration creates it (a flush by an earlier committing test removes it, and
    # without it nothing is cached, on purpose).
    HolidayCalendarVersion.objects.get_or_create(pk=1)
    clear_cache()
    # Cold: the version, the published years, then one query per year with data (2026); 2027 has none.
    with django_assert_num_queries(3):
        calendar = current_calendar()
        for offset in range(400):
            calendar.is_rest_day(D(2026, 1, 1) + dt.timedelta(days=offset))
    # Warm: only the version row.
    with django_assert_num_queries(1):
        calendar = current_calendar()
        for offset in range(400):
            calendar.is_rest_day(D(2026, 1, 1) + dt.timedelta(days=offset))
        compute_deadlines("liquidation", {"accepted_on": D(2026, 9, 10)}, calendar=calendar)


EDITS: dict[str, Callable[[Any], object]] = {
    "set_holiday": lambda actor: actions.set_holiday(
        actor=actor, date=D(2027, 2, 8), kind=DayKind.REST_DAY, name="春节"
    ),
    "remove_holiday": lambda actor: actions.remove_holiday(actor=actor, date=D(2027, 2, 9)),
    "publish_holiday_year": lambda actor: actions.publish_holiday_year(actor=actor, year=2028),
    "withdraw_holiday_year": lambda actor: actions.withdraw_holiday_year(actor=actor, year=2027),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize(
    "persona", ["judge", "assistant", "clerk", "administrator", "creditor_a", "bank_operator", "outsider"]
)
def test_only_a_court_administrator_may_edit_the_table(personas: Personas, persona: str, edit: str) -> None:
    actions.set_holiday(actor=personas.court_admin, date=D(2027, 2, 9), kind=DayKind.REST_DAY, name="春节")
    actions.publish_holiday_year(actor=personas.court_admin, year=2027)
    before = _state()
    with pytest.raises(PermissionDenied, match="Only a court administrator"):
        EDITS[edit](getattr(personas, persona))
    assert _state() == before
    assert HolidayOverride.objects.get().date == D(2027, 2, 9)


def test_an_inactive_court_administrator_may_not_edit(personas: Personas) -> None:
    admin = personas.court_admin
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    before = _state()
    with pytest.raises(PermissionDenied):
        EDITS["set_holiday"](admin)
    assert _state() == before


def test_every_edit_is_audited_with_before_and_after(personas: Personas) -> None:
    admin = personas.court_admin
    start = AuditEvent.objects.count()
    entry = actions.set_holiday(actor=admin, date=D(2027, 2, 8), kind=DayKind.REST_DAY, name=" 春节 ", source="通知")
    assert (entry.name, entry.created_by, entry.updated_by) == ("春节", admin, admin)
    actions.set_holiday(actor=admin, date=D(2027, 2, 8), kind=DayKind.WORKING_DAY, name="春节调休")
    actions.publish_holiday_year(actor=admin, year=2027, source="通知")
    actions.remove_holiday(actor=admin, date=D(2027, 2, 8))
    events = list(AuditEvent.objects.filter(seq__gt=start).order_by("seq"))
    assert [event.action for event in events] == [
        "rules.holiday_set",
        "rules.holiday_set",
        "rules.holiday_year_published",
        "rules.holiday_removed",
    ]
    assert all(event.actor_id == admin.pk for event in events)
    created, changed, published, removed = events
    assert created.before is None
    assert created.after == {
        "date": "2027-02-08",
        "kind": "rest_day",
        "name": "春节",
        "source": "通知",
        "calendar_version": 1,
    }
    assert changed.before == {"date": "2027-02-08", "kind": "rest_day", "name": "春节", "source": "通知"}
    assert changed.after == {
        "date": "2027-02-08",
        "kind": "working_day",
        "name": "春节调休",
        "source": "",
        "calendar_version": 2,
    }
    assert published.after == {"year": 2027, "source": "通知", "entries": 1, "calendar_version": 3}
    assert removed.before == {"date": "2027-02-08", "kind": "working_day", "name": "春节调休", "source": ""}
    assert removed.object_type == "statutory_rules.HolidayOverride"
    assert HolidayOverride.objects.count() == 0
    assert HolidayYear.objects.get().published_by == admin


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"date": D(2101, 1, 1), "kind": DayKind.REST_DAY, "name": "春节"}, "date", "covers 2007 to 2100"),
        ({"date": D(2027, 2, 8), "kind": "holiday", "name": "春节"}, "kind", "unknown kind"),
        ({"date": D(2027, 2, 8), "kind": DayKind.REST_DAY, "name": "  "}, "name", "name the holiday"),
        ({"date": D(2027, 2, 8), "kind": DayKind.REST_DAY, "name": "节" * 61}, "name", "longer than 60"),
        ({"date": D(2027, 2, 8), "kind": DayKind.REST_DAY, "name": "春节", "source": "x" * 301}, "source", "300"),
    ],
)
def test_bad_entries_are_refused_and_change_nothing(
    personas: Personas, kwargs: dict[str, Any], field: str, message: str
) -> None:
    before = _state()
    with pytest.raises(DomainError, match=message) as caught:
        actions.set_holiday(actor=personas.court_admin, **kwargs)
    assert caught.value.field == field
    assert _state() == before


def test_conflicts_and_missing_entries(personas: Personas) -> None:
    admin = personas.court_admin
    actions.publish_holiday_year(actor=admin, year=2027)
    before = _state()
    with pytest.raises(Conflict, match="already published"):
        actions.publish_holiday_year(actor=admin, year=2027)
    with pytest.raises(NotFound, match="not in the holiday table"):
        actions.remove_holiday(actor=admin, date=D(2027, 2, 8))
    with pytest.raises(NotFound, match="not published"):
        actions.withdraw_holiday_year(actor=admin, year=2028)
    with pytest.raises(DomainError, match="covers 2007 to 2100"):
        actions.publish_holiday_year(actor=admin, year=2006)
    assert _state() == before
