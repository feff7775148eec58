"""Reads of templates and documents, scoped to the user asking."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from smartcourt.accounts.models import Organisation, User
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import NotFound
from smartcourt.core.lookups import get_or_not_found
from smartcourt.documents.choices import DeliveryStatus
from smartcourt.documents.models import Delivery, Document, DocumentTemplate, Seal
from smartcourt.documents.policies import can_generate, can_read_documents


def templates() -> QuerySet[DocumentTemplate]:
    return DocumentTemplate.objects.select_related("current_version").order_by("issuer", "key")


def get_template(key: str) -> DocumentTemplate:
    return get_or_not_found(templates(), "No such template", key=key)


@dataclass(frozen=True)
class NodeDocument:
    """A template a node needs, and the documents already made from it for the case."""

    template: DocumentTemplate
    documents: list[Document]


def documents_for_node(case: Case, node_key: str) -> list[NodeDocument]:
    """The templates bound to ``node_key``, each with the case's documents made from it (newest first).
    Node keys are few and the library small: filtered here, as JSON containment differs between databases."""
    bound = [t for t in templates() if node_key in (t.node_keys or [])]
    made: dict[uuid.UUID, list[Document]] = {t.pk: [] for t in bound}
    for document in Document.objects.filter(case=case, template_version__template__in=bound).select_related(
        "template_version"
    ):
        made[document.template_version.template_id].append(document)
    return [NodeDocument(template=t, documents=made[t.pk]) for t in bound]


def node_documents_for(user: User, case: Case, node_key: str) -> list[NodeDocument]:
    """documents_for_node, for someone who may read the case's documents (else nothing); templates the user
    cannot generate are still listed, so a judge sees what the administrator owes."""
    if not can_read_documents(user, case):
        return []
    return documents_for_node(case, node_key)


def can_generate_template(user: User, case: Case, template: DocumentTemplate) -> bool:
    return can_generate(user, case, template.issuer)


def case_documents_for(user: User, case_id: uuid.UUID | str) -> tuple[Case, QuerySet[Document]]:
    case = get_case_for(user, case_id)
    if not can_read_documents(user, case):
        raise NotFound(_("No such case"))
    documents = Document.objects.filter(case=case).select_related("template_version__template", "seal")
    return case, documents


def get_document_for(user: User, document_id: uuid.UUID | str) -> Document:
    try:
        document = Document.objects.select_related("case__court", "template_version__template", "seal").get(
            pk=document_id
        )
    except (Document.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound("No such document") from exc
    get_case_for(user, document.case_id)
    if not can_read_documents(user, document.case):
        raise NotFound("No such document")
    return document


def active_seal(organisation: Organisation) -> Seal | None:
    return Seal.objects.filter(organisation=organisation, revoked_at__isnull=True).order_by("-created_at").first()


def preview_context(user: User, case_id: str | None) -> dict[str, object]:
    """The values a preview renders with: the chosen case's, if the user can see it; else sample values."""
    from smartcourt.documents.context import document_context, sample_context

    if case_id:
        try:
            return document_context(get_case_for(user, case_id))
        except NotFound:
            pass
    return sample_context()


def preview_cases(user: User) -> QuerySet[Case]:
    from smartcourt.cases.selectors import cases_visible_to

    return cases_visible_to(user).filter(proceeding__isnull=False).order_by("-filed_on")[:50]


def inbox_for(user: User) -> QuerySet[Delivery]:
    """Documents served on ``user``, newest first."""
    if not user.is_authenticated or not user.is_active:
        return Delivery.objects.none()
    return (
        Delivery.objects.filter(user=user, status="delivered")
        .select_related("document__case", "document__template_version__template")
        .order_by("-served_at")
    )


def served_document_for(user: User, document_id: uuid.UUID | str) -> Document:
    """The document, if ``user`` may serve it and so follow its service; who it was served on is not for the
    recipients to browse."""
    document = get_document_for(user, document_id)
    if not can_generate(user, document.case, document.template_version.template.issuer):
        raise NotFound("No such document")
    return document


def deliveries_of(document: Document) -> QuerySet[Delivery]:
    return document.deliveries.order_by("status", "recipient_name")


@dataclass(frozen=True)
class ServiceProgress:
    """Where the service of one document stands, counted over its deliveries."""

    total: int
    delivered: int
    failed: int
    pending: int
    opened: int

    @property
    def percent_delivered(self) -> int:
        return 0 if self.total == 0 else self.delivered * 100 // self.total

    @property
    def percent_failed(self) -> int:
        """The failed share, drawn in red next to the delivered share: finished, but not served."""
        return 0 if self.total == 0 else self.percent_done - self.percent_delivered

    @property
    def percent_done(self) -> int:
        """Delivered or failed (finished either way), as a whole percentage for the progress bar."""
        return 100 if self.total == 0 else (self.delivered + self.failed) * 100 // self.total


def service_progress(document: Document) -> ServiceProgress:
    counts = document.deliveries.aggregate(
        total=Count("pk"),
        delivered=Count("pk", filter=Q(status=DeliveryStatus.DELIVERED)),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
    )
    return ServiceProgress(
        total=counts["total"],
        delivered=counts["delivered"],
        failed=counts["failed"],
        pending=counts["total"] - counts["delivered"] - counts["failed"],
        opened=counts["opened"],
    )
