"""Anchor dates and deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.actions._common import _note, definition
from smartcourt.bankruptcy.choices import UNFINISHED_NODE_STATUSES
from smartcourt.bankruptcy.models import NodeRecord, Proceeding
from smartcourt.bankruptcy.rulepack import ANCHOR_BOUNDS
from smartcourt.bankruptcy.schedule import deadline_key_for, node_deadline
from smartcourt.cases.models import Case
from smartcourt.core.errors import DomainError
from smartcourt.rules.calendar import HolidayCalendar
from smartcourt.rules.deadlines import ANCHOR_NAMES, RULES_BY_KEY, check_dates
from smartcourt.rules.periods import period_end


def anchors_of(proceeding: Proceeding) -> dict[str, dt.date]:
    return {name: dt.date.fromisoformat(value) for name, value in proceeding.anchor_dates.items()}


def _check_bounds(name: str, value: dt.date, anchors: dict[str, dt.date], calendar: HolidayCalendar) -> None:
    for bound in ANCHOR_BOUNDS:
        if bound.anchor != name:
            continue
        earliest_rule, latest_rule = RULES_BY_KEY[bound.earliest_key], RULES_BY_KEY[bound.latest_key]
        base = anchors.get(earliest_rule.anchor)
        if base is None:
            continue
        # A minimum period is satisfied by its raw last day; a maximum runs to the next working day.
        earliest = period_end(base, earliest_rule.period, calendar).unadjusted
        latest = period_end(base, latest_rule.period, calendar).due_on
        if not earliest <= value <= latest:
            raise DomainError(
                f"{name} must be between {earliest.isoformat()} and {latest.isoformat()} "
                f"({latest_rule.basis.text_en}: {earliest_rule.period.label_en} to {latest_rule.period.label_en} "
                f"from {earliest_rule.anchor} {base.isoformat()})",
                field=name,
            )


def _set_anchor(
    proceeding: Proceeding, *, name: str, value: dt.date, case: Case, actor: User, calendar: HolidayCalendar
) -> None:
    if name not in ANCHOR_NAMES:
        raise DomainError(f"unknown date {name!r}; known: {', '.join(ANCHOR_NAMES)}", field="name")
    anchors = anchors_of(proceeding)
    before = anchors.get(name)
    anchors[name] = value
    check_dates(anchors)
    _check_bounds(name, value, anchors, calendar)
    proceeding.anchor_dates = {key: day.isoformat() for key, day in anchors.items()}
    Proceeding.objects.filter(pk=proceeding.pk).update(anchor_dates=proceeding.anchor_dates, updated_at=timezone.now())
    record_event(
        actor=actor,
        action="bankruptcy.date_set",
        case_id=case.pk,
        obj=proceeding,
        before={name: before},
        after={name: value},
    )
    _refresh_deadlines(proceeding, calendar=calendar)


def _deadline_fields(record: NodeRecord, anchors: dict[str, dt.date], calendar: HolidayCalendar) -> dict[str, Any]:
    key = deadline_key_for(definition(record), extended=record.extended)
    result = node_deadline(key, anchors, calendar)
    if result is None:
        return {"deadline_key": key, "due_on": None, "due_basis": "", "holiday_data": None, "calendar_version": None}
    return {
        "deadline_key": key,
        "due_on": result.due_on,
        "due_basis": _note(result.basis),
        "holiday_data": result.holiday_data,
        "calendar_version": calendar.version,
    }


def _refresh_deadlines(
    proceeding: Proceeding, *, calendar: HolidayCalendar, records: Iterable[NodeRecord] | None = None
) -> list[tuple[NodeRecord, dt.date | None, dt.date | None]]:
    """Recompute the deadlines of the unfinished nodes; a finished node keeps the deadline it was held to.
    Returns (record, old due date, new due date) for every deadline that moved."""
    anchors = anchors_of(proceeding)
    if records is None:
        records = proceeding.nodes.filter(status__in=UNFINISHED_NODE_STATUSES)
    moved = []
    for record in records:
        fields = _deadline_fields(record, anchors, calendar)
        if any(getattr(record, name) != value for name, value in fields.items()):
            NodeRecord.objects.filter(pk=record.pk).update(**fields)
            if record.due_on != fields["due_on"]:
                moved.append((record, record.due_on, fields["due_on"]))
            for name, value in fields.items():
                setattr(record, name, value)
    return moved
