"""Reads of the holiday table for the court administrators' page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

from smartcourt.rules.calendar import LibraryCalendar, library_exceptions
from smartcourt.rules.choices import DayKind
from smartcourt.rules.models import HolidayOverride, HolidayYear


@dataclass(frozen=True)
class DayRow:
    """One day of a year that is not what the weekend rule says, or that the court has entered."""

    date: dt.date
    rest: bool
    name: str
    library: bool | None  # chinese-calendar's answer (True: rest day), None without library data
    entry: HolidayOverride | None


@dataclass(frozen=True)
class HolidayYearView:
    year: int
    library_data: bool
    published: HolidayYear | None
    rows: list[DayRow]

    @property
    def has_holiday_data(self) -> bool:
        return self.library_data or self.published is not None

    @property
    def entries(self) -> int:
        return sum(1 for row in self.rows if row.entry is not None)


def holiday_year(year: int) -> HolidayYearView:
    """Every exception to the weekend rule in ``year``: chinese-calendar's and the court's entries, by date.
    The table is public law, not case data, so every court administrator sees all of it."""
    library = library_exceptions(year)
    entries = {
        entry.date: entry
        for entry in HolidayOverride.objects.filter(
            date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
        ).select_related("created_by", "updated_by")
    }
    rows: list[DayRow] = []
    library_only = LibraryCalendar()
    for day in sorted(set(library or {}) | set(entries)):
        entry = entries.get(day)
        library_rest = None if library is None else library_only.is_rest_day(day)
        if entry is not None:
            rest, name = entry.kind == DayKind.REST_DAY, entry.name
        else:
            rest, name = bool(library_rest), _library_name(day)
        rows.append(DayRow(date=day, rest=rest, name=name, library=library_rest, entry=entry))
    return HolidayYearView(
        year=year,
        library_data=library is not None,
        published=HolidayYear.objects.filter(year=year).first(),
        rows=rows,
    )


def _library_name(day: dt.date) -> str:
    # The library names holidays in English; its enum carries the Chinese name too.
    _, name = chinese_calendar.get_holiday_detail(day)
    if not name:
        return ""
    try:
        return str(chinese_calendar.Holiday(name).chinese)
    except ValueError:
        return str(name)
