"""The template library, generated documents and the seals that sign them.

A template's text lives in immutable versions: an edit adds a version and moves ``current_version``; a
document keeps the version it was rendered from. A document's PDF is never rewritten: signing stores the
signed PDF beside the draft, and a correction is a new document.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict
from smartcourt.core.models import TimestampedModel, UUIDModel
from smartcourt.documents.choices import DeliveryStatus, DocumentStatus, Issuer


class DocumentTemplate(TimestampedModel):
    """One kind of document in the library (受理破产申请民事裁定书, 接管通知书, …)."""

    key = models.SlugField(max_length=64, unique=True, help_text="Stable key, e.g. acceptance_ruling.")
    name = models.CharField(max_length=100, help_text="Full name, e.g. 受理破产申请民事裁定书.")
    heading = models.CharField(max_length=40, help_text="Title printed on the document, e.g. 民事裁定书.")
    issuer = models.CharField(max_length=16, choices=Issuer.choices)
    node_keys = models.JSONField(default=list, blank=True, help_text="Rule-pack node keys it serves, e.g. ['N01'].")
    outputs = models.JSONField(
        default=list,
        blank=True,
        help_text="Node outputs a sealed document of this template provides, e.g. ['N03:acceptance_announcement'].",
    )
    always_sealed = models.BooleanField(
        default=False, help_text="Issued only sealed: sealed on generation when the one generating holds the seal."
    )
    current_version = models.ForeignKey(
        "TemplateVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["issuer", "key"]

    def __str__(self) -> str:
        return self.name


class TemplateVersion(UUIDModel):
    """An immutable text of a template: Django template language over the placeholders of document_context."""

    template = models.ForeignKey(DocumentTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="unique_template_version")]
        ordering = ["template", "-number"]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise Conflict("a template version is never changed; save a new version")
        super().save(*args, **kwargs)


class Seal(TimestampedModel):
    """An electronic seal of a court or an administrator firm: its image and its signing key and certificate."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="seals", help_text="Court or firm."
    )
    name = models.CharField(max_length=100, help_text="Text along the arc, e.g. 如东县人民法院.")
    purpose = models.CharField(max_length=40, blank=True, help_text="Text under the star, e.g. 破产案件专用章.")
    image_png = models.BinaryField(help_text="Seal image, red on transparent.")
    certificate_pem = models.TextField(help_text="Certificate issued by the platform CA.")
    key_pem = models.TextField(help_text="PKCS#8 private key, encrypted with a key derived from SECRET_KEY.")
    fingerprint = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the certificate (DER), hex.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    revocation_published_at = models.DateTimeField(
        null=True, blank=True, help_text="When the CA's status service (OCSP, CRL) confirmed the revocation."
    )

    class Meta:
        ordering = ["organisation", "created_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.purpose}".strip()


class Document(TimestampedModel):
    """A document generated for a case from one template version."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    template_version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    pdf = models.FileField(upload_to="documents/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    seal_box = models.JSONField(
        default=dict, help_text="Where the seal goes: {'page': 0-based, 'box': [x1, y1, x2, y2]} in PDF points."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dossier_entry = models.ForeignKey(
        "dossier.DossierEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_pdf = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seal = models.ForeignKey(Seal, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    signed_entry = models.ForeignKey(
        "dossier.DossierEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    archive_pdf = models.FileField(
        upload_to="documents/archive/%Y/%m/",
        blank=True,
        help_text="The signed PDF with its validation data and archive timestamps renewed (PAdES B-LTA); the "
        "signed PDF itself, as filed, is never rewritten.",
    )
    archive_sha256 = models.CharField(max_length=64, blank=True)
    archive_renewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Delivery(TimestampedModel):
    """Service of one signed document on one recipient (集中送达): one row per document and recipient, so
    serving twice changes nothing. The legal time of service is when the document reached the recipient's
    platform inbox or e-mail (Civil Procedure Law art. 90: 到达受送达人特定系统的日期)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="deliveries")
    recipient_key = models.CharField(max_length=80, help_text="user:<id> or party:<id>.")
    recipient_name = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    channels = models.JSONField(default=list, blank=True, help_text="Channels used: inbox, email, sms.")
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the e-mail went out; set once, so a retried delivery never resends it."
    )
    sms_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the SMS notice went out; set once, so a retry never resends it."
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True, help_text="First opened by the recipient.")
    served_at = models.DateTimeField(null=True, blank=True, help_text="Legal time of service.")
    proof_pdf = models.FileField(upload_to="documents/proofs/%Y/%m/", blank=True)
    proof_sha256 = models.CharField(max_length=64, blank=True)
    proof_entry = models.ForeignKey(
        "dossier.DossierEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "recipient_key"], name="unique_delivery_per_recipient"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["status"])]
        ordering = ["document", "recipient_name"]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.recipient_name}"
