"""How a statutory period (期间) is counted. Pure functions: no database, no clock.

The rules (DESIGN.md §5):

- The starting day is not counted: a period of N days from day S ends on S + N days (Civil Code art. 201;
  Civil Procedure Law art. 85(2)).
- A period in months ends on the same-numbered day of the last month, or on that month's last day if it has
  none: 2026-01-31 + 1 month = 2026-02-28 (Civil Code art. 202).
- If the last day of a period is a statutory rest day (法定休假日: weekends and public holidays, but not the
  make-up working days 调休 that fall on a weekend), the period ends on the first working day after it
  (Civil Code art. 203; Civil Procedure Law art. 85(3)).

A period counted backwards from an event ("notify creditors 15 days before the meeting", EBL art. 63) ends
on event - N days, or N months earlier with the same month-end rule, and is never moved: the rest-day rule
exists to give whoever must act the whole period, and moving the last day of a notice period to the next
working day would shorten the notice below the statutory minimum. Moving it to the previous working day
instead is not what the statute says either (a notice may be posted or served electronically on a rest
day), so the raw date is the answer and no holiday data is consulted for it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from smartcourt.core.errors import DomainError

# The longest run of rest days in any published arrangement is 9 days (Spring Festival between two
# weekends); a longer run means the holiday table is wrong, not that the period should run on.
MAX_REST_RUN = 31


class Unit(StrEnum):
    DAYS = "days"
    MONTHS = "months"


class Direction(StrEnum):
    # The period runs forward from its anchor: "within 25 days of the acceptance ruling".
    AFTER = "after"
    # The period is counted back from its anchor: "at least 15 days before the meeting".
    BEFORE = "before"


@dataclass(frozen=True)
class Period:
    """A statutory period: an amount of days or months, counted after or before an anchor date."""

    amount: int
    unit: Unit
    direction: Direction = Direction.AFTER

    def __post_init__(self) -> None:
        if self.amount < 1:
            raise ValueError(f"a period is at least one day or month, not {self.amount}")

    @property
    def label_zh(self) -> str:
        unit = "日" if self.unit is Unit.DAYS else "个月"
        return f"{self.amount}{unit}{'后' if self.direction is Direction.AFTER else '前'}"

    @property
    def label_en(self) -> str:
        unit = (
            ("day" if self.amount == 1 else "days")
            if self.unit is Unit.DAYS
            else ("month" if self.amount == 1 else "months")
        )
        return f"{self.amount} {unit} {self.direction.value}"


class RestDayCalendar(Protocol):
    """What period counting needs to know about the calendar."""

    def is_rest_day(self, day: dt.date) -> bool:
        """True for a statutory rest day (weekend or public holiday, not a make-up working day)."""
        ...

    def has_holiday_data(self, year: int) -> bool:
        """True when published holiday data covers ``year``; otherwise only weekends count as rest days."""
        ...


class WeekendsOnly:
    """A calendar without holiday data: Saturdays and Sundays are the only rest days."""

    def is_rest_day(self, day: dt.date) -> bool:
        return day.weekday() >= 5

    def has_holiday_data(self, year: int) -> bool:
        return False


@dataclass(frozen=True)
class PeriodResult:
    """When a period ends.

    ``unadjusted`` is the raw last day; ``due_on`` is the day the period really ends, after the rest-day
    rule (the same day for backward periods). ``holiday_data`` is True when published holiday data covered
    every day examined; a backward period examines none. ``basis`` explains the computation in Chinese and
    ``basis_en`` in English.
    """

    due_on: dt.date
    unadjusted: dt.date
    holiday_data: bool
    basis: str
    basis_en: str

    @property
    def adjusted(self) -> bool:
        return self.due_on != self.unadjusted


def add_months(day: dt.date, months: int) -> dt.date:
    """The same-numbered day ``months`` later (or earlier, if negative), clipped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise DomainError(f"{day.isoformat()} {months:+d} months is outside the calendar")
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def raw_end(anchor: dt.date, period: Period) -> dt.date:
    """The last day of ``period`` counted from ``anchor``, before the rest-day rule."""
    sign = 1 if period.direction is Direction.AFTER else -1
    try:
        if period.unit is Unit.DAYS:
            return anchor + dt.timedelta(days=sign * period.amount)
    except OverflowError as exc:
        raise DomainError(f"{anchor.isoformat()} {period.label_en} is outside the calendar") from exc
    return add_months(anchor, sign * period.amount)


def next_working_day(day: dt.date, rest_days: RestDayCalendar) -> tuple[dt.date, bool]:
    """``day`` itself if it is a working day, else the first working day after it; and whether published
    holiday data covered every day looked at."""
    covered = rest_days.has_holiday_data(day.year)
    current = day
    for _ in range(MAX_REST_RUN):
        if not rest_days.is_rest_day(current):
            return current, covered
        current += dt.timedelta(days=1)
        covered = covered and rest_days.has_holiday_data(current.year)
    raise DomainError(f"no working day within {MAX_REST_RUN} days of {day.isoformat()}: check the holiday table")


def period_end(anchor: dt.date, period: Period, rest_days: RestDayCalendar) -> PeriodResult:
    """Where ``period`` counted from ``anchor`` ends, with the rest-day rule applied to forward periods."""
    unadjusted = raw_end(anchor, period)
    count_zh = f"{anchor.isoformat()}起算（当日不计入），{period.label_zh}为{unadjusted.isoformat()}"
    count_en = f"counted from {anchor.isoformat()} (that day excluded), {period.label_en} is {unadjusted.isoformat()}"
    if period.direction is Direction.BEFORE:
        return PeriodResult(
            due_on=unadjusted,
            unadjusted=unadjusted,
            holiday_data=True,
            basis=f"自{count_zh}；向前计算的期间不因休假日顺延，以免缩短法定期间",
            basis_en=f"{count_en}; a period counted backwards is not moved for rest days, which would shorten it",
        )
    due_on, covered = next_working_day(unadjusted, rest_days)
    basis = f"自{count_zh}（民法典第二百零一、二百零二条）"
    basis_en = f"{count_en} (Civil Code arts. 201-202)"
    if due_on != unadjusted:
        basis += f"；该日为法定休假日，顺延至休假日后的第一个工作日{due_on.isoformat()}（民事诉讼法第八十五条）"
        basis_en += (
            f"; that day is a statutory rest day, so the period ends on the next working day "
            f"{due_on.isoformat()} (Civil Procedure Law art. 85)"
        )
    if not covered:
        years = [year for year in range(unadjusted.year, due_on.year + 1) if not rest_days.has_holiday_data(year)]
        basis += f"；{'、'.join(map(str, years))}年尚无公布的节假日安排，仅按周末计算休息日"
        basis_en += f"; no published holiday arrangement for {', '.join(map(str, years))}: only weekends counted"
    return PeriodResult(due_on=due_on, unadjusted=unadjusted, holiday_data=covered, basis=basis, basis_en=basis_en)
