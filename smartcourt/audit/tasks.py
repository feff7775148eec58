"""Periodic verification of the audit chain, so a tampered log is noticed without anyone asking."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from smartcourt.audit.chain_check import ChainReport, verify_chain

logger = logging.getLogger("smartcourt.audit")


@db_periodic_task(crontab(hour="2", minute="17"))
def verify_audit_chain() -> ChainReport:
    report = verify_chain()
    if report.problem is not None:
        logger.critical("audit log verification failed at event #%s: %s", report.problem.seq, report.problem.problem)
    else:
        logger.info("audit log intact: %s events verified", report.checked)
    return report
