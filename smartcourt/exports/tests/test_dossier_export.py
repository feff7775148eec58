"""Certified dossier exports (issue 15.10) built in the background worker (issue 15.4).

The request that asks for an export answers at once with a progress page; the worker builds the file; the
export carries every filed file unchanged (a signed original keeps its own, verifiable signature), each
entry's transparency-log receipt and a manifest, under the court's signed export certificate; the verify page
recognises it and verifies each original."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from smartcourt.audit.models import AuditEvent
from smartcourt.documents.actions import generate_document, sign_document
from smartcourt.documents.dossier_export import MANIFEST_KEY, embedded_files
from smartcourt.documents.models import Document
from smartcourt.documents.signature_check import verify_pdf
from smartcourt.dossier.models import DossierEntry
from smartcourt.dossier.tests.helpers import fill_dossier
from smartcourt.exports import actions, builder, tasks
from smartcourt.exports.choices import ExportStatus
from smartcourt.exports.models import ExportJob
from smartcourt.exports.tasks import run_export_task as worker_task

READS_DOSSIER = {"judge", "assistant", "clerk", "court_admin", "administrator"}
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


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The jobs handed to the worker, instead of the worker."""
    handed: list[str] = []
    monkeypatch.setattr(tasks, "run_export_task", handed.append)
    return handed


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _signed_document(personas: Any) -> Document:
    draft = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    return sign_document(actor=personas.judge, document_id=draft.pk)


def _read(field: Any) -> bytes:
    with field.open("rb") as handle:
        data: bytes = handle.read()
    return data


