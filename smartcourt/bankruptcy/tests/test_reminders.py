"""The daily job raises reminders before (three working days) and after a deadline, once per node, day and
kind, whatever the number of runs."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import time_machine

from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.actions import raise_reminders
from smartcourt.bankruptcy.models import Proceeding, Reminder
from smartcourt.bankruptcy.schedule import deadline_colour
from smartcourt.bankruptcy.tasks import deadline_reminders
from smartcourt.bankruptcy.tests.conftest import drive
from smartcourt.rules.calendar import current_calendar

if TYPE_CHECKING:
    from conftest import Personas

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: str) -> time_machine.travel:
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T06:30:00").replace(tzinfo=SHANGHAI), tick=False)


def reminders() -> list[tuple[str, str, str, int]]:
    return [
        (reminder.record.node_key, reminder.kind, reminder.raised_on.isoformat(), reminder.working_days)
        for reminder in Reminder.objects.select_related("record").order_by("raised_on", "record__position", "kind")
    ]


def test_colours_count_working_days_across_the_holiday(db: None) -> None:
    calendar = current_calendar()
    due = dt.date(2026, 10, 8)  # N03 of a case accepted 2026-09-10
    assert deadline_colour(due, dt.date(2026, 9, 25), calendar) == "green"  # 28, 29, 30 Sep, 8 Oct: four
    assert deadline_colour(due, dt.date(2026, 9, 28), calendar) == "yellow"  # 29, 30 Sep, 8 Oct: three
    assert deadline_colour(due, dt.date(2026, 10, 8), calendar) == "yellow"
    assert deadline_colour(due, dt.date(2026, 10, 9), calendar) == "red"
    assert deadline_colour(None, dt.date(2026, 10, 9), calendar) == "none"


def test_reminders_before_and_after_a_deadline(personas: Personas, proceeding: Proceeding) -> None:
    with at("2026-09-25"):
        assert raise_reminders() == 0
    with at("2026-09-28"):
        assert raise_reminders() == 1
    with at("2026-10-08"):
        assert raise_reminders() == 1
    with at("2026-10-10"):  # a make-up working Saturday: overdue by two days
        assert raise_reminders() == 1
    assert reminders() == [
        ("N03", "due_soon", "2026-09-28", 3),
        ("N03", "due_soon", "2026-10-08", 0),
        ("N03", "overdue", "2026-10-10", -2),
    ]
    reminder = Reminder.objects.first()
    assert reminder is not None and reminder.case == personas.case and reminder.due_on == dt.date(2026, 10, 8)
    assert AuditEvent.objects.filter(action="bankruptcy.reminder_raised", case_id=personas.case.pk).count() == 3


def test_a_second_run_the_same_day_adds_nothing(personas: Personas, proceeding: Proceeding) -> None:
    with at("2026-09-29"):
        assert deadline_reminders.call_local() == 1
        events = AuditEvent.objects.count()
        assert deadline_reminders.call_local() == 0
        assert raise_reminders() == 0
    assert Reminder.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_finished_and_waiting_nodes_raise_nothing(personas: Personas, proceeding: Proceeding) -> None:
    drive(personas, "N03")  # completed before its deadline
    with at("2026-10-09"):
        assert raise_reminders() == 0
    # N04 (due 2026-11-10) is overdue; N06 (due 2026-12-18) is still green.
    with at("2026-11-11"):
        assert raise_reminders() == 1
    assert [key for key, *_ in reminders()] == ["N04"]


def test_reminders_show_on_the_board_and_the_node_page(personas: Personas, proceeding: Proceeding) -> None:
    from django.test import Client
    from django.urls import reverse

    with at("2026-10-09"):
        raise_reminders()
        judge, administrator = Client(), Client()
        judge.force_login(personas.judge)
        administrator.force_login(personas.administrator)
        board = judge.get(reverse("bankruptcy:board")).content.decode()
        page = administrator.get(reverse("bankruptcy:case_nodes", args=[personas.case.pk])).content.decode()
    for html in (board, page):
        assert 'data-testid="reminders"' in html
        assert "2026-10-08" in html
    assert f'href="/bankruptcy/cases/{personas.case.pk}/#node-N03"' in board


def test_overdue_and_due_soon_are_apart_on_the_board_and_the_work_lists(
    personas: Personas, proceeding: Proceeding
) -> None:
    """Issue 16.8: the reminders box says what is overdue and what falls due within a week, from today's
    deadlines; the judge's and the administrator's home pages list the same nodes."""
    from smartcourt.analytics.worklist import work_list
    from smartcourt.bankruptcy.models import NodeRecord
    from smartcourt.bankruptcy.selectors import BoardFilters, board_for

    drive(personas, "N03")
    n04 = NodeRecord.objects.get(proceeding=proceeding, node_key="N04")
    assert n04.due_on == dt.date(2026, 11, 10)
    with at("2026-11-05"):
        board = board_for(personas.judge, BoardFilters())
        assert [d.record.node_key for d in board.overdue] == []
        assert [(d.record.node_key, d.days) for d in board.due_soon] == [("N04", 5)]
    with at("2026-11-12"):
        board = board_for(personas.judge, BoardFilters())
        assert [(d.record.node_key, d.days) for d in board.overdue] == [("N04", 2)]
        assert "N04" not in [d.record.node_key for d in board.due_soon]
        judge = work_list(personas.judge)
        administrator = work_list(personas.administrator)
    assert judge is not None and administrator is not None
    for work in (judge, administrator):
        overdue = next(section for section in work.sections if section.key == "overdue")
        assert [item.text.split()[0] for item in overdue.items] == ["N04"]
        assert overdue.items[0].url.endswith("#node-N04") and overdue.items[0].urgent
    # A creditor's work list has no node deadlines: the node pages are not his.
    creditor = work_list(personas.creditor_a)
    assert creditor is not None and [section.key for section in creditor.sections] == ["dates"]
