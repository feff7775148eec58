"""Pages of requests and reports: the list on a case, a new one, a thread with its answer form. Glue only."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import Conflict, DomainError
from smartcourt.core.web import form_error
from smartcourt.correspondence.actions import answer_thread, resubmit, submit_report, submit_request
from smartcourt.correspondence.choices import ThreadKind
from smartcourt.correspondence.forms import AnswerForm, ResubmitForm, ThreadForm
from smartcourt.correspondence.models import Thread
from smartcourt.correspondence.policies import can_answer, can_resubmit, can_submit, decisions_open_to
from smartcourt.correspondence.selectors import CaseThreads, get_thread_for, thread_messages, threads_for


def _case_threads(request: HttpRequest, case_id: uuid.UUID) -> CaseThreads:
    return threads_for(signed_in_user(request), case_id)


def _thread(request: HttpRequest, case_id: uuid.UUID, thread_id: uuid.UUID) -> Thread:
    return get_thread_for(signed_in_user(request), thread_id, case_id=case_id)


@login_required
def thread_list(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case_threads = _case_threads(request, case_id)
    context = {
        "case": case_threads.case,
        "threads": case_threads.threads,
        "can_submit": can_submit(signed_in_user(request), case_threads.case),
    }
    return render(request, "correspondence/thread_list.html", context)


@login_required
def new_thread(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = _case_threads(request, case_id).case
    if not can_submit(user, case):
        raise Forbidden(_("Only the administrator appointed on this case submits requests and reports"))
    status = 200
    if request.method == "POST":
        form = ThreadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            action = submit_request if data["kind"] == ThreadKind.REQUEST else submit_report
            try:
                thread = action(
                    actor=user,
                    case_id=case.pk,
                    subject=data["subject"],
                    body=data["body"],
                    attachments=data["attachments"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Submitted to the court and filed in the dossier."))
                return redirect("correspondence:detail", case_id=case.pk, thread_id=thread.pk)
        status = 422
    else:
        kind = request.GET.get("kind")
        form = ThreadForm(initial={"kind": kind if kind in ThreadKind.values else ThreadKind.REQUEST})
    return render(request, "correspondence/thread_new.html", {"case": case, "form": form}, status=status)


@login_required
def thread_detail(request: HttpRequest, case_id: uuid.UUID, thread_id: uuid.UUID) -> HttpResponse:
    return _thread_page(request, _thread(request, case_id, thread_id))


def _thread_page(
    request: HttpRequest,
    thread: Thread,
    *,
    answer_form: AnswerForm | None = None,
    resubmit_form: ResubmitForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    decisions = decisions_open_to(user, thread)
    if answer_form is None and decisions:
        answer_form = AnswerForm(decisions=decisions, initial={"version": thread.version})
    if resubmit_form is None and can_resubmit(user, thread):
        resubmit_form = ResubmitForm(initial={"version": thread.version})
    context: dict[str, Any] = {
        "case": thread.case,
        "thread": thread,
        "thread_messages": thread_messages(thread),
        "answer_form": answer_form if decisions else None,
        "resubmit_form": resubmit_form if can_resubmit(user, thread) else None,
    }
    return render(request, "correspondence/thread_detail.html", context, status=status)


@login_required
@require_POST
def answer(request: HttpRequest, case_id: uuid.UUID, thread_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    thread = _thread(request, case_id, thread_id)
    if not can_answer(user, thread):
        raise Forbidden(_("Only a judge sitting on this case answers its requests and reports"))
    decisions = decisions_open_to(user, thread)
    if not decisions:
        return _no_longer_open(request, thread)
    form = AnswerForm(request.POST, decisions=decisions)
    if not form.is_valid():
        return _thread_page(request, thread, answer_form=form, status=422)
    try:
        answer_thread(
            actor=user,
            thread_id=thread.pk,
            decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"],
            version=form.cleaned_data["version"],
        )
    except Conflict as exc:
        messages.error(request, exc.message)
        return _back(thread)
    except DomainError as exc:
        form_error(form, exc)
        return _thread_page(request, thread, answer_form=form, status=422)
    messages.success(request, _("Your answer is recorded and filed in the dossier."))
    return _back(thread)


@login_required
@require_POST
def resubmit_view(request: HttpRequest, case_id: uuid.UUID, thread_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    thread = _thread(request, case_id, thread_id)
    if not can_submit(user, thread.case):
        raise Forbidden(_("Only the administrator appointed on this case resubmits its requests"))
    if not can_resubmit(user, thread):
        return _no_longer_open(request, thread)
    form = ResubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        return _thread_page(request, thread, resubmit_form=form, status=422)
    try:
        resubmit(
            actor=user,
            thread_id=thread.pk,
            body=form.cleaned_data["body"],
            attachments=form.cleaned_data["attachments"],
            version=form.cleaned_data["version"],
        )
    except Conflict as exc:
        messages.error(request, exc.message)
        return _back(thread)
    except DomainError as exc:
        form_error(form, exc)
        return _thread_page(request, thread, resubmit_form=form, status=422)
    messages.success(request, _("Resubmitted to the court and filed in the dossier."))
    return _back(thread)


def _no_longer_open(request: HttpRequest, thread: Thread) -> HttpResponse:
    # Typically someone else answered meanwhile: show the thread as it is now.
    messages.error(request, _("This request or report is no longer open to that; it is shown as it is now."))
    return _back(thread)


def _back(thread: Thread) -> HttpResponseRedirect:
    return redirect("correspondence:detail", case_id=thread.case_id, thread_id=thread.pk)
