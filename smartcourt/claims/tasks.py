"""Background jobs of claims: the review-result notices of a large batch review, the seal of a large table."""

from __future__ import annotations

import datetime as dt
import logging

from huey.contrib.djhuey import db_task

from smartcourt.accounts.models import User
from smartcourt.claims.actions import serve_review_notices, sign_claims_table

logger = logging.getLogger("smartcourt.claims")


@db_task(retries=3, retry_delay=60)
def serve_review_notices_task(actor_id: str, review_ids: list[str]) -> int:
    """One sealed notice per creditor; safe to retry (reviews already notified are skipped)."""
    actor = User.objects.get(pk=actor_id)
    served = serve_review_notices(actor=actor, review_ids=review_ids)
    logger.info("review notices: %s served for %s reviews", served, len(review_ids))
    return served


@db_task(retries=2, retry_delay=60)
def sign_claims_table_task(actor_id: str, case_id: str, requested_at: str) -> bool:
    """Seal a large claims table; a retry after a success signs nothing more. True if it signed."""
    actor = User.objects.get(pk=actor_id)
    table = sign_claims_table(actor=actor, case_id=case_id, requested_at=dt.datetime.fromisoformat(requested_at))
    if table is not None:
        logger.info("claims table sealed: case %s, %s claims", case_id, table.claims)
    return table is not None
