"""Export pages, the same for every kind (kinds.py): ask for an export (answered at once), follow its progress
(HTMX polling), download it. Glue only: the work is the background worker's."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import DomainError
from smartcourt.core.htmx import HtmxHttpRequest
from smartcourt.core.web import refused
from smartcourt.exports.actions import request_export
from smartcourt.exports.choices import UNFINISHED, ExportStatus
from smartcourt.exports.kinds import KINDS
from smartcourt.exports.models import ExportJob
from smartcourt.exports.selectors import get_export_for, recent_exports_for


@login_required
@require_POST
def start(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    kind = request.POST.get("kind", "")
    if kind not in KINDS:
        raise Http404(_("No such export"))
    try:
        subject_id = uuid.UUID(request.POST["subject"]) if request.POST.get("subject") else None
    except ValueError as exc:
        raise Http404(_("No such export")) from exc
    try:
        job = request_export(
            actor=signed_in_user(request),
            case_id=case_id,
            kind=kind,
            subject_id=subject_id,
            verify_url=request.build_absolute_uri(reverse("documents:verify")) if KINDS[kind].certified else "",
        )
    except DomainError as exc:
        refused(request, exc)  # NotFound and PermissionDenied are raised on, as 404 and 403
        return redirect(KINDS[kind].back(case_id, subject_id))
    return redirect("exports:job", case_id=case_id, job_id=job.pk)


def _job(request: HttpRequest, case_id: uuid.UUID, job_id: uuid.UUID) -> ExportJob:
    return get_export_for(signed_in_user(request), case_id, job_id)


@login_required
def job(request: HtmxHttpRequest, case_id: uuid.UUID, job_id: uuid.UUID) -> HttpResponse:
    export = _job(request, case_id, job_id)
    kind = KINDS[export.kind]
    context = {
        "job": export,
        "case": export.case,
        "running": export.status in UNFINISHED,
        "certified": kind.certified,
        "back_url": kind.back(export.case_id, export.subject_id),
        "back_label": kind.back_label,
    }
    if request.htmx and request.GET.get("part") == "progress":
        return render(request, "exports/job.html#progress", context)
    context["recent"] = recent_exports_for(signed_in_user(request), case_id)
    return render(request, "exports/job.html", context)


@login_required
def download(request: HttpRequest, case_id: uuid.UUID, job_id: uuid.UUID) -> FileResponse:
    export = _job(request, case_id, job_id)
    if export.status != ExportStatus.DONE:
        raise Http404(_("The export is not ready"))
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file_name,
        content_type=KINDS[export.kind].content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
