"""Uploaded materials (issue 17; SPC Online Litigation Rules 2021, arts. 11-14): the type is what the bytes
show, the size is limited, evidence is PDF or an image only, each file is kept with its SHA-256 and filed into
the new case's dossier on docketing (and so into the evidence transparency log). A bad file gets a Chinese
error naming it, and nothing is stored."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import Personas
from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import DomainError
from smartcourt.dossier.models import DossierEntry
from smartcourt.filing import actions
from smartcourt.filing.models import FilingMaterial
from smartcourt.filing.tests.helpers import complaint, filed, lawyer
from smartcourt.testing import client_for, permission_matrix, unchanged_database

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DOCX_NOT_REALLY = b"PK\x03\x04 not a zip"


def _draft(personas: Personas) -> Any:
    return actions.save_draft(actor=lawyer(), filing_id=None, **complaint(personas))


def test_a_pdf_is_kept_with_its_sha256_and_filed_into_the_dossier_on_docketing(personas: Personas) -> None:
    draft = _draft(personas)
    contract = actions.add_material(
        actor=draft.filer,
        filing_id=draft.pk,
        kind="evidence",
        title="借款合同",
        upload=SimpleUploadedFile("合同.pdf", PDF),
    )
    photo = actions.add_material(
        actor=draft.filer, filing_id=draft.pk, kind="evidence", title="", upload=SimpleUploadedFile("转账.png", PNG)
    )
    assert (contract.content_type, contract.size, contract.sha256) == (
        "application/pdf",
        len(PDF),
        hashlib.sha256(PDF).hexdigest(),
    )
    assert (photo.title, photo.content_type) == ("转账.png", "image/png")
    assert contract.file.read() == PDF
    actions.submit(actor=draft.filer, filing_id=draft.pk)
    docketed = actions.docket(actor=personas.clerk, filing_id=draft.pk)
    assert docketed.case is not None
    entries = {e.title: e for e in DossierEntry.objects.filter(case=docketed.case, source_type="filing.FilingMaterial")}
    assert set(entries) == {"证据：借款合同", "证据：转账.png"}
    entry = entries["证据：借款合同"]
    assert (entry.kind, entry.file_sha256, entry.file_name, entry.note) == (
        "attachment",
        hashlib.sha256(PDF).hexdigest(),
        "合同.pdf",
        "网上立案提交",
    )
    contract.refresh_from_db()
    assert contract.dossier_entry_id == entry.pk
    # Every dossier entry is an audit event, the leaf the transparency log follows.
    assert AuditEvent.objects.filter(action="dossier.entry_filed", object_id=str(entry.pk)).count() == 1


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        ("evidence", "合同.pdf", PNG, "合同.pdf：文件名表明是 PDF，但内容是PNG"),
        ("evidence", "空白.pdf", b"", "空白.pdf：文件为空"),
        (
            "evidence",
            "起诉状.docx",
            DOCX_NOT_REALLY,
            "起诉状.docx：不接受 .docx 类型的文件；可接受：.jpeg, .jpg, .pdf, .png",
        ),
        (
            "complaint",
            "起诉状.docx",
            DOCX_NOT_REALLY,
            "起诉状.docx：文件名表明是 Word (DOCX)，但内容是本平台不接受的类型",
        ),
        ("evidence", "大文件.pdf", PDF + b"0" * 2000, "大文件.pdf：文件超过 2000 字节"),
    ],
)
def test_bad_files_are_refused_naming_the_file_and_nothing_is_stored(
    personas: Personas, settings: Any, kind: str, name: str, content: bytes, message: str
) -> None:
    settings.UPLOAD_MAX_BYTES = 2000
    draft = _draft(personas)
    with unchanged_database(), pytest.raises(DomainError) as refused:
        actions.add_material(
            actor=draft.filer, filing_id=draft.pk, kind=kind, title="", upload=SimpleUploadedFile(name, content)
        )
    assert (refused.value.field, refused.value.message) == ("file", message)
    assert FilingMaterial.objects.count() == 0


def test_the_same_file_twice_and_a_filing_the_court_has(personas: Personas) -> None:
    draft = _draft(personas)
    actions.add_material(
        actor=draft.filer, filing_id=draft.pk, kind="evidence", title="", upload=SimpleUploadedFile("a.pdf", PDF)
    )
    with unchanged_database(), pytest.raises(DomainError) as refused:
        actions.add_material(
            actor=draft.filer, filing_id=draft.pk, kind="evidence", title="", upload=SimpleUploadedFile("b.pdf", PDF)
        )
    assert refused.value.message == "b.pdf：该文件已附在本次立案中"
    actions.submit(actor=draft.filer, filing_id=draft.pk)
    with unchanged_database(), pytest.raises(DomainError) as refused:
        actions.add_material(
            actor=draft.filer, filing_id=draft.pk, kind="evidence", title="", upload=SimpleUploadedFile("c.png", PNG)
        )
    assert refused.value.status == 409


def test_pages_upload_read_and_remove(personas: Personas) -> None:
    filing = filed(personas, lawyer())
    actions.request_correction(actor=personas.clerk, filing_id=filing.pk, items=["补充证据"], due_on=_tomorrow())
    url = f"/filing/{filing.pk}/materials/"

    def post(client: Any) -> Any:
        return client.post(url, {"kind": "evidence", "title": "借条", "file": SimpleUploadedFile("借条.pdf", PDF)})

    # Nobody but the applicant attaches: everyone else is refused (404) and nothing changes.
    permission_matrix(personas, post, expect={})
    applicant = client_for(filing.filer)
    assert post(applicant).status_code == 302
    material = FilingMaterial.objects.get()
    file_url = f"{url}{material.pk}/"
    permission_matrix(personas, lambda c: c.get(file_url), expect={"clerk": 200})
    response = applicant.get(file_url)
    assert (response.status_code, b"".join(response.streaming_content)) == (200, PDF)  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    page = applicant.get(f"/filing/{filing.pk}/").content.decode()
    assert "借条" in page and material.sha256 in page
    bad = applicant.post(url, {"kind": "evidence", "title": "", "file": SimpleUploadedFile("照片.pdf", PNG)})
    assert bad.status_code == 302
    assert "照片.pdf：文件名表明是 PDF，但内容是PNG" in applicant.get(f"/filing/{filing.pk}/").content.decode()
    assert FilingMaterial.objects.count() == 1
    assert applicant.post(f"{file_url}remove/").status_code == 302
    assert FilingMaterial.objects.count() == 0


def _tomorrow() -> Any:
    import datetime as dt

    from django.utils import timezone

    return timezone.localdate() + dt.timedelta(days=1)


def test_the_element_based_complaint_is_generated_from_the_answers(personas: Personas) -> None:
    """要素式起诉状: a PDF with the parties, cause, claims, amount, facts and the evidence list with each file's
    SHA-256 (CPL art. 124), attached as the complaint; generated again, it replaces the earlier one."""
    import io

    from pypdf import PdfReader

    draft = _draft(personas)
    evidence = actions.add_material(
        actor=draft.filer,
        filing_id=draft.pk,
        kind="evidence",
        title="借款合同",
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    first = actions.generate_complaint(actor=draft.filer, filing_id=draft.pk)
    assert (first.kind, first.content_type, first.generated, first.file_name) == (
        "complaint",
        "application/pdf",
        True,
        "民事起诉状（要素式）.pdf",
    )
    content = first.file.read()
    assert hashlib.sha256(content).hexdigest() == first.sha256
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    compact = "".join(text.split())
    for expected in (
        "民事起诉状（要素式）",
        "马某某",
        "如东某某建设有限公司",
        "借款合同纠纷",
        "100,000.00",
        "借款合同",
    ):
        assert expected in compact, expected
    assert evidence.sha256[:16] in compact
    second = actions.generate_complaint(actor=draft.filer, filing_id=draft.pk)
    assert list(FilingMaterial.objects.filter(generated=True)) == [second]
    assert AuditEvent.objects.filter(action="filing.complaint_generated").count() == 2


def test_no_element_based_complaint_from_incomplete_answers(personas: Personas) -> None:
    draft = actions.save_draft(actor=lawyer(), filing_id=None, **complaint(personas, parties=[], facts=""))
    with unchanged_database(), pytest.raises(DomainError) as refused:
        actions.generate_complaint(actor=draft.filer, filing_id=draft.pk)
    assert (
        refused.value.message
        == "请至少列明一名原告；请至少列明一名被告（民事诉讼法第一百二十二条：有明确的被告）；请填写事实与理由"
    )
    with unchanged_database():
        assert client_for(personas.clerk).post(f"/filing/{draft.pk}/complaint/").status_code == 404
