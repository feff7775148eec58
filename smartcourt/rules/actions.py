"""Writes to the court's holiday table. Only court administrators may make them; each is one transaction
with its audit event, and each bumps the holiday calendar's version so that cached calendars are dropped and
stored deadlines can be recomputed."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.rules.choices import DayKind
from smartcourt.rules.models import MAX_YEAR, MIN_YEAR, HolidayCalendarVersion, HolidayOverride, HolidayYear

MAX_NAME = 60
MAX_SOURCE = 300


def _require_court_admin(actor: User) -> None:
    if not actor.is_active or actor.role != Role.COURT_ADMIN:
        raise PermissionDenied("Only a court administrator may edit the holiday table")


def _check_year(year: int, *, field: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(f"the holiday table covers {MIN_YEAR} to {MAX_YEAR}, not {year}", field=field)


def _bump_version() -> int:
    """Next version of the holiday table, inside the caller's transaction (the row lock serialises editors)."""
    HolidayCalendarVersion.objects.bulk_create([HolidayCalendarVersion(pk=1, version=0)], ignore_conflicts=True)
    row = HolidayCalendarVersion.objects.filter(pk=1)
    row.update(version=F("version") + 1, token=uuid.uuid4(), changed_at=timezone.now())
    return row.values_list("version", flat=True).get()


def _snapshot(entry: HolidayOverride) -> dict[str, object]:
    return {"date": entry.date, "kind": entry.kind, "name": entry.name, "source": entry.source}


@transaction.atomic
def set_holiday(*, actor: User, date: dt.date, kind: str, name: str, source: str = "") -> HolidayOverride:
    """Enter or change one day of the holiday table: a rest day (e.g. 春节 on a weekday) or a make-up working
    day (调休 on a weekend)."""
    _require_court_admin(actor)
    _check_year(date.year, field="date")
    if kind not in DayKind.values:
        raise DomainError(f"unknown kind of day {kind!r}: use {' or '.join(DayKind.values)}", field="kind")
    name = name.strip()
    source = source.strip()
    if not name:
        raise DomainError("name the holiday the day belongs to, e.g. 春节", field="name")
    if len(name) > MAX_NAME:
        raise DomainError(f"the name is longer than {MAX_NAME} characters", field="name")
    if len(source) > MAX_SOURCE:
        raise DomainError(f"the source is longer than {MAX_SOURCE} characters", field="source")
    entry = HolidayOverride.objects.select_for_update().filter(date=date).first()
    before = _snapshot(entry) if entry is not None else None
    if entry is None:
        try:
            with transaction.atomic():
                entry = HolidayOverride.objects.create(
                    date=date, kind=kind, name=name, source=source, created_by=actor, updated_by=actor
                )
        except IntegrityError as exc:
            # Another administrator entered the same day between our read and our insert.
            raise Conflict(f"{date.isoformat()} was just entered by someone else; reload", field="date") from exc
    else:
        entry.kind, entry.name, entry.source, entry.updated_by = kind, name, source, actor
        entry.save(update_fields=["kind", "name", "source", "updated_by", "updated_at"])
    version = _bump_version()
    record_event(
        actor=actor,
        action="rules.holiday_set",
        obj=entry,
        before=before,
        after={**_snapshot(entry), "calendar_version": version},
    )
    return entry


@transaction.atomic
def remove_holiday(*, actor: User, date: dt.date) -> None:
    """Take one day out of the holiday table: it goes back to what chinese-calendar or the weekend rule says."""
    _require_court_admin(actor)
    entry = HolidayOverride.objects.select_for_update().filter(date=date).first()
    if entry is None:
        raise NotFound(f"{date.isoformat()} is not in the holiday table", field="date")
    version = _bump_version()
    record_event(
        actor=actor,
        action="rules.holiday_removed",
        obj=entry,
        before=_snapshot(entry),
        after={"calendar_version": version},
    )
    entry.delete()


@transaction.atomic
def publish_holiday_year(*, actor: User, year: int, source: str = "") -> HolidayYear:
    """Declare the table's entries for ``year`` complete: they take effect, and deadlines ending in that year
    count as computed with holiday data."""
    _require_court_admin(actor)
    _check_year(year, field="year")
    source = source.strip()
    if len(source) > MAX_SOURCE:
        raise DomainError(f"the source is longer than {MAX_SOURCE} characters", field="source")
    try:
        with transaction.atomic():
            published = HolidayYear.objects.create(year=year, source=source, published_by=actor)
    except IntegrityError as exc:
        raise Conflict(f"{year} is already published", field="year") from exc
    entries = HolidayOverride.objects.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))
    version = _bump_version()
    record_event(
        actor=actor,
        action="rules.holiday_year_published",
        obj=published,
        after={"year": year, "source": source, "entries": entries.count(), "calendar_version": version},
    )
    return published


@transaction.atomic
def withdraw_holiday_year(*, actor: User, year: int) -> None:
    """Undo a publication made by mistake: the year's deadlines fall back to chinese-calendar or weekends."""
    _require_court_admin(actor)
    published = HolidayYear.objects.select_for_update().filter(year=year).first()
    if published is None:
        raise NotFound(f"{year} is not published", field="year")
    version = _bump_version()
    record_event(
        actor=actor,
        action="rules.holiday_year_withdrawn",
        obj=published,
        before={"year": year, "source": published.source},
        after={"calendar_version": version},
    )
    published.delete()
