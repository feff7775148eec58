"""Pytest fixtures for signatures with a trusted timestamp: the sandbox timestamp authority as a real process
(sandbox/tsa) on a free loopback port, started once per test session, and the platform pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.process import SandboxProcess, start_sandbox


@pytest.fixture(scope="session")
def tsa_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SandboxProcess, Path]]:
    directory = tmp_path_factory.mktemp("tsa")
    started = start_sandbox("sandbox.tsa", "tsa", ["--dir", str(directory)], log_path=directory / "tsa.log")
    try:
        yield started, directory / "root.pem"
    finally:
        started.stop()


@pytest.fixture
def tsa(tsa_server: tuple[SandboxProcess, Path], settings: Any) -> SandboxProcess:
    """Seals are signed with a timestamp from the sandbox TSA, whose root verification trusts."""
    started, root = tsa_server
    settings.DOCUMENTS_TSA_URL = started.url + "/"
    settings.DOCUMENTS_TSA_ROOTS = [str(root)]
    return started
