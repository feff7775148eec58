"""PAdES signatures with pyHanko: applying a seal's signature with its image as the visible stamp, and
checking the signatures of a PDF against the platform CA."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

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


def tsa_roots() -> list[asn1_x509.Certificate]:
    """The timestamp authorities' root certificates the platform trusts (DOCUMENTS_TSA_ROOTS: PEM files)."""
    from cryptography import x509

    roots: list[asn1_x509.Certificate] = []
    for path in getattr(settings, "DOCUMENTS_TSA_ROOTS", ()):
        for certificate in x509.load_pem_x509_certificates(Path(path).read_bytes()):
            roots.append(asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)))
    return roots


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
    timestamped_at: dt.datetime | None = None  # from the TSA's token, when the signature carries one
    timestamp_trusted: bool | None = None  # None: no timestamp; else intact, valid and under a trusted TSA root
    problems: list[str] = field(default_factory=list)


def check_signatures(pdf: bytes) -> list[SignatureCheck]:
    """Every signature of ``pdf``, validated against the platform CA only (no network)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    checks: list[SignatureCheck] = []
    timestamp_roots = tsa_roots()
    for embedded in reader.embedded_signatures:
        context = ValidationContext(trust_roots=[ca_certificate()], allow_fetching=False)
        # Without a configured TSA root no timestamp can be trusted; the empty context says exactly that.
        ts_context = ValidationContext(trust_roots=timestamp_roots, allow_fetching=False)
        status = validate_pdf_signature(embedded, context, ts_validation_context=ts_context)
        stamp = status.timestamp_validity
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
                timestamped_at=stamp.timestamp if stamp is not None else None,
                timestamp_trusted=bool(stamp.intact and stamp.valid and stamp.trusted) if stamp is not None else None,
            )
        )
    return checks
