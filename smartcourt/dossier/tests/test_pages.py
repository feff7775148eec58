"""Dossier pages over every persona: catalogue and downloads for court staff and the appointed
administrator; 404 for everybody else, exactly as for a case that does not exist."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.urls import reverse

from smartcourt.audit.models import AuditEvent
from smartcourt.dossier.export import build_zip
from smartcourt.dossier.models import DossierEntry
from smartcourt.dossier.policies import can_read_dossier
from smartcourt.dossier.selectors import dossier_for
from smartcourt.dossier.tests.helpers import fill_dossier, sample_pdf, upload

if TYPE_CHECKING:
    from conftest import Personas
    from smartcourt.accounts.models import User

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
READS_DOSSIER = {"judge", "assistant", "clerk", "court_admin", "administrator"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_the_read_policy(personas: Personas, name: str) -> None:
    assert can_read_dossier(getattr(personas, name), personas.case) is (name in READS_DOSSIER)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_PERSONAS)
# The exports are the background worker's now (smartcourt/exports/tests cover their permission matrix).
@pytest.mark.parametrize("page", ["catalogue", "file"])
def test_dossier_pages_for_every_persona(personas: Personas, name: str, page: str) -> None:
    fill_dossier(personas)
    entries, events = DossierEntry.objects.count(), AuditEvent.objects.count()
    args: list[Any] = [personas.case.pk, 1] if page == "file" else [personas.case.pk]
    response = client_for(getattr(personas, name)).get(reverse(f"dossier:{page}", args=args))
    if name in READS_DOSSIER:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
    # Reading changes nothing and is not an event.
    assert (DossierEntry.objects.count(), AuditEvent.objects.count()) == (entries, events)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(personas: Personas) -> None:
    response = Client().get(reverse("dossier:catalogue", args=[personas.case.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_missing_case_or_entry_is_404(personas: Personas) -> None:
    client = client_for(personas.judge)
    assert client.get(reverse("dossier:catalogue", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("dossier:file", args=[personas.case.pk, 99])).status_code == 404
    fill_dossier(personas)
    # Entry 4 is a record without a file.
    assert client.get(reverse("dossier:file", args=[personas.case.pk, 4])).status_code == 404


@pytest.mark.django_db
def test_the_catalogue_lists_entries_and_shows_corrections(personas: Personas) -> None:
    fill_dossier(personas)
    client = client_for(personas.judge)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("dossier:catalogue", args=[personas.case.pk])).content.decode()
    assert html.count('<tr id="entry-') == 5
    assert "受理破产清算申请民事裁定书" in html
    assert 'corrected by <a href="#entry-5">no. 5</a>' in html
    assert 'corrects <a href="#entry-1">no. 1</a>' in html
    assert reverse("dossier:file", args=[personas.case.pk, 2]) in html
    # The record without a file has no download link.
    assert reverse("dossier:file", args=[personas.case.pk, 4]) not in html


@pytest.mark.django_db
def test_a_download_is_the_filed_file_with_safe_headers(personas: Personas) -> None:
    entries = fill_dossier(personas)
    response = client_for(personas.administrator).get(reverse("dossier:file", args=[personas.case.pk, 2]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == entries["photo"].file.open("rb").read()  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E7%8E%B0%E5%9C%BA.png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    inline = client_for(personas.judge).get(reverse("dossier:file", args=[personas.case.pk, 2]) + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline;")
    # A text file is never shown inline, whatever is asked.
    text = client_for(personas.judge).get(reverse("dossier:file", args=[personas.case.pk, 3]) + "?inline=1")
    assert text["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_the_zip_export_holds_the_catalogue_and_every_file(personas: Personas) -> None:
    entries = fill_dossier(personas)
    archive = zipfile.ZipFile(build_zip(dossier_for(personas.judge, personas.case.pk)))
    assert sorted(archive.namelist()) == [
        "1-裁定书.pdf",
        "2-现场.png",
        "3-说明.txt",
        "catalogue.csv",
        "catalogue.json",
    ]
    assert archive.read("2-现场.png") == entries["photo"].file.open("rb").read()
    catalogue = json.loads(archive.read("catalogue.json"))
    assert catalogue["case"]["number"] == personas.case.number
    assert [(row["number"], row["kind"], row["file"], row["corrects"]) for row in catalogue["entries"]] == [
        (1, "ruling", "1-裁定书.pdf", None),
        (2, "attachment", "2-现场.png", None),
        (3, "document", "3-说明.txt", None),
        (4, "node_record", "", None),
        (5, "correction", "", 1),
    ]
    assert catalogue["entries"][0]["sha256"] == entries["ruling"].file_sha256
    rows = list(csv.DictReader(io.StringIO(archive.read("catalogue.csv").decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == [
        "受理破产清算申请民事裁定书",
        "厂房现场照片",
        "财产状况说明",
        "债权申报期限届满",
        "更正：裁定书落款日期",
    ]
    assert rows[0]["kind_name"] == "裁定书"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_corrections_are_filed_by_court_staff_only(personas: Personas, name: str) -> None:
    fill_dossier(personas)
    entries, events = DossierEntry.objects.count(), AuditEvent.objects.count()
    client = client_for(getattr(personas, name))
    url = reverse("dossier:correct", args=[personas.case.pk, 2])
    page = client.get(url)
    response = client.post(url, {"title": "更正：照片拍摄日期", "note": "拍摄日期应为 3 月 12 日"})
    if name in {"judge", "assistant", "clerk", "court_admin"}:
        assert page.status_code == 200
        assert response.status_code == 302
        assert response["Location"] == reverse("dossier:catalogue", args=[personas.case.pk]) + "#entry-6"
        correction = DossierEntry.objects.get(number=6, case=personas.case)
        assert (correction.kind, correction.corrects.number, correction.note) == (  # type: ignore[union-attr]
            "correction",
            2,
            "拍摄日期应为 3 月 12 日",
        )
        assert (DossierEntry.objects.count(), AuditEvent.objects.count()) == (entries + 1, events + 1)
    else:
        expected = 403 if name == "administrator" else 404
        assert (page.status_code, response.status_code) == (expected, expected)
        assert (DossierEntry.objects.count(), AuditEvent.objects.count()) == (entries, events)


@pytest.mark.django_db
def test_a_correction_with_a_bad_file_is_refused_and_nothing_changes(personas: Personas) -> None:
    fill_dossier(personas)
    entries, events = DossierEntry.objects.count(), AuditEvent.objects.count()
    client = client_for(personas.judge)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("dossier:correct", args=[personas.case.pk, 1]),
        {"title": "更正", "attachment": upload("更正裁定.pdf", b"not a pdf at all")},
    )
    assert response.status_code == 422
    assert "更正裁定.pdf: the name says PDF but the content is" in response.content.decode()
    assert (DossierEntry.objects.count(), AuditEvent.objects.count()) == (entries, events)
    filed = client.post(
        reverse("dossier:correct", args=[personas.case.pk, 1]),
        {"title": "更正：裁定书", "attachment": upload("更正裁定.pdf", sample_pdf("更正裁定"))},
    )
    assert filed.status_code == 302
    correction = DossierEntry.objects.get(case=personas.case, number=6)
    assert (correction.file_name, correction.content_type) == ("更正裁定.pdf", "application/pdf")
