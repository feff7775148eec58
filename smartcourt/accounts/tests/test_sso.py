"""Single sign-on from the court's case system (法综) through the sandbox identity provider, a real process
(issue 18, ADR 0012): authorization code with PKCE, private_key_jwt, ID token checks, role mapping from the
provider's claims, back-channel logout, and the frame the 法综 desk shows us in."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from joserfc import jwt
from joserfc.jwk import RSAKey
from lxml import html

from conftest import TEST_PASSWORD, Personas
from sandbox.idp.app import hash_password
from sandbox.process import SandboxProcess, start_sandbox
from smartcourt.accounts import sso
from smartcourt.accounts.choices import COURT_ROLES
from smartcourt.accounts.models import ExternalIdentity, ProviderSession, User
from smartcourt.audit.models import AuditEvent
from smartcourt.testing import HttpBrowser, database_state

FAZONG_PASSWORD = "Fazong-Desk-2026"
CALLBACK = "http://testserver/accounts/sso/callback/"


class Browser(HttpBrowser):
    """A browser's view of the provider."""

    def __init__(self) -> None:
        super().__init__(timeout=10)


@dataclass
class Provider:
    process: SandboxProcess
    url: str


def _staff(personas: Personas) -> list[dict[str, str]]:
    digest = hash_password(FAZONG_PASSWORD, iterations=1000)
    rudong = personas.rudong.court_code
    return [
        {"username": "judge", "password_hash": digest, "name": "张明", "role": "judge", "court": rudong},
        {"username": "newclerk", "password_hash": digest, "name": "陈立", "role": "filing_clerk", "court": rudong},
        {"username": "creditor_a", "password_hash": digest, "name": "债权人", "role": "creditor", "court": rudong},
        {"username": "nowhere", "password_hash": digest, "name": "无名", "role": "judge", "court": "苏9999"},
    ]


@pytest.fixture
def provider_for(personas: Personas, settings: Any, tmp_path: Path) -> Iterator[Any]:
    settings.SSO_KEY_FILE = tmp_path / "client_key.pem"
    started: list[SandboxProcess] = []

    def start(
        *, redirect_uri: str = CALLBACK, logout_uri: str = "", staff: list[dict[str, str]] | None = None
    ) -> Provider:
        (tmp_path / "staff.json").write_text(json.dumps(staff or _staff(personas)), encoding="utf-8")
        clients = [
            {
                "client_id": "smartcourt",
                "redirect_uris": [redirect_uri],
                "jwks": sso.public_jwks(),
                "backchannel_logout_uri": logout_uri,
                "portal_url": "",
            }
        ]
        (tmp_path / "clients.json").write_text(json.dumps(clients), encoding="utf-8")
        process = start_sandbox(
            "sandbox.idp",
            "idp",
            [
                "--staff",
                str(tmp_path / "staff.json"),
                "--clients",
                str(tmp_path / "clients.json"),
                "--key",
                str(tmp_path / "idp_key.pem"),
            ],
            log_path=tmp_path / "idp.log",
        )
        started.append(process)
        settings.SSO_ISSUER = process.url
        sso._cache.clear()
        return Provider(process=process, url=process.url)

    yield start
    for process in started:
        process.stop()
    sso._cache.clear()


def _sign_in_at_provider(browser: Browser, authorize_url: str, username: str, password: str = FAZONG_PASSWORD) -> str:
    """The provider's form filled in as a user would; returns where the provider sends the browser back."""
    status, _, page = browser.open(authorize_url)
    assert status == 200 and "法综系统登录" in page
    form = html.fromstring(page).xpath("//form")[0]
    fields = {field.get("name"): field.get("value") or "" for field in form.xpath(".//input[@type='hidden']")}
    base = authorize_url.split("/authorize")[0]
    status, headers, _ = browser.open(f"{base}/login", {**fields, "username": username, "password": password})
    assert status == 302, status
    return headers["Location"]


