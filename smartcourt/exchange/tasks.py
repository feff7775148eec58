"""The exchange's jobs in the internet and court zones (the single zone exchanges nothing and they return at once):
pack what waits and apply what arrived every minute, the backstop of ``manage.py exchange run`` which does it
every few seconds; resend what is unacknowledged and check the inbound stream every five minutes. All are
idempotent: a run killed halfway is finished by the next."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from smartcourt.exchange import actions


@db_periodic_task(crontab(minute="*"))
@lock_task("exchange-pack")
def pack_outbox() -> int:
    return len(actions.pack_outbox(actor=None))


@db_periodic_task(crontab(minute="*"))
@lock_task("exchange-apply")
def apply_inbox() -> int:
    return len(actions.apply_inbox(actor=None))


@db_periodic_task(crontab(minute="*/5"))
@lock_task("exchange-resend")
def resend_unacknowledged() -> int:
    older_than = dt.timedelta(seconds=settings.EXCHANGE_RESEND_SECONDS)
    return len(actions.resend_unacknowledged(actor=None, older_than=older_than))


@db_periodic_task(crontab(minute="*/5"))
def check_inbound() -> bool:
    return actions.check_inbound(actor=None) is not None
