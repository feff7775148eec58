"""The claims API for imports, employee claims and the outcome of objections, over every persona: 404 for who
cannot see the case or the line, 403 for members who may not act, 422 for bad input, nothing changed on any
refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcourt.claims.actions import (
    ReviewDecision,
    import_creditor_list,
    link_employee_line,
    object_to_claim,
    object_to_employee_line,
    publish_employee_list,
    review_claim,
)
from smartcourt.claims.choices import ClaimStatus
from smartcourt.claims.imports import DEBTOR_LIST_COLUMNS, EMPLOYEE_LIST_COLUMNS
from smartcourt.claims.models import Claim, Creditor, EmployeeObjection, Objection
from smartcourt.claims.tests.helpers import counts, declare, open_proceeding
from smartcourt.claims.tests.test_api import ALL, SEE_CASE, post
from smartcourt.core.spreadsheets import write_xlsx
from smartcourt.testing import client_for

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db

WORKER_ID = "11010519491231002X"
OTHER_ID = "320623198507120019"
COMPANY = "9132062312345678AN"


@pytest.fixture
def p(personas: Personas) -> Personas:
    open_proceeding(personas)
    return personas


def debtor_list(rows: list[list[Any]] | None = None) -> SimpleUploadedFile:
    rows = rows or [
        DEBTOR_LIST_COLUMNS,
        ["深圳某某公司", "单位", COMPANY, "", "", "普通", "2500000", ""],
        ["王工", "个人", OTHER_ID, "13900139000", "6222020200112233445", "普通", "1000.50", ""],
    ]
    return SimpleUploadedFile("债权人清册.xlsx", write_xlsx(rows))


def upload_list(client: Any, case_id: Any, source: str, file: SimpleUploadedFile) -> Any:
    return client.post(f"/api/v1/claims/cases/{case_id}/imports", {"source": source, "file": file})


@pytest.mark.parametrize("persona", ALL)
def test_import_permission_matrix(p: Personas, persona: str) -> None:
    before = counts()
    response = upload_list(client_for(getattr(p, persona), language="en"), p.case.pk, "debtor_list", debtor_list())
    if persona == "administrator":
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["created"] == 2 and body["entry_number"] >= 1
        assert Creditor.objects.filter(case=p.case, source="debtor_list").count() == 2
        return
    assert response.status_code == (403 if persona in SEE_CASE else 404)
    assert response.json()["error"]["code"] in {"forbidden", "not_found"}
    assert counts() == before


def test_import_refused_lists_every_line_and_cell(p: Personas) -> None:
    rows = [
        DEBTOR_LIST_COLUMNS,
        ["刘债权", "个人", WORKER_ID, "", "", "普通", "100", ""],
        ["刘债权", "个人", WORKER_ID, "", "", "普通", "100", ""],
        ["王工", "个人", "320623198507120018", "", "", "普通", "100.123", ""],
    ]
    before = counts()
    response = upload_list(client_for(p.administrator, language="en"), p.case.pk, "debtor_list", debtor_list(rows))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_refused" and error["field"] == "file"
    cells = {(problem["line"], problem["cell"].split(" ")[0]) for problem in error["problems"]}
    assert {(3, "C3"), (4, "C4"), (4, "G4")} <= cells
    assert counts() == before


def test_import_body_is_validated(p: Personas) -> None:
    client = client_for(p.administrator, language="en")
    response = upload_list(client, p.case.pk, "shareholders", debtor_list())
    assert response.status_code == 422 and response.json()["error"]["field"] == "source"
    response = client.post(f"/api/v1/claims/cases/{p.case.pk}/imports", {"source": "debtor_list"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "file"
    assert Creditor.objects.count() == 0


@pytest.fixture
def employees(p: Personas) -> Personas:
    p.creditor_a.phone = "13800138000"
    p.creditor_a.save()
    rows = [
        EMPLOYEE_LIST_COLUMNS,
        ["刘债权", WORKER_ID, "13800138000", "", "30000", "5000", "0"],
        ["王工", OTHER_ID, "13900139000", "", "20000", "", ""],
    ]
    import_creditor_list(
        actor=p.administrator,
        case_id=p.case.pk,
        uploaded_file=SimpleUploadedFile("职工.xlsx", write_xlsx(rows)),
        source="employee_list",
    )
    return p


FULL_LIST = {"judge", "assistant", "clerk", "court_admin", "administrator"}


@pytest.mark.parametrize("persona", ALL)
def test_employee_list_matrix(employees: Personas, persona: str) -> None:
    p = employees
    publish_employee_list(actor=p.administrator, case_id=p.case.pk)
    link_employee_line(actor=p.creditor_a, case_id=p.case.pk, identifier=WORKER_ID)
    response = client_for(getattr(p, persona), language="en").get(f"/api/v1/claims/cases/{p.case.pk}/employees")
    if persona not in SEE_CASE:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = response.json()
    assert body["published_on"] is not None
    if persona in FULL_LIST:
        assert body["count"] == 2
        assert {line["identifier"] for line in body["lines"]} == {WORKER_ID, OTHER_ID}
    elif persona == "creditor_a":
        assert [(line["name"], line["wages"], line["other"]) for line in body["lines"]] == [
            ("刘债权", "30000.00", "5000.00")
        ]
        assert body["lines"][0]["identifier"] == "110105********002X"
    else:
        assert body["lines"] == []


def test_employee_sees_nothing_before_publication_and_search_is_bounded(employees: Personas) -> None:
    p = employees
    response = client_for(p.creditor_a, language="en").get(f"/api/v1/claims/cases/{p.case.pk}/employees")
    assert response.json() == {"published_on": None, "count": 0, "lines": []}
    admin = client_for(p.administrator, language="en")
    body = admin.get(f"/api/v1/claims/cases/{p.case.pk}/employees", {"q": "王"}).json()
    assert [line["name"] for line in body["lines"]] == ["王工"]
    assert admin.get(f"/api/v1/claims/cases/{p.case.pk}/employees", {"offset": -1}).status_code == 422
    assert admin.get(f"/api/v1/claims/cases/{p.case.pk}/employees", {"q": "x" * 51}).status_code == 422


@pytest.mark.parametrize("persona", ALL)
def test_employee_objection_matrix(employees: Personas, persona: str) -> None:
    p = employees
    publish_employee_list(actor=p.administrator, case_id=p.case.pk)
    line = link_employee_line(actor=p.creditor_a, case_id=p.case.pk, identifier=WORKER_ID)
    url = f"/api/v1/claims/employees/{line.pk}/objections"
    response = post(
        client_for(getattr(p, persona), language="en"), url, {"reasons": "加班费未计入", "claimed": "38000"}
    )
    if persona == "creditor_a":
        assert response.status_code == 201
        body = response.json()
        assert (body["status"], body["claimed"], body["answer"]) == ("open", "38000.00", "")
        return
    # Court staff and the administrator see the line but do not object for the employee.
    assert response.status_code == (403 if persona in FULL_LIST else 404)
    assert EmployeeObjection.objects.count() == 0


def test_employee_objection_body_is_validated(employees: Personas) -> None:
    p = employees
    publish_employee_list(actor=p.administrator, case_id=p.case.pk)
    line = link_employee_line(actor=p.creditor_a, case_id=p.case.pk, identifier=WORKER_ID)
    client = client_for(p.creditor_a, language="en")
    url = f"/api/v1/claims/employees/{line.pk}/objections"
    assert post(client, url, {"reasons": ""}).status_code == 422
    response = post(client, url, {"reasons": "x", "claimed": "1.234"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "claimed"
    assert EmployeeObjection.objects.count() == 0


@pytest.mark.parametrize("persona", ALL)
def test_employee_answer_matrix(employees: Personas, persona: str) -> None:
    p = employees
    publish_employee_list(actor=p.administrator, case_id=p.case.pk)
    line = link_employee_line(actor=p.creditor_a, case_id=p.case.pk, identifier=WORKER_ID)
    objection = object_to_employee_line(actor=p.creditor_a, creditor_id=line.pk, reasons="加班费未计入")
    url = f"/api/v1/claims/employee-objections/{objection.pk}/answer"
    response = post(
        client_for(getattr(p, persona), language="en"),
        url,
        {"answer": "核实后更正", "corrected_wages": "32000", "version": 1},
    )
    line.refresh_from_db()
    if persona == "administrator":
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["corrected"]) == ("answered", True)
        assert line.listed_principal_fen == 3_200_000
        return
    assert response.status_code == (403 if persona in FULL_LIST or persona == "creditor_a" else 404)
    objection.refresh_from_db()
    assert (objection.status, line.listed_principal_fen) == ("open", 3_000_000)


@pytest.fixture
def disputed(p: Personas) -> Objection:
    claim = declare(p)
    review_claim(
        actor=p.administrator,
        claim_id=claim.pk,
        decision=ReviewDecision(result=ClaimStatus.NOT_CONFIRMED, reasons={"general": "证据不足"}),
    )
    return object_to_claim(actor=p.creditor_a, claim_id=claim.pk, reasons="有借条")


SUIT = {
    "basis": "suit",
    "reference": "（2026）苏0623民初88号",
    "resolved_on": "2026-09-01",
    "principal": "100000.00",
    "interest": "3650.00",
}


@pytest.mark.parametrize("persona", ALL)
def test_resolution_by_suit_matrix(p: Personas, disputed: Objection, persona: str) -> None:
    url = f"/api/v1/claims/objections/{disputed.pk}/resolution"
    response = post(client_for(getattr(p, persona), language="en"), url, SUIT)
    claim = Claim.objects.get()
    if persona == "judge":
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["status"], body["confirmed_total"]) == ("resolved", "103650.00")
        assert body["objections"][0]["resolution_basis"] == "suit"
        assert body["objections"][0]["resolution_reference"] == "（2026）苏0623民初88号"
        assert claim.confirmed_total_fen == 10_365_000
        return
    assert response.status_code == (
        403 if persona in {"assistant", "clerk", "court_admin", "administrator", "creditor_a"} else 404
    )
    assert claim.status == ClaimStatus.DISPUTED and claim.confirmed_total_fen == 0
    disputed.refresh_from_db()
    assert disputed.status == "open"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"basis": "appeal"}, "basis"),
        ({"reference": ""}, "reference"),
        ({"resolved_on": "2026-02-30"}, "resolved_on"),
        ({"principal": "1.001"}, "principal"),
    ],
)
def test_resolution_body_is_validated(p: Personas, disputed: Objection, change: dict[str, str], field: str) -> None:
    url = f"/api/v1/claims/objections/{disputed.pk}/resolution"
    response = post(client_for(p.judge, language="en"), url, {**SUIT, **change})
    assert response.status_code == 422 and response.json()["error"]["field"] == field
    assert Claim.objects.get().status == ClaimStatus.DISPUTED


def test_the_claim_shows_its_objections(p: Personas, disputed: Objection) -> None:
    body = client_for(p.creditor_a, language="en").get(f"/api/v1/claims/{disputed.claim_id}").json()
    assert [(o["id"], o["status"], o["reasons"]) for o in body["objections"]] == [(str(disputed.pk), "open", "有借条")]
