"""Request and report pages over every persona, the forms with uploads, and the judge's answer form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse

from smartcourt.correspondence.actions import answer_thread, submit_request
from smartcourt.correspondence.choices import ThreadStatus
from smartcourt.correspondence.models import Thread
from smartcourt.dossier.models import DossierEntry
from smartcourt.dossier.tests.helpers import sample_pdf, upload
from smartcourt.testing import client_for, database_state

if TYPE_CHECKING:
    from conftest import Personas

ALL_PERSONAS = [
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


def a_request(p: Personas) -> Thread:
    return submit_request(actor=p.administrator, case_id=p.case.pk, subject="关于聘请审计机构的请示", body="拟聘请。")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_list_and_thread_pages_for_every_persona(personas: Personas, name: str) -> None:
    thread = a_request(personas)
    client = client_for(getattr(personas, name), language="en")
    listing = client.get(reverse("correspondence:list", args=[personas.case.pk]))
    detail = client.get(reverse("correspondence:detail", args=[personas.case.pk, thread.pk]))
    new = client.get(reverse("correspondence:new", args=[personas.case.pk]))
    if name in READERS:
        assert (listing.status_code, detail.status_code) == (200, 200)
        assert "关于聘请审计机构的请示" in listing.content.decode()
        # Only the appointed administrator gets the form; other readers are refused it.
        assert new.status_code == (200 if name == "administrator" else 403)
        assert ('data-testid="new-request"' in listing.content.decode()) is (name == "administrator")
        assert ('data-testid="answer-form"' in detail.content.decode()) is (name == "judge")
    else:
        assert (listing.status_code, detail.status_code, new.status_code) == (404, 404, 404)


@pytest.mark.django_db
def test_a_thread_of_another_case_is_not_found_under_this_one(personas: Personas) -> None:
    thread = a_request(personas)
    client = client_for(personas.clerk, language="en")
    response = client.get(reverse("correspondence:detail", args=[personas.other_court_case.pk, thread.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_administrator_submits_a_request_with_attachments(personas: Personas) -> None:
    client = client_for(personas.administrator, language="en")
    response = client.post(
        reverse("correspondence:new", args=[personas.case.pk]),
        {
            "kind": "request",
            "subject": "关于支付评估费用的请示",
            "body": "评估费用 3 万元，请批准。",
            "attachments": [upload("报价单.pdf", sample_pdf("报价单")), upload("说明.txt", "说明".encode())],
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("correspondence:detail", args=[personas.case.pk, thread.pk])
    assert list(DossierEntry.objects.filter(case=personas.case).values_list("number", "kind", "file_name")) == [
        (1, "request", "请示：关于支付评估费用的请示.pdf"),
        (2, "attachment", "报价单.pdf"),
        (3, "attachment", "说明.txt"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "评估费用 3 万元，请批准。" in page
    assert reverse("dossier:file", args=[personas.case.pk, 2]) in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ([upload("合同.pdf", b"MZ\x90\x00 not a pdf")], "合同.pdf: the name says PDF but the content is not"),
        ([upload("脚本.exe", b"MZ")], "脚本.exe: files of type .exe are not accepted"),
        (
            [upload("好的.pdf", b"%PDF-1.7\n%%EOF"), upload("坏的.png", b"%PDF-1.7")],
            "坏的.png: the name says PNG but the content is PDF",
        ),
    ],
)
def test_bad_uploads_are_refused_with_the_reason_and_nothing_changes(
    personas: Personas, files: list[Any], reason: str
) -> None:
    before = database_state()
    response = client_for(personas.administrator, language="en").post(
        reverse("correspondence:new", args=[personas.case.pk]),
        {"kind": "request", "subject": "请示", "body": "正文", "attachments": files},
    )
    assert response.status_code == 422
    assert reason in response.content.decode()
    assert database_state() == before


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_refused(personas: Personas, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1000
    before = database_state()
    response = client_for(personas.administrator, language="en").post(
        reverse("correspondence:new", args=[personas.case.pk]),
        {
            "kind": "report",
            "subject": "报告",
            "body": "正文",
            "attachments": [upload("大.pdf", b"%PDF-" + b"0" * 1999)],
        },
    )
    assert response.status_code == 422
    assert "大.pdf: file is larger than 1000 bytes" in response.content.decode()
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["judge", "assistant", "clerk", "court_admin", "creditor_a", "other_administrator"])
def test_nobody_but_the_administrator_can_post_a_request(personas: Personas, name: str) -> None:
    before = database_state()
    response = client_for(getattr(personas, name), language="en").post(
        reverse("correspondence:new", args=[personas.case.pk]), {"kind": "request", "subject": "越权", "body": "正文"}
    )
    assert response.status_code == (403 if name in READERS else 404)
    assert database_state() == before


@pytest.mark.django_db
def test_the_judge_answers_through_the_page(personas: Personas) -> None:
    thread = a_request(personas)
    client = client_for(personas.judge, language="en")
    url = reverse("correspondence:answer", args=[personas.case.pk, thread.pk])
    # Rejecting without reasons is refused on the page, nothing changes.
    before = database_state()
    refused = client.post(url, {"decision": "reject", "reasons": "", "version": 1})
    assert refused.status_code == 422
    assert "Reasons are required" in refused.content.decode()
    assert database_state() == before
    response = client.post(url, {"decision": "approve", "reasons": "同意聘请。", "version": 1})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.APPROVED
    page = client.get(response["Location"]).content.decode()
    assert "同意聘请。" in page
    assert 'data-testid="answer-form"' not in page


@pytest.mark.django_db
def test_an_answer_from_a_stale_page_is_refused_with_a_note(personas: Personas) -> None:
    thread = a_request(personas)
    answer_thread(actor=personas.judge, thread_id=thread.pk, decision="request_more", reasons="补充")
    before = database_state()
    response = client_for(personas.judge, language="en").post(
        reverse("correspondence:answer", args=[personas.case.pk, thread.pk]),
        {"decision": "approve", "reasons": "", "version": 1},
        follow=True,
    )
    assert response.status_code == 200
    assert "no longer open" in response.content.decode()
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["administrator", "assistant", "clerk", "court_admin"])
def test_readers_who_are_not_judges_cannot_answer(personas: Personas, name: str) -> None:
    thread = a_request(personas)
    before = database_state()
    response = client_for(getattr(personas, name), language="en").post(
        reverse("correspondence:answer", args=[personas.case.pk, thread.pk]), {"decision": "approve", "version": 1}
    )
    assert response.status_code == 403
    assert database_state() == before


@pytest.mark.django_db
def test_the_administrator_resubmits_through_the_page(personas: Personas) -> None:
    thread = a_request(personas)
    answer_thread(actor=personas.judge, thread_id=thread.pk, decision="request_more", reasons="请附报价。")
    client = client_for(personas.administrator, language="en")
    page = client.get(reverse("correspondence:detail", args=[personas.case.pk, thread.pk])).content.decode()
    assert 'data-testid="resubmit-form"' in page
    response = client.post(
        reverse("correspondence:resubmit", args=[personas.case.pk, thread.pk]),
        {"body": "附报价单。", "version": 2, "attachments": [upload("报价.pdf", sample_pdf("报价"))]},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert (thread.status, thread.version) == (ThreadStatus.RESUBMITTED, 3)
    # A bank operator never sees the thread at all.
    bank = client_for(personas.bank_operator, language="en").post(
        reverse("correspondence:resubmit", args=[personas.case.pk, thread.pk]), {"body": "x", "version": 3}
    )
    assert bank.status_code == 404
