"""Background jobs of electronic service: a large batch of deliveries, and the retry of failed ones."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

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
