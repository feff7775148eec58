"""One error shape for every answer of the API (issue 15 item 8): an unauthenticated write is a 401, not a
CSRF 403; an oversized body a JSON 413; an unreadable body a JSON 400; a malformed path id a JSON 404 or 422
that the OpenAPI document lists; every message in the user's language (Chinese unless he chose English)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from conftest import Personas
from smartcourt.accounts import twofactor
from smartcourt.accounts.tokens import issue_api_token
from smartcourt.audit.models import AuditEvent

CHINESE = re.compile(r"[\u4e00-\u9fff]")
START_NODE = "/api/v1/bankruptcy/cases/{case_id}/nodes/N01/start"
DEADLINES = "/api/v1/rules/deadlines"


def _error(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field"}
    assert CHINESE.search(body["error"]["message"]), body["error"]["message"]
    return dict(body["error"])


def _session(personas: Personas, *, enforce_csrf: bool = True) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(personas.judge)
    session = client.session
    session[twofactor.VERIFIED_KEY] = True
    session.save()
    return client


def _token(personas: Personas) -> dict[str, str]:
    _record, token = issue_api_token(actor=personas.judge, user=personas.judge, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_an_unauthenticated_write_is_401_not_a_csrf_403(personas: Personas) -> None:
    before = AuditEvent.objects.count()
    response = Client(enforce_csrf_checks=True).post(
        START_NODE.format(case_id=personas.case.pk), "{}", content_type="application/json"
    )
    assert response.status_code == 401
    assert _error(response) == {"code": "unauthenticated", "message": "请登录，或提供有效的 API 令牌", "field": None}
    assert AuditEvent.objects.count() == before


def test_a_signed_in_session_without_the_csrf_token_is_refused_in_chinese(personas: Personas) -> None:
    before = AuditEvent.objects.count()
    response = _session(personas).post(
        START_NODE.format(case_id=personas.case.pk), "{}", content_type="application/json"
    )
    assert response.status_code == 403
    assert _error(response) == {
        "code": "csrf_failed",
        "message": "请求缺少页面的 CSRF 令牌：请刷新页面后重试",
        "field": None,
    }
    assert AuditEvent.objects.count() == before


def test_an_oversized_body_is_a_json_413(personas: Personas, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"procedure": "liquidation", "accepted_on": "2026-09-10", "padding": "x" * 2000})
    token = _token(personas)
    before = AuditEvent.objects.count()
    for client, extra in ((Client(), {}), (Client(), token)):
        response = client.post(DEADLINES, body, content_type="application/json", **extra)
        assert response.status_code == 413
        assert _error(response) == {"code": "too_large", "message": "请求超过平台允许的大小", "field": None}
        response = client.post(
            START_NODE.format(case_id=personas.case.pk), body, content_type="application/json", **extra
        )
        assert response.status_code == (413 if extra else 401)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe\x00", b'{"procedure": "liquidation",'])
def test_an_unreadable_body_is_a_json_400(personas: Personas, body: bytes) -> None:
    token = _token(personas)
    before = AuditEvent.objects.count()
    for path, extra in ((DEADLINES, {}), (START_NODE.format(case_id=personas.case.pk), token)):
        response = Client().post(path, body, content_type="application/json", **extra)
        assert response.status_code == 400
        assert _error(response) == {
            "code": "bad_request",
            "message": "无法读取请求正文：请发送 JSON，或本接口声明的表单",
            "field": None,
        }
    assert AuditEvent.objects.count() == before


def test_a_truncated_multipart_body_is_a_json_answer_in_chinese(personas: Personas) -> None:
    # Django's multipart parser reads what it can of a cut-off body: the missing parts are then a 422.
    token = _token(personas)
    before = AuditEvent.objects.count()
    response = Client().post(
        f"/api/v1/bankruptcy/cases/{personas.case.pk}/nodes/N01/outputs",
        b'--edge\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF',
        content_type="multipart/form-data; boundary=edge",
        **token,
    )
    assert response.status_code == 422
    assert _error(response)["code"] == "invalid"
    assert AuditEvent.objects.count() == before


def test_validation_messages_are_chinese(personas: Personas) -> None:
    response = Client().post(DEADLINES, {"procedure": "liquidation"}, content_type="application/json")
    assert response.status_code == 422
    assert _error(response) == {"code": "invalid", "message": "accepted_on: 此项必填", "field": "accepted_on"}
    response = _session(personas, enforce_csrf=False).get("/api/v1/cases", {"page": "x"})
    assert response.status_code == 422
    assert _error(response) == {"code": "invalid", "message": "page: 应为整数", "field": "page"}


def test_an_english_user_reads_english(personas: Personas) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get(f"/api/v1/cases/{personas.case.pk}")
    assert response.status_code == 401
    assert json.loads(response.content)["error"]["message"] == "Sign in or send a valid API token"


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_the_openapi_document_lists_the_transport_errors_of_every_operation(db: None) -> None:
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    for path, method, operation in _operations(document):
        responses = set(operation["responses"])
        if "requestBody" in operation:
            assert {"400", "413", "422"} <= responses, (method, path)
        if operation.get("security"):
            assert "401" in responses, (method, path)
        if operation.get("parameters"):
            assert "422" in responses, (method, path)
        for status in responses - {"200", "201", "204"}:
            if status.startswith("4"):
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema["$ref"] in {"#/components/schemas/ErrorOut", "#/components/schemas/ImportErrorOut"}


def test_a_malformed_path_id_is_a_listed_json_404_or_422_everywhere(personas: Personas) -> None:
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    headers = _token(personas)
    before = AuditEvent.objects.count()
    checked = 0
    not_chinese: list[str] = []
    for path, method, operation in _operations(document):
        if "{" not in path:
            continue
        url = re.sub(r"\{[^}]+\}", "not-an-id", path)
        if method == "get":
            response = Client().get(url, **headers)
        else:
            response = getattr(Client(), method)(url, "{}", content_type="application/json", **headers)
        assert str(response.status_code) in operation["responses"], (method, path, response.status_code)
        assert response.status_code in {404, 422}, (method, path, response.status_code)
        message = json.loads(response.content)["error"]["message"]
        if not CHINESE.search(message):
            not_chinese.append(f"{method} {path}: {message}")
        checked += 1
    assert not_chinese == []
    assert checked > 50
    assert AuditEvent.objects.count() == before
