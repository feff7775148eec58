"""Node deadlines come from smartcourt.rules: across the 2026 National Day holiday, into a year without
published holiday data, and again when the court's holiday table changes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.actions import refresh_stale_deadlines, set_anchor_date
from smartcourt.bankruptcy.models import Proceeding
from smartcourt.bankruptcy.tests.conftest import ACCEPTED, drive, record
from smartcourt.rules.actions import set_holiday
from smartcourt.rules.calendar import holiday_calendar_version
from smartcourt.rules.deadlines import compute_deadlines

if TYPE_CHECKING:
    from conftest import Personas


def test_notice_deadline_moves_past_the_national_day_holiday(personas: Personas, proceeding: Proceeding) -> None:
    n03 = record(personas, "N03")
    # 2026-09-10 + 25 days = 2026-10-05, inside the National Day holiday (1-7 October): the period ends on the
    # first working day after it, Thursday 8 October.
    assert n03.deadline_key == "notify_creditors"
    assert n03.due_on == dt.date(2026, 10, 8)
    assert n03.holiday_data is True
    assert n03.calendar_version == holiday_calendar_version()
    assert "2026-10-05" in n03.due_basis and "2026-10-08" in n03.due_basis
    # Exactly what the rules app answers for the same dates.
    by_key = {deadline.key: deadline for deadline in compute_deadlines("liquidation", {"accepted_on": ACCEPTED})}
    assert n03.due_on == by_key["notify_creditors"].due_on
    assert record(personas, "N01").due_on == by_key["serve_acceptance"].due_on == dt.date(2026, 9, 15)
    assert record(personas, "N04").due_on == by_key["executory_contracts"].due_on == dt.date(2026, 11, 10)


def test_deadlines_whose_anchor_is_unknown_wait_for_it(personas: Personas, proceeding: Proceeding) -> None:
    for key in ("N06", "N08", "N10", "N15", "N16"):
        assert record(personas, key).due_on is None, key
    for key in ("N05", "N07", "N09", "N17"):
        assert record(personas, key).deadline_key == "", key


def test_a_deadline_in_a_year_without_holiday_data_says_so(personas: Personas, proceeding: Proceeding) -> None:
    set_anchor_date(
        actor=personas.judge, case_id=personas.case.pk, name="declared_bankrupt_on", value=dt.date(2027, 9, 24)
    )
    n10 = record(personas, "N10")
    # 2027-09-24 + 10 days = 2027-10-04, a Monday: with weekends only it stays there, flagged as unpublished.
    assert n10.due_on == dt.date(2027, 10, 4)
    assert n10.holiday_data is False
    assert "2027年尚无公布的节假日安排" in n10.due_basis


def test_a_holiday_table_change_recomputes_open_deadlines_only(personas: Personas, proceeding: Proceeding) -> None:
    drive(personas, "N04")  # completed: keeps the deadline it was held to
    n04_due = record(personas, "N04").due_on
    set_holiday(actor=personas.court_admin, date=dt.date(2026, 10, 8), kind="rest_day", name="国庆节（测试调整）")
    set_holiday(actor=personas.court_admin, date=dt.date(2026, 11, 10), kind="rest_day", name="测试")
    events = AuditEvent.objects.count()
    assert refresh_stale_deadlines() == 1
    n03 = record(personas, "N03")
    assert (n03.due_on, n03.calendar_version) == (dt.date(2026, 10, 9), holiday_calendar_version())
    assert record(personas, "N04").due_on == n04_due
    event = AuditEvent.objects.filter(action="bankruptcy.deadline_recomputed").get()
    assert (event.before, event.after) == (
        {"node": "N03", "due_on": "2026-10-08"},
        {"node": "N03", "due_on": "2026-10-09", "calendar_version": holiday_calendar_version()},
    )
    assert AuditEvent.objects.count() == events + 1
    # Idempotent: nothing is stale any more.
    assert refresh_stale_deadlines() == 0
