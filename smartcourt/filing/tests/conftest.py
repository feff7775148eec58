from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _chinese() -> Iterator[None]:
    """Actions answer in the active language; these tests read their Chinese (another test may leave English
    active)."""
    with translation.override("zh-hans"):
        yield
