"""Writes of the documents app: template versions, generated documents, seals and signatures."""

from __future__ import annotations

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from smartcourt.accounts.models import Organisation, User
from smartcourt.administrators.models import Appointment
from smartcourt.audit.actions import record_event
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.documents import pades
from smartcourt.documents.ca import issue_seal_certificate
from smartcourt.documents.choices import DocumentStatus, Issuer
from smartcourt.documents.context import document_context
from smartcourt.documents.engine import TemplateProblem, check_template
from smartcourt.documents.models import Document, DocumentTemplate, Seal, TemplateVersion
from smartcourt.documents.policies import can_edit_templates, can_generate, can_sign_with
from smartcourt.documents.rendering import document_html, render_pdf
from smartcourt.documents.seal_image import seal_png
from smartcourt.documents.selectors import active_seal, get_document_for, get_template
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind

MAX_BODY = 50_000
COURT_SEAL_PURPOSE = ""
FIRM_SEAL_PURPOSE = "管理人专用章"


def _checked_body(body: str) -> str:
    if not body.strip():
        raise DomainError("a template needs a body", field="body")
    if len(body) > MAX_BODY:
        raise DomainError(f"a template body is at most {MAX_BODY} characters", field="body")
    try:
        check_template(body)
    except TemplateProblem as problem:
        raise DomainError(str(problem), field="body", code="template_invalid") from problem
    return body


@transaction.atomic
def create_template(
    *, actor: User, key: str, name: str, heading: str, issuer: str, node_keys: list[str], body: str
) -> DocumentTemplate:
    """A new template with its first version. Court administrators only."""
    if not can_edit_templates(actor):
        raise PermissionDenied("Only a court administrator edits the template library")
    if issuer not in Issuer.values:
        raise DomainError("the issuer is the court or the administrator", field="issuer")
    if DocumentTemplate.objects.filter(key=key).exists():
        raise Conflict("a template with this key exists", field="key")
    _checked_body(body)
    template = DocumentTemplate.objects.create(
        key=key, name=name.strip(), heading=heading.strip(), issuer=issuer, node_keys=sorted(set(node_keys))
    )
    version = TemplateVersion.objects.create(
        template=template, number=1, body=body, created_by=actor, created_at=timezone.now()
    )
    template.current_version = version
    template.save(update_fields=["current_version", "updated_at"])
    record_event(actor=actor, action="documents.template_created", obj=template, after={"key": key, "version": 1})
    return template


@transaction.atomic
def save_template_version(*, actor: User, template_key: str, body: str, note: str = "") -> TemplateVersion:
    """A new version of the template's text, which becomes current. A body that does not check is refused
    with the line and the name at fault, and the current version stays."""
    if not can_edit_templates(actor):
        raise PermissionDenied("Only a court administrator edits the template library")
    template = get_template(template_key)
    _checked_body(body)
    template = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
    last = template.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = TemplateVersion.objects.create(
        template=template, number=last + 1, body=body, note=note[:200], created_by=actor, created_at=timezone.now()
    )
    previous = template.current_version_id
    template.current_version = version
    template.save(update_fields=["current_version", "updated_at"])
    record_event(
        actor=actor,
        action="documents.template_version_saved",
        obj=template,
        before={"version_id": str(previous) if previous else None},
        after={"version": version.number, "version_id": str(version.pk), "sha256": _sha(body.encode())},
    )
    return version


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def generate_document(*, actor: User, case_id: uuid.UUID | str, template_key: str) -> Document:
    """Render the template's current version for the case into a draft PDF and file it into the dossier."""
    case = get_case_for(actor, case_id)
    template = get_template(template_key)
    if not can_generate(actor, case, template.issuer):
        raise PermissionDenied("You may not generate this document for this case")
    version = template.current_version
    if version is None:
        raise DomainError("the template has no text yet", field="template_key")
    rendered = render_pdf(document_html(template, version.body, document_context(case)))
    title = f"{template.name}（{case.number}）"
    document = Document(
        case=case,
        template_version=version,
        title=title[:200],
        sha256=_sha(rendered.pdf),
        seal_box={"page": rendered.seal_page, "box": list(rendered.seal_box)},
        created_by=actor,
    )
    document.pdf.save(f"{template.key}-{case.pk}.pdf", ContentFile(rendered.pdf), save=False)
    document.save()
    entry = file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.DOCUMENT,
        title=f"{template.name}（草稿）",
        content=rendered.pdf,
        filename=f"{template.name}-草稿.pdf",
        content_type="application/pdf",
        source=document,
    )
    document.dossier_entry = entry
    document.save(update_fields=["dossier_entry", "updated_at"])
    record_event(
        actor=actor,
        action="documents.generated",
        case_id=case.pk,
        obj=document,
        after={"template": template.key, "version": version.number, "sha256": document.sha256},
    )
    return document


