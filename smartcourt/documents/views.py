"""Documents pages: the template library (list, edit with a live preview, new), a case's documents
(generate, sign, download) and the public verification page. Glue only."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import DomainError
from smartcourt.core.htmx import HtmxHttpRequest
from smartcourt.core.web import form_error, refused
from smartcourt.documents.actions import (
    create_template,
    generate_document,
    open_delivery,
    retry_delivery,
    save_template_version,
    serve_document,
    sign_document,
)
from smartcourt.documents.choices import DeliveryStatus, DocumentStatus
from smartcourt.documents.context import PLACEHOLDERS
from smartcourt.documents.docx import docx_draft
from smartcourt.documents.engine import TemplateProblem, render_body
from smartcourt.documents.forms import TemplateCreateForm, TemplateVersionForm, VerifyForm
from smartcourt.documents.models import Delivery
from smartcourt.documents.policies import can_edit_templates, can_generate, can_view_templates
from smartcourt.documents.selectors import (
    case_documents_for,
    deliveries_of,
    get_document_for,
    get_template,
    inbox_for,
    preview_cases,
    preview_context,
    served_document_for,
    service_progress,
    templates,
)
from smartcourt.documents.signature_check import verify_pdf

MAX_VERIFY_BYTES = 20 * 1024 * 1024
DELIVERIES_PER_PAGE = 50
RECIPIENTS_SHOWN = 6
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def library(request: HttpRequest) -> HttpResponse:
    if not can_view_templates(signed_in_user(request)):
        raise Http404(_("No such page"))
    context = {"templates": templates(), "can_edit": can_edit_templates(signed_in_user(request))}
    return render(request, "documents/library.html", context)


@login_required
def edit_template(request: HttpRequest, key: str) -> HttpResponse:
    user = signed_in_user(request)
    if not can_view_templates(user):
        raise Http404(_("No such page"))
    template = get_template(key)
    current = template.current_version
    form = TemplateVersionForm(request.POST or None, initial={"body": current.body if current else ""})
    if request.method == "POST":
        if not can_edit_templates(user):
            raise Forbidden
        if form.is_valid():
            try:
                version = save_template_version(
                    actor=user, template_key=key, body=form.cleaned_data["body"], note=form.cleaned_data["note"]
                )
            except DomainError as exc:
                form.add_error("body", exc.message)
            else:
                messages.success(request, _("Saved as version %(number)d.") % {"number": version.number})
                return redirect("documents:edit_template", key=key)
    context = {
        "template": template,
        "form": form,
        "versions": template.versions.select_related("created_by")[:20],
        "placeholders": PLACEHOLDERS,
        "cases": preview_cases(user),
        "can_edit": can_edit_templates(user),
    }
    return render(request, "documents/edit_template.html", context)


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_view_templates(user):
        raise Http404(_("No such page"))
    body = request.POST.get("body", "")
    context = preview_context(user, request.POST.get("case") or None)
    html: str = ""
    problem: str | None = None
    try:
        html = render_body(body, context)
    except TemplateProblem as exc:
        problem = str(exc)
    return render(request, "documents/_preview.html", {"html": html, "problem": problem})


@login_required
def new_template(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_edit_templates(user):
        raise Http404(_("No such page"))
    form = TemplateCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = create_template(actor=user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            return redirect("documents:edit_template", key=template.key)
    return render(request, "documents/new_template.html", {"form": form, "placeholders": PLACEHOLDERS})


@login_required
def case_documents(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case, documents = case_documents_for(user, case_id)
    if request.method == "POST":
        try:
            document = generate_document(
                actor=user,
                case_id=case.pk,
                template_key=request.POST.get("template", ""),
                draft=request.POST.get("draft") == "1",
            )
        except DomainError as exc:
            refused(request, exc)
        else:
            if document.status == DocumentStatus.SIGNED:
                messages.success(request, _("The document was generated, sealed and filed into the dossier."))
            else:
                messages.success(request, _("The draft was generated and filed into the dossier."))
        return redirect("documents:case", case_id=case.pk)
    available = [t for t in templates() if can_generate(user, case, t.issuer)]
    first_recipients = Delivery.objects.order_by("recipient_name")[:RECIPIENTS_SHOWN]
    # A few recipients by name on this page; the whole list, with progress and failures, is on the service page.
    documents = documents.annotate(
        delivery_count=Count("deliveries"),
        delivered_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
        failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
    ).prefetch_related(Prefetch("deliveries", queryset=first_recipients, to_attr="first_deliveries"))
    # The service page is for those who may serve the document (served_document_for): the link follows the same rule.
    issuers = {t.issuer for t in available}
    context = {"case": case, "documents": documents, "available": available, "may_serve": issuers}
    return render(request, "documents/case.html", context)


@login_required
@require_POST
def serve(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    try:
        document = get_document_for(user, document_id)
        result = serve_document(actor=user, document_id=document_id, groups=request.POST.getlist("groups"))
    except DomainError as exc:
        refused(request, exc)
    else:
        if result.queued:
            messages.success(
                request, _("Service to %(count)d recipients runs in the background.") % {"count": len(result.created)}
            )
        else:
            messages.success(
                request,
                _("Served on %(count)d new recipients; %(already)d had been served before.")
                % {"count": len(result.created), "already": result.already_served},
            )
    return redirect("documents:case", case_id=document.case_id)


@login_required
def service(request: HtmxHttpRequest, document_id: uuid.UUID) -> HttpResponse:
    """The service of one document: progress while the background job runs, every delivery, the failures."""
    document = served_document_for(signed_in_user(request), document_id)
    progress = service_progress(document)
    if request.htmx and request.GET.get("part") == "progress":
        return render(request, "documents/service.html#progress", {"document": document, "progress": progress})
    status = request.GET.get("status", "")
    deliveries = deliveries_of(document)
    if status in DeliveryStatus.values:
        deliveries = deliveries.filter(status=status)
    else:
        status = ""
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "document": document,
        "progress": progress,
        "page": page,
        "status": status,
        "statuses": DeliveryStatus.choices,
    }
    return render(request, "documents/service.html", context)


@login_required
@require_POST
def retry(request: HttpRequest, document_id: uuid.UUID, delivery_id: uuid.UUID) -> HttpResponse:
    try:
        delivery = retry_delivery(actor=signed_in_user(request), delivery_id=delivery_id)
    except DomainError as exc:
        refused(request, exc)
    else:
        if delivery.status == DeliveryStatus.DELIVERED:
            messages.success(request, _("Served on %(name)s.") % {"name": delivery.recipient_name})
        else:
            failure = {"name": delivery.recipient_name, "error": delivery.last_error}
            messages.error(request, _("Service on %(name)s failed again: %(error)s") % failure)
    return redirect("documents:service", document_id=document_id)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "documents/inbox.html", {"deliveries": inbox_for(signed_in_user(request))})


@login_required
def inbox_open(request: HttpRequest, delivery_id: uuid.UUID) -> FileResponse:
    delivery = open_delivery(actor=signed_in_user(request), delivery_id=delivery_id)
    document = delivery.document
    response = FileResponse(document.signed_pdf.open("rb"), content_type="application/pdf")
    disposition = content_disposition_header(as_attachment=False, filename=f"{document.title}.pdf")
    if disposition:
        response["Content-Disposition"] = disposition
    return response


@login_required
@require_POST
def sign(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    try:
        document = sign_document(actor=user, document_id=document_id)
    except DomainError as exc:
        refused(request, exc)
        document = get_document_for(user, document_id)
    else:
        messages.success(request, _("The document was sealed and signed."))
    return redirect("documents:case", case_id=document.case_id)


@login_required
def document_pdf(request: HttpRequest, document_id: uuid.UUID) -> FileResponse:
    document = get_document_for(signed_in_user(request), document_id)
    field = document.signed_pdf if document.signed_pdf and not request.GET.get("draft") else document.pdf
    response = FileResponse(field.open("rb"), content_type="application/pdf")
    disposition = content_disposition_header(
        as_attachment=not request.GET.get("inline"), filename=f"{document.title}.pdf"
    )
    if disposition:
        response["Content-Disposition"] = disposition
    return response


@login_required
def document_docx(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    """The editable DOCX draft, for whoever may generate the document."""
    user = signed_in_user(request)
    document = get_document_for(user, document_id)
    if not can_generate(user, document.case, document.template_version.template.issuer):
        raise Http404(_("No such document"))
    response = HttpResponse(docx_draft(document), content_type=DOCX_TYPE)
    disposition = content_disposition_header(as_attachment=True, filename=f"{document.title}.docx")
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def verify(request: HttpRequest) -> HttpResponse:
    """Public: anyone may check a document they were given."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_VERIFY_BYTES:
            form.add_error("file", _("The file is larger than 20 MB."))
        else:
            report = verify_pdf(upload.read())
    return render(request, "documents/verify.html", {"form": form, "report": report})
