"""Which network zone this process serves (issue 18, ADR 0012).

The court runs SmartCourt as two installations of one codebase: the internet zone (parties, lawyers, creditors,
administrators and the public) and the court zone (court staff, and the bank on its dedicated line), each on its
own database, joined only by one-way gateways. ``single`` is one process serving everything, as ``make run``
does on a laptop: every route and every user is served, and nothing crosses a gateway.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.conf import settings


class Zone(StrEnum):
    INTERNET = "internet"
    COURT = "court"


# The setting's values: one of the two zones, or both at once.
SINGLE = "single"
ZONE_SETTING_VALUES = (SINGLE, Zone.INTERNET.value, Zone.COURT.value)

BOTH: frozenset[Zone] = frozenset(Zone)
INTERNET_ONLY: frozenset[Zone] = frozenset({Zone.INTERNET})
COURT_ONLY: frozenset[Zone] = frozenset({Zone.COURT})


def current_zone() -> Zone | None:
    """The zone this process serves, or None when it serves both (the single-process install)."""
    value: str = settings.SMARTCOURT_ZONE
    return None if value == SINGLE else Zone(value)


def serves(zones: Iterable[Zone]) -> bool:
    """Whether something declared for ``zones`` is served by this process."""
    zone = current_zone()
    return zone is None or zone in frozenset(zones)
