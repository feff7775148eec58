"""Dossier pages: the catalogue, one entry's file, corrections. Glue only (exports: smartcourt.exports)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import DomainError
from smartcourt.core.lengths import fit
from smartcourt.core.uploads import JPEG, PDF, PNG
from smartcourt.core.web import form_error
from smartcourt.dossier.actions import file_correction
from smartcourt.dossier.forms import CorrectionForm
from smartcourt.dossier.models import DossierEntry
from smartcourt.dossier.policies import can_file_correction
from smartcourt.dossier.selectors import Dossier, dossier_for, get_entry_for

# Shown in the browser when asked (?inline=1); everything else is always a download.
INLINE_TYPES = {PDF, PNG, JPEG}


def _dossier(request: HttpRequest, case_id: uuid.UUID) -> Dossier:
    user = signed_in_user(request)
    return dossier_for(user, case_id)


@login_required
def catalogue(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    dossier = _dossier(request, case_id)
    entries = list(dossier.entries.prefetch_related("corrections"))
    user = signed_in_user(request)
    context = {"case": dossier.case, "entries": entries, "can_correct": can_file_correction(user, dossier.case)}
    return render(request, "dossier/catalogue.html", context)


@login_required
def correct(request: HttpRequest, case_id: uuid.UUID, number: int) -> HttpResponse:
    user = signed_in_user(request)
    entry = get_entry_for(user, case_id, number)
    if not can_file_correction(user, entry.case):
        raise Forbidden(_("Only court staff of this court file corrections"))
    status = 200
    if request.method == "POST":
        form = CorrectionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                correction = file_correction(
                    actor=user,
                    case_id=case_id,
                    corrects_number=number,
                    title=form.cleaned_data["title"],
                    note=form.cleaned_data["note"],
                    attachment=form.cleaned_data["attachment"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                filed = _("The correction is filed as no. %(number)d.") % {"number": correction.number}
                messages.success(request, filed)
                return redirect(f"{reverse('dossier:catalogue', args=[case_id])}#entry-{correction.number}")
        status = 422
    else:
        form = CorrectionForm(initial={"title": fit(DossierEntry, "title", f"更正：{entry.title}")})
    return render(request, "dossier/correct.html", {"case": entry.case, "entry": entry, "form": form}, status=status)


@login_required
def entry_file(request: HttpRequest, case_id: uuid.UUID, number: int) -> FileResponse:
    user = signed_in_user(request)
    entry = get_entry_for(user, case_id, number)
    if not entry.has_file:
        raise Http404(_("This dossier entry has no file"))
    inline = request.GET.get("inline") == "1" and entry.content_type in INLINE_TYPES
    response = FileResponse(
        default_storage.open(entry.file.name, "rb"),
        as_attachment=not inline,
        filename=entry.file_name or entry.file.name.rsplit("/", 1)[-1],
        content_type=entry.content_type or "application/octet-stream",
    )
    _harden(response)
    return response


def _harden(response: HttpResponse | FileResponse) -> None:
    # A filed file is never run as a page of this site, whatever it contains.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
