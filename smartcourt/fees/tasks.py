"""Background jobs of litigation fees: the daily reconciliation of yesterday's payments and refunds against
the payment service's statement, and sending approved refunds the service could not be reached for."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from smartcourt.fees import actions, payments
from smartcourt.fees.choices import RefundStatus
from smartcourt.fees.models import FeeRefund

logger = logging.getLogger("smartcourt.fees")


@db_periodic_task(crontab(hour="1", minute="10"))
def reconcile_yesterday() -> int:
    day = timezone.localdate() - dt.timedelta(days=1)
    try:
        return len(actions.reconcile_day(day=day).differences)
    except payments.PaymentsUnavailable:
        logger.warning("reconciliation of %s postponed: the payment service did not answer", day)
        return -1


@db_periodic_task(crontab(minute="*/10"))
def send_approved_refunds() -> int:
    sent = 0
    for refund_id in FeeRefund.objects.filter(status=RefundStatus.APPROVED).values_list("pk", flat=True):
        sent += int(actions.execute_refund(refund_id=refund_id).status == RefundStatus.PAID)
    return sent
