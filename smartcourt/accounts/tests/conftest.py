"""Settings every accounts test starts from, whatever the environment says.

The root conftest sets SMARTCOURT_TWO_FACTOR=0 and the plain static storage through os.environ, but
pytest-django imports the settings before any conftest runs, so those defaults do not reach settings.py.
Tests that need the second factor turn it on themselves."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _accounts_settings(settings) -> None:
    settings.TWO_FACTOR_REQUIRED = False
    settings.LOGIN_THROTTLE_LIMIT = 5
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 900
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
