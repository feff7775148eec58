"""Long-term validation (PAdES B-LT / B-LTA): court records are kept for decades, so a seal's signature carries
its timestamp, the certificates and the CA's revocation answers (from the status service, sandbox/ocsp, its own
process) and a document timestamp over them, renewed by a periodic job. Checked with pyHanko's own LTA
validation and with poppler's ``pdfsig``."""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import ocsp as asn1_ocsp  # type: ignore[import-untyped]
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation import ades
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule
from pyhanko_certvalidator.registry import SimpleTrustManager

from sandbox.process import SandboxProcess
from smartcourt.documents import tasks
from smartcourt.documents.actions import generate_document, revoke_seal, sign_document
from smartcourt.documents.archiving import renew_archive_timestamps
from smartcourt.documents.models import Document
from smartcourt.documents.pades import archive_timestamps, ca_certificate, check_signatures, tsa_roots
from smartcourt.documents.signature_check import verify_pdf

PDFSIG = shutil.which("pdfsig")


def _signed(personas: Any) -> Document:
    draft = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    return sign_document(actor=personas.judge, document_id=draft.pk)


def _read(document: Document, field: str = "signed_pdf") -> bytes:
    with getattr(document, field).open("rb") as handle:
        data: bytes = handle.read()
    return data


def _dss(pdf: bytes) -> dict[str, int]:
    reader = PdfFileReader(io.BytesIO(pdf))
    dss = reader.root["/DSS"].get_object()
    return {key: len(dss.get(key, [])) for key in ("/Certs", "/OCSPs", "/CRLs")}


def _lta_validation(pdf: bytes) -> ades.AdESLTAValidationResult:
    """pyHanko's PAdES long-term validation (ETSI EN 319 102-1 §5.6.3) with nothing but the file: no fetching,
    revocation data required for the seal certificate."""
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=[ca_certificate()]),
        revinfo_policy=CertRevTrustPolicy(
            RevocationCheckingPolicy(
                ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
                # The platform CA is the root (no intermediates): the seal certificate is what needs revinfo.
                intermediate_ca_cert_rule=RevocationCheckingRule.NO_CHECK,
            )
        ),
    )
    ts_policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=tsa_roots()),
        revinfo_policy=CertRevTrustPolicy(
            RevocationCheckingPolicy(
                ee_certificate_rule=RevocationCheckingRule.NO_CHECK,
                intermediate_ca_cert_rule=RevocationCheckingRule.NO_CHECK,
            )
        ),
    )
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            ts_cert_validation_policy=ts_policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
        )
    )
    reader = PdfFileReader(io.BytesIO(pdf))
    (signature,) = reader.embedded_regular_signatures
    return asyncio.run(ades.ades_lta_validation(signature, spec))


def pdfsig(pdf: bytes, tmp_path: Path) -> list[dict[str, str]]:
    """poppler's view of each signature field: ``{"Signature Field Name": …, "Signature Validation": …}``.
    (poppler does not trust the platform CA, and cannot check RFC 3161 document timestamps: it reports their
    type as unknown; the signature value and the digest are what it checks here.)"""
    assert PDFSIG is not None, "pdfsig (poppler-utils) is installed by scripts/system-packages.sh"
    path = tmp_path / "checked.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([PDFSIG, str(path)], capture_output=True, text=True, check=False, timeout=60)  # noqa: S603
    blocks: list[dict[str, str]] = []
    for line in result.stdout.splitlines():
        if line.startswith("Signature #"):
            blocks.append({})
        elif line.startswith("  - ") and ":" in line and blocks:
            name, _, value = line[4:].partition(":")
            blocks[-1][name.strip()] = value.strip()
    return blocks


@pytest.mark.django_db
def test_a_seal_signed_with_tsa_and_status_service_is_b_lta(
    personas: Any, long_term: SandboxProcess, tmp_path: Path
) -> None:
    pdf = _read(_signed(personas))
    (check,) = check_signatures(pdf)
    assert check.long_term == "B-LTA"
    assert check.intact and check.valid and check.trusted and check.timestamp_trusted
    counts = _dss(pdf)
    assert counts["/OCSPs"] >= 1 and counts["/Certs"] >= 1
    (archive,) = archive_timestamps(pdf)
    assert archive.ok
    report = verify_pdf(pdf)
    assert report.ok, report.as_dict()
    assert report.signatures[0].long_term == "B-LTA"
    result = _lta_validation(pdf)
    assert result.ades_subindic == AdESPassed.OK, result.ades_subindic
    assert result.api_status is not None and result.api_status.bottom_line
    seal, archive_stamp = pdfsig(pdf, tmp_path)
    assert seal["Signature Field Name"] == "SmartCourtSeal"
    assert seal["Signature Type"] == "ETSI.CAdES.detached"
    assert seal["Signature Validation"] == "Signature is Valid."
    assert archive_stamp["Signer Certificate Common Name"] == "SmartCourt Sandbox TSA"


