"""What the exchange looks like from this zone: sequences, what waits for acknowledgment, open alerts, lag."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from smartcourt.core.zones import current_zone
from smartcourt.exchange import zones
from smartcourt.exchange.choices import Direction, IncomingState, OutgoingState
from smartcourt.exchange.models import ExchangeAlert, ExchangeHead, IncomingPackage, OutboxMessage, OutgoingPackage


def applied_lags(direction: str) -> list[dt.timedelta]:
    """For each package applied from ``direction``: from the sender building it to this zone applying it."""
    rows = IncomingPackage.objects.filter(direction=direction, state=IncomingState.APPLIED)
    return [received - created for created, received in rows.values_list("created_at", "received_at") if created]


def status_lines() -> list[str]:
    zone, outbound, inbound = current_zone(), zones.outbound(), zones.inbound()
    if zone is None or outbound is None or inbound is None:
        return ["single zone: nothing is exchanged"]
    sent = ExchangeHead.objects.filter(direction=outbound).first()
    applied = ExchangeHead.objects.filter(direction=inbound).first()
    waiting = OutgoingPackage.objects.filter(direction=outbound).exclude(state=OutgoingState.ACKNOWLEDGED)
    alerts = ExchangeAlert.objects.filter(resolved_at__isnull=True)
    return [
        f"zone {zone.value}",
        f"{outbound}: last sent #{sent.sent_sequence if sent else 0}, {waiting.count()} not yet acknowledged",
        f"{inbound}: last applied #{applied.applied_sequence if applied else 0}",
        f"open alerts: {alerts.count()}",
        *(f"  {alert.pk} {alert.created_at:%Y-%m-%d %H:%M} {alert.reason}: {alert.message}" for alert in alerts[:20]),
    ]


class Delivery(NamedTuple):
    """Where one emitted message is, in words a user reads on his page, with the times behind them."""

    state: str  # "waiting" | "sent" | "received"
    label: str
    sent_at: dt.datetime | None
    received_at: dt.datetime | None  # when the other zone applied it (its acknowledgment says so)
    lag: dt.timedelta | None  # from the message to its application over there: what the user waited


_LABELS = {
    (Direction.INTERNET_TO_COURT, "waiting"): _("Waiting to be sent to the court"),
    (Direction.INTERNET_TO_COURT, "sent"): _("Sent to the court"),
    (Direction.INTERNET_TO_COURT, "received"): _("The court has received it"),
    (Direction.COURT_TO_INTERNET, "waiting"): _("Waiting to be sent to the internet service"),
    (Direction.COURT_TO_INTERNET, "sent"): _("Sent to the internet service"),
    (Direction.COURT_TO_INTERNET, "received"): _("The internet service has received it"),
}


def delivery_of(message: OutboxMessage) -> Delivery:
    """The honest state of ``message``: received only once the other zone's acknowledgment came back."""
    package = message.package
    if package is None or package.state == OutgoingState.BUILT:
        state = "waiting"
    elif package.state == OutgoingState.SENT:
        state = "sent"
    else:
        state = "received"
    received_at = (package.applied_elsewhere_at or package.acknowledged_at) if package is not None else None
    return Delivery(
        state=state,
        label=str(_LABELS[(Direction(message.direction), state)]),
        sent_at=package.sent_at if package is not None else None,
        received_at=received_at,
        lag=received_at - message.created_at if received_at is not None else None,
    )
