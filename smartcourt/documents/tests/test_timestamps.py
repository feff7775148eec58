"""Seals with a trusted timestamp from a timestamp authority (RFC 3161) reached over HTTP: the sandbox TSA
runs as its own process."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest

from sandbox.process import SandboxProcess
from smartcourt.documents.actions import generate_document, sign_document
from smartcourt.documents.models import Document
from smartcourt.documents.pades import check_signatures
from smartcourt.documents.signature_check import verify_pdf


def _signed_pdf(personas: Any) -> bytes:
    draft = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    document: Document = sign_document(actor=personas.judge, document_id=draft.pk)
    with document.signed_pdf.open("rb") as handle:
        return handle.read()


@pytest.mark.django_db
def test_a_seal_signed_with_the_tsa_carries_a_trusted_timestamp(personas: Any, tsa: SandboxProcess) -> None:
    pdf = _signed_pdf(personas)
    (check,) = check_signatures(pdf)
    assert check.timestamp_trusted is True and check.timestamped_at is not None
    report = verify_pdf(pdf)
    assert report.ok, report.as_dict()
    (signature,) = report.signatures
    assert signature.timestamped and signature.signed_at == check.timestamped_at
    assert report.as_dict()["signatures"][0]["timestamped"] is True  # type: ignore[index]


@pytest.mark.django_db
def test_a_timestamp_under_a_root_the_court_does_not_trust_is_reported(
    personas: Any, tsa: SandboxProcess, settings: Any
) -> None:
    pdf = _signed_pdf(personas)
    settings.DOCUMENTS_TSA_ROOTS = []
    report = verify_pdf(pdf)
    assert not report.ok
    (signature,) = report.signatures
    assert not signature.timestamped
    assert signature.problems == ["the timestamp is not from a trusted timestamp authority, or was altered"]


@pytest.mark.django_db
def test_without_a_tsa_the_time_is_the_signers_own(personas: Any) -> None:
    pdf = _signed_pdf(personas)
    (check,) = check_signatures(pdf)
    assert check.timestamp_trusted is None and check.timestamped_at is None
    report = verify_pdf(pdf)
    assert report.ok and not report.signatures[0].timestamped


@pytest.mark.parametrize(
    ("method", "body", "content_type", "status"),
    [
        ("POST", b"not DER", "application/timestamp-query", 400),
        ("POST", b"\x30\x03\x02\x01\x01", "application/json", 415),
        ("GET", None, None, 405),
    ],
)
def test_the_tsa_refuses_what_is_not_a_timestamp_query(
    tsa_server: tuple[SandboxProcess, Any], method: str, body: bytes | None, content_type: str | None, status: int
) -> None:
    started, _root = tsa_server
    request = urllib.request.Request(started.url + "/", data=body, method=method)  # noqa: S310 - loopback
    if content_type:
        request.add_header("Content-Type", content_type)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - loopback
    assert refused.value.code == status
