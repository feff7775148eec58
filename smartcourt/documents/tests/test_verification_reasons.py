"""The verify page answers three questions separately, each with its real reason (issue 15.11): is the content
intact, is the signature value valid, is the signer trusted. A flipped byte in the signature value is an
invalid signature, not an untrusted certificate."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from smartcourt.documents.actions import generate_document, sign_document
from smartcourt.documents.signature_check import verify_pdf

INVALID = "signature invalid: the signature value does not verify with the signer's certificate"
NOT_INTACT = "not intact: the signed content was changed after signing"
UNKNOWN = "unknown certificate: not a seal of this platform"
NO_CHAIN = "the certificate does not chain to the platform CA"


def _signed(personas: Any) -> bytes:
    draft = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    document = sign_document(actor=personas.judge, document_id=draft.pk)
    with document.signed_pdf.open("rb") as handle:
        data: bytes = handle.read()
    return data


def _flip_content(data: bytes) -> bytes:
    changed = bytearray(data)
    changed[data.index(b"stream", 2000) + 40] ^= 0x01
    return bytes(changed)


def _flip_signature_value(data: bytes) -> bytes:
    """One hex digit of the signer's signature value (inside /Contents) changed; nothing else."""
    (embedded,) = PdfFileReader(io.BytesIO(data)).embedded_regular_signatures
    value: bytes = embedded.signer_info["signature"].native
    for encoded in (value.hex().encode(), value.hex().upper().encode()):
        position = data.find(encoded)
        if position >= 0:
            break
    assert position >= 0, "the signature value is in the file as hex"
    target = position + len(encoded) // 2
    changed = bytearray(data)
    changed[target] = ord("0") if changed[target] != ord("0") else ord("1")
    return bytes(changed)


def _foreign_signed(personas: Any) -> bytes:
    """The court's document re-signed by a forger's certificate with the court's name, from another CA."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Some Other CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "如东县人民法院")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(ca_key, hashes.SHA256())
    )
    draft = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    with draft.pdf.open("rb") as handle:
        pdf = handle.read()

    def der(cert: x509.Certificate) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    signer = signers.SimpleSigner(
        signing_cert=der(certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([der(ca)]),
    )
    meta = signers.PdfSignatureMetadata(field_name="Forged", subfilter=fields.SigSeedSubFilter.PADES)
    return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer).getvalue()


@pytest.mark.django_db
def test_a_flipped_byte_in_the_content_is_an_integrity_failure(personas: Any) -> None:
    report = verify_pdf(_flip_content(_signed(personas)))
    (signature,) = report.signatures
    assert report.verdict == "invalid"
    assert signature.integrity_problems == [NOT_INTACT]
    assert signature.signature_problems == []  # the signature value itself still verifies
    assert signature.trust_problems == []
    assert (signature.intact, signature.valid, signature.trusted) == (False, True, True)


@pytest.mark.django_db
def test_a_flipped_byte_in_the_signature_value_is_an_invalid_signature(personas: Any) -> None:
    report = verify_pdf(_flip_signature_value(_signed(personas)))
    (signature,) = report.signatures
    assert report.verdict == "invalid"
    assert signature.integrity_problems == []  # the content matches its digest
    assert signature.signature_problems == [INVALID]
    assert NO_CHAIN not in signature.problems  # the chain is not blamed
    assert (signature.intact, signature.valid) == (True, False)
    as_dict = report.as_dict()["signatures"][0]  # type: ignore[index]
    assert as_dict["integrity"] == {"ok": True, "reasons": []}
    assert as_dict["signature"] == {"ok": False, "reasons": [INVALID]}


@pytest.mark.django_db
def test_an_untrusted_certificate_is_a_trust_failure(personas: Any) -> None:
    report = verify_pdf(_foreign_signed(personas))
    (signature,) = report.signatures
    assert report.verdict == "invalid"
    assert signature.integrity_problems == []
    assert signature.signature_problems == []
    assert signature.trust_problems == [UNKNOWN, NO_CHAIN]
    assert (signature.intact, signature.valid, signature.trusted) == (True, True, False)


@pytest.mark.django_db
def test_the_page_shows_each_answer_with_its_reason(personas: Any) -> None:
    anonymous = Client()
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = anonymous.post(reverse("documents:verify"), {"file": io.BytesIO(_flip_signature_value(_signed(personas)))})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="integrity" data-ok="yes"' in html
    assert 'data-testid="signature-validity" data-ok="no"' in html
    assert 'data-testid="trust" data-ok="yes"' in html
    assert "签名无效：签名值无法用签章人的证书验证" in html
