"""Submitting requests and reports, answering them, resubmitting what the judge sent back.

Each act is one transaction: the thread's state, the message, its dossier entries (the message as a PDF,
then each attachment) and the audit event commit together or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.choices import CaseStatus
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.lengths import fit
from smartcourt.core.pdf import template_to_pdf
from smartcourt.core.uploads import CheckedFile
from smartcourt.correspondence.choices import (
    ANSWERS,
    DECISION_MESSAGE,
    DOSSIER_TITLES,
    MESSAGE_DOCUMENT_NAMES,
    REASONS_REQUIRED,
    RESUBMITTABLE,
    Decision,
    MessageKind,
    ThreadKind,
    ThreadStatus,
)
from smartcourt.correspondence.models import Message, Thread
from smartcourt.correspondence.policies import can_answer, can_read_threads, can_submit
from smartcourt.correspondence.selectors import get_thread_for
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry

MAX_SUBJECT = 150
MAX_BODY = 10_000
MAX_ATTACHMENTS = 10


@transaction.atomic
def submit_request(
    *, actor: User, case_id: uuid.UUID, subject: str, body: str, attachments: Sequence[CheckedFile] = ()
) -> Thread:
    """The appointed administrator asks the court to approve something (请示)."""
    return _submit(
        actor=actor, case_id=case_id, kind=ThreadKind.REQUEST, subject=subject, body=body, attachments=attachments
    )


@transaction.atomic
def submit_report(
    *, actor: User, case_id: uuid.UUID, subject: str, body: str, attachments: Sequence[CheckedFile] = ()
) -> Thread:
    """The appointed administrator informs the court (报告); a judge acknowledges it."""
    return _submit(
        actor=actor, case_id=case_id, kind=ThreadKind.REPORT, subject=subject, body=body, attachments=attachments
    )


def _submit(
    *, actor: User, case_id: uuid.UUID, kind: str, subject: str, body: str, attachments: Sequence[CheckedFile]
) -> Thread:
    case = get_case_for(actor, case_id)
    if not can_submit(actor, case):
        if can_read_threads(actor, case):
            raise PermissionDenied("Only the administrator appointed on this case submits requests and reports")
        raise NotFound(_("No such case"))
    _require_open(case)
    subject, body = _clean_subject(subject), _clean_body(body, required=True)
    _check_attachments(attachments)
    thread = Thread.objects.create(
        case=case, kind=kind, subject=subject, submitted_by=actor, firm_id=actor.organisation_id
    )
    message = _add_message(actor=actor, thread=thread, kind=MessageKind.SUBMISSION, body=body, attachments=attachments)
    record_event(
        actor=actor,
        action="correspondence.thread_submitted",
        case_id=case.pk,
        obj=thread,
        after={
            "kind": kind,
            "subject": subject,
            "status": thread.status,
            "record": message.record.number if message.record else None,
            "attachments": [entry.number for entry in message.attachments.order_by("number")],
        },
    )
    return thread


@transaction.atomic
def answer_thread(
    *, actor: User, thread_id: uuid.UUID, decision: str, reasons: str = "", version: int | None = None
) -> Thread:
    """A judge of the case approves, rejects or asks for more (a request), or acknowledges (a report).

    When two judges answer at once exactly one answer is taken: the status moves by compare-and-set on the
    status and version that were read, and the later answer finds nothing to change (Conflict). ``version``,
    when given, is the one the judge's page showed; an answer to an older state is refused the same way.
    """
    thread = get_thread_for(actor, thread_id)
    if not can_answer(actor, thread):
        raise PermissionDenied("Only a judge sitting on this case answers its requests and reports")
    if decision not in Decision.values:
        raise DomainError(f"unknown decision {decision!r}", field="decision")
    if version is not None and version != thread.version:
        raise Conflict("This request or report changed since you opened it; reload it and answer again")
    allowed = ANSWERS.get((thread.kind, thread.status))
    if allowed is None:
        raise Conflict(f"This {thread.get_kind_display().lower()} has already been answered ({thread.status})")
    if decision not in allowed:
        raise DomainError(
            f"a {thread.kind} that is {thread.status} can be answered with: {', '.join(allowed)}", field="decision"
        )
    reasons = _clean_body(reasons, required=decision in REASONS_REQUIRED, field="reasons")
    _require_open(thread.case)
    before = {"status": thread.status, "version": thread.version}
    _move(thread, to_status=allowed[decision])
    message = _add_message(actor=actor, thread=thread, kind=DECISION_MESSAGE[decision], body=reasons, attachments=())
    record_event(
        actor=actor,
        action="correspondence.thread_answered",
        case_id=thread.case_id,
        obj=thread,
        before=before,
        after={
            "status": thread.status,
            "version": thread.version,
            "decision": decision,
            "reasons": reasons,
            "record": message.record.number if message.record else None,
        },
    )
    return thread


@transaction.atomic
def resubmit(
    *,
    actor: User,
    thread_id: uuid.UUID,
    body: str,
    attachments: Sequence[CheckedFile] = (),
    version: int | None = None,
) -> Thread:
    """The appointed administrator answers a request for more information with more text and files."""
    thread = get_thread_for(actor, thread_id)
    if not can_submit(actor, thread.case):
        raise PermissionDenied("Only the administrator appointed on this case resubmits its requests")
    if version is not None and version != thread.version:
        raise Conflict("This request changed since you opened it; reload it and try again")
    if (thread.kind, thread.status) not in RESUBMITTABLE:
        raise Conflict(f"Only a request sent back for more information can be resubmitted; this one is {thread.status}")
    body = _clean_body(body, required=True)
    _check_attachments(attachments)
    _require_open(thread.case)
    before = {"status": thread.status, "version": thread.version}
    _move(thread, to_status=ThreadStatus.RESUBMITTED)
    message = _add_message(
        actor=actor, thread=thread, kind=MessageKind.RESUBMISSION, body=body, attachments=attachments
    )
    record_event(
        actor=actor,
        action="correspondence.thread_resubmitted",
        case_id=thread.case_id,
        obj=thread,
        before=before,
        after={
            "status": thread.status,
            "version": thread.version,
            "record": message.record.number if message.record else None,
            "attachments": [entry.number for entry in message.attachments.order_by("number")],
        },
    )
    return thread


def _move(thread: Thread, *, to_status: str) -> None:
    # Compare-and-set on what was read: a concurrent answer leaves no row to update.
    changed = Thread.objects.filter(pk=thread.pk, status=thread.status, version=thread.version).update(
        status=to_status, version=F("version") + 1, updated_at=timezone.now()
    )
    if changed != 1:
        raise Conflict("Someone else answered this first; reload it to see the answer")
    thread.refresh_from_db(fields=["status", "version", "updated_at"])


def _add_message(*, actor: User, thread: Thread, kind: str, body: str, attachments: Sequence[CheckedFile]) -> Message:
    """Write the message and file it into the dossier at once: its PDF first, then each attachment."""
    message = Message.objects.create(thread=thread, author=actor, kind=kind, body=body, created_at=timezone.now())
    title = fit(DossierEntry, "title", DOSSIER_TITLES[(thread.kind, kind)].format(subject=thread.subject))
    if kind not in (MessageKind.SUBMISSION, MessageKind.RESUBMISSION):
        entry_kind = EntryKind.APPROVAL
    else:
        entry_kind = EntryKind.REQUEST if thread.kind == ThreadKind.REQUEST else EntryKind.REPORT
    pdf = template_to_pdf(
        "correspondence/pdf/message.html",
        {
            "thread": thread,
            "message": message,
            "title": title,
            "kind_name": MESSAGE_DOCUMENT_NAMES[kind],
            "author": actor.full_name or actor.username,
            "organisation": actor.organisation.name if actor.organisation else "",
            "created_at": timezone.localtime(message.created_at).strftime("%Y-%m-%d %H:%M"),
            "attachments": attachments,
        },
    )
    record = file_entry(
        actor=actor,
        case=thread.case,
        kind=entry_kind,
        title=title,
        content=pdf,
        filename=f"{title}.pdf",
        content_type="application/pdf",
        source=message,
    )
    filed = [
        file_entry(
            actor=actor,
            case=thread.case,
            kind=EntryKind.ATTACHMENT,
            title=fit(DossierEntry, "title", f"{thread.subject} 附件{index}：{attachment.name}"),
            content=attachment.content,
            filename=attachment.name,
            content_type=attachment.content_type,
            source=message,
        )
        for index, attachment in enumerate(attachments, start=1)
    ]
    Message.objects.filter(pk=message.pk).update(record=record)
    message.record = record
    message.attachments.set(filed)
    return message


def _require_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise Conflict(f"Case {case.number} is closed")


def _clean_subject(subject: str) -> str:
    subject = " ".join(subject.split())
    if not subject:
        raise DomainError("A subject is required", field="subject")
    if len(subject) > MAX_SUBJECT:
        raise DomainError(f"The subject is at most {MAX_SUBJECT} characters", field="subject")
    return subject


def _clean_body(body: str, *, required: bool, field: str = "body") -> str:
    body = body.strip()
    if required and not body:
        what = "Reasons are" if field == "reasons" else "A text is"
        raise DomainError(f"{what} required", field=field)
    if len(body) > MAX_BODY:
        raise DomainError(f"The text is at most {MAX_BODY} characters", field=field)
    return body


def _check_attachments(attachments: Sequence[CheckedFile]) -> None:
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(f"At most {MAX_ATTACHMENTS} attachments", field="attachments")
    if not all(isinstance(attachment, CheckedFile) for attachment in attachments):
        # Only files that went through checked_upload are filed.
        raise DomainError("attachments must be checked uploads", field="attachments")
