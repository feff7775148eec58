"""Periodic rebuild of the dashboards' summary tables."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from smartcourt.analytics.facts import refresh_facts

logger = logging.getLogger("smartcourt.analytics")


# Every 15 minutes: dashboards are at most a quarter of an hour behind the live tables. The lock keeps two
# rebuilds from overlapping when a large court's rebuild runs long.
@db_periodic_task(crontab(minute="*/15"))
@lock_task("analytics-refresh")
def refresh_analytics() -> int:
    refresh = refresh_facts()
    logger.info("analytics refreshed: %s cases in %.1f s", refresh.cases, refresh.seconds)
    return refresh.cases
