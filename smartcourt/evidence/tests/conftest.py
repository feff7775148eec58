"""Every evidence test signs with its own fresh log key, in the test's temporary directory."""

from __future__ import annotations

from typing import Any

import pytest

ORIGIN = "smartcourt.test/log"


@pytest.fixture(autouse=True)
def _log_key(settings: Any, tmp_path: Any) -> None:
    settings.EVIDENCE_LOG_KEY = str(tmp_path / "log_key.pem")
    settings.EVIDENCE_LOG_ORIGIN = ORIGIN
