"""One error shape for every 4xx the API gives, and an OpenAPI document that tells the truth."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import Personas
from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.errors import BankruptcyError
from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.testing import client_for


def _error(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return dict(body["error"])


def _signed_in(personas: Personas, persona: str = "judge") -> Client:
    return client_for(getattr(personas, persona), second_factor_done=True)


def test_401(db: None) -> None:
    response = Client().get("/api/v1/cases")
    assert response.status_code == 401
    assert _error(response) == {
        "code": "unauthenticated",
        "message": "请登录，或提供有效的 API 令牌",
        "field": None,
    }


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/", "/api/v1/cases/", "/api/v1/docs", "/api/v1/a/b/c"])
def test_404_for_unknown_paths_signed_in_or_not(personas: Personas, path: str) -> None:
    before = AuditEvent.objects.count(), Case.objects.count()
    for client in (Client(), _signed_in(personas)):
        response = client.get(path)
        assert response.status_code == 404
        error = _error(response)
        assert error["code"] == "not_found"
        assert error["field"] is None
        assert "/api/v1/openapi.json" in error["message"]
    assert (AuditEvent.objects.count(), Case.objects.count()) == before


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/cases/{id}"])
def test_405_for_methods_a_path_does_not_allow(personas: Personas, method: str, path: str) -> None:
    before = AuditEvent.objects.count(), Case.objects.count()
    for client in (Client(), _signed_in(personas)):
        response = getattr(client, method)(path.format(id=personas.case.pk))
        assert response.status_code == 405
        assert response["Allow"] == "GET"
        assert _error(response) == {
            "code": "method_not_allowed",
            "message": f"此处不允许 {method.upper()} 请求；允许的方法：GET",
            "field": None,
        }
    assert (AuditEvent.objects.count(), Case.objects.count()) == before


def test_422(personas: Personas) -> None:
    response = _signed_in(personas).get("/api/v1/cases", {"type": "bankrupt"})
    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "invalid"
    assert error["field"] == "type"
    assert "'bankruptcy'" in error["message"]


def test_404_for_a_hidden_case(personas: Personas) -> None:
    response = _signed_in(personas, "outsider").get(f"/api/v1/cases/{personas.case.pk}")
    assert response.status_code == 404
    assert _error(response) == {"code": "not_found", "message": "没有这个案件", "field": None}


@pytest.mark.parametrize(
    ("exc", "status", "expected"),
    [
        (
            Conflict("案件已被他人修改", field="status"),
            409,
            {"code": "conflict", "message": "案件已被他人修改", "field": "status"},
        ),
        (
            PermissionDenied("只有承办法官可以批准"),
            403,
            {"code": "forbidden", "message": "只有承办法官可以批准", "field": None},
        ),
        (
            DomainError("金额格式不正确", field="amount"),
            422,
            {"code": "invalid", "message": "金额格式不正确", "field": "amount"},
        ),
        (
            DomainError("重复申请", code=BankruptcyError.DUPLICATE_APPLICATION),
            422,
            {"code": "duplicate_application", "message": "重复申请", "field": None},
        ),
    ],
)
def test_domain_errors_keep_their_status_code_and_field(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, exc: DomainError, status: int, expected: dict[str, Any]
) -> None:
    def refuse(user: object, case_id: object) -> None:
        raise exc

    # The endpoint's one selector refuses, as a future action would: the real handlers shape the answer.
    monkeypatch.setattr("smartcourt.cases.api.get_case_for", refuse)
    response = _signed_in(personas).get(f"/api/v1/cases/{personas.case.pk}")
    assert response.status_code == status
    assert _error(response) == expected
    assert expected["message"].encode() in response.content


def test_openapi_document(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "智慧法院平台".encode() in response.content
    document = json.loads(response.content)
    paths = document["paths"]
    assert {path for path in paths if path.startswith("/api/v1/cases")} == {
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/parties/{party_id}/identity-number",
        "/api/v1/cases/{case_id}/staffing",
        "/api/v1/cases/{case_id}/threads",
    }
    assert set(paths["/api/v1/cases"]) == {"get"}
    assert set(paths["/api/v1/cases/{case_id}"]) == {"get"}

    listing = paths["/api/v1/cases"]["get"]
    assert {param["name"] for param in listing["parameters"]} == {
        "type",
        "status",
        "court",
        "year",
        "q",
        "page",
        "page_size",
    }
    assert listing["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CasePage"
    }
    detail = paths["/api/v1/cases/{case_id}"]["get"]
    assert detail["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CaseDetailOut"
    }
    for operation in (listing, detail):
        assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }
        assert {name for requirement in operation["security"] for name in requirement} == {
            "TokenAuth",
            "SessionAuth",
        }

    schemas = document["components"]["schemas"]
    assert set(schemas["CaseOut"]["properties"]) == {
        "id",
        "number",
        "title",
        "case_type",
        "case_type_code",
        "status",
        "court",
        "year",
        "sequence",
        "filed_on",
        "accepted_on",
        "closed_on",
        "presiding_judge",
    }
    assert {"parties", "members", "origin", "cause"} <= set(schemas["CaseDetailOut"]["properties"])
    assert schemas["CaseType"]["enum"] == [
        "bankruptcy_application",
        "bankruptcy",
        "liquidation_application",
        "liquidation",
        "civil_first_instance",
        "enforcement",
    ]
    security = document["components"]["securitySchemes"]
    assert security["TokenAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "sc_<prefix>_<secret>"}
    assert security["SessionAuth"]["in"] == "cookie"


def test_docs_page_is_off_because_swagger_ui_would_load_from_a_cdn(db: None) -> None:
    assert Client().get("/api/v1/docs").status_code == 404
