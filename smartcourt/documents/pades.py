"""PAdES signatures with pyHanko: applying a seal's signature with its image as the visible stamp, and
checking the signatures of a PDF against the platform CA."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Attachment:
    """A file embedded in a PDF as a PDF 2.0 / PDF/A-3 associated file of the document."""

    key: str  # the name-tree key: ASCII (PDFDocEncoding), unique in the file
    file_name: str  # the file's Unicode name, shown by readers
    data: bytes
    mime_type: str
    description: str
    relationship: str = "/Source"  # /Source: an original the document is made from; /Data: machine-readable data


def validation_context(*, fetch: bool) -> ValidationContext:
    """The platform CA and the trusted timestamp roots; ``fetch`` lets pyHanko ask the status service named in
    a certificate (to embed its answers when signing), otherwise only what the file carries is used."""
    return ValidationContext(
        trust_roots=[ca_certificate(), *tsa_roots()],
        allow_fetching=fetch,
        revocation_mode="soft-fail",
    )


def _embed(writer: IncrementalPdfFileWriter, attachments: Sequence[Attachment]) -> None:
    from pyhanko.pdf_utils import embed, generic

    for attachment in attachments:
        data = embed.EmbeddedFileObject.from_file_data(
            writer,
            data=attachment.data,
            mime_type=attachment.mime_type,
            params=embed.EmbeddedFileParams(embed_size=True, embed_checksum=True),
        )
        embed.embed_file(
            writer,
            embed.FileSpec(
                file_spec_string=attachment.key,
                file_name=attachment.file_name,
                embedded_data=data,
                description=attachment.description,
                af_relationship=generic.NameObject(attachment.relationship),
            ),
        )


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
    attachments: Sequence[Attachment] = (),
) -> bytes:
    """``pdf`` with a PAdES signature appended as an incremental update; the seal image is the visible stamp.

    With a timestamp authority configured the signature is PAdES B-LTA: a signature timestamp (B-T), the
    certificates and the revocation answers of the status service in the document security store (B-LT) and a
    document timestamp over all of it (B-LTA), renewed later by ``renew_archive_timestamp``. ``attachments`` are
    embedded in the same update, so the signature covers them."""
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
    stamper = timestamper()
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        name=name,
        location=location or None,
        embed_validation_info=True,
        validation_context=validation_context(fetch=True),
        use_pades_lta=stamper is not None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    _embed(writer, attachments)
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=signer,
        timestamper=stamper,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=page, box=tuple(round(v) for v in box)),  # type: ignore[arg-type]
    )
    output = pdf_signer.sign_pdf(writer)
    return output.getvalue()


def renew_archive_timestamp(pdf: bytes) -> bytes:
    """``pdf`` with fresh validation data for its newest timestamp and a new document timestamp over everything
    (PAdES B-LTA renewal): the signatures it carries keep their proof of existence after the timestamp
    authority's certificate or the hash algorithm ages. Needs a configured timestamp authority."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    stamper = timestamper()
    if stamper is None:
        raise RuntimeError("archive timestamps need a timestamp authority (DOCUMENTS_TSA_URL)")
    output = io.BytesIO(pdf)
    reader = PdfFileReader(output)
    signers.PdfTimeStamper(stamper).update_archival_timestamp_chain(
        reader, validation_context(fetch=True), in_place=True
    )
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
    long_term: str = "B-B"  # the PAdES level the file carries for this signature: B-B, B-T, B-LT or B-LTA
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ArchiveTimestamp:
    """A document timestamp (PAdES B-LTA) after the signatures."""

    field_name: str
    timestamped_at: dt.datetime | None
    ok: bool  # intact, valid and under a trusted TSA root


def _has_revocation_data(reader: Any) -> bool:
    """Whether the document security store holds revocation answers (OCSP responses or CRLs)."""
    dss = reader.root.get("/DSS")
    if dss is None:
        return False
    dss = dss.get_object()
    return any(len(dss.get(key, [])) > 0 for key in ("/OCSPs", "/CRLs"))


def archive_timestamps(pdf: bytes) -> list[ArchiveTimestamp]:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_timestamp

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    found = []
    for embedded in reader.embedded_timestamp_signatures:
        context = ValidationContext(trust_roots=tsa_roots(), allow_fetching=False)
        status = validate_pdf_timestamp(embedded, validation_context=context)
        found.append(
            ArchiveTimestamp(
                field_name=embedded.field_name,
                timestamped_at=status.timestamp,
                ok=bool(status.intact and status.valid and status.trusted),
            )
        )
    return found


def _chain_trusted(embedded: Any) -> bool:
    """Whether the signer's certificate chains to the platform CA, judged on its own. pyHanko does not look at
    the chain of a signature whose content or value fails, and reports it untrusted; the verify page must not
    blame the certificate for a changed byte."""
    import asyncio

    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    certificate = embedded.signer_cert
    if certificate is None:
        return False
    validator = CertificateValidator(
        certificate,
        intermediate_certs=list(embedded.other_embedded_certs),
        validation_context=ValidationContext(trust_roots=[ca_certificate()], allow_fetching=False),
    )
    try:
        asyncio.run(validator.async_validate_usage(set()))
    except (PathBuildingError, PathValidationError):
        return False
    return True


def check_signatures(pdf: bytes) -> list[SignatureCheck]:
    """Every signature of ``pdf`` (document timestamps aside), validated against the platform CA only, with
    what the file carries (no network)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    checks: list[SignatureCheck] = []
    timestamp_roots = tsa_roots()
    revocation_data = _has_revocation_data(reader)
    document_timestamps = reader.embedded_timestamp_signatures
    for embedded in reader.embedded_regular_signatures:
        context = ValidationContext(trust_roots=[ca_certificate()], allow_fetching=False)
        # Without a configured TSA root no timestamp can be trusted; the empty context says exactly that.
        ts_context = ValidationContext(trust_roots=timestamp_roots, allow_fetching=False)
        status = validate_pdf_signature(embedded, context, ts_validation_context=ts_context)
        stamp = status.timestamp_validity
        certificate = embedded.signer_cert
        level = "B-B"
        if stamp is not None:
            level = "B-T"
            if revocation_data:
                level = "B-LT"
                later = [t for t in document_timestamps if t.signed_revision > embedded.signed_revision]
                if later:
                    level = "B-LTA"
        checks.append(
            SignatureCheck(
                field_name=embedded.field_name,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted) if status.intact and status.valid else _chain_trusted(embedded),
                signer_name=certificate.subject.native.get("common_name", "") if certificate else "",
                certificate_fingerprint=certificate.sha256.hex() if certificate else "",
                signed_at=status.signer_reported_dt,
                covers_whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
                modification_level=status.modification_level.name if status.modification_level else "",
                docmdp_ok=status.docmdp_ok,
                timestamped_at=stamp.timestamp if stamp is not None else None,
                timestamp_trusted=bool(stamp.intact and stamp.valid and stamp.trusted) if stamp is not None else None,
                long_term=level,
            )
        )
    return checks
