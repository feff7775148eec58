"""Background jobs of claims: the review-result notices of a large batch review."""

from __future__ import annotations

import logging

from huey.contrib.djhuey import db_task

from smartcourt.accounts.models import User
from smartcourt.claims.actions import serve_review_notices

logger = logging.getLogger("smartcourt.claims")


@db_task(retries=3, retry_delay=60)
def serve_review_notices_task(actor_id: str, review_ids: list[str]) -> int:
    """One sealed notice per creditor; safe to retry (reviews already notified are skipped)."""
    actor = User.objects.get(pk=actor_id)
    served = serve_review_notices(actor=actor, review_ids=review_ids)
    logger.info("review notices: %s served for %s reviews", served, len(review_ids))
    return served
