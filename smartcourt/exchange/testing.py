"""Test helpers for anything that crosses zones: the zones' keys and a real gateway process per direction
(``sandbox/gateway``, started like the other sandboxes on a free port)."""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from partnerproto import exchange
from sandbox.process import SandboxProcess, start_sandbox


@dataclass
class GatewayProcess:
    """A running gateway for one direction; ``scan()`` asks it to scan its outbox now."""

    process: SandboxProcess
    state: Path

    def scan(self) -> dict[str, Any]:
        request = urllib.request.Request(f"{self.process.url}/scan", method="POST")  # noqa: S310 - loopback
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - our own loopback process
            result: dict[str, Any] = json.loads(answer.read())
        return result

    def stop(self) -> None:
        self.process.stop()


def start_gateway(
    *,
    direction: str,
    outbox: Path,
    inbox: Path,
    state: Path,
    sender_keys: Path,
    extra: list[str] | None = None,
) -> GatewayProcess:
    """A gateway process with its timer off (the test scans when it wants: no timing in tests)."""
    state.mkdir(parents=True, exist_ok=True)
    args = [
        "--direction",
        direction,
        "--outbox",
        str(outbox),
        "--inbox",
        str(inbox),
        "--state",
        str(state),
        "--sender-keys",
        str(sender_keys),
        "--interval",
        "0",
        *(extra or []),
    ]
    process = start_sandbox("sandbox.gateway", "gateway", args, log_path=state / "gateway.log")
    return GatewayProcess(process=process, state=state)


def zone_keys(directory: Path) -> tuple[exchange.PartyKeys, exchange.PartyKeys]:
    """Write both zones' key files into ``directory`` and return (internet, court)."""
    exchange.write_zone_keys(directory)
    return (
        exchange.PartyKeys.from_dict(json.loads((directory / exchange.INTERNET_KEYS).read_text())),
        exchange.PartyKeys.from_dict(json.loads((directory / exchange.COURT_KEYS).read_text())),
    )


class TwoZones:
    """Both zones' sides against the test's one database: each zone has its own exchange directory and key file,
    and ``as_zone`` switches the settings the exchange reads. Every exchange row names its direction, so the two
    sides do not see each other's rows (models.py)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.keys_dir = root / "keys"
        self.internet_keys, self.court_keys = zone_keys(self.keys_dir)

    def dir(self, zone: str) -> Path:
        return self.root / zone

    @contextmanager
    def as_zone(self, zone: str) -> Iterator[None]:
        with override_settings(
            SMARTCOURT_ZONE=zone, EXCHANGE_DIR=self.dir(zone), EXCHANGE_KEYS_FILE=str(self.keys_dir / f"{zone}.json")
        ):
            yield

    def outbox(self, zone: str) -> Path:
        return self.dir(zone) / "outbox"

    def inbox(self, zone: str) -> Path:
        return self.dir(zone) / "inbox"

    def carry(self, from_zone: str) -> list[str]:
        """What a perfect gateway does, in process: copy the sender's outbox into the other zone's inbox."""
        to_zone = "court" if from_zone == "internet" else "internet"
        names = []
        self.inbox(to_zone).mkdir(parents=True, exist_ok=True)
        for path in sorted(self.outbox(from_zone).glob(f"*{exchange.SUFFIX}")):
            shutil.copyfile(path, self.inbox(to_zone) / path.name)
            names.append(path.name)
        return names

    def gateway(
        self, from_zone: str, state: Path, kinds: tuple[str, ...] = (), extra: tuple[str, ...] = ()
    ) -> GatewayProcess:
        """A real gateway process for the direction ``from_zone`` sends in, letting through the exchange's own
        kinds and ``kinds``."""
        to_zone = "court" if from_zone == "internet" else "internet"
        return start_gateway(
            direction=exchange.INTERNET_TO_COURT if from_zone == "internet" else exchange.COURT_TO_INTERNET,
            outbox=self.outbox(from_zone),
            inbox=self.inbox(to_zone),
            state=state,
            sender_keys=self.keys_dir
            / (exchange.INTERNET_PUBLIC if from_zone == "internet" else exchange.COURT_PUBLIC),
            extra=[
                *(
                    argument
                    for kind in ("exchange.ack", "exchange.digest", "exchange.ping", *kinds)
                    for argument in ("--allow-kind", kind)
                ),
                *extra,
            ],
        )


@pytest.fixture
def two_zones(tmp_path: Path) -> TwoZones:
    return TwoZones(tmp_path / "zones")
