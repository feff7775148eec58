"""Every schema in the OpenAPI document is the one its name says.

django-ninja names a component after its class and keeps the last class of that name it meets: two
``RulingIn`` classes in two apps made the intake ruling's documented body the claims ruling's (without the
required ``decision``). Any two schema classes of the platform with one name therefore fail here."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pydantic
from django.test import Client

from smartcourt.core.errors import error_code_enums
from smartcourt.meetings.errors import MeetingError


def _platform_models() -> list[type[pydantic.BaseModel]]:
    found: list[type[pydantic.BaseModel]] = []
    pending: list[type[pydantic.BaseModel]] = [pydantic.BaseModel]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith(("smartcourt.", "config.")):
                found.append(subclass)
    return found


def test_no_two_schema_classes_share_a_component_name(db: None) -> None:
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    components = set(document["components"]["schemas"])
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in _platform_models():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    collisions = {name: sorted(where) for name, where in by_name.items() if name in components and len(where) > 1}
    assert collisions == {}


def test_the_intake_ruling_documents_its_decision(db: None) -> None:
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    schemas = document["components"]["schemas"]
    assert "decision" in schemas["IntakeRulingIn"]["required"]
    assert "decision" not in schemas["ClaimsRulingIn"]["properties"]


def _unbounded(schema: dict[str, Any], where: str, schemas: dict[str, Any], seen: set[str]) -> list[str]:
    """Places in a request's schema where a number has no lower or no upper bound."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return _unbounded(schemas[name], f"{where}->{name}", schemas, seen | {name})
    found: list[str] = []
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            found += _unbounded(part, where, schemas, seen)
    if schema.get("type") in ("integer", "number"):
        low = "minimum" in schema or "exclusiveMinimum" in schema
        high = "maximum" in schema or "exclusiveMaximum" in schema
        if not (low and high):
            found.append(where)
    for name, part in schema.get("properties", {}).items():
        found += _unbounded(part, f"{where}.{name}", schemas, seen)
    if isinstance(schema.get("items"), dict):
        found += _unbounded(schema["items"], f"{where}[]", schemas, seen)
    if isinstance(schema.get("additionalProperties"), dict):
        found += _unbounded(schema["additionalProperties"], f"{where}{{}}", schemas, seen)
    return found


def test_every_number_a_request_carries_is_bounded(db: None) -> None:
    # An offset of 2**63 reached the database as it came and answered 500 (issue 15.2).
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    schemas = document["components"]["schemas"]
    found: list[str] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                where = f"{method} {path} {parameter['in']}:{parameter['name']}"
                found += _unbounded(parameter["schema"], where, schemas, set())
            for body in operation.get("requestBody", {}).get("content", {}).values():
                found += _unbounded(body["schema"], f"{method} {path} body", schemas, set())
    assert found == []


def test_huge_integers_are_refused_not_server_errors(personas: Any) -> None:
    huge = 2**63
    client = Client()
    response = client.get(f"/api/v1/transparency/proof/consistency?first=1&second={huge - 1}")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    client.force_login(personas.judge)
    for url in (
        f"/api/v1/claims/cases/{personas.case.pk}/claims?offset={huge}",
        f"/api/v1/claims/cases/{personas.case.pk}/employees?offset={huge}",
        f"/api/v1/evaluation/evaluations?offset={huge}",
        f"/api/v1/funds/cases/{personas.case.pk}/payments?offset={huge}",
    ):
        response = client.get(url)
        assert (response.status_code, response.json()["error"]["code"]) == (422, "invalid"), url


def test_the_error_body_lists_every_error_code(db: None) -> None:
    # A client can switch on `code`: the document names every code an answer may carry, by the enum defining it.
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    code = document["components"]["schemas"]["ErrorBody"]["properties"]["code"]
    enums = error_code_enums()
    assert {"CoreError", "ClaimError", "MeetingError", "ServiceError"} <= {enum.__name__ for enum in enums}
    assert code["enum"] == sorted({member.value for enum in enums for member in enum})
    assert code["x-error-codes"]["MeetingError"] == [member.value for member in MeetingError]
    assert {"not_found", "invalid", "unauthenticated", "voting_closed", "rate_limited"} <= set(code["enum"])
