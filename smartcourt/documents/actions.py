"""Writes of the documents app: template versions, generated documents, seals and signatures."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from smartcourt.accounts.models import Organisation, User
from smartcourt.administrators.models import Appointment
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.generated import provide_sealed_document
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.lengths import check_length, fit
from smartcourt.documents import pades
from smartcourt.documents.ca import issue_seal_certificate
from smartcourt.documents.choices import Channel, DeliveryStatus, DocumentStatus, Issuer
from smartcourt.documents.context import document_context
from smartcourt.documents.engine import TemplateProblem, check_template
from smartcourt.documents.errors import DocumentError
from smartcourt.documents.models import Delivery, Document, DocumentTemplate, Seal, TemplateVersion
from smartcourt.documents.policies import can_edit_templates, can_generate, can_sign_with
from smartcourt.documents.rendering import document_html, render_pdf
from smartcourt.documents.seal_image import seal_png
from smartcourt.documents.selectors import active_seal, get_document_for, get_template, served_document_for
from smartcourt.documents.service import GROUPS, proof_pdf, recipients_for
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry
from smartcourt.services.sms import sms_adapter

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
        raise DomainError(str(problem), field="body", code=DocumentError.TEMPLATE_INVALID) from problem
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
    note = check_length(TemplateVersion, "note", note, label=_("The note on the version"))
    template = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
    last = template.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = TemplateVersion.objects.create(
        template=template, number=last + 1, body=body, note=note, created_by=actor, created_at=timezone.now()
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
def generate_document(*, actor: User, case_id: uuid.UUID | str, template_key: str, draft: bool = False) -> Document:
    """Render the template's current version for the case into a draft PDF and file it into the dossier.

    A template that is always sealed is sealed in the same step when ``actor`` holds the seal (issue 15.19),
    unless ``draft`` asks for a draft to read first; the sealed copy then provides the node outputs the
    template names."""
    case = get_case_for(actor, case_id)
    template = get_template(template_key)
    if not can_generate(actor, case, template.issuer, template.key):
        raise PermissionDenied("You may not generate this document for this case")
    version = template.current_version
    if version is None:
        raise DomainError("the template has no text yet", field="template_key")
    rendered = render_pdf(document_html(template, version.body, document_context(case)))
    title = f"{template.name}（{case.number}）"
    document = Document(
        case=case,
        template_version=version,
        title=fit(Document, "title", title),
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
    if template.always_sealed and not draft:
        # Issued only sealed (issue 15.19): whoever holds the seal gets the sealed document in the same step.
        # Someone who does not (a judge assistant drafting a ruling) leaves the draft for the one who does.
        try:
            with transaction.atomic():
                return sign_document(actor=actor, document_id=document.pk)
        except PermissionDenied:
            pass
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
    reason = check_length(
        Seal, "revoked_reason", reason, label=_("The reason for the revocation"), input_field="reason"
    )
    seal.revoked_at = timezone.now()
    seal.revoked_reason = reason
    seal.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
    record_event(actor=actor, action="documents.seal_revoked", obj=seal, after={"reason": seal.revoked_reason})
    # The CA's status service learns of it too, so that a validator asking the CA (OCSP, CRL) hears "revoked".
    transaction.on_commit(lambda: _queue_revocation(seal.pk))
    return seal


def _queue_revocation(seal_id: uuid.UUID) -> None:
    from smartcourt.documents.tasks import publish_revocation

    publish_revocation(str(seal_id))


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
        # Lock the document row only: PostgreSQL cannot lock the nullable side of the joins.
        Document.objects.select_for_update(of=("self",))
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
    if not can_sign_with(actor, document.case, seal, document.template_version.template.key):
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
    template = document.template_version.template
    # The sealed copy is the node's output where the template is the document the node asks for (15.19).
    provided = provide_sealed_document(
        actor=actor,
        case=document.case,
        outputs=list(template.outputs or []),
        issuer=template.issuer,
        entry=entry,
        title=template.name,
    )
    record_event(
        actor=actor,
        action="documents.signed",
        case_id=document.case_id,
        obj=document,
        after={
            "seal": str(seal.pk),
            "fingerprint": seal.fingerprint,
            "sha256": document.signed_sha256,
            "node_outputs": [f"{item.node_key}:{item.output_key}" for item in provided if item.output is not None],
        },
    )
    return document


# Up to this many new deliveries are made while the server answers; more go to a background job.
SYNC_DELIVERY_LIMIT = 20
MAX_DELIVERY_ATTEMPTS = 5


@dataclass(frozen=True)
class ServiceRequest:
    created: list[uuid.UUID]
    already_served: int
    queued: bool


def _issuer_name(document: Document) -> str:
    return document.seal.organisation.name if document.seal is not None else document.case.court.name


def serve_document(*, actor: User, document_id: uuid.UUID | str, groups: list[str] | tuple[str, ...]) -> ServiceRequest:
    """Serve a signed document on every recipient of ``groups`` at once (集中送达). One delivery per
    recipient: serving again adds only recipients not yet served. Deliveries are made now when few, else by
    the background job; either way each ends delivered or failed (listed for the clerk, retried)."""
    created = _register_deliveries(actor=actor, document_id=document_id, groups=groups)
    queued = len(created.created) > SYNC_DELIVERY_LIMIT
    if queued:
        from smartcourt.documents.tasks import deliver_batch

        deliver_batch([str(pk) for pk in created.created])
    else:
        for pk in created.created:
            deliver(delivery_id=pk)
    return ServiceRequest(created=created.created, already_served=created.already_served, queued=queued)


@transaction.atomic
def _register_deliveries(
    *, actor: User, document_id: uuid.UUID | str, groups: list[str] | tuple[str, ...]
) -> ServiceRequest:
    document = get_document_for(actor, document_id)
    template = document.template_version.template
    if not can_generate(actor, document.case, template.issuer, template.key):
        raise PermissionDenied("You may not serve this document")
    if document.status == DocumentStatus.DRAFT:
        raise Conflict("only a signed document is served")
    unknown = set(groups) - set(GROUPS)
    if unknown or not groups:
        raise DomainError(f"recipients are chosen from {', '.join(GROUPS)}", field="groups")
    recipients = recipients_for(document.case, tuple(groups))
    existing = set(Delivery.objects.filter(document=document).values_list("recipient_key", flat=True))
    new = [
        Delivery(
            document=document,
            recipient_key=r.key,
            recipient_name=r.name,
            user=r.user,
            email=r.email,
            phone=r.phone,
            requested_by=actor,
        )
        for r in recipients
        if r.key not in existing
    ]
    Delivery.objects.bulk_create(new, ignore_conflicts=True)
    keys = [d.recipient_key for d in new]
    created = list(Delivery.objects.filter(document=document, recipient_key__in=keys).values_list("pk", flat=True))
    if document.status == DocumentStatus.SIGNED:
        document.status = DocumentStatus.SERVED
        document.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        action="documents.service_requested",
        case_id=document.case_id,
        obj=document,
        after={"groups": sorted(groups), "new_recipients": len(created), "already_served": len(recipients) - len(new)},
    )
    return ServiceRequest(created=created, already_served=len(recipients) - len(new), queued=False)


# A delivery's failure is stored as the untranslated message (shown translated, see document_filters.service_error);
# anything else that failed is technical: stored for the log, shown to people as "retried automatically".
NO_ELECTRONIC_ADDRESS = gettext_noop("no electronic address: serve by another method")
SERVICE_ERRORS = frozenset({NO_ELECTRONIC_ADDRESS})


def deliver(*, delivery_id: uuid.UUID | str) -> Delivery:
    """Make one delivery: inbox, e-mail and SMS as the recipient has them, then the signed service proof filed
    into the dossier. A delivered row is left alone; a failure is recorded for the clerk and retried.

    E-mail and SMS cannot be taken back by a rollback, so each is sent in its own step that commits when it went
    out: a retry after a later failure (the proof, the dossier) sends nothing twice."""
    try:
        _send_once(delivery_id=delivery_id, channel=Channel.EMAIL)
        _send_once(delivery_id=delivery_id, channel=Channel.SMS)
        return _deliver(delivery_id=delivery_id)
    except DomainError as exc:
        return _record_failure(delivery_id=delivery_id, error=exc.message)
    except Exception as exc:
        return _record_failure(delivery_id=delivery_id, error=f"{type(exc).__name__}: {exc}")


@transaction.atomic
def _send_once(*, delivery_id: uuid.UUID | str, channel: str) -> None:
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("document__case__court", "document__template_version__template")
        .get(pk=delivery_id)
    )
    if delivery.status == DeliveryStatus.DELIVERED:
        return
    document = delivery.document
    if channel == Channel.EMAIL and delivery.email and delivery.email_sent_at is None:
        send_mail(
            subject=f"{document.case.court.name}送达：{document.template_version.template.name}",
            message=(
                f"{delivery.recipient_name}：\n{document.case.number}案的《{document.template_version.template.name}》"
                "已向您电子送达，请登录平台收件箱查阅。"
            ),
            from_email=None,
            recipient_list=[delivery.email],
        )
        delivery.email_sent_at = timezone.now()
        delivery.save(update_fields=["email_sent_at", "updated_at"])
    elif channel == Channel.SMS and delivery.phone and delivery.sms_sent_at is None:
        sms_adapter().send(
            delivery.phone,
            f"【{document.case.court.name}】{document.case.number}案文书已向您电子送达，请登录平台查阅。",
        )
        delivery.sms_sent_at = timezone.now()
        delivery.save(update_fields=["sms_sent_at", "updated_at"])


@transaction.atomic
def _deliver(*, delivery_id: uuid.UUID | str) -> Delivery:
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("document__case__court", "document__template_version__template", "document__seal__organisation")
        .get(pk=delivery_id)
    )
    if delivery.status == DeliveryStatus.DELIVERED:
        return delivery
    document = delivery.document
    now = timezone.now()
    channels: list[str] = []
    if delivery.user_id is not None:
        channels.append(Channel.INBOX)
    if delivery.email_sent_at is not None:
        channels.append(Channel.EMAIL)
    if delivery.sms_sent_at is not None:
        channels.append(Channel.SMS)
    delivery.attempts += 1
    if not channels:
        raise DomainError(NO_ELECTRONIC_ADDRESS)
    delivery.channels = channels
    delivery.sent_at = min(t for t in (now, delivery.email_sent_at, delivery.sms_sent_at) if t is not None)
    # SMS alone only tells the recipient the document exists; service is by inbox or e-mail.
    reached = Channel.INBOX in channels or Channel.EMAIL in channels
    if not reached:
        raise DomainError("only an SMS notice could be sent: serve by another method")
    delivery.delivered_at = now
    # The legal time of service is when the document reached the recipient's system: the inbox now, or the
    # e-mail when that was the only way (Civil Procedure Law art. 90).
    delivery.served_at = now if Channel.INBOX in channels else delivery.email_sent_at
    delivery.status = DeliveryStatus.DELIVERED
    delivery.last_error = ""
    seal = document.seal
    assert seal is not None
    rendered = proof_pdf(delivery, issuer_name=_issuer_name(document))
    signed = pades.sign_pdf(
        rendered.pdf,
        certificate_pem=seal.certificate_pem,
        key_pem=seal.key_pem,
        image_png=bytes(seal.image_png),
        page=rendered.seal_page,
        box=rendered.seal_box,
        reason="送达回证",
        name=str(seal),
        location=document.case.court.name,
    )
    delivery.proof_pdf.save(f"proof-{delivery.pk}.pdf", ContentFile(signed), save=False)
    delivery.proof_sha256 = _sha(signed)
    delivery.proof_entry = file_entry(
        actor=delivery.requested_by,
        case=document.case,
        kind=EntryKind.DOCUMENT,
        title=fit(
            DossierEntry, "title", f"送达回证（{document.template_version.template.name}，{delivery.recipient_name}）"
        ),
        content=signed,
        filename=f"送达回证-{delivery.recipient_name}.pdf",
        content_type="application/pdf",
        source=delivery,
    )
    delivery.save()
    record_event(
        actor=None,
        action="documents.served",
        case_id=document.case_id,
        obj=delivery,
        after={"recipient": delivery.recipient_key, "channels": channels, "served_at": now.isoformat()},
    )
    return delivery


@transaction.atomic
def _record_failure(*, delivery_id: uuid.UUID | str, error: str) -> Delivery:
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    delivery.attempts += 1
    delivery.status = DeliveryStatus.FAILED
    # The column keeps what fits, visibly shortened; the audit event below keeps the whole text.
    delivery.last_error = fit(Delivery, "last_error", error)
    delivery.save(update_fields=["attempts", "status", "last_error", "updated_at"])
    record_event(
        actor=None,
        action="documents.service_failed",
        case_id=delivery.document.case_id,
        obj=delivery,
        after={"recipient": delivery.recipient_key, "error": error, "attempts": delivery.attempts},
    )
    return delivery


def retry_failed_deliveries() -> int:
    """Try failed deliveries again, up to MAX_DELIVERY_ATTEMPTS each; returns how many are now delivered."""
    delivered = 0
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED, attempts__lt=MAX_DELIVERY_ATTEMPTS)
    for pk in failed.values_list("pk", flat=True):
        if deliver(delivery_id=pk).status == DeliveryStatus.DELIVERED:
            delivered += 1
    return delivered


def retry_delivery(*, actor: User, delivery_id: uuid.UUID | str) -> Delivery:
    """The clerk tries a failed delivery again now (after correcting the recipient's address, say), also past
    the automatic retries' limit. The try itself is recorded as any delivery is."""
    _authorise_retry(actor=actor, delivery_id=delivery_id)
    return deliver(delivery_id=delivery_id)


@transaction.atomic
def _authorise_retry(*, actor: User, delivery_id: uuid.UUID | str) -> None:
    delivery = Delivery.objects.select_for_update().select_related("document").filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound("No such delivery")
    # Who may not serve the document does not learn its deliveries exist.
    document = served_document_for(actor, delivery.document_id)
    if delivery.status != DeliveryStatus.FAILED:
        raise Conflict("only a failed delivery is tried again")
    record_event(
        actor=actor,
        action="documents.service_retried",
        case_id=document.case_id,
        obj=delivery,
        after={"recipient": delivery.recipient_key, "attempts": delivery.attempts},
    )


@transaction.atomic
def open_delivery(*, actor: User, delivery_id: uuid.UUID | str) -> Delivery:
    """The recipient opens a served document in the inbox; the first opening is recorded."""
    delivery = Delivery.objects.select_for_update().filter(pk=delivery_id, user=actor).first()
    if delivery is None or not actor.is_active or delivery.status != DeliveryStatus.DELIVERED:
        raise NotFound("No such document")
    if delivery.opened_at is None:
        delivery.opened_at = timezone.now()
        delivery.save(update_fields=["opened_at", "updated_at"])
        record_event(actor=actor, action="documents.opened", case_id=delivery.document.case_id, obj=delivery)
    return delivery
