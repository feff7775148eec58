"""Test helpers for anything that crosses zones: the zones' keys and a real gateway process per direction
(``sandbox/gateway``, started like the other sandboxes on a free port)."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
