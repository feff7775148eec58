"""Application intake through the JSON API: look-up, registration, ruling, appointment by draw; the registry
down is a 503 in the common error shape; who may do what."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pytest

from smartcourt.accounts.models import User
from smartcourt.administrators.actions import add_to_roster
from smartcourt.administrators.choices import Grade
from smartcourt.administrators.models import Appointment
from smartcourt.bankruptcy.models import NodeRecord
from smartcourt.bankruptcy.tests.test_intake import (
    FILED,
    HONGDA,
    HUASHENG,
    _merged_catalogue,
    _today,
    against_hongda,
    chinese,
)
from smartcourt.cases.choices import CaseType
from smartcourt.cases.models import Case
from smartcourt.registry.testing import RegistryServer, registry, registry_server, unreachable_registry
from smartcourt.testing import client_for, database_state

if TYPE_CHECKING:
    from conftest import Personas

__all__ = ["_merged_catalogue", "_today", "chinese", "registry", "registry_server", "unreachable_registry"]

API = "/api/v1"


def post(user: User, path: str, body: dict[str, Any]) -> Any:
    return client_for(user).post(f"{API}{path}", json.dumps(body, default=str), content_type="application/json")


def application_body(p: Personas, **changes: Any) -> dict[str, Any]:
    return {
        "procedure": "liquidation",
        "credit_code": HONGDA,
        "applicant_type": "creditor",
        "applicant_name": "南通华盛建材有限公司",
        "applicant_credit_code": HUASHENG,
        "filed_on": FILED.isoformat(),
        "presiding_judge_id": str(p.judge.pk),
        **changes,
    }


def test_lookup_answers_the_company_and_99_plus(personas: Personas, registry: RegistryServer) -> None:
    against_hongda(personas, CaseType.ENFORCEMENT, 101)
    response = client_for(personas.clerk).get(f"{API}/intake/companies", {"q": HONGDA})
    assert response.status_code == 200
    body = response.json()
    assert body["company"]["name"] == "如东县宏达纺织有限公司"
    assert body["company"]["registered_capital"] == "50000000.00"
    assert body["company"]["shareholders"][2] == {
        "name": "南通宏发投资有限公司",
        "kind": "企业法人",
        "subscribed": "7500000.00",
        "paid": "3000000.00",
        "share_percent": "15.00",
    }
    # A third of the cases name the company without its credit code: the registered name finds them.
    assert body["cases"]["enforcement"] == {"count": 101, "label": "99+"}


def test_lookup_with_the_registry_down_is_a_503(personas: Personas, unreachable_registry: str, chinese: None) -> None:
    response = client_for(personas.clerk).get(f"{API}/intake/companies", {"q": "宏达"})
    assert response.status_code == 503
    assert response.json() == {
        "error": {"code": "registry_unavailable", "message": "工商登记系统暂时无法访问", "field": None}
    }


@pytest.mark.parametrize("who", ["administrator", "creditor_a", "bank_operator"])
def test_lookup_is_for_court_staff(personas: Personas, registry: RegistryServer, who: str) -> None:
    response = client_for(getattr(personas, who)).get(f"{API}/intake/companies", {"q": "宏达"})
    assert response.status_code == 404


def test_the_application_is_driven_to_an_appointment_through_the_api(
    personas: Personas, registry: RegistryServer
) -> None:
    p = personas
    add_to_roster(actor=p.court_admin, court=p.rudong, firm=p.firm_a, grade=Grade.SECOND, listed_on=dt.date(2025, 1, 2))
    add_to_roster(actor=p.court_admin, court=p.rudong, firm=p.firm_b, grade=Grade.SECOND, listed_on=dt.date(2025, 1, 2))

    created = post(p.clerk, "/intake/applications", application_body(p))
    assert created.status_code == 201, created.content
    application = created.json()
    assert (application["number"], application["rule_by"], application["accepted_case_id"]) == (
        "(2026)苏0623破申1号",
        "2026-11-26",
        None,
    )
    assert [step["label"] for step in application["steps"]] == ["通知债务人", "债务人异议期届满", "裁定是否受理"]

    ruled = post(
        p.judge,
        f"/intake/applications/{application['case_id']}/ruling",
        {"decision": "accept", "reasons": "", "ruled_on": "2026-11-16"},
    )
    assert ruled.status_code == 200, ruled.content
    ruling = ruled.json()
    assert (ruling["decision"], ruling["late"], ruling["accepted_case_number"]) == (
        "accept",
        False,
        "(2026)苏0623破2号",
    )

    appointed = post(
        p.judge,
        f"/intake/cases/{ruling['accepted_case_id']}/appointment",
        {"method": "random_draw", "grade": "second", "seed": "seed-2026", "appointed_on": "2026-11-17"},
    )
    assert appointed.status_code == 201, appointed.content
    appointment = appointed.json()
    assert appointment["seed"] == "seed-2026"
    assert [c["name"] for c in appointment["candidates"]] == ["江苏甲律师事务所", "江苏乙会计师事务所"]
    assert appointment["verification"] == {
        "ok": True,
        "recomputed_digest": appointment["digest"],
        "recomputed_index": appointment["drawn_index"],
        "problems": [],
    }
    assert NodeRecord.objects.get(proceeding__case_id=ruling["accepted_case_id"], node_key="N02").status == "completed"

    again = client_for(p.judge).get(f"{API}/administrators/appointments/{appointment['id']}")
    assert again.status_code == 200 and again.json()["firm"] == appointment["firm"]
    assert client_for(p.outsider).get(f"{API}/administrators/appointments/{appointment['id']}").status_code == 404

    status = client_for(p.clerk).get(f"{API}/intake/applications/{application['case_id']}").json()
    assert (status["status"], status["accepted_case_id"]) == ("closed", ruling["accepted_case_id"])


def test_registration_errors_name_the_field(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    before = database_state()
    response = post(p.clerk, "/intake/applications", application_body(p, procedure="settlement"))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "applicant_type"
    response = post(p.judge, "/intake/applications", application_body(p))
    assert response.status_code == 403
    assert database_state() == before


def test_only_a_judge_of_the_case_rules_through_the_api(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    case_id = post(p.clerk, "/intake/applications", application_body(p)).json()["case_id"]
    before = database_state()
    body = {"decision": "accept", "ruled_on": "2026-11-16"}
    assert post(p.clerk, f"/intake/applications/{case_id}/ruling", body).status_code == 403
    assert post(p.outsider, f"/intake/applications/{case_id}/ruling", body).status_code == 404
    assert post(p.administrator, f"/intake/applications/{case_id}/ruling", body).status_code == 404
    assert post(p.judge, f"/intake/applications/{case_id}/ruling", {**body, "decision": "maybe"}).status_code == 422
    assert database_state() == before
    assert not Case.objects.filter(case_type=CaseType.BANKRUPTCY).exclude(pk=p.case.pk).exists()
    assert not Appointment.objects.exists()


def test_the_roster_over_the_api(personas: Personas) -> None:
    p = personas
    add_to_roster(actor=p.court_admin, court=p.rudong, firm=p.firm_b, grade=Grade.THIRD, listed_on=dt.date(2025, 1, 2))
    body = client_for(p.judge).get(f"{API}/administrators/roster").json()
    assert body["court"] == "苏0623"
    assert [(e["firm"]["name"], e["grade"], e["active"], e["appointment_count"]) for e in body["entries"]] == [
        ("江苏乙会计师事务所", "third", True, 0)
    ]
    assert client_for(p.administrator).get(f"{API}/administrators/roster").status_code == 404
