"""API tokens: issue (shown once), list, revoke; revoked, expired or foreign tokens get nowhere."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from conftest import Personas
from smartcourt.accounts.models import ApiToken
from smartcourt.accounts.tests.helpers import english
from smartcourt.accounts.tokens import authenticate_token, issue_api_token, revoke_api_token
from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import DomainError, NotFound

TOKENS = "/accounts/tokens/"
TOKEN_RE = re.compile(r"sc_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")


def test_anonymous_is_sent_to_sign_in(client: Client, db: None) -> None:
    response = client.get(TOKENS)
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/accounts/tokens/")


def test_issue_shows_the_token_once_and_lists_it(client: Client, personas: Personas) -> None:
    client.force_login(personas.bank_operator)
    assert "You have no tokens." in english(client).get(TOKENS).content.decode()
    events = AuditEvent.objects.count()

    response = client.post(TOKENS, {"name": "核心系统对接", "expires": "30"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    shown = TOKEN_RE.findall(response.content.decode())
    assert len(shown) == 1
    raw = shown[0]
    token = ApiToken.objects.get()
    assert (token.user_id, token.name, token.prefix) == (personas.bank_operator.pk, "核心系统对接", raw.split("_")[1])
    assert raw.split("_", 2)[2] not in token.secret_hash
    assert token.expires_at is not None
    assert dt.timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.last()
    assert event is not None and event.action == "accounts.api_token_issued"
    assert event.actor_id == personas.bank_operator.pk
    assert raw not in str(event.after)
    assert authenticate_token(raw) == personas.bank_operator

    # The list shows name, prefix and dates, never the token again.
    content = client.get(TOKENS).content.decode()
    assert "核心系统对接" in content and f"sc_{token.prefix}_" in content
    assert TOKEN_RE.search(content) is None


def test_token_without_expiry(client: Client, personas: Personas) -> None:
    client.force_login(personas.administrator)
    assert client.post(TOKENS, {"name": "nightly", "expires": "never"}).status_code == 201
    assert ApiToken.objects.get().expires_at is None


@pytest.mark.parametrize(
    "data", [{"name": "", "expires": "30"}, {"name": "x" * 101, "expires": "30"}, {"name": "ok", "expires": "7"}]
)
def test_bad_input_creates_nothing(client: Client, personas: Personas, data: dict[str, str]) -> None:
    client.force_login(personas.bank_operator)
    events = AuditEvent.objects.count()
    response = client.post(TOKENS, data)
    assert response.status_code == 422
    assert TOKEN_RE.search(response.content.decode()) is None
    assert ApiToken.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_revoke_own_token(client: Client, personas: Personas) -> None:
    token, raw = issue_api_token(actor=personas.bank_operator, user=personas.bank_operator, name="sync")
    client.force_login(personas.bank_operator)
    events = AuditEvent.objects.count()
    assert client.get(f"{TOKENS}{token.pk}/revoke/").status_code == 405

    response = client.post(f"{TOKENS}{token.pk}/revoke/")
    assert (response.status_code, response["Location"]) == (302, TOKENS)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert authenticate_token(raw) is None
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.last()
    assert event is not None
    assert (event.action, event.actor_id, event.object_id) == (
        "accounts.api_token_revoked",
        personas.bank_operator.pk,
        str(token.pk),
    )
    page = english(client).get(TOKENS).content.decode()
    assert "Revoked" in page

    # Revoking again changes nothing.
    revoked_at = token.revoked_at
    assert client.post(f"{TOKENS}{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at == revoked_at
    assert AuditEvent.objects.count() == events + 1


@pytest.mark.parametrize("persona", ["other_administrator", "court_admin", "judge"])
def test_another_users_token_cannot_be_revoked(client: Client, personas: Personas, persona: str) -> None:
    token, raw = issue_api_token(actor=personas.bank_operator, user=personas.bank_operator, name="sync")
    client.force_login(getattr(personas, persona))
    events = AuditEvent.objects.count()
    response = client.post(f"{TOKENS}{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert AuditEvent.objects.count() == events
    assert authenticate_token(raw) == personas.bank_operator
    # Nor does it show up on their page.
    assert token.prefix not in client.get(TOKENS).content.decode()


def test_unknown_token_id_is_404(client: Client, personas: Personas) -> None:
    client.force_login(personas.bank_operator)
    events = AuditEvent.objects.count()
    assert client.post(f"{TOKENS}00000000-0000-0000-0000-000000000000/revoke/").status_code == 404
    assert AuditEvent.objects.count() == events
    with pytest.raises(NotFound):
        revoke_api_token(actor=personas.bank_operator, token_id="not-a-uuid")


def test_expired_token_does_not_authenticate(personas: Personas) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        _token, raw = issue_api_token(
            actor=personas.bank_operator,
            user=personas.bank_operator,
            name="short",
            expires_at=start + dt.timedelta(hours=1),
        )
        assert authenticate_token(raw) == personas.bank_operator
        traveller.shift(dt.timedelta(hours=1))
        assert authenticate_token(raw) is None


def test_token_of_a_deactivated_user_does_not_authenticate(personas: Personas) -> None:
    _token, raw = issue_api_token(actor=personas.bank_operator, user=personas.bank_operator, name="sync")
    personas.bank_operator.is_active = False
    personas.bank_operator.save(update_fields=["is_active"])
    assert authenticate_token(raw) is None


def test_last_used_is_recorded(personas: Personas) -> None:
    token, raw = issue_api_token(actor=personas.bank_operator, user=personas.bank_operator, name="sync")
    assert token.last_used_at is None
    authenticate_token(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_malformed_or_wrong_tokens_do_not_authenticate(personas: Personas) -> None:
    _token, raw = issue_api_token(actor=personas.bank_operator, user=personas.bank_operator, name="sync")
    prefix, secret = raw.split("_", 2)[1:]
    for candidate in [
        "",
        "sc",
        f"sc_{prefix}",
        f"sc_{prefix}_",
        f"xx_{prefix}_{secret}",
        f"sc_{prefix}_{secret}x",
        f"sc_{prefix.upper()}_{secret}",
        f"sc_{prefix}\x00_{secret}",
        f"sc_{'0' * 12}_{secret}",
    ]:
        assert authenticate_token(candidate) is None, candidate
    assert authenticate_token(f"  {raw} ") == personas.bank_operator


def test_expiry_in_the_past_is_refused(personas: Personas) -> None:
    with pytest.raises(DomainError) as caught:
        issue_api_token(
            actor=personas.bank_operator,
            user=personas.bank_operator,
            name="late",
            expires_at=timezone.now() - dt.timedelta(seconds=1),
        )
    assert caught.value.field == "expires_at"
    assert ApiToken.objects.count() == 0
