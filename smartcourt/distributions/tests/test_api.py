"""Distributions over the JSON API: a creditor's own amounts; a plan's totals for those who may see it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import Personas
from smartcourt.testing import client_for

from .helpers import make_claim, ruled_plan

pytestmark = pytest.mark.django_db


def test_my_amounts(personas: Personas) -> None:
    mine = make_claim(personas, name="刘债权", identifier="11010519491231002X", amount_fen=10_000)
    mine.creditor.user = personas.creditor_a
    mine.creditor.save()
    make_claim(personas, name="乙", identifier="91320623000000004D", amount_fen=30_000)
    ruled_plan(personas, 4_000)
    body = json.loads(client_for(personas.creditor_a).get("/api/v1/distributions/mine").content)
    assert body == [
        {
            "claim_id": str(mine.pk),
            "plan_number": 1,
            "plan_status": "ruled",
            "planned": "10.00",
            "held": "0.00",
            "paid": "0.00",
            "escrowed": "0.00",
        }
    ]
    assert json.loads(client_for(personas.creditor_b).get("/api/v1/distributions/mine").content) == []
    assert Client().get("/api/v1/distributions/mine").status_code == 401


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("judge", 200),
        ("administrator", 200),
        ("clerk", 200),
        ("creditor_a", 404),
        ("other_administrator", 404),
        ("outsider", 404),
    ],
)
def test_plan_totals(personas: Personas, who: str, status: int) -> None:
    make_claim(personas, name="甲", identifier="91320623000000003C", amount_fen=10_000)
    plan = ruled_plan(personas, 4_000)
    response = client_for(getattr(personas, who)).get(f"/api/v1/distributions/plans/{plan.pk}")
    assert response.status_code == status
    if status == 200:
        body = json.loads(response.content)
        assert (body["distributed"], body["undistributed"], body["status"]) == ("40.00", "0.00", "ruled")
        assert [c["line_class"] for c in body["classes"]] == [
            "secured",
            "expenses",
            "common_benefit",
            "employee",
            "social_tax",
            "ordinary",
        ]


def test_claim_distribution_tag(personas: Personas) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    mine = make_claim(personas, name="刘债权", identifier="11010519491231002X", amount_fen=10_000)
    mine.creditor.user = personas.creditor_a
    mine.creditor.save()
    make_claim(personas, name="乙", identifier="91320623000000004D", amount_fen=30_000)
    ruled_plan(personas, 4_000)
    request = RequestFactory().get("/")
    request.user = personas.creditor_a
    html = Template("{% load distributions_tags %}{% claim_distribution claim %}").render(
        Context({"request": request, "claim": mine})
    )
    assert 'data-testid="claim-distribution"' in html and "10.00" in html
    request.user = personas.creditor_b
    html = Template("{% load distributions_tags %}{% claim_distribution claim %}").render(
        Context({"request": request, "claim": mine})
    )
    assert "claim-distribution" not in html
