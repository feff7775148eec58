"""Background jobs of distributions: the daily forfeiture of unclaimed amounts (art. 119)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from smartcourt.distributions.actions import forfeit_unclaimed


@db_periodic_task(crontab(hour="1", minute="10"))
def forfeit_unclaimed_daily() -> int:
    """Every night: escrowed amounts of final distributions unclaimed two months after the announcement are
    forfeited for the other creditors. Idempotent; a missed night is caught up the next."""
    from django.utils import timezone

    return forfeit_unclaimed(today=timezone.localdate())
