"""The second factor (TOTP) for court staff, administrators and bank operators."""

from __future__ import annotations

import datetime as dt
import json
import threading
import zoneinfo

import pyotp
import pytest
import time_machine
from django.db import connection
from django.test import Client

from conftest import TEST_PASSWORD, Personas
from smartcourt.accounts.actions import begin_totp_enrolment, create_user, verify_totp
from smartcourt.accounts.choices import OrganisationKind, Role
from smartcourt.accounts.models import LoginAttempt, User
from smartcourt.accounts.tests.helpers import english
from smartcourt.accounts.twofactor import PENDING_KEY, VERIFIED_KEY, open_secret
from smartcourt.audit.models import AuditEvent

LOGIN = "/accounts/login/"
CODE_PAGE = "/accounts/two-factor/"
SETUP_PAGE = "/accounts/two-factor/setup/"
T0 = dt.datetime(2026, 5, 11, 9, 0, 5, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _two_factor_on(settings) -> None:
    settings.TWO_FACTOR_REQUIRED = True
    settings.LOGIN_THROTTLE_LIMIT = 5
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 900


def _sign_in(client: Client, username: str, **extra: str):
    return client.post(LOGIN, {"username": username, "password": TEST_PASSWORD, **extra})


def _enrol(user: User, at: dt.datetime) -> str:
    """Enrol ``user`` directly (as if done on an earlier day); returns the secret."""
    secret = begin_totp_enrolment(actor=user)
    User.objects.filter(pk=user.pk).update(totp_confirmed_at=at - dt.timedelta(days=30))
    user.refresh_from_db()
    return secret


def _code(secret: str, at: dt.datetime) -> str:
    return pyotp.TOTP(secret).at(at)


def _audit_text() -> str:
    return json.dumps(list(AuditEvent.objects.values_list("before", "after")), ensure_ascii=False)


def test_enrolment_shows_secret_and_qr_then_confirms_with_a_code(client: Client, personas: Personas) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        response = _sign_in(client, "judge", next="/cases/")
        assert (response.status_code, response["Location"]) == (302, SETUP_PAGE)
        assert client.session[PENDING_KEY] is True
        signed_in = AuditEvent.objects.filter(action="accounts.signed_in").last()
        assert signed_in is not None and signed_in.after == {
            "ip": "127.0.0.1",
            "second_factor": "pending",
            "failures_cleared": 0,
        }

        response = client.get(SETUP_PAGE)
        assert response.status_code == 200
        personas.judge.refresh_from_db()
        stored = personas.judge.totp_secret
        # Stored sealed, never in clear; it opens only for this user.
        assert stored.startswith("aesgcm1:")
        secret = open_secret(stored, user_id=personas.judge.pk)
        assert len(secret) == 32 and secret not in stored and personas.judge.totp_confirmed_at is None
        with pytest.raises(ValueError):
            open_secret(stored, user_id=personas.assistant.pk)
        content = response.content.decode()
        assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in content
        assert '<svg width="220" height="220" class="sc-qr"' in content and "<path" in content
        assert AuditEvent.objects.filter(action="accounts.totp_enrolment_started").count() == 1

        # Reloading keeps the same secret and writes nothing.
        events = AuditEvent.objects.count()
        client.get(SETUP_PAGE)
        personas.judge.refresh_from_db()
        assert personas.judge.totp_secret == stored
        assert AuditEvent.objects.count() == events

        # A wrong code: refused, counted as a failure, nothing confirmed.
        wrong = f"{(int(_code(secret, T0)) + 1) % 1_000_000:06d}"
        response = client.post(SETUP_PAGE, {"code": wrong})
        assert response.status_code == 200
        assert client.session[PENDING_KEY] is True
        personas.judge.refresh_from_db()
        assert personas.judge.totp_confirmed_at is None
        assert list(LoginAttempt.objects.values_list("username", flat=True)) == ["judge"]
        assert AuditEvent.objects.last().action == "accounts.sign_in_failed"  # type: ignore[union-attr]

        traveller.shift(dt.timedelta(seconds=1))
        response = client.post(SETUP_PAGE, {"code": _code(secret, T0)})
        assert (response.status_code, response["Location"]) == (302, "/cases/")
        assert PENDING_KEY not in client.session and client.session[VERIFIED_KEY] is True
        personas.judge.refresh_from_db()
        assert personas.judge.totp_confirmed_at is not None
        assert personas.judge.totp_last_step == int(T0.timestamp()) // 30
        enrolled = AuditEvent.objects.last()
        assert enrolled is not None and enrolled.action == "accounts.totp_enrolled"
        assert enrolled.actor_id == personas.judge.pk
        assert LoginAttempt.objects.count() == 0  # sign-in complete: the username's failures are cleared
        assert client.get("/cases/").status_code == 200
        # The set-up page is closed once enrolled and verified.
        assert client.get(SETUP_PAGE)["Location"] == "/"
        assert secret not in _audit_text()


def test_enrolled_user_gives_a_code_and_the_same_code_cannot_be_reused(client: Client, personas: Personas) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        secret = _enrol(personas.judge, T0)
        response = _sign_in(client, "judge")
        assert (response.status_code, response["Location"]) == (302, CODE_PAGE)
        assert client.get(SETUP_PAGE)["Location"] == CODE_PAGE  # no re-enrolment with only the password
        code = _code(secret, T0)
        response = client.post(CODE_PAGE, {"code": code[:3] + " " + code[3:]})
        assert (response.status_code, response["Location"]) == (302, "/")
        verified = AuditEvent.objects.last()
        assert verified is not None
        assert (verified.action, verified.actor_id) == ("accounts.totp_verified", personas.judge.pk)

        # Sign out and in again inside the same 30 seconds: the code already used is refused.
        client.post("/accounts/logout/")
        _sign_in(client, "judge")
        events = AuditEvent.objects.count()
        response = english(client).post(CODE_PAGE, {"code": code})
        assert response.status_code == 200
        assert "That code is not correct or has already been used." in response.content.decode()
        assert client.session[PENDING_KEY] is True
        assert AuditEvent.objects.count() == events + 1
        assert AuditEvent.objects.last().action == "accounts.sign_in_failed"  # type: ignore[union-attr]
        assert client.get("/cases/")["Location"] == CODE_PAGE

        # An older code than the last accepted one is refused too.
        response = client.post(CODE_PAGE, {"code": _code(secret, T0 - dt.timedelta(seconds=30))})
        assert response.status_code == 200 and client.session[PENDING_KEY] is True

        traveller.shift(dt.timedelta(seconds=30))
        response = client.post(CODE_PAGE, {"code": _code(secret, T0 + dt.timedelta(seconds=30))})
        assert (response.status_code, response["Location"]) == (302, "/")
        assert secret not in _audit_text()


def test_a_code_one_step_off_is_accepted_two_steps_off_is_not(client: Client, personas: Personas) -> None:
    with time_machine.travel(T0, tick=False):
        secret = _enrol(personas.judge, T0)
        _sign_in(client, "judge")
        response = client.post(CODE_PAGE, {"code": _code(secret, T0 - dt.timedelta(seconds=60))})
        assert response.status_code == 200
        response = client.post(CODE_PAGE, {"code": _code(secret, T0 - dt.timedelta(seconds=30))})
        assert response.status_code == 302


@pytest.mark.parametrize("code", ["12345", "abcdef", "1234567", ""])
def test_malformed_codes_change_nothing(client: Client, personas: Personas, code: str) -> None:
    with time_machine.travel(T0, tick=False):
        _enrol(personas.judge, T0)
        _sign_in(client, "judge")
        events, attempts = AuditEvent.objects.count(), LoginAttempt.objects.count()
        response = client.post(CODE_PAGE, {"code": code})
        assert response.status_code == 200
        assert client.session[PENDING_KEY] is True
        assert (AuditEvent.objects.count(), LoginAttempt.objects.count()) == (events, attempts)


def test_wrong_codes_lock_sign_in_and_then_even_the_right_code_fails(client: Client, personas: Personas) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        secret = _enrol(personas.judge, T0)
        _sign_in(client, "judge")
        right = _code(secret, T0)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        for _ in range(4):
            assert client.post(CODE_PAGE, {"code": wrong}).status_code == 200
        response = english(client).post(CODE_PAGE, {"code": wrong})
        assert response.status_code == 429
        assert "sign-in is locked. Try again in 15 min." in response.content.decode()

        events = AuditEvent.objects.count()
        response = client.post(CODE_PAGE, {"code": right})
        assert response.status_code == 429
        assert client.session[PENDING_KEY] is True
        assert AuditEvent.objects.count() == events
        personas.judge.refresh_from_db()
        assert personas.judge.totp_last_step == 0

        # Signing in with the password again does not reset the budget of guesses.
        client.post("/accounts/logout/")
        response = _sign_in(client, "judge")
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

        traveller.shift(dt.timedelta(seconds=901))
        response = _sign_in(client, "judge")
        assert response["Location"] == CODE_PAGE
        response = client.post(CODE_PAGE, {"code": _code(secret, T0 + dt.timedelta(seconds=901))})
        assert (response.status_code, response["Location"]) == (302, "/")


def test_half_signed_in_user_is_kept_out_of_pages_and_the_api(client: Client, personas: Personas) -> None:
    _sign_in(client, "judge")
    events = AuditEvent.objects.count()
    for path in ("/", "/cases/", f"/cases/{personas.case.pk}/", "/accounts/tokens/", LOGIN):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, SETUP_PAGE), path

    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "two_factor_required"
    assert body["error"]["field"] is None
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert client.get(f"/api/v1/cases/{personas.case.pk}").status_code == 401
    assert client.post("/api/v1/cases", {}, content_type="application/json").status_code == 401

    response = client.get("/cases/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == SETUP_PAGE

    # Open while the code is owed: the 2FA pages, the language switch and sign-out.
    assert client.get(SETUP_PAGE).status_code == 200
    response = client.post("/i18n/setlang/", {"language": "en", "next": SETUP_PAGE})
    assert (response.status_code, response["Location"]) == (302, SETUP_PAGE)
    assert AuditEvent.objects.filter(action="accounts.totp_enrolment_started").count() == 1
    assert AuditEvent.objects.count() == events + 1
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")


def test_a_session_without_the_second_factor_is_held_even_without_the_pending_flag(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.bank_operator)
    assert client.get("/cases/")["Location"] == SETUP_PAGE
    assert client.get("/api/v1/cases").status_code == 401


def test_roles_without_a_second_factor_sign_in_directly(client: Client, personas: Personas) -> None:
    response = _sign_in(client, "creditor_a")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert PENDING_KEY not in client.session
    assert client.get("/cases/").status_code == 200
    assert client.get(CODE_PAGE)["Location"] == "/"
    assert client.get(SETUP_PAGE)["Location"] == "/"


def test_switch_off_means_no_second_factor(client: Client, personas: Personas, settings) -> None:
    settings.TWO_FACTOR_REQUIRED = False
    response = _sign_in(client, "judge")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/cases/").status_code == 200


def test_verify_refuses_a_user_who_is_not_enrolled(personas: Personas) -> None:
    from smartcourt.core.errors import DomainError

    with pytest.raises(DomainError):
        verify_totp(actor=personas.judge, code="123456", ip_address=None)


def test_enrolled_user_cannot_begin_again(personas: Personas) -> None:
    from smartcourt.core.errors import Conflict

    _enrol(personas.judge, T0)
    events = AuditEvent.objects.count()
    secret = personas.judge.totp_secret
    with pytest.raises(Conflict):
        begin_totp_enrolment(actor=personas.judge)
    personas.judge.refresh_from_db()
    assert personas.judge.totp_secret == secret
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_uses_of_one_code_give_exactly_one_success() -> None:
    from smartcourt.accounts.actions import create_organisation
    from smartcourt.audit.actions import ensure_head

    ensure_head()
    court = create_organisation(actor=None, kind=OrganisationKind.COURT, name="如东县人民法院", court_code="苏0623")
    user = create_user(
        actor=None,
        username="racer",
        password=TEST_PASSWORD,
        role=Role.JUDGE,
        full_name="赛跑",
        organisation=court,
        check_password_strength=False,
    )
    secret = begin_totp_enrolment(actor=user)
    User.objects.filter(pk=user.pk).update(totp_confirmed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    code = pyotp.TOTP(secret).now()
    barrier = threading.Barrier(2)
    results: list[bool] = []
    errors: list[BaseException] = []

    def use_code() -> None:
        try:
            me = User.objects.get(pk=user.pk)
            barrier.wait(timeout=10)
            results.append(verify_totp(actor=me, code=code, ip_address="10.9.9.9"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=use_code) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == [False, True]
    assert AuditEvent.objects.filter(action="accounts.totp_verified").count() == 1
    assert LoginAttempt.objects.filter(username="racer").count() == 1


def test_secrets_stored_in_clear_before_sealing_are_sealed_by_the_migration(personas: Personas) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("smartcourt.accounts.migrations.0002_seal_totp_secrets")
    User.objects.filter(pk=personas.judge.pk).update(totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    migration.seal_existing(apps, None)
    migration.seal_existing(apps, None)  # a second run leaves sealed secrets alone
    stored = User.objects.get(pk=personas.judge.pk).totp_secret
    assert stored.startswith("aesgcm1:")
    assert open_secret(stored, user_id=personas.judge.pk) == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    assert User.objects.get(pk=personas.assistant.pk).totp_secret == ""
