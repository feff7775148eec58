"""Background jobs of electronic service: a large batch of deliveries, and the retry of failed ones."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from smartcourt.documents import archiving
from smartcourt.documents.actions import deliver, retry_failed_deliveries

logger = logging.getLogger("smartcourt.documents")


@db_task()
def deliver_batch(delivery_ids: list[str]) -> int:
    """Deliver each; a failure is recorded on its row and the batch goes on. Progress is the rows' status."""
    done = 0
    for delivery_id in delivery_ids:
        if deliver(delivery_id=delivery_id).status == "delivered":
            done += 1
    logger.info("service batch: %s of %s delivered", done, len(delivery_ids))
    return done


@db_periodic_task(crontab(minute="*/15"))
def retry_deliveries() -> int:
    return retry_failed_deliveries()


@db_task(retries=5, retry_delay=300)
def publish_revocation(seal_id: str) -> bool:
    """Report a revoked seal to the CA's status service; retried while the service cannot be reached."""
    return archiving.publish_revocation(seal_id=seal_id)


@db_periodic_task(crontab(minute="30", hour="2"))
def renew_archive_timestamps_task() -> int:
    """Nightly: renew the archive timestamps (PAdES B-LTA) that are due."""
    return archiving.renew_archive_timestamps()
