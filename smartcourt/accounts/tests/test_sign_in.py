"""Signing in and out with a username and password (second factor off, as conftest sets it)."""

from __future__ import annotations

import importlib
import os

import pytest
from django.test import Client
from django.urls import reverse

from conftest import TEST_PASSWORD, Personas
from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import LoginAttempt
from smartcourt.accounts.tests.helpers import english
from smartcourt.audit.models import AuditEvent

LOGIN = "/accounts/login/"


def _sign_in(client: Client, username: str, password: str, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_urls_are_where_the_issue_says() -> None:
    assert reverse("accounts:login") == "/accounts/login/"
    assert reverse("accounts:logout") == "/accounts/logout/"
    assert reverse("accounts:tokens") == "/accounts/tokens/"


def test_sign_in_page_shows_the_form(client: Client, db: None) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert response.templates[0].name == "accounts/login.html"
    content = response.content.decode()
    assert (
        'name="username"' in content and 'name="password"' in content and 'autocomplete="current-password"' in content
    )


def test_right_password_signs_in_goes_home_and_is_audited(client: Client, personas: Personas) -> None:
    events = AuditEvent.objects.count()
    response = _sign_in(client, "judge", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(personas.judge.pk)
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.last()
    assert event is not None
    assert event.action == "accounts.signed_in"
    assert event.actor_id == personas.judge.pk
    assert event.object_id == str(personas.judge.pk)
    assert event.after == {"ip": "127.0.0.1", "second_factor": "not_required", "failures_cleared": 0}
    assert client.get("/").status_code == 200


def test_safe_next_is_followed(client: Client, personas: Personas) -> None:
    response = _sign_in(client, "judge", TEST_PASSWORD, next="/cases/?q=破")
    assert response["Location"] == "/cases/?q=%E7%A0%B4"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/cases/", "javascript:alert(1)"])
def test_unsafe_next_goes_home(client: Client, personas: Personas, target: str) -> None:
    response = _sign_in(client, "judge", TEST_PASSWORD, next=target)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_next_from_the_query_string_reaches_the_form(client: Client, db: None) -> None:
    response = client.get(LOGIN + "?next=/cases/")
    assert 'name="next" value="/cases/"' in response.content.decode()


def test_wrong_password_is_refused_recorded_and_audited(client: Client, personas: Personas) -> None:
    events = AuditEvent.objects.count()
    response = english(client).post(LOGIN, {"username": "judge", "password": "wrong-password-1"})
    assert response.status_code == 200
    assert "The username or password is not correct." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert list(LoginAttempt.objects.values_list("username", "ip_address")) == [("judge", "127.0.0.1")]
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.last()
    assert event is not None
    assert event.action == "accounts.sign_in_failed"
    assert event.actor_id is None
    assert event.after == {"username": "judge", "ip": "127.0.0.1"}


def test_unknown_user_is_refused_like_a_wrong_password(client: Client, personas: Personas) -> None:
    response = english(client).post(LOGIN, {"username": "nobody", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "The username or password is not correct." in response.content.decode()
    assert LoginAttempt.objects.filter(username="nobody").count() == 1


def test_inactive_user_cannot_sign_in(client: Client, personas: Personas) -> None:
    personas.judge.is_active = False
    personas.judge.save(update_fields=["is_active"])
    response = _sign_in(client, "judge", TEST_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_empty_form_changes_nothing(client: Client, personas: Personas) -> None:
    events = AuditEvent.objects.count()
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 200
    assert LoginAttempt.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_signed_in_user_visiting_the_login_page_goes_home(client: Client, personas: Personas) -> None:
    client.force_login(personas.judge)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_out_is_post_only_and_audited(client: Client, personas: Personas) -> None:
    _sign_in(client, "creditor_a", TEST_PASSWORD)
    events = AuditEvent.objects.count()
    assert client.get("/accounts/logout/").status_code == 405
    assert client.session["_auth_user_id"] == str(personas.creditor_a.pk)
    assert AuditEvent.objects.count() == events

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.last()
    assert event is not None
    assert (event.action, event.actor_id, event.after) == (
        "accounts.signed_out",
        personas.creditor_a.pk,
        {"ip": "127.0.0.1"},
    )
    assert client.get("/").status_code == 302


def test_anonymous_sign_out_just_redirects(client: Client, db: None) -> None:
    events = AuditEvent.objects.count()
    response = client.post("/accounts/logout/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert AuditEvent.objects.count() == events


def test_passwords_are_stored_as_argon2(client: Client, personas: Personas, settings) -> None:
    # conftest swaps in a fast hasher; put back the hashers the project's settings module configures.
    project = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    assert project.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    user = create_user(
        actor=None,
        username="hashed",
        password=TEST_PASSWORD,
        role=Role.CREDITOR,
        full_name="散列",
        check_password_strength=False,
    )
    user.refresh_from_db()
    assert user.password.startswith("argon2")
    assert TEST_PASSWORD not in user.password
    response = _sign_in(client, "hashed", TEST_PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")
