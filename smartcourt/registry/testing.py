"""Pytest fixtures for anything that needs the enterprise registry: a real sandbox registry process on a
free loopback port, started once per test session, and the platform's settings pointed at it.

Registered for the whole suite from the root conftest (``pytest_plugins = ["smartcourt.registry.testing"]``).
A test module may also import the fixtures directly; the process is still started only once.
"""

from __future__ import annotations

import secrets
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sandbox.process import start_sandbox, stop_process

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class RegistryServer:
    url: str
    key: str
    db_path: Path
    process: subprocess.Popen[bytes]


def start_registry(db_path: Path, *, key: str, log_path: Path) -> RegistryServer:
    """Start ``python -m sandbox.registry`` on a free port and wait until it answers."""
    started = start_sandbox("sandbox.registry", "registry", ["--db", str(db_path), f"--key={key}"], log_path=log_path)
    return RegistryServer(url=started.url, key=key, db_path=db_path, process=started.process)


def stop_registry(process: subprocess.Popen[bytes]) -> None:
    stop_process(process)


def closed_port_url() -> str:
    """An http URL on loopback where nothing listens (a port that was free a moment ago)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


_running: RegistryServer | None = None


@pytest.fixture(scope="session")
def registry_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistryServer]:
    """The sandbox registry process for the session (real process, real HTTP, own SQLite database)."""
    global _running
    if _running is not None and _running.process.poll() is None:
        # Already started through another import of this fixture.
        yield _running
        return
    directory = tmp_path_factory.mktemp("registry")
    server = start_registry(
        directory / "registry.sqlite3", key=secrets.token_urlsafe(24), log_path=directory / "registry.log"
    )
    _running = server
    try:
        yield server
    finally:
        _running = None
        stop_registry(server.process)


@pytest.fixture
def registry(registry_server: RegistryServer, settings: Any) -> RegistryServer:
    """Point the platform at the sandbox registry for one test."""
    settings.REGISTRY_URL = registry_server.url
    settings.REGISTRY_KEY = registry_server.key
    return registry_server


@pytest.fixture
def unreachable_registry(settings: Any) -> str:
    """Point the platform at an address where no registry answers."""
    settings.REGISTRY_URL = closed_port_url()
    settings.REGISTRY_KEY = "any-key"
    return str(settings.REGISTRY_URL)
