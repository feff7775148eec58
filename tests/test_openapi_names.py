"""Every schema in the OpenAPI document is the one its name says.

django-ninja names a component after its class and keeps the last class of that name it meets: two
``RulingIn`` classes in two apps made the intake ruling's documented body the claims ruling's (without the
required ``decision``). Any two schema classes of the platform with one name therefore fail here."""

from __future__ import annotations

import json
from collections import defaultdict

import pydantic
from django.test import Client


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
