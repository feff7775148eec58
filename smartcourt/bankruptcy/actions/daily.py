"""The daily job: reminders and deadline colours."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.actions.deadlines import _refresh_deadlines
from smartcourt.bankruptcy.choices import UNFINISHED_NODE_STATUSES, Colour, NodeStatus, ProceedingStatus, ReminderKind
from smartcourt.bankruptcy.models import NodeRecord, Reminder
from smartcourt.bankruptcy.schedule import deadline_colour, working_days_until
from smartcourt.rules.calendar import current_calendar


@transaction.atomic
def refresh_stale_deadlines() -> int:
    """Recompute the deadlines computed under an older holiday table. Returns how many moved."""
    calendar = current_calendar()
    stale = (
        NodeRecord.objects.filter(status__in=UNFINISHED_NODE_STATUSES, calendar_version__isnull=False)
        .exclude(calendar_version=calendar.version)
        .select_related("proceeding__case")
        .order_by("proceeding", "position")
    )
    moved_count = 0
    for record in stale:
        proceeding = record.proceeding
        for moved, before, after in _refresh_deadlines(proceeding, calendar=calendar, records=[record]):
            moved_count += 1
            record_event(
                actor=None,
                action="bankruptcy.deadline_recomputed",
                case_id=proceeding.case_id,
                obj=moved,
                before={"node": moved.node_key, "due_on": before},
                after={"node": moved.node_key, "due_on": after, "calendar_version": calendar.version},
            )
    return moved_count


@transaction.atomic
def raise_reminders(*, today: dt.date | None = None) -> int:
    """Raise today's reminders for every unfinished node due within three working days or overdue. Idempotent:
    one reminder per node, day and kind (a unique constraint), so a second run the same day adds nothing.
    Returns how many were raised."""
    today = today or timezone.localdate()
    calendar = current_calendar()
    records = (
        NodeRecord.objects.filter(
            status__in=UNFINISHED_NODE_STATUSES - {NodeStatus.BLOCKED},
            proceeding__status=ProceedingStatus.OPEN,
            due_on__isnull=False,
        )
        .select_related("proceeding")
        .order_by("proceeding", "position")
    )
    raised = 0
    for record in records:
        assert record.due_on is not None
        colour = deadline_colour(record.due_on, today, calendar)
        if colour == Colour.YELLOW:
            kind, days = ReminderKind.DUE_SOON, working_days_until(today, record.due_on, calendar)
        elif colour == Colour.RED:
            kind, days = ReminderKind.OVERDUE, -(today - record.due_on).days
        else:
            continue
        reminder, created = Reminder.objects.get_or_create(
            record=record,
            raised_on=today,
            kind=kind,
            defaults={"case_id": record.proceeding.case_id, "due_on": record.due_on, "working_days": days},
        )
        if created:
            raised += 1
            record_event(
                actor=None,
                action="bankruptcy.reminder_raised",
                case_id=record.proceeding.case_id,
                obj=reminder,
                after={"node": record.node_key, "kind": kind, "due_on": record.due_on, "days": days},
            )
    return raised