@transaction.atomic
def create_seal(*, actor: User | None, organisation: Organisation, purpose: str = "") -> Seal:
    """A new seal for a court or firm: its image and a key with a certificate from the platform CA."""
    name = organisation.name
    certificate_pem, key_pem, fingerprint = issue_seal_certificate(f"{name}{purpose}", name)
    seal = Seal.objects.create(
        organisation=organisation,
        name=name,
        purpose=purpose,
        image_png=seal_png(name, purpose),
        certificate_pem=certificate_pem,
        key_pem=key_pem,
        fingerprint=fingerprint,
    )
    record_event(actor=actor, action="documents.seal_created", obj=seal, after={"fingerprint": fingerprint})
    return seal


@transaction.atomic
def revoke_seal(*, actor: User, seal_id: uuid.UUID | str, reason: str) -> Seal:
    """Withdraw a seal: documents it signed verify as signed by a revoked seal from now on."""
    seal = Seal.objects.select_for_update().filter(pk=seal_id).first()
    if seal is None:
        raise NotFound("No such seal")
    if not (actor.is_active and actor.role == "court_admin" and actor.organisation_id == seal.organisation_id):
        raise PermissionDenied("Only the court administrator of the seal's court revokes it")
    if seal.revoked_at is not None:
        raise Conflict("the seal is already revoked")
    seal.revoked_at = timezone.now()
    seal.revoked_reason = reason[:200]
    seal.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
    record_event(actor=actor, action="documents.seal_revoked", obj=seal, after={"reason": seal.revoked_reason})
    return seal


def _seal_owner(document: Document) -> Organisation:
    if document.template_version.template.issuer == Issuer.COURT:
        return document.case.court
    appointment = Appointment.objects.filter(case=document.case).select_related("firm").first()
    if appointment is not None:
        return appointment.firm
    member = document.case.members.filter(role="administrator", organisation__isnull=False).first()
    if member is None or member.organisation is None:
        raise DomainError("no administrator firm is appointed on the case")
    return member.organisation


def _box(value: object) -> tuple[float, float, float, float]:
    if not isinstance(value, list) or len(value) != 4:
        raise DomainError("the document has no place for the seal")
    x1, y1, x2, y2 = (float(v) for v in value)
    return (x1, y1, x2, y2)


@transaction.atomic
def sign_document(*, actor: User, document_id: uuid.UUID | str) -> Document:
    """Seal a draft: the seal image over the signature block's date and a PAdES signature. The draft PDF
    stays as it was; the signed PDF is stored beside it and filed. A signed document is never signed again."""
    document = get_document_for(actor, document_id)
    document = (
        Document.objects.select_for_update()
        .select_related("case__court", "template_version__template")
        .get(pk=document.pk)
    )
    owner = _seal_owner(document)
    seal = active_seal(owner)
    if seal is None:
        seal = create_seal(
            actor=actor,
            organisation=owner,
            purpose=COURT_SEAL_PURPOSE if owner.pk == document.case.court_id else FIRM_SEAL_PURPOSE,
        )
    if not can_sign_with(actor, document.case, seal):
        raise PermissionDenied("You do not hold this seal")
    if document.status != DocumentStatus.DRAFT:
        raise Conflict("the document is already signed; a correction is a new document")
    with document.pdf.open("rb") as handle:
        draft = handle.read()
    if _sha(draft) != document.sha256:
        raise Conflict("the draft PDF does not match its recorded hash")
    signed = pades.sign_pdf(
        draft,
        certificate_pem=seal.certificate_pem,
        key_pem=seal.key_pem,
        image_png=bytes(seal.image_png),
        page=int(document.seal_box.get("page", 0)),
        box=_box(document.seal_box.get("box")),
        reason=document.template_version.template.name,
        name=str(seal),
        location=document.case.court.name,
    )
    document.signed_pdf.save(
        f"{document.template_version.template.key}-{document.pk}-signed.pdf", ContentFile(signed), save=False
    )
    document.signed_sha256 = _sha(signed)
    document.signed_at = timezone.now()
    document.signed_by = actor
    document.seal = seal
    document.status = DocumentStatus.SIGNED
    entry = file_entry(
        actor=actor,
        case=document.case,
        kind=EntryKind.DOCUMENT,
        title=document.template_version.template.name,
        content=signed,
        filename=f"{document.template_version.template.name}.pdf",
        content_type="application/pdf",
        source=document,
        note="已签章",
    )
    document.signed_entry = entry
    document.save()
    record_event(
        actor=actor,
        action="documents.signed",
        case_id=document.case_id,
        obj=document,
        after={"seal": str(seal.pk), "fingerprint": seal.fingerprint, "sha256": document.signed_sha256},
    )
    return document
