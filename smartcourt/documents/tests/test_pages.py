from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from smartcourt.audit.models import AuditEvent
from smartcourt.documents.actions import generate_document, sign_document
from smartcourt.documents.models import Document, DocumentTemplate, TemplateVersion
from smartcourt.testing import client_for


def _signed_bytes(personas: Any) -> bytes:
    document = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    document = sign_document(actor=personas.judge, document_id=document.pk)
    with document.signed_pdf.open("rb") as handle:
        return handle.read()


@pytest.mark.django_db
def test_library_and_edit_page(personas: Any) -> None:
    client = client_for(personas.court_admin, language="en")
    page = client.get(reverse("documents:library"))
    assert page.status_code == 200
    assert "受理破产申请民事裁定书" in page.content.decode()
    before = DocumentTemplate.objects.get(key="acceptance_ruling").current_version.number  # type: ignore[union-attr]
    edit = client.get(reverse("documents:edit_template", args=["acceptance_ruling"]))
    assert edit.status_code == 200
    answer = client.post(
        reverse("documents:edit_template", args=["acceptance_ruling"]),
        {"body": "<p>{{ debtor_name }}</p>", "note": "x"},
    )
    assert answer.status_code == 302
    # One version more than before (1 in a new database; 2 where migration 0005 revised the seeded ruling).
    assert DocumentTemplate.objects.get(key="acceptance_ruling").current_version.number == before + 1  # type: ignore[union-attr]


@pytest.mark.django_db
def test_broken_edit_shows_line_and_keeps_version(personas: Any) -> None:
    client = client_for(personas.court_admin, language="en")
    versions = TemplateVersion.objects.count()
    page = client.post(
        reverse("documents:edit_template", args=["acceptance_ruling"]), {"body": "a\n{{ nope }}", "note": ""}
    )
    assert page.status_code == 200
    assert "line 2: unknown placeholder &#x27;nope&#x27;" in page.content.decode()
    assert TemplateVersion.objects.count() == versions


@pytest.mark.django_db
def test_preview_renders_against_a_case(personas: Any) -> None:
    client = client_for(personas.court_admin, language="en")
    answer = client.post(
        reverse("documents:preview"),
        {"body": "<b>{{ debtor_name }}</b> {{ accepted_on|cn_date }}", "case": str(personas.case.pk)},
    )
    assert answer.status_code == 200
    assert "&lt;b&gt;如东某某建设有限公司&lt;/b&gt;" in answer.content.decode()
    bad = client.post(reverse("documents:preview"), {"body": "{{ x }}"})
    assert "line 1: unknown placeholder" in bad.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["judge", "clerk"])
def test_non_admins_cannot_save_templates(personas: Any, who: str) -> None:
    client = client_for(getattr(personas, who), language="en")
    events, versions = AuditEvent.objects.count(), TemplateVersion.objects.count()
    answer = client.post(reverse("documents:edit_template", args=["acceptance_ruling"]), {"body": "x"})
    assert answer.status_code == 403
    assert (AuditEvent.objects.count(), TemplateVersion.objects.count()) == (events, versions)


@pytest.mark.django_db
def test_creditor_sees_no_library(personas: Any) -> None:
    assert client_for(personas.creditor_a, language="en").get(reverse("documents:library")).status_code == 404


