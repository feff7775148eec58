"""Requests and reports over the JSON API. Glue only: parse, call one action or selector; the output schemas
read the threads.

New requests, reports and resubmissions are ``multipart/form-data`` (fields plus files under ``attachments``);
answers are JSON."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

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
from smartcourt.correspondence.models import Thread
from smartcourt.correspondence.schemas import CorrespondenceAnswerIn, ResubmitIn, ThreadDetailOut, ThreadIn, ThreadOut
from smartcourt.correspondence.selectors import get_thread_for, threads_for

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
def list_threads(request: HttpRequest, case_id: uuid.UUID) -> list[Thread]:
    return list(threads_for(signed_in_user(request), case_id).threads)


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
) -> Status[Thread]:
    user = signed_in_user(request)
    action = submit_request if payload.kind == ThreadKind.REQUEST else submit_report
    thread = action(
        actor=user, case_id=case_id, subject=payload.subject, body=payload.body, attachments=_checked(attachments)
    )
    return Status(201, thread)


@router.get(
    "/threads/{thread_id}",
    response={200: ThreadDetailOut, **ERRORS},
    summary="One request or report with all its messages",
    operation_id="get_thread",
)
def get_thread(request: HttpRequest, thread_id: uuid.UUID) -> Thread:
    return get_thread_for(signed_in_user(request), thread_id)


@router.post(
    "/threads/{thread_id}/answer",
    response={200: ThreadDetailOut, **ERRORS},
    summary="Answer a request or report (a judge of the case), filed into the dossier at once",
    operation_id="answer_thread",
)
def answer(request: HttpRequest, thread_id: uuid.UUID, payload: CorrespondenceAnswerIn) -> Thread:
    return answer_thread(
        actor=signed_in_user(request),
        thread_id=thread_id,
        decision=payload.decision,
        reasons=payload.reasons,
        version=payload.version,
    )


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
) -> Thread:
    return resubmit(
        actor=signed_in_user(request),
        thread_id=thread_id,
        body=payload.body,
        attachments=_checked(attachments),
        version=payload.version,
    )
