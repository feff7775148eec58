"""Requests and reports over the JSON API. Glue only: parse, call one action or selector, shape the answer.

New requests, reports and resubmissions are ``multipart/form-data`` (fields plus files under ``attachments``);
answers are JSON."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from smartcourt.accounts.models import User
from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import DomainError
from smartcourt.core.schemas import ERRORS
from smartcourt.core.uploads import CheckedFile, checked_upload
from smartcourt.correspondence.actions import (
    MAX_ATTACHMENTS,
    answer_thread,
    resubmit,
    submit_report,
    submit_request,
)
from smartcourt.correspondence.choices import ThreadKind
from smartcourt.correspondence.models import Message, Thread
from smartcourt.correspondence.policies import decisions_open_to
from smartcourt.correspondence.schemas import CorrespondenceAnswerIn, ResubmitIn, ThreadDetailOut, ThreadIn, ThreadOut
from smartcourt.correspondence.selectors import get_thread_for, thread_messages, threads_for
from smartcourt.dossier.models import DossierEntry

router = Router(tags=["requests and reports"])


def _checked(files: list[UploadedFile] | None) -> list[CheckedFile]:
    files = files or []
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError(f"At most {MAX_ATTACHMENTS} attachments", field="attachments")
    return [checked_upload(upload, field="attachments") for upload in files]


@router.get(
    "/cases/{case_id}/threads",
    response={200: list[ThreadOut], **ERRORS},
    summary="Requests and reports of a case, newest first",
    operation_id="list_threads",
)
def list_threads(request: HttpRequest, case_id: uuid.UUID) -> list[dict[str, Any]]:
    return [_thread(thread) for thread in threads_for(signed_in_user(request), case_id).threads]


@router.post(
    "/cases/{case_id}/threads",
    response={201: ThreadDetailOut, **ERRORS},
    summary="Submit a request or report (the appointed administrator), filed into the dossier at once",
    operation_id="submit_thread",
)
def submit_thread(
    request: HttpRequest,
    case_id: uuid.UUID,
    payload: Form[ThreadIn],
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    user = signed_in_user(request)
    action = submit_request if payload.kind == ThreadKind.REQUEST else submit_report
    thread = action(
        actor=user, case_id=case_id, subject=payload.subject, body=payload.body, attachments=_checked(attachments)
    )
    return Status(201, _thread_detail(thread, user))


@router.get(
    "/threads/{thread_id}",
    response={200: ThreadDetailOut, **ERRORS},
    summary="One request or report with all its messages",
    operation_id="get_thread",
)
def get_thread(request: HttpRequest, thread_id: uuid.UUID) -> dict[str, Any]:
    user = signed_in_user(request)
    return _thread_detail(get_thread_for(user, thread_id), user)


@router.post(
    "/threads/{thread_id}/answer",
    response={200: ThreadDetailOut, **ERRORS},
    summary="Answer a request or report (a judge of the case), filed into the dossier at once",
    operation_id="answer_thread",
)
def answer(request: HttpRequest, thread_id: uuid.UUID, payload: CorrespondenceAnswerIn) -> dict[str, Any]:
    user = signed_in_user(request)
    thread = answer_thread(
        actor=user, thread_id=thread_id, decision=payload.decision, reasons=payload.reasons, version=payload.version
    )
    return _thread_detail(thread, user)


@router.post(
    "/threads/{thread_id}/resubmit",
    response={200: ThreadDetailOut, **ERRORS},
    summary="Resubmit a request the judge sent back for more information (the appointed administrator)",
    operation_id="resubmit_thread",
)
def resubmit_thread(
    request: HttpRequest,
    thread_id: uuid.UUID,
    payload: Form[ResubmitIn],
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    user = signed_in_user(request)
    thread = resubmit(
        actor=user, thread_id=thread_id, body=payload.body, attachments=_checked(attachments), version=payload.version
    )
    return _thread_detail(thread, user)


def _thread(thread: Thread) -> dict[str, Any]:
    return {
        "id": thread.pk,
        "case_id": thread.case_id,
        "kind": thread.kind,
        "subject": thread.subject,
        "status": thread.status,
        "version": thread.version,
        "submitted_by": {"id": thread.submitted_by.pk, "full_name": thread.submitted_by.full_name},
        "firm": thread.firm.name if thread.firm else None,
        "created_at": thread.created_at,
        "updated_at": thread.updated_at,
    }


def _thread_detail(thread: Thread, user: User) -> dict[str, Any]:
    return {
        **_thread(thread),
        "messages": [_message(message) for message in thread_messages(thread)],
        "your_decisions": decisions_open_to(user, thread),
    }


def _message(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "kind": message.kind,
        "author": {"id": message.author.pk, "full_name": message.author.full_name},
        "body": message.body,
        "created_at": message.created_at,
        "record": _entry(message.record) if message.record else None,
        "attachments": [_entry(entry) for entry in message.attachments.all()],
    }


def _entry(entry: DossierEntry) -> dict[str, Any]:
    return {
        "number": entry.number,
        "title": entry.title,
        "file_name": entry.file_name,
        "content_type": entry.content_type,
        "size": entry.size,
        "sha256": entry.file_sha256,
    }
