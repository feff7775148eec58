"""Period counting (Civil Code arts. 201-203, Civil Procedure Law art. 85), with chinese-calendar's data and
no database. Every date below was checked against a printed calendar; weekdays are in the comments."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcourt.core.errors import DomainError
from smartcourt.rules.calendar import LibraryCalendar
from smartcourt.rules.periods import (
    MAX_REST_RUN,
    Direction,
    Period,
    Unit,
    WeekendsOnly,
    add_months,
    period_end,
    raw_end,
)

D = dt.date
LIB = LibraryCalendar()


def days(n: int) -> Period:
    return Period(n, Unit.DAYS)


def months(n: int) -> Period:
    return Period(n, Unit.MONTHS)


def test_the_2026_national_day_arrangement_as_chinese_calendar_has_it() -> None:
    # State Council arrangement for 2026: 国庆节 + 中秋节 rest days Oct 1 (Thu) to Oct 7 (Wed); make-up
    # working days Sunday Sep 20 and Saturday Oct 10. Mid-Autumn alone is Sep 25 (Fri) to Sep 27 (Sun).
    rest = [D(2026, 10, day) for day in range(1, 8)]
    assert all(chinese_calendar.is_holiday(day) for day in rest)
    assert all(LIB.is_rest_day(day) for day in rest)
    assert not LIB.is_rest_day(D(2026, 10, 8))  # Thursday: back to work
    assert not LIB.is_rest_day(D(2026, 9, 30))  # Wednesday before the holiday
    for make_up in (D(2026, 9, 20), D(2026, 10, 10)):
        assert make_up.weekday() >= 5
        assert chinese_calendar.is_workday(make_up)
        assert not LIB.is_rest_day(make_up)
    assert LIB.is_rest_day(D(2026, 10, 11))  # an ordinary Sunday
    assert LIB.has_holiday_data(2026)
    assert not LIB.has_holiday_data(2027)


def test_the_starting_day_is_not_counted() -> None:
    # Tuesday 2026-03-10 + 1 day = Wednesday 2026-03-11.
    result = period_end(D(2026, 3, 10), days(1), LIB)
    assert (result.unadjusted, result.due_on, result.holiday_data) == (D(2026, 3, 11), D(2026, 3, 11), True)
    assert not result.adjusted
    assert "不计入" in result.basis


def test_a_period_ending_on_a_saturday_ends_on_monday() -> None:
    # Monday 2026-03-09 + 5 days = Saturday 2026-03-14 -> Monday 2026-03-16.
    result = period_end(D(2026, 3, 9), days(5), LIB)
    assert result.unadjusted == D(2026, 3, 14)
    assert result.due_on == D(2026, 3, 16)
    assert result.holiday_data is True
    assert "民事诉讼法第八十五条" in result.basis
    assert "Civil Procedure Law art. 85" in result.basis_en


@pytest.mark.parametrize(
    ("anchor", "amount", "unadjusted", "due_on"),
    [
        # Monday 2026-09-28 + 5 = Saturday 2026-10-03, inside Oct 1-7 -> Thursday 2026-10-08.
        (D(2026, 9, 28), 5, D(2026, 10, 3), D(2026, 10, 8)),
        # Thursday 2026-09-10 + 25 = Monday 2026-10-05, a National Day rest day -> 2026-10-08.
        (D(2026, 9, 10), 25, D(2026, 10, 5), D(2026, 10, 8)),
        # Monday 2026-09-21 + 10 = Thursday 2026-10-01, the first day -> 2026-10-08.
        (D(2026, 9, 21), 10, D(2026, 10, 1), D(2026, 10, 8)),
        # Monday 2026-09-14 + 11 = Friday 2026-09-25, Mid-Autumn (Sep 25-27) -> Monday 2026-09-28.
        (D(2026, 9, 14), 11, D(2026, 9, 25), D(2026, 9, 28)),
    ],
)
def test_a_period_ending_in_the_2026_national_day_holiday_moves_to_the_first_working_day_after_it(
    anchor: dt.date, amount: int, unadjusted: dt.date, due_on: dt.date
) -> None:
    result = period_end(anchor, days(amount), LIB)
    assert (result.unadjusted, result.due_on, result.holiday_data) == (unadjusted, due_on, True)


@pytest.mark.parametrize(
    ("anchor", "amount", "make_up_day"),
    [
        # Thursday 2026-09-10 + 10 = Sunday 2026-09-20, a make-up working day (调休): the period ends that day.
        (D(2026, 9, 10), 10, D(2026, 9, 20)),
        # Wednesday 2026-09-30 + 10 = Saturday 2026-10-10, a make-up working day.
        (D(2026, 9, 30), 10, D(2026, 10, 10)),
    ],
)
def test_a_make_up_working_day_on_a_weekend_is_a_working_day(
    anchor: dt.date, amount: int, make_up_day: dt.date
) -> None:
    result = period_end(anchor, days(amount), LIB)
    assert result.unadjusted == result.due_on == make_up_day
    assert result.holiday_data is True
    # Without holiday data the same weekend day would move to Monday.
    next_monday = make_up_day + dt.timedelta(days=7 - make_up_day.weekday())
    assert period_end(anchor, days(amount), WeekendsOnly()).due_on == next_monday


def test_the_2026_spring_festival() -> None:
    # Monday 2026-02-09 + 7 = Monday 2026-02-16, inside Feb 15-23 -> Tuesday 2026-02-24.
    result = period_end(D(2026, 2, 9), days(7), LIB)
    assert (result.unadjusted, result.due_on) == (D(2026, 2, 16), D(2026, 2, 24))


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # February 2026 has no 31st: its last day
        (D(2026, 8, 31), 3, D(2026, 11, 30)),  # November has no 31st
        (D(2026, 8, 30), 3, D(2026, 11, 30)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2027, 11, 29), 3, D(2028, 2, 29)),
        (D(2027, 11, 30), 3, D(2028, 2, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2026, 4, 30), 6, D(2026, 10, 30)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),  # counted back
        (D(2028, 3, 31), -1, D(2028, 2, 29)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
    ],
)
def test_months_end_on_the_same_numbered_day_or_the_months_last_day(
    start: dt.date, count: int, expected: dt.date
) -> None:
    assert add_months(start, count) == expected


def test_month_end_clipping_then_the_rest_day_rule() -> None:
    # 2026-01-31 + 1 month = 2026-02-28, a Saturday, but a Spring Festival make-up working day: it stays.
    result = period_end(D(2026, 1, 31), months(1), LIB)
    assert (result.unadjusted, result.due_on, result.holiday_data) == (D(2026, 2, 28), D(2026, 2, 28), True)
    # 2026-08-31 + 3 months = Monday 2026-11-30.
    result = period_end(D(2026, 8, 31), months(3), LIB)
    assert (result.unadjusted, result.due_on) == (D(2026, 11, 30), D(2026, 11, 30))
    # 2028-01-31 + 1 month = Tuesday 2028-02-29; 2028 has no holiday data.
    result = period_end(D(2028, 1, 31), months(1), LIB)
    assert (result.unadjusted, result.due_on, result.holiday_data) == (D(2028, 2, 29), D(2028, 2, 29), False)


def test_a_period_ending_in_a_year_without_holiday_data_falls_back_to_weekends_and_says_so() -> None:
    # Saturday 2027-01-09 + 30 days = Monday 2027-02-08: a working day by the weekend rule, but unverified.
    result = period_end(D(2027, 1, 9), days(30), LIB)
    assert (result.unadjusted, result.due_on, result.holiday_data) == (D(2027, 2, 8), D(2027, 2, 8), False)
    assert "2027年尚无公布的节假日安排" in result.basis
    # Thursday 2026-12-31 + 2 days = Saturday 2027-01-02 -> Monday 2027-01-04 by weekends only.
    result = period_end(D(2026, 12, 31), days(2), LIB)
    assert (result.due_on, result.holiday_data) == (D(2027, 1, 4), False)
    # A period starting in 2026 and ending in 2026 is fully covered.
    assert period_end(D(2026, 12, 1), days(30), LIB).holiday_data is True


class _KnownUntil2026:
    """Weekends only, but 2026 counts as published: a walk from 2026 into 2027 loses coverage."""

    def is_rest_day(self, day: dt.date) -> bool:
        return day.weekday() >= 5 or day == D(2026, 12, 31)

    def has_holiday_data(self, year: int) -> bool:
        return year <= 2026


def test_coverage_is_lost_when_the_walk_to_a_working_day_enters_a_year_without_data() -> None:
    # Wednesday 2026-12-30 + 1 = Thursday 2026-12-31 (a rest day here) -> Friday 2027-01-01.
    result = period_end(D(2026, 12, 30), days(1), _KnownUntil2026())
    assert (result.unadjusted, result.due_on, result.holiday_data) == (D(2026, 12, 31), D(2027, 1, 1), False)
    assert "2027年" in result.basis and "2026年" not in result.basis


def test_a_backward_period_counts_back_and_is_never_moved() -> None:
    before = Period(15, Unit.DAYS, Direction.BEFORE)
    # Meeting on Tuesday 2026-10-20: notice by Monday 2026-10-05 (a National Day rest day) at the latest.
    result = period_end(D(2026, 10, 20), before, LIB)
    assert (result.unadjusted, result.due_on, result.holiday_data) == (D(2026, 10, 5), D(2026, 10, 5), True)
    assert "不因休假日顺延" in result.basis
    # Also in a year without data: nothing was looked up, so nothing is uncertain.
    result = period_end(D(2027, 3, 1), before, LIB)
    assert (result.due_on, result.holiday_data) == (D(2027, 2, 14), True)
    # One month before 2026-03-31 is 2026-02-28.
    assert period_end(D(2026, 3, 31), Period(1, Unit.MONTHS, Direction.BEFORE), LIB).due_on == D(2026, 2, 28)


class _AllRest:
    def is_rest_day(self, day: dt.date) -> bool:
        return True

    def has_holiday_data(self, year: int) -> bool:
        return True


def test_a_table_without_working_days_is_refused_rather_than_looping() -> None:
    with pytest.raises(DomainError, match=f"no working day within {MAX_REST_RUN} days"):
        period_end(D(2026, 3, 9), days(5), _AllRest())


def test_a_period_has_at_least_one_unit() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Period(0, Unit.DAYS)


def test_dates_beyond_the_calendar_are_refused() -> None:
    with pytest.raises(DomainError, match="outside the calendar"):
        raw_end(D(9999, 12, 1), months(2))
    with pytest.raises(DomainError, match="outside the calendar"):
        raw_end(D(9999, 12, 30), days(5))


forward_periods = st.builds(
    Period,
    amount=st.integers(min_value=1, max_value=400),
    unit=st.sampled_from(Unit),
    direction=st.just(Direction.AFTER),
)
anchors = st.dates(min_value=D(2007, 6, 1), max_value=D(2030, 12, 31))


@settings(max_examples=400, deadline=None)
@given(anchor=anchors, period=forward_periods)
def test_property_a_forward_period_ends_on_a_working_day_not_before_its_raw_end(
    anchor: dt.date, period: Period
) -> None:
    result = period_end(anchor, period, LIB)
    assert result.unadjusted == raw_end(anchor, period)
    assert result.unadjusted > anchor
    assert result.due_on >= result.unadjusted
    assert not LIB.is_rest_day(result.due_on)
    # It moved no further than the first working day: every day skipped was a rest day.
    skipped = [result.unadjusted + dt.timedelta(days=n) for n in range((result.due_on - result.unadjusted).days)]
    assert all(LIB.is_rest_day(day) for day in skipped)
    years = {result.unadjusted.year, result.due_on.year}
    assert result.holiday_data == all(LIB.has_holiday_data(year) for year in years)


@settings(max_examples=200, deadline=None)
@given(anchor=anchors, amount=st.integers(min_value=1, max_value=60), unit=st.sampled_from(Unit))
def test_property_a_backward_period_is_its_raw_end(anchor: dt.date, amount: int, unit: Unit) -> None:
    result = period_end(anchor, Period(amount, unit, Direction.BEFORE), LIB)
    assert result.due_on == result.unadjusted < anchor
    if unit is Unit.DAYS:
        assert (anchor - result.due_on).days == amount
