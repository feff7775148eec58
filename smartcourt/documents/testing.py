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


OCSP_TEST_KEY = "ocsp-test-key"


@pytest.fixture(scope="session")
def ocsp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """The platform CA's status service (sandbox/ocsp) over the CA the tests use (VAR_DIR/documents_ca)."""
    from django.conf import settings

    from smartcourt.documents.ca import certificate_authority

    certificate_authority()  # the development CA exists before its status service starts
    directory = tmp_path_factory.mktemp("ocsp")
    ca_dir = Path(settings.VAR_DIR) / "documents_ca"
    args = ["--ca-dir", str(ca_dir), "--db", str(directory / "revocations.json"), "--key", OCSP_TEST_KEY]
    started = start_sandbox("sandbox.ocsp", "ocsp", args, log_path=directory / "ocsp.log")
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def long_term(tsa: SandboxProcess, ocsp_server: SandboxProcess, settings: Any) -> SandboxProcess:
    """Seals issued from now on point at the status service, and signatures are PAdES B-LTA."""
    settings.DOCUMENTS_OCSP_URL = ocsp_server.url + "/"
    settings.DOCUMENTS_OCSP_KEY = OCSP_TEST_KEY
    return ocsp_server
