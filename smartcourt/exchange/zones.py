"""Which zone this process is, which directions it sends and receives, where its exchange directory and keys
are. Read from the settings at each call, so a test can run both zones' sides against one database."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from partnerproto import keyfiles
from partnerproto.keyfiles import PartyKeys
from smartcourt.core.zones import Zone, current_zone
from smartcourt.exchange.choices import Direction

OUTBOUND = {Zone.INTERNET: Direction.INTERNET_TO_COURT, Zone.COURT: Direction.COURT_TO_INTERNET}
INBOUND = {Zone.INTERNET: Direction.COURT_TO_INTERNET, Zone.COURT: Direction.INTERNET_TO_COURT}


def outbound() -> Direction | None:
    """The direction this zone sends in; None in the single zone (SMARTCOURT_ZONE=single), which exchanges
    nothing."""
    zone = current_zone()
    return None if zone is None else OUTBOUND[zone]


def inbound() -> Direction | None:
    zone = current_zone()
    return None if zone is None else INBOUND[zone]


def current_zone_name() -> str:
    zone = current_zone()
    if zone is None:
        raise ImproperlyConfigured("the single zone exchanges nothing")
    return zone.value


def exchange_dir() -> Path:
    return Path(settings.EXCHANGE_DIR)


def outbox_dir() -> Path:
    return exchange_dir() / "outbox"


def inbox_dir() -> Path:
    return exchange_dir() / "inbox"


def quarantine_dir() -> Path:
    return exchange_dir() / "quarantine"


def key_file() -> Path:
    zone = current_zone()
    if zone is None:
        raise ImproperlyConfigured("the single zone exchanges nothing and has no exchange keys")
    configured = settings.EXCHANGE_KEYS_FILE
    return Path(configured) if configured else exchange_dir() / "keys" / f"{zone.value}.json"


def keys() -> PartyKeys:
    """This zone's key file (partnerproto.keyfiles): its signing key, the other zone's public keys, the shared
    envelope keyring. ``manage.py exchange keys`` writes both zones' files; read at each use, so a rotation step
    (``manage.py exchange new-signing-key`` ...) takes effect without a restart."""
    path = key_file()
    if not path.exists():
        raise ImproperlyConfigured(f"no exchange key file at {path}: run manage.py exchange keys")
    return keyfiles.read(path)