@pytest.mark.django_db
def test_case_page_generate_and_sign(personas: Any) -> None:
    client = client_for(personas.judge, language="en")
    url = reverse("documents:case", args=[personas.case.pk])
    assert client.post(url, {"template": "acceptance_ruling"}).status_code == 302
    document = Document.objects.get()
    assert client.post(reverse("documents:sign", args=[document.pk])).status_code == 302
    document.refresh_from_db()
    assert document.status == "signed"
    pdf = client.get(reverse("documents:pdf", args=[document.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    assert (
        client_for(personas.creditor_b, language="en").get(reverse("documents:pdf", args=[document.pk])).status_code
        == 404
    )


@pytest.mark.django_db
def test_public_verify_page_and_api(personas: Any) -> None:
    data = _signed_bytes(personas)
    anonymous = Client()
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = anonymous.post(reverse("documents:verify"), {"file": io.BytesIO(data)})
    assert page.status_code == 200
    assert 'data-testid="verdict"' in page.content.decode()
    assert "alert-success" in page.content.decode()
    api = anonymous.post("/api/v1/documents/verify", {"file": io.BytesIO(data)})
    assert api.status_code == 200
    body = api.json()
    assert body["verdict"] == "valid"
    assert body["signatures"][0]["organisation"] == "如东县人民法院"
    changed = bytearray(data)
    changed[data.index(b"stream", 2000) + 40] ^= 1
    assert (
        anonymous.post("/api/v1/documents/verify", {"file": io.BytesIO(bytes(changed))}).json()["verdict"] == "invalid"
    )


@pytest.mark.django_db
def test_api_generate_and_sign(personas: Any) -> None:
    client = client_for(personas.judge, language="en")
    answer = client.post(
        "/api/v1/documents",
        {"case_id": str(personas.case.pk), "template_key": "acceptance_ruling"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    # A ruling is always sealed: the judge who holds the seal gets it sealed at once (issue 15.19).
    assert answer.json()["status"] == "signed"
    again = client.post(f"/api/v1/documents/{answer.json()['id']}/sign")
    assert again.status_code == 409
    draft = client.post(
        "/api/v1/documents",
        {"case_id": str(personas.case.pk), "template_key": "acceptance_ruling", "draft": True},
        content_type="application/json",
    )
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    signed = client.post(f"/api/v1/documents/{draft.json()['id']}/sign")
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    served = client.post(
        f"/api/v1/documents/{answer.json()['id']}/serve", {"groups": ["creditors"]}, content_type="application/json"
    )
    assert served.status_code == 200 and served.json() == {"new_deliveries": 1, "already_served": 0, "queued": False}
    bad = client.post(
        f"/api/v1/documents/{answer.json()['id']}/serve", {"groups": ["everyone"]}, content_type="application/json"
    )
    assert bad.status_code == 422
    refused = client_for(personas.clerk, language="en").post(
        "/api/v1/documents",
        {"case_id": str(personas.case.pk), "template_key": "acceptance_ruling"},
        content_type="application/json",
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_verify_pdf_command(personas: Any, tmp_path: Any) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(_signed_bytes(personas))
    out = io.StringIO()
    call_command("verify_pdf", str(path), stdout=out)
    assert "VALID" in out.getvalue()
    data = bytearray(path.read_bytes())
    data[data.index(b"stream", 2000) + 40] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(SystemExit) as info:
        call_command("verify_pdf", str(path), stdout=io.StringIO())
    assert info.value.code == 1


@pytest.mark.django_db
def test_serve_page_and_inbox(personas: Any) -> None:
    document = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    document = sign_document(actor=personas.judge, document_id=document.pk)
    judge = client_for(personas.judge, language="en")
    answer = judge.post(reverse("documents:serve", args=[document.pk]), {"groups": ["creditors"]})
    assert answer.status_code == 302
    case_page = judge.get(reverse("documents:case", args=[personas.case.pk])).content.decode()
    assert 'data-testid="deliveries"' in case_page and "刘债权" in case_page
    creditor = client_for(personas.creditor_a, language="en")
    inbox = creditor.get(reverse("documents:inbox")).content.decode()
    assert "受理破产申请民事裁定书" in inbox
    delivery = document.deliveries.get()
    opened = creditor.get(reverse("documents:inbox_open", args=[delivery.pk]))
    assert opened.status_code == 200
    delivery.refresh_from_db()
    assert delivery.opened_at is not None
    assert (
        client_for(personas.creditor_b, language="en")
        .get(reverse("documents:inbox_open", args=[delivery.pk]))
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_node_documents_tag(personas: Any, rf: Any) -> None:
    from django.template import Context, Template

    generate_document(actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True)
    request = rf.get("/")
    request.user = personas.judge
    html = Template("{% load node_documents %}{% node_documents case 'N01' %}").render(
        Context({"request": request, "case": personas.case, "csrf_token": "t"})
    )
    assert "受理破产申请民事裁定书" in html and "不予受理破产申请民事裁定书" in html
    assert html.count('name="template"') == 2
    request.user = personas.creditor_a
    assert "node-documents" not in Template("{% load node_documents %}{% node_documents case 'N01' %}").render(
        Context({"request": request, "case": personas.case})
    )


@pytest.mark.django_db
def test_docx_draft(personas: Any) -> None:
    import docx

    document = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    answer = client_for(personas.judge, language="en").get(reverse("documents:docx", args=[document.pk]))
    assert answer.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(answer.content)).paragraphs)
    assert "如东县人民法院" in text and "民事裁定书" in text and personas.case.number in text
    # The case records no applicant: the debtor applied itself, so the order names no separate applicant.
    assert "受理如东某某建设有限公司的破产清算申请" in text and "审判长　张明" in text
    assert "{{" not in text and "{%" not in text
    assert (
        client_for(personas.administrator, language="en").get(reverse("documents:docx", args=[document.pk])).status_code
        == 404
    )
