"""The internet zone's rate limits per address and per user (issue 18)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from conftest import Personas
from smartcourt.accounts.models import LoginAttempt
from smartcourt.testing import client_for


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


def test_an_address_gets_its_limit_then_429_on_pages_and_the_api(db: None, settings: Any) -> None:
    settings.RATE_LIMITS = True
    settings.RATE_LIMIT_PER_ADDRESS = 3
    client = Client()
    assert [client.get("/accounts/login/").status_code for _ in range(3)] == [200, 200, 200]
    page = client.get("/accounts/login/")
    assert page.status_code == 429
    assert 0 < int(page["Retry-After"]) <= 60
    assert "请求过于频繁" in page.content.decode()
    api = client.get("/api/v1/cases")
    assert api.status_code == 429
    assert api.json() == {"error": {"code": "too_many_requests", "message": "请求过于频繁，请稍后再试", "field": None}}
    # Another address is counted apart.
    assert Client(REMOTE_ADDR="10.0.0.2").get("/accounts/login/").status_code == 200


def test_a_request_over_the_limit_is_not_handled(personas: Personas, settings: Any) -> None:
    settings.RATE_LIMITS = True
    settings.RATE_LIMIT_PER_ADDRESS = 1
    client = Client()
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"username": "judge", "password": "wrong"})
    assert response.status_code == 429
    assert LoginAttempt.objects.count() == 0
    assert "_auth_user_id" not in client.session


def test_a_user_is_limited_across_addresses(personas: Personas, settings: Any) -> None:
    settings.RATE_LIMITS = True
    settings.RATE_LIMIT_PER_USER = 2
    statuses = []
    for number in range(3):
        client = client_for(personas.creditor_a)
        client.defaults["REMOTE_ADDR"] = f"10.0.1.{number}"
        statuses.append(client.get("/api/v1/cases").status_code)
    assert statuses == [200, 200, 429]


def test_without_limits_nothing_is_counted(db: None, settings: Any) -> None:
    settings.RATE_LIMITS = False
    settings.RATE_LIMIT_PER_ADDRESS = 1
    client = Client()
    assert {client.get("/accounts/login/").status_code for _ in range(5)} == {200}
