"""Two zones from one codebase (issue 18, ADR 0012): every route declares the zones that serve it, a route of
the other zone answers 404 before anything else runs, users sign in only in their role's zone, and the menu
links only to pages the zone serves."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from lxml import html

from config.zones import ROUTE_ZONES, zones_for_route
from conftest import TEST_PASSWORD, Personas
from smartcourt.accounts.tokens import issue_api_token
from smartcourt.core.zones import Zone
from smartcourt.testing import client_for, database_state

SAMPLE_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


def _routes(patterns: list[URLPattern | URLResolver] | None = None, prefix: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def _sample_path(route: str) -> str:
    """A concrete path for a route: converters filled with well-formed values (no record needs to exist)."""

    def fill(match: re.Match[str]) -> str:
        converter = (match.group(1) or "").rstrip(":")
        return {"int": "1", "str": "x", "slug": "x", "path": "x"}.get(converter, str(SAMPLE_ID))

    return "/" + re.sub(r"<(\w+:)?\w+>", fill, route)


ROUTES = sorted(route for route in set(_routes()) if "^" not in route)  # ninja's catch-all regex is not a page


def test_every_route_declares_its_zones() -> None:
    undeclared = [route for route in ROUTES if not zones_for_route(route)]
    assert undeclared == []
    # Every key in the table names routes that exist: a stale key would hide a typo in a new one.
    stale = [key for key in ROUTE_ZONES if not any(route == key or route.startswith(key) for route in ROUTES)]
    assert stale == []


def test_sample_paths_resolve_to_their_routes() -> None:
    for route in ROUTES:
        assert resolve(_sample_path(route)).route == route


def test_longest_key_decides_and_exact_keys_do_not_cover_children() -> None:
    assert zones_for_route("filing/") == frozenset(Zone)
    assert zones_for_route("filing/queue/") == {Zone.COURT}
    assert zones_for_route("filing/<uuid:filing_id>/docket/") == {Zone.COURT}
    assert zones_for_route("filing/<uuid:filing_id>/edit/") == {Zone.INTERNET}
    assert zones_for_route("") == frozenset(Zone)
    assert zones_for_route("nowhere/") == frozenset()  # fail closed
    assert zones_for_route("api/v1/evidence/deposits") == {Zone.INTERNET}
    assert zones_for_route("api/v1/evidence/deposits/<deposit_id>/receipt") == frozenset(Zone)


@pytest.mark.parametrize("zone", [Zone.INTERNET, Zone.COURT])
def test_a_route_of_the_other_zone_is_a_404_and_changes_nothing(zone: Zone, db: None) -> None:
    refused = [route for route in ROUTES if zone not in zones_for_route(route)]
    assert refused, "each zone leaves some routes to the other"
    before = database_state()
    client = Client()
    with override_settings(SMARTCOURT_ZONE=zone.value):
        for route in refused:
            path = _sample_path(route)
            for method in (client.get, client.post):
                response = method(path)
                assert response.status_code == 404, (route, method)
                if route.startswith("api/"):
                    assert response.json() == {"error": {"code": "not_found", "message": "未找到", "field": None}}
                else:
                    # The site's own 404 page, in its layout and in Chinese.
                    assert "<title>页面不存在" in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize("zone", [Zone.INTERNET, Zone.COURT])
def test_served_routes_pass_the_zone_check(zone: Zone, db: None) -> None:
    """A route the zone serves reaches its view: anonymous, a page asks for sign-in or shows itself, never the
    zone's 404 (the view may still answer 404 for the sample id)."""
    client = Client()
    with override_settings(SMARTCOURT_ZONE=zone.value):
        for route in ("", "accounts/login/", "rules/causes/", "api/v1/openapi.json"):
            assert zone in zones_for_route(route)
            assert client.get(_sample_path(route)).status_code in {200, 302}
        assert client.get("/api/v1/cases").status_code == 401


def _sign_in(client: Client, username: str) -> int:
    return client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD}).status_code


@pytest.mark.parametrize(
    ("zone", "username", "signs_in"),
    [
        (Zone.INTERNET, "creditor_a", True),
        (Zone.INTERNET, "admin_a", True),
        (Zone.INTERNET, "judge", False),
        (Zone.INTERNET, "clerk", False),
        (Zone.INTERNET, "bank", False),
        (Zone.COURT, "judge", True),
        (Zone.COURT, "clerk", True),
        (Zone.COURT, "bank", True),
        (Zone.COURT, "creditor_a", False),
        (Zone.COURT, "admin_a", False),
    ],
)
def test_users_sign_in_only_in_their_roles_zone(zone: Zone, username: str, signs_in: bool, personas: Personas) -> None:
    names = {
        "creditor_a": personas.creditor_a,
        "admin_a": personas.administrator,
        "judge": personas.judge,
        "clerk": personas.clerk,
        "bank": personas.bank_operator,
    }
    user = names[username]
    client = Client()
    with override_settings(SMARTCOURT_ZONE=zone.value):
        status = _sign_in(client, user.username)
        if signs_in:
            assert status == 302
            assert client.session["_auth_user_id"] == str(user.pk)
        else:
            # The same answer as a wrong password: the other zone does not say whether the account exists.
            assert status == 200
            assert "_auth_user_id" not in client.session


def test_a_session_or_token_from_the_other_zone_opens_nothing(personas: Personas) -> None:
    judge = client_for(personas.judge)
    _, token = issue_api_token(actor=personas.judge, user=personas.judge, name="zones")
    with override_settings(SMARTCOURT_ZONE=Zone.INTERNET.value):
        assert judge.get("/cases/").status_code == 302  # to the sign-in page: nobody is signed in here
        assert judge.get("/api/v1/cases").status_code == 401
        assert Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    with override_settings(SMARTCOURT_ZONE=Zone.COURT.value):
        assert judge.get("/cases/").status_code == 200
        assert Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
        assert client_for(personas.creditor_a).get("/api/v1/cases").status_code == 401


@pytest.mark.parametrize("zone", [Zone.INTERNET, Zone.COURT, None])
@pytest.mark.parametrize("who", ["judge", "clerk", "court_admin", "administrator", "creditor_a", "bank_operator"])
def test_the_menu_links_only_to_pages_the_zone_serves(zone: Zone | None, who: str, personas: Personas) -> None:
    user = getattr(personas, who)
    with override_settings(SMARTCOURT_ZONE=zone.value if zone else "single"):
        client = client_for(user) if zone is None or zone.value == _zone_of(who) else Client()
        page = client.get("/accounts/login/" if client.cookies.get("sessionid") is None else "/", follow=True)
        assert page.status_code == 200
        tree = html.fromstring(page.content)
        links = [href for href in tree.xpath("//nav//a/@href") if href.startswith("/")]
        assert links
        for href in links:
            route = resolve(href.split("?")[0]).route
            assert zone is None or zone in zones_for_route(route), href
        badge = tree.xpath("//*[@data-testid='zone']/text()")
        assert badge == ({Zone.INTERNET: ["互联网服务"], Zone.COURT: ["法院专网"]}[zone] if zone else [])


def _zone_of(who: str) -> str:
    return "court" if who in {"judge", "clerk", "court_admin", "bank_operator"} else "internet"
