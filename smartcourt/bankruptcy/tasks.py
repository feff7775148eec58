"""The daily deadline job: deadlines follow holiday-table changes, then reminders are raised."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from smartcourt.bankruptcy.actions import raise_reminders, refresh_stale_deadlines

logger = logging.getLogger("smartcourt.bankruptcy")


# Early, before the courts open. Takes no ids: each run looks at every open node and is idempotent.
@db_periodic_task(crontab(hour="6", minute="30"))
def deadline_reminders() -> int:
    moved = refresh_stale_deadlines()
    raised = raise_reminders()
    logger.info("deadline job: %s deadlines recomputed, %s reminders raised", moved, raised)
    return raised
