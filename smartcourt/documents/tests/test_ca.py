from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

from smartcourt.documents import ca


@pytest.fixture
def fresh_ca() -> Iterator[None]:
    ca.certificate_authority.cache_clear()
    yield
    ca.certificate_authority.cache_clear()


def test_configured_pkcs12_issues_seal_certificates(settings: Any, tmp_path: Path, fresh_ca: None) -> None:
    authority = ca._new_ca()
    path = tmp_path / "ca.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"court-ca", authority.key, authority.certificate, None, BestAvailableEncryption(b"secret-pass")
        )
    )
    settings.DOCUMENTS_CA_PKCS12 = str(path)
    settings.DOCUMENTS_CA_PASSWORD = "secret-pass"
    certificate_pem, key_pem, fingerprint = ca.issue_seal_certificate("如东县人民法院", "如东县人民法院")
    certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
    assert certificate.issuer == authority.certificate.subject
    certificate.verify_directly_issued_by(authority.certificate)
    assert ca.load_seal_key(key_pem).public_key() == certificate.public_key()
    assert len(fingerprint) == 64


def test_seal_key_is_stored_encrypted() -> None:
    _certificate, key_pem, _fingerprint = ca.issue_seal_certificate("x", "x")
    assert "ENCRYPTED PRIVATE KEY" in key_pem


def test_timestamp_service_only_when_configured(settings: Any) -> None:
    from pyhanko.sign.timestamps import HTTPTimeStamper

    from smartcourt.documents.pades import timestamper

    settings.DOCUMENTS_TSA_URL = None
    assert timestamper() is None
    settings.DOCUMENTS_TSA_URL = "http://tsa.example.invalid/"
    stamper = timestamper()
    assert isinstance(stamper, HTTPTimeStamper) and stamper.url == "http://tsa.example.invalid/"
