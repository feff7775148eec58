"""Reads of requests and reports, always scoped to the user asking."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import cases_visible_to, get_case_for
from smartcourt.core.errors import NotFound
from smartcourt.correspondence.models import Message, Thread
from smartcourt.correspondence.policies import can_read_threads
from smartcourt.dossier.models import DossierEntry


@dataclass(frozen=True)
class CaseThreads:
    case: Case
    threads: QuerySet[Thread]


def threads_for(user: User, case_id: uuid.UUID | str) -> CaseThreads:
    """The case's threads, newest first, if ``user`` may read them; NotFound otherwise."""
    case = get_case_for(user, case_id)
    if not can_read_threads(user, case):
        raise NotFound(_("No such case"))
    threads = Thread.objects.filter(case=case).select_related("submitted_by", "firm").order_by("-created_at")
    return CaseThreads(case=case, threads=threads)


def get_thread_for(user: User, thread_id: uuid.UUID | str, *, case_id: uuid.UUID | str | None = None) -> Thread:
    """One thread ``user`` may read (and, when ``case_id`` is given, of that case); NotFound otherwise."""
    try:
        thread = Thread.objects.select_related("case", "case__court", "submitted_by", "firm").get(
            pk=thread_id, case__in=cases_visible_to(user)
        )
    except (Thread.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound("No such request or report") from exc
    if (case_id is not None and str(thread.case_id) != str(case_id)) or not can_read_threads(user, thread.case):
        raise NotFound("No such request or report")
    return thread


def thread_messages(thread: Thread) -> QuerySet[Message]:
    """The thread's messages, oldest first, with their dossier entries. The caller has checked access."""
    attachments = Prefetch("attachments", queryset=DossierEntry.objects.order_by("number"))
    return thread.messages.select_related("author", "record").prefetch_related(attachments).order_by("created_at")
