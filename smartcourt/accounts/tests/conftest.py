"""Accounts tests pin the throttle to its documented defaults, whatever the environment says.
(The second factor and static storage are set for every test by the root conftest.)"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _throttle_defaults(settings: Any) -> None:
    settings.LOGIN_THROTTLE_LIMIT = 5
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 900
