"""The internet zone's app channel (issue 18, ADR 0012): a token alone opens nothing; each request is signed
with one of the token owner's registered app keys (RFC 9421), fresh, with a nonce never seen before."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client

from conftest import Personas
from partnerproto.digest import content_digest
from partnerproto.signatures import Message, SigningKey, sign
from smartcourt.accounts import app_channel
from smartcourt.accounts.models import AppKey, User
from smartcourt.accounts.tokens import issue_api_token
from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import DomainError
from smartcourt.testing import client_for, database_state


@pytest.fixture
def app(personas: Personas, settings: Any) -> tuple[str, SigningKey]:
    settings.APP_CHANNEL_SIGNATURES = True
    _, token = issue_api_token(actor=personas.creditor_a, user=personas.creditor_a, name="手机应用")
    private = SigningKey.generate("unused")
    key = app_channel.register_app_key(
        actor=personas.creditor_a, name="手机应用", alg="ed25519", public=base64.b64encode(private.public).decode()
    )
    return token, SigningKey(keyid=key.keyid, alg=private.alg, private=private.private, public=private.public)


def _signed(token: str, key: SigningKey, path: str, *, body: bytes = b"", method: str = "GET") -> dict[str, Any]:
    digest = content_digest(body)
    signature = sign(
        Message(method=method, target_uri=f"http://testserver{path}", headers={"content-digest": digest}), key
    )
    return {
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "HTTP_CONTENT_DIGEST": digest,
        "HTTP_SIGNATURE_INPUT": signature["Signature-Input"],
        "HTTP_SIGNATURE": signature["Signature"],
    }


def _refusal(response: Any, reason: str) -> None:
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "bad_signature",
            "message": f"在互联网服务上，API 请求须使用您登记的应用密钥签名（{reason}）",
            "field": None,
        }
    }


def test_a_signed_request_is_answered_once(app: tuple[str, SigningKey], personas: Personas) -> None:
    token, key = app
    headers = _signed(token, key, "/api/v1/cases")
    assert Client().get("/api/v1/cases", **headers).status_code == 200
    _refusal(Client().get("/api/v1/cases", **headers), "replayed_nonce")


def test_a_token_alone_another_users_key_a_changed_address_or_a_revoked_key_open_nothing(
    app: tuple[str, SigningKey], personas: Personas
) -> None:
    token, key = app
    before = database_state(ignore=frozenset({"accounts_apitoken"}))
    _refusal(Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}"), "missing_signature")
    stranger = SigningKey.generate("app-0000000000000000")
    _refusal(Client().get("/api/v1/cases", **_signed(token, stranger, "/api/v1/cases")), "unknown_key")
    signed_for_other = _signed(token, key, "/api/v1/cases?q=a")
    _refusal(Client().get("/api/v1/cases?q=b", **signed_for_other), "bad_signature")
    assert database_state(ignore=frozenset({"accounts_apitoken"})) == before
    app_channel.revoke_app_key(actor=personas.creditor_a, key_id=AppKey.objects.get(keyid=key.keyid).pk)
    _refusal(Client().get("/api/v1/cases", **_signed(token, key, "/api/v1/cases")), "unknown_key")


def test_the_browser_session_is_not_the_app_channel(app: tuple[str, SigningKey], personas: Personas) -> None:
    assert client_for(personas.creditor_a).get("/api/v1/cases").status_code == 200


@pytest.mark.parametrize(
    ("alg", "public", "field", "message"),
    [
        ("rsa", base64.b64encode(b"x" * 32).decode(), "alg", "请选择 Ed25519 或 SM2"),
        ("ed25519", "不是base64", "public", "公钥不是 base64 编码"),
        ("ed25519", base64.b64encode(b"x" * 31).decode(), "public", "ed25519 公钥应为 32 字节，此公钥为 31 字节"),
        ("sm2-sm3", base64.b64encode(b"x" * 32).decode(), "public", "sm2-sm3 公钥应为 64 字节，此公钥为 32 字节"),
    ],
)
def test_bad_keys_are_refused_and_nothing_is_stored(
    alg: str, public: str, field: str, message: str, personas: Personas
) -> None:
    before = database_state()
    with pytest.raises(DomainError) as refused:
        app_channel.register_app_key(actor=personas.creditor_a, name="应用", alg=alg, public=public)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert database_state() == before


def test_an_over_long_key_name_is_refused_whole(personas: Personas) -> None:
    public = base64.b64encode(SigningKey.generate("x").public).decode()
    before = database_state()
    with pytest.raises(DomainError) as refused:
        app_channel.register_app_key(actor=personas.creditor_a, name="应" * 81, alg="ed25519", public=public)
    assert (refused.value.field, refused.value.message) == ("name", "密钥名称最多 80 个字符，此处有 81 个")
    assert database_state() == before
    key = app_channel.register_app_key(actor=personas.creditor_a, name="应" * 80, alg="ed25519", public=public)
    assert key.name == "应" * 80


def test_keys_are_registered_and_revoked_on_the_tokens_page(personas: Personas) -> None:
    client = client_for(personas.creditor_a)
    public = base64.b64encode(SigningKey.generate("x").public).decode()
    response = client.post("/accounts/tokens/app-keys/", {"name": "小程序", "alg": "ed25519", "public": public})
    assert response.status_code == 302
    key = AppKey.objects.get(user=personas.creditor_a)
    assert (key.name, key.alg, key.public, key.revoked_at) == ("小程序", "ed25519", public, None)
    page = client.get("/accounts/tokens/").content.decode()
    assert key.keyid in page and "应用签名密钥" in page
    event = AuditEvent.objects.get(action="accounts.app_key_registered")
    assert event.after == {"keyid": key.keyid, "alg": "ed25519"}
    # Another user cannot revoke it: the same 404 as for a key that does not exist.
    other = client_for(personas.creditor_b).post(f"/accounts/tokens/app-keys/{key.pk}/revoke/")
    assert other.status_code == 404
    assert client.post(f"/accounts/tokens/app-keys/{key.pk}/revoke/").status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    bad = client.post("/accounts/tokens/app-keys/", {"name": "x", "alg": "ed25519", "public": "AAAA"})
    assert bad.status_code == 422 and "ed25519 公钥应为 32 字节，此公钥为 3 字节" in bad.content.decode()
    assert User.objects.filter(pk=personas.creditor_a.pk).exists()