def _full_sign_in(client: Client, username: str) -> tuple[Any, Browser]:
    start = client.get("/accounts/sso/start/?next=/cases/")
    assert start.status_code == 302
    browser = Browser()
    back = _sign_in_at_provider(browser, start["Location"], username)
    assert back.startswith(CALLBACK)
    return client.get(back.removeprefix("http://testserver")), browser


def test_a_judge_signs_in_through_the_provider_without_a_second_sign_in(personas: Personas, provider_for: Any) -> None:
    provider_for()
    client = Client()
    response, _ = _full_sign_in(client, "judge")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.session["_auth_user_id"] == str(personas.judge.pk)
    assert client.session["two_factor_verified"] is True
    assert client.get("/cases/").status_code == 200
    identity = ExternalIdentity.objects.get(user=personas.judge)
    assert identity.issuer == sso.discovery()["issuer"]
    session = ProviderSession.objects.get(user=personas.judge)
    assert session.session_key == client.session.session_key
    actions = list(AuditEvent.objects.filter(actor_id=personas.judge.pk).values_list("action", flat=True))
    assert actions[-2:] == ["accounts.identity_linked", "accounts.signed_in"]
    signed_in = AuditEvent.objects.filter(action="accounts.signed_in").last()
    assert signed_in is not None and signed_in.after == {
        "ip": "127.0.0.1",
        "second_factor": "provider",
        "failures_cleared": 0,
    }
    # The next sign-on finds the same account by the provider's subject, and links nothing new.
    response, _ = _full_sign_in(Client(), "judge")
    assert response.status_code == 302
    assert ExternalIdentity.objects.filter(user=personas.judge).count() == 1


def test_the_provider_says_which_role_and_court_and_new_staff_get_an_account(
    personas: Personas, provider_for: Any
) -> None:
    staff = _staff(personas)
    staff[0] = {**staff[0], "role": "judge_assistant"}
    provider_for(staff=staff)
    _full_sign_in(Client(), "judge")
    personas.judge.refresh_from_db()
    assert personas.judge.role == "judge_assistant"
    synced = AuditEvent.objects.get(action="accounts.roles_synced")
    assert synced.before == {"role": "judge", "organisation": str(personas.rudong.pk)}
    assert synced.after == {"role": "judge_assistant", "organisation": str(personas.rudong.pk)}

    client = Client()
    response, _ = _full_sign_in(client, "newclerk")
    assert response.status_code == 302
    clerk = User.objects.get(username="newclerk")
    assert (clerk.role, clerk.organisation_id, clerk.full_name) == ("filing_clerk", personas.rudong.pk, "陈立")
    assert not clerk.has_usable_password()
    assert client.session["_auth_user_id"] == str(clerk.pk)


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("creditor_a", "登录系统给出的角色不在本网络服务范围内"),
        ("nowhere", "登录系统给出的法院不在本平台"),
    ],
)
def test_roles_and_courts_the_platform_does_not_serve_are_refused(
    username: str, message: str, personas: Personas, provider_for: Any
) -> None:
    provider_for()
    before = database_state(ignore=frozenset({"django_session"}))
    client = Client()
    response, _ = _full_sign_in(client, username)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert database_state(ignore=frozenset({"django_session"})) == before
    page = client.get("/accounts/login/").content.decode()
    assert message in page