def _export(personas: Any, kind: str, queued: list[str], django_capture_on_commit_callbacks: Any) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.judge).post(reverse("exports:start", args=[personas.case.pk]), {"kind": kind})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert queued == [str(job.pk)]
    worker_task.call_local(str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    return job


@pytest.mark.django_db
def test_the_request_returns_at_once_and_the_worker_builds_the_export(
    personas: Any, queued: list[str], monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    fill_dossier(personas)
    built: list[str] = []
    real_build = builder.build_certified_pdf

    def recording(*args: Any, **kwargs: Any) -> bytes:
        built.append("pdf")
        return real_build(*args, **kwargs)

    monkeypatch.setattr(builder, "build_certified_pdf", recording)
    client = client_for(personas.judge)
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:start", args=[personas.case.pk]), {"kind": "dossier_pdf"})
    job = ExportJob.objects.get()
    # The request only queued the job: nothing was built while it ran.
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", args=[personas.case.pk, job.pk])
    assert built == [] and queued == [str(job.pk)]
    assert (job.status, job.progress_done, job.progress_total, bool(job.file)) == ("queued", 0, 11, False)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'data-status="queued"' in html
    assert f'hx-get="{reverse("exports:job", args=[personas.case.pk, job.pk])}?part=progress"' in html
    assert 'hx-trigger="every 1s"' in html
    assert 'data-testid="export-download"' not in html
    # The worker's side.
    assert worker_task.call_local(str(job.pk)) == "done"
    assert built == ["pdf"]
    fragment = client.get(response["Location"] + "?part=progress", headers={"HX-Request": "true"})
    assert 'data-status="done"' in fragment.content.decode()
    assert "hx-trigger" not in fragment.content.decode()  # polling stops
    assert "100%" in fragment.content.decode()
    download = client.get(reverse("exports:download", args=[personas.case.pk, job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    data = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    job.refresh_from_db()
    assert hashlib.sha256(data).hexdigest() == job.sha256 and len(data) == job.size
    assert verify_pdf(data).ok
    assert list(AuditEvent.objects.filter(action__startswith="exports.").values_list("action", flat=True)) == [
        "exports.requested",
        "exports.completed",
    ]
    # A duplicate delivery of the task changes nothing.
    assert worker_task.call_local(str(job.pk)) is None


@pytest.mark.django_db
def test_the_exported_pdf_verifies_and_carries_every_original_unchanged(
    personas: Any, queued: list[str], django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    fill_dossier(personas)
    document = _signed_document(personas)
    job = _export(personas, "dossier_pdf", queued, django_capture_on_commit_callbacks)
    data = _read(job.file)
    report = verify_pdf(data)
    assert report.ok, report.as_dict()
    # The export's own signature: the court's seal over the certificate and everything embedded.
    (seal,) = report.signatures
    assert seal.organisation == "如东县人民法院" and seal.intact and seal.valid and seal.trusted
    assert not seal.changed_after_signing
    assert report.export is not None and report.case_number == personas.case.number
    entries = DossierEntry.objects.filter(case=personas.case).order_by("number")
    assert [(e.number, e.expected_sha256, e.ok) for e in report.export.entries] == [
        (entry.number, entry.file_sha256, True) for entry in entries
    ]
    assert all(e.receipt_ok for e in report.export.entries)
    # The signed original, embedded byte for byte, verifies with its own seal.
    files = embedded_files(data)
    assert files is not None
    assert document.signed_entry_id is not None
    signed_entry = entries.get(pk=document.signed_entry_id)
    (signed,) = [e for e in report.export.entries if e.number == signed_entry.number]
    assert signed.signed_report is not None and signed.signed_report.ok
    assert files[signed.attachment] == _read(document.signed_pdf)
    for entry in report.export.entries:
        if entry.attachment:
            assert hashlib.sha256(files[entry.attachment]).hexdigest() == entry.expected_sha256
    manifest = json.loads(files[MANIFEST_KEY])
    assert manifest["case"]["number"] == personas.case.number and manifest["carrier"] == "pdf"
    # Associated files of the document (PDF/A-3 style): every original is a /Source.
    reader = PdfReader(io.BytesIO(data))
    root: Any = reader.trailer["/Root"]
    associated = [spec.get_object() for spec in root["/AF"]]
    sources = [spec for spec in associated if spec["/AFRelationship"] == "/Source"]
    assert len(sources) == entries.exclude(file="").count()
    # The readable pages carry no broken seals: the originals' signature fields were flattened.
    assert len(reader.pages) > 0
    text = reader.pages[-1].extract_text()
    assert "电子卷宗导出证明" in text.replace(" ", "") or "导出证明" in text
    assert signed_entry.file_sha256 in "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    if shutil.which("pdfsig"):
        path = tmp_path / "export.pdf"
        path.write_bytes(data)
        output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout  # noqa: S603, S607
        assert output.count("Signature #") == 1
        assert "Signature Validation: Signature is Valid." in output
        # (Only the validation data, added right after signing, follows the signature: pyHanko calls that a
        # harmless LTA update, and verify_pdf above accepted it as such.)


@pytest.mark.django_db
def test_a_changed_byte_in_an_embedded_original_breaks_the_export(
    personas: Any, queued: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    _signed_document(personas)
    job = _export(personas, "dossier_pdf", queued, django_capture_on_commit_callbacks)
    data = bytearray(_read(job.file))
    original = _read(DossierEntry.objects.get(case=personas.case, number=1).file)
    # The embedded stream is compressed; change a byte of the first embedded-file stream's data.
    marker = data.index(b"/Type /EmbeddedFile")
    start = data.index(b"stream", marker) + 20
    data[start] ^= 0x01
    with translation.override("en"):  # (the request above left the thread in the site's language)
        report = verify_pdf(bytes(data))
    assert not report.ok
    (seal,) = report.signatures
    assert seal.integrity_problems == ["not intact: the signed content was changed after signing"]
    assert original  # the stored original itself is untouched


@pytest.mark.django_db
def test_the_zip_carries_the_originals_and_the_same_manifest(
    personas: Any, queued: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    fill_dossier(personas)
    document = _signed_document(personas)
    job = _export(personas, "dossier_zip", queued, django_capture_on_commit_callbacks)
    assert job.file_name.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(_read(job.file)))
    names = set(archive.namelist())
    entries = list(DossierEntry.objects.filter(case=personas.case).order_by("number"))
    assert {"catalogue.json", "catalogue.csv", MANIFEST_KEY, "export-certificate.pdf"} <= names
    assert {f"receipts/receipt-{entry.number:05d}.json" for entry in entries} <= names
    manifest = json.loads(archive.read(MANIFEST_KEY))
    assert manifest["carrier"] == "zip"
    for item, entry in zip(manifest["entries"], entries, strict=True):
        assert item["sha256"] == entry.file_sha256
        if entry.has_file:
            assert hashlib.sha256(archive.read(item["file"])).hexdigest() == entry.file_sha256
    certificate = archive.read("export-certificate.pdf")
    # The certificate is signed by the court and carries exactly this manifest and these receipts.
    files = embedded_files(certificate)
    assert files is not None and files[MANIFEST_KEY] == archive.read(MANIFEST_KEY)
    report = verify_pdf(certificate)
    assert report.ok, report.as_dict()
    assert report.export is not None and all(entry.receipt_ok for entry in report.export.entries)
    signed_entry = next(e for e in entries if e.pk == document.signed_entry_id)
    assert verify_pdf(
        archive.read(f"{signed_entry.number}-{signed_entry.file.name.rsplit('/', 1)[-1].split('-', 1)[1]}")
    ).ok


@pytest.mark.django_db
def test_the_verify_page_lists_each_original(
    personas: Any, queued: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    fill_dossier(personas)
    _signed_document(personas)
    job = _export(personas, "dossier_pdf", queued, django_capture_on_commit_callbacks)
    anonymous = Client()
    anonymous.cookies["django_language"] = "zh-hans"
    page = anonymous.post(reverse("documents:verify"), {"file": io.BytesIO(_read(job.file))})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="export"' in html
    assert (
        html.count('data-testid="export-entry" data-ok="yes"')
        == DossierEntry.objects.filter(case=personas.case).count()
    )
    assert "alert-success" in html
    api = anonymous.post("/api/v1/documents/verify", {"file": io.BytesIO(_read(job.file))}).json()
    assert api["verdict"] == "valid" and api["export"]["ok"] is True
    assert len(api["export"]["entries"]) == DossierEntry.objects.filter(case=personas.case).count()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_who_may_export(personas: Any, name: str, queued: list[str], django_capture_on_commit_callbacks: Any) -> None:
    fill_dossier(personas)
    events = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(getattr(personas, name)).post(
            reverse("exports:start", args=[personas.case.pk]), {"kind": "dossier_zip"}
        )
    if name in READS_DOSSIER:
        assert response.status_code == 302
        assert ExportJob.objects.count() == 1 and len(queued) == 1
    else:
        assert response.status_code == 404
        assert ExportJob.objects.count() == 0 and queued == []
        assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_only_the_requester_sees_and_downloads_his_export(
    personas: Any, queued: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    fill_dossier(personas)
    job = _export(personas, "dossier_zip", queued, django_capture_on_commit_callbacks)
    for other in (personas.assistant, personas.administrator, personas.outsider):
        client = client_for(other)
        assert client.get(reverse("exports:job", args=[personas.case.pk, job.pk])).status_code == 404
        assert client.get(reverse("exports:download", args=[personas.case.pk, job.pk])).status_code == 404
    assert (
        client_for(personas.judge).get(reverse("exports:download", args=[personas.case.pk, job.pk])).status_code == 200
    )


@pytest.mark.django_db
def test_one_user_cannot_fill_the_worker(personas: Any, queued: list[str]) -> None:
    for _ in range(actions.MAX_UNFINISHED_PER_USER):
        actions.request_export(actor=personas.judge, case_id=personas.case.pk, kind="dossier_pdf", verify_url="/v/")
    events = AuditEvent.objects.count()
    from smartcourt.core.errors import Conflict

    with pytest.raises(Conflict):
        actions.request_export(actor=personas.judge, case_id=personas.case.pk, kind="dossier_pdf", verify_url="/v/")
    assert ExportJob.objects.count() == actions.MAX_UNFINISHED_PER_USER
    assert AuditEvent.objects.count() == events
    # Another user is not held up by the first one's exports.
    actions.request_export(actor=personas.clerk, case_id=personas.case.pk, kind="dossier_pdf", verify_url="/v/")
    assert ExportJob.objects.filter(requested_by=personas.clerk).count() == 1


@pytest.mark.django_db
def test_a_failed_build_is_shown_to_the_requester(
    personas: Any, queued: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    job = actions.request_export(actor=personas.judge, case_id=personas.case.pk, kind="dossier_pdf", verify_url="/v/")

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(builder, "build_certified_pdf", broken)
    assert worker_task.call_local(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and not job.file
    assert job.error.endswith("(OSError)")
