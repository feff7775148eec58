from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The actions' messages are read in English here (their msgids); the pages show them in Chinese. Afterwards
    the thread is left with no language activated (the platform default), whatever an earlier test left."""
    translation.activate("en")
    yield
    translation.deactivate()