def test_a_forged_state_a_replayed_code_and_a_wrong_client_key_sign_nobody_in(
    personas: Personas, provider_for: Any, settings: Any, tmp_path: Path
) -> None:
    provider_for()
    client = Client()
    start = client.get("/accounts/sso/start/")
    back = _sign_in_at_provider(Browser(), start["Location"], "judge")
    before = database_state(ignore=frozenset({"django_session"}))
    forged = back.replace("state=", "state=x")
    assert client.get(forged.removeprefix("http://testserver"))["Location"] == "/accounts/login/"
    # The remembered request was used up by the forged attempt: the real answer is stale now too.
    assert client.get(back.removeprefix("http://testserver"))["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session

    # Our key is not the one the provider registered: the token endpoint refuses us.
    settings.SSO_KEY_FILE = tmp_path / "another_key.pem"
    client = Client()
    start = client.get("/accounts/sso/start/")
    back = _sign_in_at_provider(Browser(), start["Location"], "judge")
    assert client.get(back.removeprefix("http://testserver"))["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert database_state(ignore=frozenset({"django_session"})) == before


def test_the_provider_enforces_pkce_and_private_key_jwt(personas: Personas, provider_for: Any) -> None:
    provider = provider_for()
    browser = Browser()
    query = {
        "response_type": "code",
        "client_id": "smartcourt",
        "redirect_uri": CALLBACK,
        "scope": "openid",
        "state": "s",
        "nonce": "n",
    }
    status, _, page = browser.open(f"{provider.url}/authorize?{urllib.parse.urlencode(query)}")
    assert status == 400 and "PKCE" in page
    status, _, answer = browser.open(f"{provider.url}/token", {"grant_type": "authorization_code", "code": "x"})
    assert status == 401 and json.loads(answer)["error"] == "invalid_client"
    # A client assertion signed by a key the provider does not know for the client.
    stranger = RSAKey.generate_key(2048)
    assertion = jwt.encode(
        {"alg": "RS256"},
        {"iss": "smartcourt", "sub": "smartcourt", "aud": f"{provider.url}/token", "exp": 9999999999, "jti": "j"},
        stranger,
    )
    status, _, answer = browser.open(
        f"{provider.url}/token",
        {
            "grant_type": "authorization_code",
            "code": "x",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
        },
    )
    assert status == 401 and json.loads(answer)["error"] == "invalid_client"


def test_password_sign_in_for_staff_can_be_switched_off_and_sso_is_the_courts_only(
    personas: Personas, provider_for: Any, settings: Any
) -> None:
    provider_for()
    settings.STAFF_PASSWORD_SIGN_IN = False
    judge = Client()
    judge.post("/accounts/login/", {"username": "judge", "password": TEST_PASSWORD})
    assert "_auth_user_id" not in judge.session
    creditor = Client()
    creditor.post("/accounts/login/", {"username": personas.creditor_a.username, "password": TEST_PASSWORD})
    assert creditor.session["_auth_user_id"] == str(personas.creditor_a.pk)
    page = Client().get("/accounts/login/").content.decode()
    assert 'id="sso-start"' in page and "法院工作人员：通过法院办案系统登录" in page
    settings.SMARTCOURT_ZONE = "internet"
    assert Client().get("/accounts/sso/start/").status_code == 404
    assert 'id="sso-start"' not in Client().get("/accounts/login/").content.decode()


def test_without_a_provider_the_sso_pages_are_not_there(db: None) -> None:
    assert Client().get("/accounts/sso/start/").status_code == 404
    assert 'id="sso-start"' not in Client().get("/accounts/login/").content.decode()


def test_the_frame_of_the_case_system_may_show_our_pages_and_no_other(db: None, settings: Any) -> None:
    page = Client().get("/accounts/login/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    settings.SSO_FRAME_ORIGIN = "http://127.0.0.1:8401"
    page = Client().get("/accounts/login/")
    assert "frame-ancestors 'self' http://127.0.0.1:8401" in page["Content-Security-Policy"]
    assert "X-Frame-Options" not in page


def test_signing_out_at_the_provider_ends_the_session_here(
    personas: Personas, provider_for: Any, live_server: Any
) -> None:
    callback = f"{live_server.url}/accounts/sso/callback/"
    provider = provider_for(redirect_uri=callback, logout_uri=f"{live_server.url}/accounts/sso/backchannel-logout/")
    court_side = Browser()  # our site, over real HTTP
    status, headers, _ = court_side.open(f"{live_server.url}/accounts/sso/start/")
    assert status == 302
    at_provider = Browser()
    back = _sign_in_at_provider(at_provider, headers["Location"], "judge")
    status, headers, _ = court_side.open(back)
    assert status == 302 and headers["Location"] == "/"
    status, _, page = court_side.open(f"{live_server.url}/cases/")
    assert status == 200
    assert ProviderSession.objects.filter(user=personas.judge).count() == 1

    # A forged logout token (signed by someone else) is refused and ends nothing.
    stranger = RSAKey.generate_key(2048)
    forged = jwt.encode({"alg": "RS256"}, {"iss": provider.url, "aud": "smartcourt", "sid": "x"}, stranger)
    status, _, _ = Browser().open(f"{live_server.url}/accounts/sso/backchannel-logout/", {"logout_token": forged})
    assert status == 400
    assert court_side.open(f"{live_server.url}/cases/")[0] == 200

    status, _, page = at_provider.open(f"{provider.url}/logout", {})
    assert status == 200 and "已退出法综系统" in page and "smartcourt：200" in page
    status, headers, _ = court_side.open(f"{live_server.url}/cases/")
    assert status == 302 and headers["Location"].startswith("/accounts/login/")
    assert ProviderSession.objects.filter(user=personas.judge).count() == 0
    event = AuditEvent.objects.filter(action="accounts.signed_out").last()
    assert event is not None and event.actor_id == personas.judge.pk and event.after == {"by": "provider", "ip": None}


def test_make_runs_provider_files_let_the_demo_staff_sign_in(
    personas: Personas, provider_for: Any, settings: Any, tmp_path: Path
) -> None:
    from django.core.management import call_command

    from smartcourt.cases.demo import DEMO_PASSWORD

    call_command("idp_config", "--dir", str(tmp_path / "idp"), "--site", "http://testserver")
    staff = json.loads((tmp_path / "idp" / "staff.json").read_text(encoding="utf-8"))
    court_staff = User.objects.filter(role__in=COURT_ROLES).select_related("organisation")
    assert sorted((row["username"], row["role"], row["court"]) for row in staff) == sorted(
        (user.username, str(user.role), user.organisation.court_code if user.organisation else "")
        for user in court_staff
    )
    assert ("judge", "judge", "苏0623") in {(row["username"], row["role"], row["court"]) for row in staff}
    clients = json.loads((tmp_path / "idp" / "clients.json").read_text(encoding="utf-8"))
    assert clients[0]["jwks"] == sso.public_jwks()
    assert clients[0]["redirect_uris"] == [CALLBACK]
    process = start_sandbox(
        "sandbox.idp",
        "idp",
        [
            *("--staff", str(tmp_path / "idp" / "staff.json")),
            *("--clients", str(tmp_path / "idp" / "clients.json")),
            *("--key", str(tmp_path / "idp" / "key.pem")),
        ],
        log_path=tmp_path / "idp.log",
    )
    try:
        settings.SSO_ISSUER = process.url
        sso._cache.clear()
        client = Client()
        start = client.get("/accounts/sso/start/")
        back = _sign_in_at_provider(Browser(), start["Location"], "judge", DEMO_PASSWORD)
        client.get(back.removeprefix("http://testserver"))
        assert client.session["_auth_user_id"] == str(personas.judge.pk)
    finally:
        process.stop()
        sso._cache.clear()


@pytest.mark.browser
def test_a_judge_goes_from_the_case_system_to_smartcourt_in_a_browser(
    personas: Personas, provider_for: Any, live_server: Any, chromium: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    shots = Path(os.environ.get("SMARTCOURT_SHOTS_DIR", "/tmp/shots"))  # noqa: S108 - screenshots for people
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    provider_for(redirect_uri=f"{base}/accounts/sso/callback/", logout_uri=f"{base}/accounts/sso/backchannel-logout/")
    for width, height in ((1366, 900), (390, 844)):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        page.locator("#sso-start").click()
        expect(page.locator("h1")).to_have_text("法综系统登录")
        page.fill("input[name=username]", "judge")
        page.fill("input[name=password]", FAZONG_PASSWORD)
        page.screenshot(path=str(shots / f"sso_provider_{width}.png"), full_page=True)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_test_id("current-user")).to_contain_text("张明")
        assert page.url == f"{base}/"
        page.screenshot(path=str(shots / f"sso_home_{width}.png"), full_page=True)
        context.close()
