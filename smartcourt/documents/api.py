"""Documents over the API: generate and sign (signed in), and verify (public). Glue only."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Field, File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from smartcourt.accounts.web import signed_in_user
from smartcourt.core.schemas import ERRORS, ErrorOut
from smartcourt.documents.actions import ServiceRequest, generate_document, serve_document, sign_document
from smartcourt.documents.models import Document
from smartcourt.documents.signature_check import verify_pdf

router = Router(tags=["documents"])

MAX_VERIFY_BYTES = 20 * 1024 * 1024


class VerifyAnswerOut(Schema):
    ok: bool
    reasons: list[str]


class SignatureOut(Schema):
    signer: str
    seal: str
    organisation: str
    signed_at: str | None
    timestamped: bool
    intact: bool
    valid: bool
    trusted: bool
    known_seal: bool
    revoked: bool
    revoked_at: str | None
    changed_after_signing: bool
    integrity: VerifyAnswerOut = Field(description="Is the signed content unchanged?")
    signature: VerifyAnswerOut = Field(description="Does the signature value verify with the signer's key?")
    trust: VerifyAnswerOut = Field(description="Is the signer a seal of this platform, chained to its CA, unrevoked?")
    long_term: str = Field(description="PAdES level the file carries: B-B, B-T, B-LT or B-LTA")
    problems: list[str]


class VerifyOriginalOut(Schema):
    verdict: str
    ok: bool
    document_title: str
    case_number: str
    problems: list[str]
    signatures: list[SignatureOut]


class ExportEntryOut(Schema):
    number: int
    title: str
    attachment: str
    expected_sha256: str
    sha256: str
    present: bool
    ok: bool
    receipt_ok: bool | None
    signed: VerifyOriginalOut | None
    problems: list[str]


class ExportOut(Schema):
    case_number: str
    generated_at: str
    ok: bool
    problems: list[str]
    entries: list[ExportEntryOut]


class VerifyOut(Schema):
    verdict: str
    ok: bool
    document_title: str
    case_number: str
    problems: list[str]
    signatures: list[SignatureOut]
    export: ExportOut | None = Field(description="For an exported dossier: each original it carries, verified")


class GenerateIn(Schema):
    case_id: uuid.UUID
    template_key: str = Field(..., max_length=64)
    draft: bool = Field(
        False,
        description="A template that is always sealed is sealed on generation when you hold the seal; true asks "
        "for a draft to read first.",
    )


class DocumentOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    title: str
    status: str
    template_key: str = Field(validation_alias="template_version.template.key")
    template_version: int = Field(validation_alias="template_version.number")
    sha256: str
    signed_sha256: str


@router.post(
    "/verify",
    auth=None,
    response={200: VerifyOut, 413: ErrorOut, 422: ErrorOut},
    summary="Verify a signed PDF (multipart 'file')",
    operation_id="verify_document",
)
def verify(request: HttpRequest, file: File[UploadedFile]) -> dict[str, object]:
    if (file.size or 0) > MAX_VERIFY_BYTES:
        raise HttpError(413, "The file is larger than 20 MB")
    return verify_pdf(file.read()).as_dict()


@router.post(
    "",
    response={201: DocumentOut, **ERRORS},
    summary="Generate a document from a template (sealed at once where the template is always sealed)",
    operation_id="generate_document",
)
def generate(request: HttpRequest, payload: GenerateIn) -> Status[Document]:
    document = generate_document(
        actor=signed_in_user(request), case_id=payload.case_id, template_key=payload.template_key, draft=payload.draft
    )
    return Status(201, document)


@router.post(
    "/{document_id}/sign",
    response={200: DocumentOut, **ERRORS},
    summary="Seal and sign a draft",
    operation_id="sign_document",
)
def sign(request: HttpRequest, document_id: uuid.UUID) -> Document:
    return sign_document(actor=signed_in_user(request), document_id=document_id)


class ServeIn(Schema):
    groups: list[str] = Field(min_length=1, max_length=3)


class ServeOut(Schema):
    new_deliveries: int
    already_served: int
    queued: bool

    @staticmethod
    def resolve_new_deliveries(result: ServiceRequest) -> int:
        return len(result.created)


@router.post(
    "/{document_id}/serve",
    response={200: ServeOut, **ERRORS},
    summary="Serve a signed document on creditors, debtor and/or parties (idempotent per recipient)",
    operation_id="serve_document",
)
def serve(request: HttpRequest, document_id: uuid.UUID, payload: ServeIn) -> ServiceRequest:
    return serve_document(actor=signed_in_user(request), document_id=document_id, groups=payload.groups)
