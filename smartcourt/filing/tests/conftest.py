from collections.abc import Iterator

import pytest
from django.utils import translation

from smartcourt.exchange.testing import two_zones  # noqa: F401 - the fixture, for the zone-crossing tests


@pytest.fixture(autouse=True)
def _chinese() -> Iterator[None]:
    """Actions answer in the active language; these tests read their Chinese (another test may leave English
    active)."""
    with translation.override("zh-hans"):
        yield
