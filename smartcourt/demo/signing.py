"""The timestamp authority and the CA's status service while the demo is seeded.

``make run`` seeds before it starts its processes, so without this the demo's seals were signed with no
timestamp and no revocation data (PAdES B-B). When the platform is not configured with a timestamp authority,
the seeding starts the sandbox TSA and the sandbox status service on the loopback addresses ``scripts/run.py``
uses afterwards (same keys, same CA, same revocation register), and signs with them: the demo's seals are
PAdES B-LTA, as they are in the running platform."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.conf import settings

from sandbox.process import answers, start_sandbox
from smartcourt.documents.ca import certificate_authority

logger = logging.getLogger("smartcourt.demo")

# scripts/run.py's addresses: the seals' certificates name the status service, so the demo seeds with the
# service the running platform uses. Tests set DEMO_SANDBOX_PORTS = (0, 0): free ports, their own processes.
PORTS = (8301, 8302)


def ocsp_key(var_dir: Path) -> str:
    """The bearer key the platform reports revocations to the sandbox status service with (var/ocsp.key,
    made on first use, mode 0600); scripts/run.py reads the same file."""
    import os
    import secrets

    path = var_dir / "ocsp.key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


@contextmanager
def sandbox_signing() -> Iterator[None]:
    if getattr(settings, "DOCUMENTS_TSA_URL", None):
        yield  # a configured authority (scripts/run.py's environment, or production): used as it is
        return
    var_dir = Path(settings.VAR_DIR)
    certificate_authority()  # the CA exists before its status service starts
    tsa_port, ocsp_port = getattr(settings, "DEMO_SANDBOX_PORTS", PORTS)
    tsa_url, ocsp_url = f"http://127.0.0.1:{tsa_port}", f"http://127.0.0.1:{ocsp_port}"
    key = ocsp_key(var_dir)
    with ExitStack() as stack:
        if not tsa_port or not answers(tsa_url):
            args = ["--dir", str(var_dir / "tsa")]
            started = start_sandbox("sandbox.tsa", "tsa", args, log_path=var_dir / "tsa-seed.log", port=tsa_port)
            stack.callback(started.stop)
            tsa_url = started.url
        if not ocsp_port or not answers(ocsp_url):
            args = ["--ca-dir", str(var_dir / "documents_ca"), "--db", str(var_dir / "ocsp.json"), "--key", key]
            started = start_sandbox("sandbox.ocsp", "ocsp", args, log_path=var_dir / "ocsp-seed.log", port=ocsp_port)
            stack.callback(started.stop)
            ocsp_url = started.url
        previous = {
            name: getattr(settings, name, None)
            for name in ("DOCUMENTS_TSA_URL", "DOCUMENTS_TSA_ROOTS", "DOCUMENTS_OCSP_URL", "DOCUMENTS_OCSP_KEY")
        }
        settings.DOCUMENTS_TSA_URL = tsa_url + "/"
        settings.DOCUMENTS_TSA_ROOTS = [str(var_dir / "tsa" / "root.pem")]
        settings.DOCUMENTS_OCSP_URL = ocsp_url + "/"
        settings.DOCUMENTS_OCSP_KEY = key
        logger.info("seeding with the sandbox timestamp authority and certificate status service")
        try:
            yield
        finally:
            for name, value in previous.items():
                setattr(settings, name, value)
