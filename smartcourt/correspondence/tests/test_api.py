"""The requests-and-reports API: who may list, submit, answer and resubmit; bound inputs; the error shape."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from smartcourt.accounts.tokens import issue_api_token
from smartcourt.correspondence.actions import answer_thread, submit_request
from smartcourt.correspondence.models import Thread
from smartcourt.correspondence.tests.test_actions import panel_judge
from smartcourt.dossier.tests.helpers import sample_pdf, upload
from smartcourt.testing import client_for, database_state

if TYPE_CHECKING:
    from conftest import Personas

PERSONAS = [
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
READERS = {"judge", "assistant", "clerk", "court_admin", "administrator"}


def threads_url(case_id: Any) -> str:
    return f"/api/v1/cases/{case_id}/threads"


def a_request(p: Personas) -> Thread:
    return submit_request(actor=p.administrator, case_id=p.case.pk, subject="关于继续营业的请示", body="拟继续营业。")


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    return body["error"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONAS)
def test_listing_and_reading_threads(personas: Personas, name: str) -> None:
    thread = a_request(personas)
    client = client_for(getattr(personas, name), language="en")
    listing = client.get(threads_url(personas.case.pk))
    detail = client.get(f"/api/v1/threads/{thread.pk}")
    if name in READERS:
        assert listing.status_code == 200
        assert [(item["subject"], item["status"], item["version"]) for item in listing.json()] == [
            ("关于继续营业的请示", "submitted", 1)
        ]
        body = detail.json()
        assert [message["kind"] for message in body["messages"]] == ["submission"]
        assert body["messages"][0]["record"]["number"] == 1
        assert body["your_decisions"] == (["approve", "reject", "request_more"] if name == "judge" else [])
    else:
        assert (listing.status_code, detail.status_code) == (404, 404)
        assert error(listing)["code"] == "not_found"
        assert error(detail) == {"code": "not_found", "message": "No such request or report", "field": None}


@pytest.mark.django_db
def test_the_administrator_submits_with_files_and_a_token(personas: Personas) -> None:
    _, token = issue_api_token(actor=personas.administrator, user=personas.administrator, name="办案系统")
    response = Client().post(
        threads_url(personas.case.pk),
        {
            "kind": "report",
            "subject": "财产调查报告",
            "body": "已完成财产调查。",
            "attachments": [upload("调查报告.pdf", sample_pdf("调查报告")), upload("清单.txt", "清单".encode())],
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["status"], body["firm"]) == ("report", "submitted", "江苏甲律师事务所")
    message = body["messages"][0]
    assert [(entry["number"], entry["file_name"]) for entry in message["attachments"]] == [
        (2, "调查报告.pdf"),
        (3, "清单.txt"),
    ]
    assert message["record"]["title"] == "报告：财产调查报告"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["judge", "clerk", "creditor_a", "other_administrator", "bank_operator"])
def test_only_the_administrator_submits(personas: Personas, name: str) -> None:
    before = database_state()
    response = client_for(getattr(personas, name), language="en").post(
        threads_url(personas.case.pk), {"kind": "request", "subject": "越权", "body": "正文"}
    )
    expected = (403, "forbidden") if name in READERS else (404, "not_found")
    assert (response.status_code, error(response)["code"]) == expected
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "memo", "subject": "请示", "body": "正文"}, "kind"),
        ({"kind": "request", "subject": "", "body": "正文"}, "subject"),
        ({"kind": "request", "subject": "请" * 151, "body": "正文"}, "subject"),
        ({"kind": "request", "subject": "请示", "body": "文" * 10_001}, "body"),
        ({"kind": "request", "subject": "请示"}, "body"),
    ],
)
def test_submissions_are_bound(personas: Personas, data: dict[str, Any], field: str) -> None:
    before = database_state()
    response = client_for(personas.administrator, language="en").post(threads_url(personas.case.pk), data)
    assert (response.status_code, error(response)["code"]) == (422, "invalid")
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "field"), [({"kind": "memo", "subject": "请示", "body": "正文"}, "kind")])
def test_form_errors_name_the_field(personas: Personas, data: dict[str, Any], field: str) -> None:
    response = client_for(personas.administrator, language="en").post(threads_url(personas.case.pk), data)
    assert error(response)["field"] == field


@pytest.mark.django_db
def test_a_bad_upload_is_refused_with_its_reason(personas: Personas, settings: Any) -> None:
    before = database_state()
    client = client_for(personas.administrator, language="en")
    data: dict[str, Any] = {"kind": "request", "subject": "请示", "body": "正文"}
    mismatch = client.post(threads_url(personas.case.pk), {**data, "attachments": [upload("a.docx", b"%PDF-1.7")]})
    assert mismatch.status_code == 422
    assert error(mismatch) == {
        "code": "type_mismatch",
        "message": "a.docx: the name says Word (DOCX) but the content is PDF",
        "field": "attachments",
    }
    settings.UPLOAD_MAX_BYTES = 100
    big = client.post(threads_url(personas.case.pk), {**data, "attachments": [upload("b.pdf", b"%PDF-" + b"0" * 200)]})
    assert big.status_code == 413
    assert error(big)["code"] == "too_large"
    assert database_state() == before


@pytest.mark.django_db
def test_answer_and_resubmit(personas: Personas) -> None:
    thread = a_request(personas)
    judge = client_for(personas.judge, language="en")
    url = f"/api/v1/threads/{thread.pk}/answer"
    asked = judge.post(url, {"decision": "request_more", "reasons": "请附经营测算。", "version": 1}, "application/json")
    assert asked.status_code == 200
    assert (asked.json()["status"], asked.json()["version"]) == ("more_info_requested", 2)
    resubmitted = client_for(personas.administrator, language="en").post(
        f"/api/v1/threads/{thread.pk}/resubmit",
        {"body": "附经营测算。", "version": "2", "attachments": [upload("测算.pdf", sample_pdf("测算"))]},
    )
    assert resubmitted.status_code == 200, resubmitted.content
    assert resubmitted.json()["status"] == "resubmitted"
    approved = judge.post(url, {"decision": "approve", "version": 3}, "application/json")
    assert approved.json()["status"] == "approved"
    assert [message["kind"] for message in approved.json()["messages"]] == [
        "submission",
        "request_more",
        "resubmission",
        "approval",
    ]


@pytest.mark.django_db
def test_answer_errors_have_the_common_shape_and_change_nothing(personas: Personas) -> None:
    thread = a_request(personas)
    url = f"/api/v1/threads/{thread.pk}/answer"
    judge = client_for(personas.judge, language="en")
    before = database_state()
    cases = [
        (judge, {"decision": "reject"}, 422, "invalid", "reasons"),
        (judge, {"decision": "maybe"}, 422, "invalid", "decision"),
        (judge, {"decision": "approve", "reasons": "x" * 10_001}, 422, "invalid", "reasons"),
        (judge, {"decision": "approve", "version": 0}, 422, "invalid", "version"),
        (judge, {"decision": "approve", "version": 7}, 409, "conflict", None),
        (client_for(personas.administrator, language="en"), {"decision": "approve"}, 403, "forbidden", None),
        (client_for(personas.assistant, language="en"), {"decision": "approve"}, 403, "forbidden", None),
        (client_for(personas.creditor_a, language="en"), {"decision": "approve"}, 404, "not_found", None),
    ]
    for client, payload, status, code, field in cases:
        response = client.post(url, json.dumps(payload), "application/json")
        assert (response.status_code, error(response)["code"], error(response)["field"]) == (status, code, field)
    assert database_state() == before
    unknown = judge.post(f"/api/v1/threads/{uuid.uuid4()}/answer", {"decision": "approve"}, "application/json")
    assert unknown.status_code == 404
    answer_thread(actor=personas.judge, thread_id=thread.pk, decision="approve")
    again = judge.post(url, {"decision": "reject", "reasons": "r"}, "application/json")
    assert (again.status_code, error(again)["code"]) == (409, "conflict")


@pytest.mark.django_db
def test_a_panel_judge_answers_through_the_api(personas: Personas) -> None:
    judge2 = panel_judge(personas)
    thread = a_request(personas)
    response = client_for(judge2, language="en").post(
        f"/api/v1/threads/{thread.pk}/answer", {"decision": "approve"}, "application/json"
    )
    assert response.status_code == 200
    assert response.json()["messages"][-1]["author"]["full_name"] == "王审判"


@pytest.mark.django_db
def test_signed_out_callers_get_401(personas: Personas) -> None:
    response = Client().get(threads_url(personas.case.pk))
    assert (response.status_code, error(response)["code"]) == (401, "unauthenticated")
