"""The sandbox bank (a real process, real HTTP, its own database) for the execution tests; messages in English."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from smartcourt.banking.testing import bank, bank_server  # noqa: F401


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The actions' and checks' messages are read by their English msgids here; the pages show them in Chinese.
    Afterwards no language is left active (the platform default)."""
    translation.activate("en")
    yield
    translation.deactivate()
