"""Background jobs of fund supervision: sending a released instruction to the bank, and the periodic pull of
every supervised account's statement (plus a second look at instructions the bank has not answered)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from smartcourt.banking.adapter import BankUnavailable
from smartcourt.funds.actions import retry_unanswered, send_payment, sync_account
from smartcourt.funds.models import SupervisedAccount

logger = logging.getLogger("smartcourt.funds")


@db_task(retries=3, retry_delay=10)
def send_payment_task(payment_id: str) -> str:
    """Queued on commit when a request is released; idempotent (only a request still waiting is sent)."""
    return send_payment(payment_id=payment_id)


@db_periodic_task(crontab(minute="*/3"))
def pull_statements() -> int:
    """Every three minutes: book what the bank's statements show that its notifications did not bring, and ask
    again about unanswered instructions. One unreachable bank does not stop the others."""
    booked = 0
    for account_id in SupervisedAccount.objects.filter(active=True).values_list("pk", flat=True):
        try:
            booked += sync_account(account_id=account_id)
        except BankUnavailable:
            logger.warning("statement pull: bank unavailable for account %s", account_id)
    retry_unanswered()
    if booked:
        logger.info("statement pull booked %s movements", booked)
    return booked