@pytest.mark.django_db
def test_without_revocation_data_the_long_term_validation_fails(personas: Any, tsa: SandboxProcess) -> None:
    """The same validation refuses a signature whose file carries no answer from the CA (what the demo made
    before: the seal certificate names no status service)."""
    pdf = _read(_signed(personas))
    (check,) = check_signatures(pdf)
    assert check.long_term == "B-T"
    assert _dss(pdf)["/OCSPs"] == 0 and _dss(pdf)["/CRLs"] == 0
    result = _lta_validation(pdf)
    assert result.ades_subindic != AdESPassed.OK


@pytest.mark.django_db
def test_the_embedded_answer_is_the_ca_saying_good(personas: Any, long_term: SandboxProcess) -> None:
    pdf = _read(_signed(personas))
    reader = PdfFileReader(io.BytesIO(pdf))
    dss = reader.root["/DSS"].get_object()
    answer = asn1_ocsp.OCSPResponse.load(dss["/OCSPs"][0].get_object().data)
    assert answer["response_status"].native == "successful"
    (single,) = answer.basic_ocsp_response["tbs_response_data"]["responses"]
    assert single["cert_status"].name == "good"


@pytest.mark.django_db
def test_a_revoked_seal_is_revoked_at_the_status_service(personas: Any, long_term: SandboxProcess) -> None:
    document = _signed(personas)
    assert document.seal is not None
    revoke_seal(actor=personas.court_admin, seal_id=document.seal.pk, reason="lost")
    assert tasks.publish_revocation.call_local(str(document.seal.pk)) is True
    crl_der = urllib.request.urlopen(long_term.url + "/crl", timeout=5).read()  # noqa: S310 - loopback
    from cryptography import x509

    crl = x509.load_der_x509_crl(crl_der)
    certificate = x509.load_pem_x509_certificate(document.seal.certificate_pem.encode())
    assert crl.get_revoked_certificate_by_serial_number(certificate.serial_number) is not None
    # Reported once: a second publication changes nothing.
    assert tasks.publish_revocation.call_local(str(document.seal.pk)) is True
    assert len(list(x509.load_der_x509_crl(urllib.request.urlopen(long_term.url + "/crl", timeout=5).read()))) == len(  # noqa: S310
        list(crl)
    )


@pytest.mark.django_db
def test_the_periodic_job_renews_the_archive_timestamp(
    personas: Any, long_term: SandboxProcess, settings: Any, tmp_path: Path
) -> None:
    document = _signed(personas)
    signed = _read(document)
    assert len(archive_timestamps(signed)) == 1
    # Not yet due: nothing renewed.
    assert renew_archive_timestamps() == 0
    settings.DOCUMENTS_ARCHIVE_RENEW_DAYS = 0
    assert tasks.renew_archive_timestamps_task.call_local() == 1
    document.refresh_from_db()
    renewed = _read(document, "archive_pdf")
    assert renewed.startswith(signed)  # an incremental update: the signed bytes are untouched
    stamps = archive_timestamps(renewed)
    assert len(stamps) == 2 and all(stamp.ok for stamp in stamps)
    assert document.archive_renewed_at is not None and document.archive_renewed_at <= timezone.now()
    report = verify_pdf(renewed)
    assert report.ok, report.as_dict()
    assert report.document_title == document.title
    result = _lta_validation(renewed)
    assert result.ades_subindic == AdESPassed.OK, result.ades_subindic
    checked = pdfsig(renewed, tmp_path)
    assert len(checked) == 3 and checked[0]["Signature Validation"] == "Signature is Valid."
    # The dossier keeps the original as filed.
    assert document.signed_entry is not None
    assert json.dumps(document.signed_entry.file_sha256) == json.dumps(document.signed_sha256)
