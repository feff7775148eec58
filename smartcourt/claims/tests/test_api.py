"""The claims API over every persona: scoped reads, 404 for outsiders, 403 for members who may not act, and
nothing changed on any refusal."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from smartcourt.claims.tests.helpers import counts, declare, open_proceeding
from smartcourt.testing import client_for

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db

ALL = [
    "judge",
    "assistant",
    "clerk",
    "court_admin",
    "administrator",
    "other_administrator",
    "creditor_a",
    "creditor_b",
    "bank_operator",
    "outsider",
]
SEE_CASE = {"judge", "assistant", "clerk", "court_admin", "administrator", "creditor_a", "bank_operator"}
SEE_CLAIM = {"judge", "assistant", "clerk", "court_admin", "administrator", "creditor_a"}


@pytest.fixture
def p(personas: Personas) -> Personas:
    open_proceeding(personas)
    return personas


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("persona", ALL)
def test_reads(p: Personas, persona: str) -> None:
    claim = declare(p)
    client = client_for(getattr(p, persona), language="en")
    listing = client.get(f"/api/v1/claims/cases/{p.case.pk}/claims")
    assert listing.status_code == (200 if persona in SEE_CASE else 404)
    if persona in SEE_CASE:
        assert [item["number"] for item in listing.json()] == ([1] if persona in SEE_CLAIM else [])
    detail = client.get(f"/api/v1/claims/{claim.pk}")
    assert detail.status_code == (200 if persona in SEE_CLAIM else 404)
    if persona in SEE_CLAIM:
        assert detail.json()["interest_detail"]["lines"][0]["days"] == 365
        assert detail.json()["declared_total"] == "105150.00"
    table = client.get(f"/api/v1/claims/cases/{p.case.pk}/table")
    assert table.status_code == (200 if persona in SEE_CASE else 404)


@pytest.mark.parametrize("persona", ALL)
def test_review_matrix(p: Personas, persona: str) -> None:
    claim = declare(p)
    before = counts()
    response = post(
        client_for(getattr(p, persona), language="en"), f"/api/v1/claims/{claim.pk}/review", {"result": "confirmed"}
    )
    if persona == "administrator":
        assert response.status_code == 200
        assert response.json()["status"] == "confirmed"
        assert response.json()["confirmed_total"] == "105150.00"
        return
    assert response.status_code == (403 if persona in SEE_CLAIM else 404)
    assert response.json()["error"]["code"] == ("forbidden" if persona in SEE_CLAIM else "not_found")
    assert counts() == before


def test_declare_object_and_rule_over_the_api(p: Personas) -> None:
    creditor = client_for(p.creditor_a, language="en")
    response = post(
        creditor,
        f"/api/v1/claims/cases/{p.case.pk}/claims",
        {
            "creditor_kind": "natural_person",
            "creditor_name": "刘债权",
            "identifier": "11010519491231002X",
            "principal": "1000.00",
            "interest_from": "2026-03-08",
            "interest_rate_percent": "36.5",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["interest"] == "1.00"  # 1,000.00 x 36.5 % x 1 day / 365
    claim_id = body["id"]
    before = counts()
    bad = post(
        creditor,
        f"/api/v1/claims/cases/{p.case.pk}/claims",
        {
            "creditor_kind": "natural_person",
            "creditor_name": "x",
            "identifier": "11010519491231002X",
            "principal": "1.001",
        },
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "principal"
    assert counts() == before
    post(
        client_for(p.administrator, language="en"),
        f"/api/v1/claims/{claim_id}/review",
        {"result": "not_confirmed", "reasons": {"general": "已清偿"}},
    )
    objected = post(creditor, f"/api/v1/claims/{claim_id}/objections", {"reasons": "未清偿"})
    assert objected.status_code == 201 and objected.json()["status"] == "disputed"
    nothing = post(
        client_for(p.judge, language="en"), f"/api/v1/claims/cases/{p.case.pk}/confirmation", {"ruled_on": "2026-06-01"}
    )
    assert nothing.status_code == 409 and nothing.json()["error"]["code"] == "nothing_to_confirm"
