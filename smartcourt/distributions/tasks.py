"""Background jobs of distributions: the daily forfeiture of unclaimed amounts (EBL art. 118) and release of
shares held for claims still in litigation or arbitration two years after the proceeding ended (art. 119)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from smartcourt.distributions.actions import forfeit_unclaimed, release_unresolved_reserves


@db_periodic_task(crontab(hour="1", minute="10"))
def forfeit_unclaimed_daily() -> int:
    """Every night: escrowed amounts of final distributions unclaimed two months after the announcement are
    forfeited for the other creditors. Idempotent; a missed night is caught up the next."""
    from django.utils import timezone

    return forfeit_unclaimed(today=timezone.localdate())


@db_periodic_task(crontab(hour="1", minute="20"))
def release_unresolved_reserves_daily() -> int:
    """Every night: shares held for claims in litigation or arbitration that still cannot be received two years
    after the proceeding ended go to the other creditors (art. 119). Idempotent; a missed night is caught up."""
    from django.utils import timezone

    return release_unresolved_reserves(today=timezone.localdate())
