"""Reads of online filings, scoped to the user: an applicant sees his own filings, a filing clerk those of
his court; anyone else sees nothing, and "not found" and "forbidden" look the same."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.core.lookups import get_or_not_found
from smartcourt.filing.choices import IN_QUEUE, DeadlineColour
from smartcourt.filing.models import Filing
from smartcourt.rules.calendar import current_calendar

# Yellow from this many working days before the deadline (as on the bankruptcy supervision board).
YELLOW_WORKING_DAYS = 3


def filings_visible_to(user: User) -> QuerySet[Filing]:
    if not user.is_authenticated or not user.is_active:
        return Filing.objects.none()
    if user.role == Role.FILING_CLERK:
        return Filing.objects.filter(court_id=user.organisation_id) | Filing.objects.filter(filer=user)
    if user.role == Role.PARTY:
        return Filing.objects.filter(filer=user)
    return Filing.objects.none()


def get_filing_for(user: User, filing_id: uuid.UUID | str) -> Filing:
    return get_or_not_found(
        filings_visible_to(user).select_related("court", "case", "filer", "duplicate_of"),
        _("No such filing"),
        pk=filing_id,
    )


def my_filings(user: User) -> QuerySet[Filing]:
    return (
        Filing.objects.filter(filer=user)
        .select_related("court", "case")
        .prefetch_related("parties")
        .order_by("-updated_at")
    )


def working_days_left(today: dt.date, due_on: dt.date) -> int:
    """Working days from today to the deadline (today counts if it is a working day); negative once past."""
    if due_on < today:
        return (due_on - today).days
    calendar = current_calendar()
    count, day = 0, today
    while day <= due_on:
        if not calendar.is_rest_day(day):
            count += 1
        day += dt.timedelta(days=1)
    return count


def deadline_colour(due_on: dt.date | None, today: dt.date | None = None) -> DeadlineColour:
    today = today or timezone.localdate()
    if due_on is None or (due_on >= today and working_days_left(today, due_on) > YELLOW_WORKING_DAYS):
        return DeadlineColour.GREEN
    if due_on < today:
        return DeadlineColour.RED
    return DeadlineColour.YELLOW


@dataclass(frozen=True)
class QueueRow:
    filing: Filing
    colour: DeadlineColour


def clerk_queue(user: User, *, today: dt.date | None = None) -> list[QueueRow]:
    """The court's filings awaiting a decision, oldest first, each with its 7-day deadline's colour."""
    if user.role != Role.FILING_CLERK:
        return []
    filings = (
        Filing.objects.filter(court_id=user.organisation_id, status__in=IN_QUEUE)
        .select_related("filer", "duplicate_of")
        .prefetch_related("parties")
        .order_by("submitted_at", "created_at")
    )
    return [QueueRow(filing=f, colour=deadline_colour(f.decide_by, today)) for f in filings]
