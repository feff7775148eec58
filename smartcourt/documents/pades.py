"""PAdES signatures with pyHanko: applying a seal's signature with its image as the visible stamp, and
checking the signatures of a PDF against the platform CA."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from PIL import Image
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from smartcourt.documents.ca import certificate_authority, load_seal_key

FIELD_NAME = "SmartCourtSeal"


def _asn1_certificate(pem: str | bytes) -> asn1_x509.Certificate:
    from cryptography import x509

    certificate = x509.load_pem_x509_certificate(pem.encode() if isinstance(pem, str) else pem)
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def ca_certificate() -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate_authority().certificate.public_bytes(serialization.Encoding.DER))


def timestamper() -> TimeStamper | None:
    """The trusted timestamp service (RFC 3161) when one is configured; none in the demo."""
    url = getattr(settings, "DOCUMENTS_TSA_URL", None)
    return HTTPTimeStamper(url, timeout=10) if url else None


def sign_pdf(
    pdf: bytes,
    *,
    certificate_pem: str,
    key_pem: str,
    image_png: bytes,
    page: int,
    box: tuple[float, float, float, float],
    reason: str,
    name: str,
    location: str = "",
) -> bytes:
    """``pdf`` with a PAdES signature appended as an incremental update; the seal image is the visible stamp."""
    key = load_seal_key(key_pem)
    signing_key = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    signer = signers.SimpleSigner(
        signing_cert=_asn1_certificate(certificate_pem),
        signing_key=signing_key,
        cert_registry=SimpleCertificateStore.from_certs([ca_certificate()]),
    )
    style = TextStampStyle(
        stamp_text="",
        border_width=0,
        background=PdfImage(Image.open(io.BytesIO(image_png))),
        background_opacity=1.0,
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        name=name,
        location=location or None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=signer,
        timestamper=timestamper(),
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=page, box=tuple(round(v) for v in box)),  # type: ignore[arg-type]
    )
    output = pdf_signer.sign_pdf(writer)
    return output.getvalue()


@dataclass
class SignatureCheck:
    field_name: str
    intact: bool
    valid: bool
    trusted: bool
    signer_name: str
    certificate_fingerprint: str
    signed_at: dt.datetime | None
    covers_whole_file: bool
    modification_level: str
    docmdp_ok: bool | None
    problems: list[str] = field(default_factory=list)


def check_signatures(pdf: bytes) -> list[SignatureCheck]:
    """Every signature of ``pdf``, validated against the platform CA only (no network)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    checks: list[SignatureCheck] = []
    for embedded in reader.embedded_signatures:
        context = ValidationContext(trust_roots=[ca_certificate()], allow_fetching=False)
        status = validate_pdf_signature(embedded, context)
        certificate = embedded.signer_cert
        checks.append(
            SignatureCheck(
                field_name=embedded.field_name,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                signer_name=certificate.subject.native.get("common_name", "") if certificate else "",
                certificate_fingerprint=certificate.sha256.hex() if certificate else "",
                signed_at=status.signer_reported_dt,
                covers_whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
                modification_level=status.modification_level.name if status.modification_level else "",
                docmdp_ok=status.docmdp_ok,
            )
        )
    return checks
