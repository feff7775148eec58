"""Background jobs of online filing: each morning, the cases whose fee went unpaid are handled as withdrawn
(诉讼费用交纳办法 art. 22; SPC interpretation of the CPL (2022) art. 213)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from smartcourt.core.errors import DomainError
from smartcourt.fees.selectors import fees_past_deadline
from smartcourt.filing import actions
from smartcourt.filing.models import Filing

logger = logging.getLogger("smartcourt.filing")


def handle_unpaid_fees(*, today: dt.date) -> list[uuid.UUID]:
    """Rule every docketed online filing whose fee is past its last day (and has no relief application
    pending) handled as withdrawn, each in its own transaction; returns the filings ruled. One that cannot be
    ruled now (paid a moment ago, no clerk to act) is logged and tried again tomorrow."""
    ruled = []
    for fee_id, case_id in fees_past_deadline(today).values_list("pk", "case_id"):
        filing = Filing.objects.select_related("reviewed_by").filter(case_id=case_id).first()
        if filing is None or filing.handled_as_withdrawn_on is not None:
            continue
        actor = actions.ruling_actor(filing)
        if actor is None:
            logger.warning("no filing clerk to rule on the unpaid fee %s", fee_id)
            continue
        try:
            actions.rule_unpaid_fee_withdrawn(actor=actor, fee_id=fee_id, today=today, by_job=True)
        except DomainError as exc:
            logger.warning("unpaid fee %s not ruled on today: %s", fee_id, exc.message)
            continue
        ruled.append(filing.pk)
    return ruled


@db_periodic_task(crontab(hour="0", minute="40"))
def handle_unpaid_fees_task() -> int:
    return len(handle_unpaid_fees(today=timezone.localdate()))
