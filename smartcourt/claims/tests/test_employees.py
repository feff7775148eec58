"""Employee claims (EBL art. 48): the administrator publishes the list, an employee finds his line (identity
number and phone must both match), objects, and the administrator answers with reasons, correcting the line
when he agrees."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcourt.claims.actions import (
    answer_employee_objection,
    import_creditor_list,
    link_employee_line,
    object_to_employee_line,
    publish_employee_list,
)
from smartcourt.claims.imports import EMPLOYEE_LIST_COLUMNS
from smartcourt.claims.models import Creditor, EmployeeObjection
from smartcourt.claims.selectors import employee_lines_for
from smartcourt.claims.tests.helpers import open_proceeding
from smartcourt.core.errors import Conflict, NotFound, PermissionDenied
from smartcourt.core.spreadsheets import write_xlsx
from smartcourt.testing import database_state

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db

WORKER_ID = "11010519491231002X"
OTHER_ID = "320623198507120019"


@pytest.fixture
def p(personas: Personas) -> Personas:
    open_proceeding(personas)
    personas.creditor_a.phone = "13800138000"
    personas.creditor_a.save()
    rows = [
        EMPLOYEE_LIST_COLUMNS,
        ["刘债权", WORKER_ID, "13800138000", "", "30000", "5000", "0"],
        ["王工", OTHER_ID, "13900139000", "", "20000", "", ""],
    ]
    import_creditor_list(
        actor=personas.administrator,
        case_id=personas.case.pk,
        uploaded_file=SimpleUploadedFile("职工.xlsx", write_xlsx(rows)),
        source="employee_list",
    )
    return personas


def test_publish_link_object_and_answer_with_correction(p: Personas) -> None:
    assert list(employee_lines_for(p.creditor_a, p.case)) == []
    with pytest.raises(NotFound, match="not published"):
        link_employee_line(actor=p.creditor_a, case_id=p.case.pk, identifier=WORKER_ID)
    publication = publish_employee_list(actor=p.administrator, case_id=p.case.pk)
    assert (publication.lines, publication.total_fen) == (2, 5_500_000)
    assert publication.entry is not None and publication.entry.kind == "notice"
    line = link_employee_line(actor=p.creditor_a, case_id=p.case.pk, identifier=WORKER_ID.lower())
    assert [item.pk for item in employee_lines_for(p.creditor_a, p.case)] == [line.pk]
    objection = object_to_employee_line(
        actor=p.creditor_a, creditor_id=line.pk, reasons="少算一个月工资", claimed="40000"
    )
    with pytest.raises(Conflict, match="still awaiting"):
        object_to_employee_line(actor=p.creditor_a, creditor_id=line.pk, reasons="again")
    answered = answer_employee_objection(
        actor=p.administrator, objection_id=objection.pk, answer="经核对工资表，同意更正。", corrected_wages="40000"
    )
    assert (answered.status, answered.corrected) == ("answered", True)
    line.refresh_from_db()
    assert (line.listed_principal_fen, line.listed_other_fen) == (4_000_000, 500_000)
    with pytest.raises(Conflict, match="already answered"):
        answer_employee_objection(actor=p.administrator, objection_id=objection.pk, answer="x")


def test_a_line_is_found_only_with_both_identity_number_and_phone(p: Personas) -> None:
    publish_employee_list(actor=p.administrator, case_id=p.case.pk)
    before = database_state()
    for identifier in (OTHER_ID, "110105194912310021"):
        with pytest.raises(NotFound, match="matches your identity number and phone"):
            link_employee_line(actor=p.creditor_a, case_id=p.case.pk, identifier=identifier)
    with pytest.raises(NotFound):
        link_employee_line(actor=p.creditor_b, case_id=p.case.pk, identifier=WORKER_ID)
    with pytest.raises(PermissionDenied):
        link_employee_line(actor=p.administrator, case_id=p.case.pk, identifier=WORKER_ID)
    assert database_state() == before


def test_only_the_administrator_publishes_and_answers(p: Personas) -> None:
    before = database_state()
    for persona, error in [
        ("judge", PermissionDenied),
        ("creditor_a", PermissionDenied),
        ("other_administrator", NotFound),
    ]:
        with pytest.raises(error):
            publish_employee_list(actor=getattr(p, persona), case_id=p.case.pk)
    assert database_state() == before
    publish_employee_list(actor=p.administrator, case_id=p.case.pk)
    line = link_employee_line(actor=p.creditor_a, case_id=p.case.pk, identifier=WORKER_ID)
    objection = object_to_employee_line(actor=p.creditor_a, creditor_id=line.pk, reasons="x")
    before = database_state()
    for persona, error in [
        ("judge", PermissionDenied),
        ("creditor_a", PermissionDenied),
        ("other_administrator", NotFound),
        ("creditor_b", NotFound),
    ]:
        with pytest.raises(error):
            answer_employee_objection(actor=getattr(p, persona), objection_id=objection.pk, answer="y")
    assert database_state() == before
    other = Creditor.objects.get(identifier=OTHER_ID)
    with pytest.raises(NotFound):
        object_to_employee_line(actor=p.creditor_a, creditor_id=other.pk, reasons="not mine")
    assert database_state() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("judge", 200),
        ("administrator", 200),
        ("creditor_a", 200),
        ("bank_operator", 404),  # a bank sees the accounts it holds, nothing of the claims (issue 16.3)
        ("other_administrator", 404),
        ("creditor_b", 404),
        ("outsider", 404),
    ],
)
def test_employee_page_matrix(p: Personas, persona: str, status: int) -> None:
    from django.test import Client

    client = Client()
    client.force_login(getattr(p, persona))
    response = client.get(f"/cases/{p.case.pk}/claims/employees/")
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        # Before publication only the court and the administrator see the lines.
        assert ("王工" in body) == (persona in {"judge", "administrator"})


def test_employee_flow_through_the_pages(p: Personas) -> None:
    from django.test import Client

    admin, worker = Client(), Client()
    admin.force_login(p.administrator)
    worker.force_login(p.creditor_a)
    base = f"/cases/{p.case.pk}/claims/employees/"
    assert worker.post(base + "publish/").status_code == 403
    assert admin.post(base + "publish/").status_code == 302
    wrong = worker.post(base + "link/", {"identifier": OTHER_ID})
    assert wrong.status_code == 422
    assert worker.post(base + "link/", {"identifier": WORKER_ID}).status_code == 302
    page = worker.get(base).content.decode()
    assert "刘债权" in page and "王工" not in page and "110105********002X" in page
    line = Creditor.objects.get(identifier=WORKER_ID)
    assert worker.post(f"{base}{line.pk}/object/", {"reasons": "少算工资", "claimed": "40000"}).status_code == 302
    objection = EmployeeObjection.objects.get()
    answered = admin.post(
        f"{base}objections/{objection.pk}/answer/", {"answer": "工资表无误，不予更正。", "version": objection.version}
    )
    assert answered.status_code == 302
    assert "工资表无误" in worker.get(base).content.decode()
