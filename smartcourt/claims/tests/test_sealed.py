"""The claims table as a sealed PDF (art. 57, masked) and the sealed review-result notices (one per creditor,
served to the creditor's tracker, by the background job when many)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from smartcourt.audit.models import AuditEvent
from smartcourt.claims.actions import (
    ReviewDecision,
    request_table_signature,
    review_batch,
    review_claim,
    serve_review_notices,
    sign_claims_table,
)
from smartcourt.claims.choices import ClaimStatus, DocumentKind
from smartcourt.claims.models import Claim, ClaimDocument, SignedTable
from smartcourt.claims.tests.helpers import CREDITOR_A_ID, declare, open_proceeding
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.documents.signature_check import verify_pdf
from smartcourt.dossier.models import DossierEntry

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db

OTHER_IDS = ["110105194912310038", "110105194912310054"]


@pytest.fixture
def p(personas: Personas) -> Personas:
    open_proceeding(personas)
    return personas


def _pdf(entry: DossierEntry) -> bytes:
    with default_storage.open(entry.file.name, "rb") as handle:
        data: bytes = handle.read()
    return data


def test_signed_table_is_sealed_by_the_firm_masked_and_matches_the_table(p: Personas) -> None:
    claim = declare(p)
    review_claim(actor=p.administrator, claim_id=claim.pk, decision=ReviewDecision(result=ClaimStatus.CONFIRMED))
    table = sign_claims_table(actor=p.administrator, case_id=p.case.pk)
    assert table is not None
    claim.refresh_from_db()
    assert table.claims == 1
    assert table.confirmed_fen == claim.confirmed_total_fen == 10_365_000 + 150_000
    pdf = _pdf(table.entry)
    report = verify_pdf(pdf)
    assert report.ok, report.problems
    assert report.signatures[0].trusted
    # Identity numbers are masked in the file that interested parties download.
    text = pdf.decode("latin-1")
    assert CREDITOR_A_ID not in text
    assert AuditEvent.objects.filter(action="claims.table_signed", object_id=str(table.pk)).count() == 1


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("judge", PermissionDenied),
        ("creditor_a", PermissionDenied),
        ("other_administrator", NotFound),
        ("outsider", NotFound),
    ],
)
def test_only_the_appointed_administrator_signs_the_table(p: Personas, persona: str, error: type) -> None:
    declare(p)
    entries = DossierEntry.objects.count()
    with pytest.raises(error):
        sign_claims_table(actor=getattr(p, persona), case_id=p.case.pk)
    assert SignedTable.objects.count() == 0
    assert DossierEntry.objects.count() == entries


def test_an_empty_table_is_not_signed(p: Personas) -> None:
    with pytest.raises(Conflict):
        sign_claims_table(actor=p.administrator, case_id=p.case.pk)
    assert SignedTable.objects.count() == 0


def test_table_page_signs_and_every_member_downloads(client: Any, p: Personas) -> None:
    declare(p)
    client.force_login(p.administrator)
    response = client.post(reverse("claims:table_sign", args=[p.case.pk]))
    assert response.status_code == 302
    table = SignedTable.objects.get()
    client.force_login(p.creditor_a)
    page = client.get(reverse("claims:table", args=[p.case.pk])).content.decode()
    assert "sign-table" not in page and table.entry.title in page
    response = client.get(reverse("claims:table_pdf", args=[p.case.pk, table.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # A creditor may not sign; an outsider does not even see the case.
    assert client.post(reverse("claims:table_sign", args=[p.case.pk])).status_code == 403
    client.force_login(p.outsider)
    assert client.get(reverse("claims:table_pdf", args=[p.case.pk, table.pk])).status_code == 404
    assert SignedTable.objects.count() == 1


def test_review_serves_a_sealed_notice_to_the_tracker(client: Any, p: Personas) -> None:
    claim = declare(p)
    with mock.patch("smartcourt.claims.actions.review.sms_adapter") as sms:
        review = review_claim(
            actor=p.administrator, claim_id=claim.pk, decision=ReviewDecision(result=ClaimStatus.CONFIRMED)
        )
    notice = ClaimDocument.objects.get(kind=DocumentKind.REVIEW_NOTICE)
    assert notice.review == review and notice.served_to_creditor and notice.served_at is not None
    report = verify_pdf(_pdf(notice.entry))
    assert report.ok and report.signatures[0].trusted
    # The SMS goes out only on commit (pytest-django's transaction never commits here).
    assert sms.return_value.send.call_count == 0
    client.force_login(p.creditor_a)
    tracker = client.get(reverse("claims:tracker")).content.decode()
    assert "债权审查结论通知书（第1号）" in tracker


def _claims_of_three_creditors(p: Personas) -> list[Any]:
    claims = [declare(p), declare(p, principal="2000.00")]
    for index, identifier in enumerate(OTHER_IDS[:2]):
        claims.append(declare(p, identifier=identifier, creditor_name=f"债权人{index}"))
    return claims


def test_batch_serves_one_notice_per_creditor(p: Personas, settings: Any) -> None:
    claims = _claims_of_three_creditors(p)
    reviews = review_batch(
        actor=p.administrator, case_id=p.case.pk, claim_ids=[c.pk for c in claims], reason="核对无误"
    )
    assert len(reviews) == 4
    notices = ClaimDocument.objects.filter(kind=DocumentKind.REVIEW_NOTICE)
    assert notices.count() == 4  # one row per claim ...
    assert notices.values("entry").distinct().count() == 3  # ... in one notice per creditor
    first = notices.filter(claim=claims[0]).get()
    assert first.entry.title == "债权审查结论通知书（第1、2号）"
    # Serving again (a retried job) serves nobody twice.
    assert serve_review_notices(actor=p.administrator, review_ids=[str(r.pk) for r in reviews]) == 0
    assert ClaimDocument.objects.filter(kind=DocumentKind.REVIEW_NOTICE).count() == 4


def test_a_large_batch_goes_to_the_background_job(p: Personas, monkeypatch: Any) -> None:
    from smartcourt.claims.actions import review

    monkeypatch.setattr(review, "SYNC_NOTICE_LIMIT", 1)
    claims = _claims_of_three_creditors(p)
    with (
        mock.patch("smartcourt.claims.tasks.serve_review_notices_task") as task,
        mock.patch("django.db.transaction.on_commit", side_effect=lambda fn, *a, **k: fn()),
    ):
        reviews = review_batch(actor=p.administrator, case_id=p.case.pk, claim_ids=[c.pk for c in claims])
    assert ClaimDocument.objects.filter(kind=DocumentKind.REVIEW_NOTICE).count() == 0
    task.assert_called_once_with(str(p.administrator.pk), [str(r.pk) for r in reviews])
    # What the job runs: three creditors, three notices.
    from smartcourt.claims.tasks import serve_review_notices_task

    assert serve_review_notices_task.call_local(str(p.administrator.pk), [str(r.pk) for r in reviews]) == 3
    assert ClaimDocument.objects.filter(kind=DocumentKind.REVIEW_NOTICE).values("entry").distinct().count() == 3


def test_a_large_table_is_sealed_by_the_background_job_once(p: Personas, monkeypatch: Any) -> None:
    from smartcourt.claims.actions import claims_table
    from smartcourt.claims.tasks import sign_claims_table_task

    monkeypatch.setattr(claims_table, "SYNC_TABLE_ROWS", 1)
    declare(p)
    declare(p, principal="2000.00")
    with (
        mock.patch("smartcourt.claims.tasks.sign_claims_table_task") as task,
        mock.patch("django.db.transaction.on_commit", side_effect=lambda fn, *a, **k: fn()),
    ):
        signing = request_table_signature(actor=p.administrator, case_id=p.case.pk)
    assert signing.queued and signing.table is None and SignedTable.objects.count() == 0
    (actor_id, case_id, requested_at), _kwargs = task.call_args
    assert (actor_id, case_id) == (str(p.administrator.pk), str(p.case.pk))
    assert sign_claims_table_task.call_local(actor_id, case_id, requested_at) is True
    table = SignedTable.objects.get()
    assert (table.claims, table.declared_fen) == (2, sum(c.declared_total_fen for c in Claim.objects.all()))
    # A retried job finds the version signed since the request and signs nothing more.
    assert sign_claims_table_task.call_local(actor_id, case_id, requested_at) is False
    assert SignedTable.objects.count() == 1


def test_a_too_large_table_is_refused(p: Personas, monkeypatch: Any) -> None:
    from smartcourt.claims.actions import claims_table

    monkeypatch.setattr(claims_table, "MAX_SIGNED_TABLE_ROWS", 1)
    declare(p)
    declare(p, principal="2000.00")
    with pytest.raises(DomainError, match="at most 1 claims"):
        request_table_signature(actor=p.administrator, case_id=p.case.pk)
    assert SignedTable.objects.count() == 0
