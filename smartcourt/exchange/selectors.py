"""What the exchange looks like from this zone: sequences, what waits for acknowledgment, open alerts, lag."""

from __future__ import annotations

import datetime as dt

from smartcourt.exchange import zones
from smartcourt.exchange.choices import IncomingState, OutgoingState
from smartcourt.exchange.models import ExchangeAlert, ExchangeHead, IncomingPackage, OutgoingPackage


def applied_lags(direction: str) -> list[dt.timedelta]:
    """For each package applied from ``direction``: from the sender building it to this zone applying it."""
    rows = IncomingPackage.objects.filter(direction=direction, state=IncomingState.APPLIED)
    return [received - created for created, received in rows.values_list("created_at", "received_at") if created]


def status_lines() -> list[str]:
    outbound, inbound = zones.outbound(), zones.inbound()
    if outbound is None or inbound is None:
        return ["single zone: nothing is exchanged"]
    sent = ExchangeHead.objects.filter(direction=outbound).first()
    applied = ExchangeHead.objects.filter(direction=inbound).first()
    waiting = OutgoingPackage.objects.filter(direction=outbound).exclude(state=OutgoingState.ACKNOWLEDGED)
    alerts = ExchangeAlert.objects.filter(resolved_at__isnull=True)
    return [
        f"zone {zones.current_zone().value}",
        f"{outbound}: last sent #{sent.sent_sequence if sent else 0}, {waiting.count()} not yet acknowledged",
        f"{inbound}: last applied #{applied.applied_sequence if applied else 0}",
        f"open alerts: {alerts.count()}",
        *(f"  {alert.created_at:%Y-%m-%d %H:%M} {alert.reason}: {alert.message}" for alert in alerts[:20]),
    ]
