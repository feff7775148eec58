from __future__ import annotations

import io
from typing import Any

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.documents.actions import create_seal, generate_document, revoke_seal, sign_document
from smartcourt.documents.choices import DocumentStatus
from smartcourt.documents.models import Document, Seal
from smartcourt.documents.pades import ca_certificate
from smartcourt.documents.selectors import documents_for_node
from smartcourt.documents.signature_check import verify_pdf
from smartcourt.testing import database_state


def _signed(personas: Any) -> Document:
    document = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    return sign_document(actor=personas.judge, document_id=document.pk)


def _read(field: Any) -> bytes:
    with field.open("rb") as handle:
        data: bytes = handle.read()
    return data


@pytest.mark.django_db
def test_generate_files_a_draft_into_the_dossier(personas: Any) -> None:
    document = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    assert document.status == DocumentStatus.DRAFT
    assert document.template_version.template.key == "acceptance_ruling"
    assert document.dossier_entry is not None and document.dossier_entry.kind == "document"
    assert _read(document.pdf).startswith(b"%PDF-")
    assert document.seal_box["box"][2] > document.seal_box["box"][0]
    assert AuditEvent.objects.latest("seq").action == "documents.generated"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "template_key", "error"),
    [
        ("clerk", "acceptance_ruling", PermissionDenied),
        ("administrator", "acceptance_ruling", PermissionDenied),
        ("judge", "takeover_notice", PermissionDenied),
        ("other_administrator", "takeover_notice", NotFound),
        ("creditor_a", "acceptance_ruling", PermissionDenied),
        ("creditor_b", "acceptance_ruling", NotFound),
        ("outsider", "acceptance_ruling", NotFound),
    ],
)
def test_generate_refusals(personas: Any, who: str, template_key: str, error: type[Exception]) -> None:
    before = database_state()
    with pytest.raises(error):
        generate_document(actor=getattr(personas, who), case_id=personas.case.pk, template_key=template_key)
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "template_key"),
    [("judge", "acceptance_ruling"), ("court_admin", "acceptance_ruling"), ("administrator", "takeover_notice")],
)
def test_seal_holders_sign(personas: Any, who: str, template_key: str) -> None:
    actor = getattr(personas, who)
    document = generate_document(actor=actor, case_id=personas.case.pk, template_key=template_key, draft=True)
    signed = sign_document(actor=actor, document_id=document.pk)
    assert signed.status == DocumentStatus.SIGNED
    assert signed.seal is not None
    expected_owner = personas.rudong if template_key == "acceptance_ruling" else personas.firm_a
    assert signed.seal.organisation == expected_owner
    assert signed.signed_entry is not None and signed.signed_entry.note == "已签章"
    assert AuditEvent.objects.latest("seq").action == "documents.signed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("assistant", PermissionDenied),
        ("clerk", PermissionDenied),
        ("administrator", PermissionDenied),
        ("creditor_a", NotFound),
        ("outsider", NotFound),
    ],
)
def test_non_holders_cannot_sign_a_court_document(personas: Any, who: str, error: type[Exception]) -> None:
    document = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    before = database_state()
    with pytest.raises(error):
        sign_document(actor=getattr(personas, who), document_id=document.pk)
    assert database_state() == before
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT and not document.signed_pdf


@pytest.mark.django_db
def test_judge_cannot_sign_with_firm_seal(personas: Any) -> None:
    document = generate_document(
        actor=personas.administrator, case_id=personas.case.pk, template_key="takeover_notice", draft=True
    )
    before = database_state()
    with pytest.raises(PermissionDenied):
        sign_document(actor=personas.judge, document_id=document.pk)
    assert database_state() == before


@pytest.mark.django_db
def test_signed_document_is_never_signed_again(personas: Any) -> None:
    document = _signed(personas)
    signed_bytes = _read(document.signed_pdf)
    before = database_state()
    with pytest.raises(Conflict):
        sign_document(actor=personas.judge, document_id=document.pk)
    assert database_state() == before
    document.refresh_from_db()
    assert _read(document.signed_pdf) == signed_bytes


