"""Periodic jobs of the accounts app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from smartcourt.accounts.actions import prune_login_attempts


# Hourly: a lock lasts at most the throttle window (minutes), so rows a day old are only clutter.
@db_periodic_task(crontab(minute="17"))
def prune_login_attempts_task() -> int:
    return prune_login_attempts()
