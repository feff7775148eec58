"""Shapes of the requests-and-reports API. No rules live here: the answers read the threads (the reader's
open decisions from policies.decisions_open_to)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from smartcourt.accounts.web import signed_in_user
from smartcourt.cases.schemas import PersonOut
from smartcourt.core.schemas import MAX_VERSION
from smartcourt.correspondence.actions import MAX_BODY, MAX_SUBJECT
from smartcourt.correspondence.choices import Decision, MessageKind, ThreadKind, ThreadStatus
from smartcourt.correspondence.models import Message, Thread
from smartcourt.correspondence.policies import decisions_open_to
from smartcourt.correspondence.selectors import thread_messages


class ThreadIn(Schema):
    """The form fields of a new request or report (multipart, with the files as ``attachments``)."""

    kind: ThreadKind = Field(description="request (请示) or report (报告).")
    subject: str = Field(min_length=1, max_length=MAX_SUBJECT)
    body: str = Field(min_length=1, max_length=MAX_BODY)


class CorrespondenceAnswerIn(Schema):
    decision: Decision = Field(description="approve, reject or request_more for a request; acknowledge for a report.")
    reasons: str = Field("", max_length=MAX_BODY, description="Required to reject or to ask for more.")
    version: int | None = Field(
        None,
        ge=1,
        le=MAX_VERSION,
        description="The thread version the answer is based on; an answer to an older one is a 409.",
    )


class ResubmitIn(Schema):
    """The form fields of a resubmission (multipart, with the files as ``attachments``)."""

    body: str = Field(min_length=1, max_length=MAX_BODY)
    version: int | None = Field(None, ge=1, le=MAX_VERSION)


class EntryOut(Schema):
    number: int = Field(description="Number in the case's dossier.")
    title: str
    file_name: str
    content_type: str
    size: int
    sha256: str = Field(validation_alias="file_sha256")


class MessageOut(Schema):
    id: uuid.UUID
    kind: MessageKind
    author: PersonOut
    body: str
    created_at: dt.datetime
    record: EntryOut | None = Field(description="The dossier entry holding this message as a PDF.")
    attachments: list[EntryOut]


class ThreadOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    kind: ThreadKind
    subject: str
    status: ThreadStatus
    version: int
    submitted_by: PersonOut
    firm: str | None = Field(None, validation_alias="firm.name")
    created_at: dt.datetime
    updated_at: dt.datetime


class ThreadDetailOut(ThreadOut):
    messages: list[MessageOut]
    your_decisions: list[Decision] = Field(description="What you may answer now; empty if you may not answer.")

    @staticmethod
    def resolve_messages(thread: Thread) -> list[Message]:
        return list(thread_messages(thread))

    @staticmethod
    def resolve_your_decisions(thread: Thread, context: dict[str, Any]) -> list[str]:
        # The reader's own: ninja passes the request in the serialisation context.
        return list(decisions_open_to(signed_in_user(context["request"]), thread))
