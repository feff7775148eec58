"""The working-day calendar: chinese-calendar for the years it knows, with the court's holiday table on top.

Per year, the calendar is the weekend rule plus a set of exceptions (weekdays that are rest days, weekend
days that are make-up working days):

- a year chinese-calendar knows: its exceptions, overridden day by day by ``HolidayOverride``;
- a later year the court has published (``HolidayYear``): the court's entries alone;
- any other year: weekends only, and ``has_holiday_data`` is False. Entries for such a year wait until the
  court publishes it, so a half-entered arrangement never moves a deadline.

Lookups are cheap: ``current_calendar()`` reads the version row once (one query); each year is loaded with
one query the first time any calendar of that version needs it, and kept for the process until the version
changes. A change made through ``smartcourt.rules.actions`` bumps the version, so no caller sees a stale
answer after an edit, in this process or another.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import chinese_calendar

from smartcourt.rules.choices import DayKind
from smartcourt.rules.models import HolidayCalendarVersion, HolidayOverride, HolidayYear

SOURCE_LIBRARY = "chinese-calendar"
SOURCE_COURT = "court"
SOURCE_WEEKENDS = "weekends"


def _weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


@functools.lru_cache(maxsize=128)
def library_exceptions(year: int) -> Mapping[dt.date, bool] | None:
    """chinese-calendar's days of ``year`` that differ from the weekend rule (date -> is a rest day), or None
    when the library has no data for the year."""
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    exceptions: dict[dt.date, bool] = {}
    try:
        for offset in range(days):
            day = start + dt.timedelta(days=offset)
            rest = not chinese_calendar.is_workday(day)
            if rest != _weekend(day):
                exceptions[day] = rest
    except NotImplementedError:
        return None
    return MappingProxyType(exceptions)


@dataclass(frozen=True)
class YearCalendar:
    """The rest days of one year: the weekend rule plus exceptions."""

    year: int
    published: bool
    source: str
    exceptions: Mapping[dt.date, bool] = field(default_factory=dict)

    def is_rest_day(self, day: dt.date) -> bool:
        return self.exceptions.get(day, _weekend(day))


def build_year(year: int, *, published_by_court: bool, overrides: Mapping[dt.date, str]) -> YearCalendar:
    """Combine the library's data, the court's publication and its entries (date -> DayKind) for ``year``."""
    library = library_exceptions(year)
    if library is None and not published_by_court:
        return YearCalendar(year=year, published=False, source=SOURCE_WEEKENDS)
    exceptions = dict(library or {})
    for day, kind in overrides.items():
        rest = kind == DayKind.REST_DAY
        if rest == _weekend(day):
            exceptions.pop(day, None)
        else:
            exceptions[day] = rest
    source = SOURCE_LIBRARY if library is not None else SOURCE_COURT
    if library is not None and overrides:
        source = f"{SOURCE_LIBRARY}+{SOURCE_COURT}"
    return YearCalendar(year=year, published=True, source=source, exceptions=MappingProxyType(exceptions))


@functools.lru_cache(maxsize=128)
def _library_year(year: int) -> YearCalendar:
    return build_year(year, published_by_court=False, overrides={})


class LibraryCalendar:
    """chinese-calendar alone, without the court's table: needs no database (property tests, tools)."""

    def is_rest_day(self, day: dt.date) -> bool:
        return _library_year(day.year).is_rest_day(day)

    def has_holiday_data(self, year: int) -> bool:
        return _library_year(year).published


@dataclass(frozen=True)
class CalendarState:
    """What the version row says."""

    version: int
    token: uuid.UUID | None


def calendar_state() -> CalendarState:
    row = HolidayCalendarVersion.objects.filter(pk=1).values_list("version", "token").first()
    if row is None:
        return CalendarState(version=0, token=None)
    return CalendarState(version=row[0], token=row[1])


def holiday_calendar_version() -> int:
    """The holiday table's version: a deadline computed under another version may have moved since."""
    return calendar_state().version


class _ProcessCache:
    """Years already loaded, valid for one version token. Replaced whole when the token changes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.token: uuid.UUID | None = None
        self.published_years: frozenset[int] | None = None
        self.years: dict[int, YearCalendar] = {}

    def for_token(self, token: uuid.UUID | None) -> None:
        """Drop everything if it belongs to another version (call with the lock held)."""
        if token != self.token or token is None:
            self.token = token
            self.published_years = None
            self.years = {}

    def clear(self) -> None:
        with self.lock:
            self.for_token(None)


_cache = _ProcessCache()


def clear_cache() -> None:
    """Forget every loaded year (tests; the version check makes it unnecessary in normal use)."""
    _cache.clear()


class HolidayCalendar:
    """The calendar as of one version of the holiday table. Make one per request or computation: it reads
    the version once, so every deadline of one answer is computed against the same table."""

    def __init__(self, state: CalendarState | None = None) -> None:
        self.state = state if state is not None else calendar_state()
        self._years: dict[int, YearCalendar] = {}
        self._published: frozenset[int] | None = None

    @property
    def version(self) -> int:
        return self.state.version

    def year(self, year: int) -> YearCalendar:
        found = self._years.get(year)
        if found is None:
            found = self._load_year(year)
            self._years[year] = found
        return found

    def is_rest_day(self, day: dt.date) -> bool:
        return self.year(day.year).is_rest_day(day)

    def has_holiday_data(self, year: int) -> bool:
        return self.year(year).published

    def _published_years(self) -> frozenset[int]:
        if self._published is None:
            token = self.state.token
            with _cache.lock:
                _cache.for_token(token)
                cached = _cache.published_years
            if cached is None:
                cached = frozenset(HolidayYear.objects.values_list("year", flat=True))
                with _cache.lock:
                    if _cache.token == token and token is not None:
                        _cache.published_years = cached
            self._published = cached
        return self._published

    def _load_year(self, year: int) -> YearCalendar:
        token = self.state.token
        with _cache.lock:
            _cache.for_token(token)
            cached = _cache.years.get(year)
        if cached is not None:
            return cached
        published_by_court = year in self._published_years()
        overrides: dict[dt.date, str] = {}
        if published_by_court or library_exceptions(year) is not None:
            rows = HolidayOverride.objects.filter(
                date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
            ).values_list("date", "kind")
            overrides = dict(rows)
        built = build_year(year, published_by_court=published_by_court, overrides=overrides)
        with _cache.lock:
            # Only a calendar of the cache's current version may fill it; a token of None (no version row yet)
            # is never cached, since it cannot tell two states apart.
            if _cache.token == token and token is not None:
                _cache.years[year] = built
        return built


def current_calendar() -> HolidayCalendar:
    """The calendar as the holiday table stands now."""
    return HolidayCalendar()