@pytest.mark.django_db
def test_signature_validates_with_pyhanko_against_the_dev_ca(personas: Any) -> None:
    data = _read(_signed(personas).signed_pdf)
    reader = PdfFileReader(io.BytesIO(data))
    (signature,) = reader.embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[ca_certificate()], allow_fetching=False))
    assert status.intact and status.valid and status.trusted
    report = verify_pdf(data)
    assert report.ok and report.verdict == "valid"
    (item,) = report.signatures
    assert item.organisation == "如东县人民法院"
    assert item.signed_at is not None
    assert report.case_number == personas.case.number


@pytest.mark.django_db
def test_one_flipped_byte_is_not_intact(personas: Any) -> None:
    data = bytearray(_read(_signed(personas).signed_pdf))
    # A byte of the page content, well inside the signed range.
    position = data.index(b"stream", 2000) + 40
    data[position] ^= 0x01
    report = verify_pdf(bytes(data))
    assert not report.ok
    assert report.verdict == "invalid"
    assert not report.signatures[0].intact
    assert any("not intact" in p for p in report.signatures[0].problems)


@pytest.mark.django_db
def test_incremental_update_after_signing_is_reported(personas: Any) -> None:
    data = _read(_signed(personas).signed_pdf)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    from pyhanko.pdf_utils import generic

    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (PAID) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    assert not report.ok
    (item,) = report.signatures
    assert item.intact
    assert item.changed_after_signing
    assert any("added after signing" in p for p in item.problems)


@pytest.mark.django_db
def test_unknown_certificate_and_revoked_seal(personas: Any) -> None:
    document = _signed(personas)
    data = _read(document.signed_pdf)
    assert document.seal is not None
    seal = revoke_seal(actor=personas.court_admin, seal_id=document.seal.pk, reason="lost")
    revoked = verify_pdf(data)
    assert not revoked.ok and revoked.signatures[0].revoked
    assert any("revoked" in p for p in revoked.signatures[0].problems)
    # The same signature once the platform no longer knows the certificate.
    Seal.objects.filter(pk=seal.pk).update(fingerprint="0" * 64)
    unknown = verify_pdf(data)
    assert not unknown.signatures[0].known_seal
    assert any("unknown certificate" in p for p in unknown.signatures[0].problems)


@pytest.mark.django_db
def test_revoked_seal_is_replaced_for_new_signatures(personas: Any) -> None:
    first = _signed(personas)
    assert first.seal is not None
    revoke_seal(actor=personas.court_admin, seal_id=first.seal.pk, reason="replaced")
    second = _signed(personas)
    assert second.seal is not None and second.seal != first.seal
    assert verify_pdf(_read(second.signed_pdf)).ok


@pytest.mark.django_db
def test_only_court_admin_revokes(personas: Any) -> None:
    seal = create_seal(actor=None, organisation=personas.rudong)
    before = database_state()
    with pytest.raises(PermissionDenied):
        revoke_seal(actor=personas.judge, seal_id=seal.pk, reason="x")
    assert database_state() == before


def test_garbage_is_unreadable() -> None:
    assert verify_pdf(b"hello").verdict == "unreadable"


@pytest.mark.django_db
def test_documents_for_node(personas: Any) -> None:
    keys = [item.template.key for item in documents_for_node(personas.case, "N01")]
    assert keys == ["acceptance_ruling", "rejection_ruling"]
    generate_document(actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True)
    (acceptance, rejection) = documents_for_node(personas.case, "N01")
    assert len(acceptance.documents) == 1 and rejection.documents == []


@pytest.mark.django_db
def test_an_overlong_revocation_reason_is_refused_never_cut(personas: Any) -> None:
    seal = create_seal(actor=None, organisation=personas.rudong)
    before = database_state()
    with pytest.raises(DomainError) as refused:
        revoke_seal(actor=personas.court_admin, seal_id=seal.pk, reason="失" * 201)
    assert (refused.value.code, refused.value.field) == ("too_long", "reason")
    assert database_state() == before
    revoked = revoke_seal(actor=personas.court_admin, seal_id=seal.pk, reason="失" * 200)
    assert Seal.objects.get(pk=revoked.pk).revoked_reason == "失" * 200
