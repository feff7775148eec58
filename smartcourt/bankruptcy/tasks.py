"""Periodic jobs of the engine: deadlines follow holiday-table changes; reminders are raised daily.

Neither takes ids: each looks at every unfinished node and is idempotent, so a run repeated or missed
changes nothing but timing."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from smartcourt.bankruptcy.actions import raise_reminders, refresh_stale_deadlines

logger = logging.getLogger("smartcourt.bankruptcy")


# Often: an edit of the holiday table should move the deadlines it affects within minutes, and when nothing
# changed the query finds no stale node at once.
@db_periodic_task(crontab(minute="*/10"))
def refresh_deadlines() -> int:
    moved = refresh_stale_deadlines()
    if moved:
        logger.info("holiday table changed: %s deadlines recomputed", moved)
    return moved


# Early, before the courts open.
@db_periodic_task(crontab(hour="6", minute="30"))
def deadline_reminders() -> int:
    moved = refresh_stale_deadlines()
    raised = raise_reminders()
    logger.info("deadline job: %s deadlines recomputed, %s reminders raised", moved, raised)
    return raised
