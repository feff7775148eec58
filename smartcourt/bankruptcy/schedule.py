"""Deadlines of nodes, computed with smartcourt.rules, and how they stand on a given day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from smartcourt.bankruptcy.choices import Colour
from smartcourt.bankruptcy.rulepack import Node
from smartcourt.rules.deadlines import RULES_BY_KEY
from smartcourt.rules.periods import PeriodResult, RestDayCalendar, period_end

# "Due soon" on the board and in reminders: this many working days or fewer left.
DUE_SOON_WORKING_DAYS = 3


def deadline_key_for(node: Node, *, extended: bool) -> str:
    if extended and node.extended_deadline_key:
        return node.extended_deadline_key
    return node.deadline_key or ""


def node_deadline(key: str, anchors: Mapping[str, dt.date], calendar: RestDayCalendar) -> PeriodResult | None:
    """The deadline ``key`` for a proceeding with ``anchors``; None while its anchor date is not known."""
    if not key:
        return None
    rule = RULES_BY_KEY[key]
    anchor_on = anchors.get(rule.anchor)
    if anchor_on is None:
        return None
    return period_end(anchor_on, rule.period, calendar)


def working_days_until(today: dt.date, due_on: dt.date, calendar: RestDayCalendar) -> int:
    """Working days after ``today`` up to and including ``due_on`` (0 when due today)."""
    count = 0
    day = today
    while day < due_on:
        day += dt.timedelta(days=1)
        if not calendar.is_rest_day(day):
            count += 1
            if count > DUE_SOON_WORKING_DAYS:
                break  # far enough: the exact number is not needed
    return count


def deadline_colour(due_on: dt.date | None, today: dt.date, calendar: RestDayCalendar) -> Colour:
    if due_on is None:
        return Colour.NONE
    if due_on < today:
        return Colour.RED
    if working_days_until(today, due_on, calendar) <= DUE_SOON_WORKING_DAYS:
        return Colour.YELLOW
    return Colour.GREEN
