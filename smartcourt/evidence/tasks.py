"""Periodic work of the transparency log: ingest and sign every minute, re-verify the whole log every night."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from smartcourt.evidence.actions import default_max_age, publish_checkpoint
from smartcourt.evidence.auditing import LogReport, verify_log

logger = logging.getLogger("smartcourt.evidence")


@db_periodic_task(crontab(minute="*"))
def publish_log_checkpoint() -> int:
    """Append what the audit log and the dossier recorded since the last run and sign a checkpoint if it grew."""
    checkpoint = publish_checkpoint(max_age_seconds=default_max_age())
    return checkpoint.tree_size


@db_periodic_task(crontab(hour="2", minute="43"))
def verify_transparency_log() -> LogReport:
    report = verify_log()
    if report.problem is not None:
        logger.critical("transparency log verification failed: %s", report.problem)
    else:
        logger.info("transparency log intact: %s leaves verified", report.checked)
    return report
