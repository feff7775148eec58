"""Pytest fixtures for anything that needs the enterprise registry: a real sandbox registry process on a
free loopback port, started once per test session, and the platform's settings pointed at it.

Registered for the whole suite from the root conftest (``pytest_plugins = ["smartcourt.registry.testing"]``).
A test module may also import the fixtures directly; the process is still started only once.
"""

from __future__ import annotations

import secrets
import selectors
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

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
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "sandbox.registry", "--port", "0", "--db", str(db_path), f"--key={key}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=log,
        )
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout=START_TIMEOUT_SECONDS)
    line = process.stdout.readline().decode() if ready else ""
    if not line.startswith("registry listening on "):
        process.kill()
        process.wait()
        raise RuntimeError(f"the sandbox registry did not start (first line {line!r}); see {log_path}")
    url = line.split()[3].rstrip("/")
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1):  # noqa: S310 - our own loopback URL
                break
        except OSError:
            if time.monotonic() > deadline:
                stop_registry(process)
                raise
            time.sleep(0.05)
    return RegistryServer(url=url, key=key, db_path=db_path, process=process)


def stop_registry(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


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
