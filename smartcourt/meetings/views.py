"""Meeting pages: a case's meetings, convening, the meeting room (agenda, documents, questions, sign-in,
votes, results), the receipt shown once after a vote, a creditor's meetings and the public receipt check.
Glue only: parse, call one action or selector, render."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcourt.accounts.web import signed_in_user
from smartcourt.cases.models import Case
from smartcourt.cases.policies import takes_part_in
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import DomainError
from smartcourt.core.pdf import PdfAttachment, html_to_pdf
from smartcourt.core.web import form_error, refused
from smartcourt.dossier.models import DossierEntry
from smartcourt.meetings import policies
from smartcourt.meetings.actions import (
    ItemSpec,
    answer_question,
    ask_question,
    attach_document,
    cancel_meeting,
    cast_votes,
    close_meeting,
    convene_meeting,
    set_voting_amounts,
    sign_in,
)
from smartcourt.meetings.choices import AgendaKind, BallotVote, MeetingStatus
from smartcourt.meetings.forms import AmountsForm, AnswerForm, ConveneForm, DocumentForm, QuestionForm, VerifyForm
from smartcourt.meetings.models import Meeting
from smartcourt.meetings.selectors import (
    agenda,
    attendance,
    check_receipt,
    documents_of,
    get_agenda_document_for,
    get_meeting_for,
    meetings_of_case,
    my_ballots,
    my_meetings,
    my_notices,
    own_right,
    questions_of,
    rights_list,
)
from smartcourt.meetings.voting import weights_for


def _case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    return get_case_for(signed_in_user(request), case_id)


def _meeting(request: HttpRequest, meeting_id: uuid.UUID) -> Meeting:
    return get_meeting_for(signed_in_user(request), meeting_id)


@login_required
def meeting_list(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = _case(request, case_id)
    if not takes_part_in(user, case):
        raise Http404(_("No such case"))  # the supervising bank has no part in the meetings
    meetings = [m for m in meetings_of_case(user, case) if policies.can_follow(user, case) or own_right(user, m)]
    return render(
        request,
        "meetings/meeting_list.html",
        {"case": case, "meetings": meetings, "can_convene": policies.can_convene(user, case)},
    )


@login_required
def convene(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = _case(request, case_id)
    if not policies.can_convene(user, case):
        raise Forbidden(_("Only a judge of the case convenes its creditors' meetings"))
    form = ConveneForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = convene_meeting(
                    actor=user,
                    case_id=case.pk,
                    kind=data["kind"],
                    title=data["title"],
                    scheduled_at=data["scheduled_at"],
                    voting_opens_at=data["voting_opens_at"],
                    voting_closes_at=data["voting_closes_at"],
                    items=[ItemSpec(kind=kind, title=title) for kind, title in form.items()],
                    small_claims_threshold_fen=data["small_claims_threshold"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Meeting convened; the notice went to every known creditor."))
                return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/convene.html", {"case": case, "form": form}, status=status)


def _room(request: HttpRequest, meeting: Meeting, *, status: int = 200, **extra: Any) -> HttpResponse:
    user = signed_in_user(request)
    case = meeting.case
    right = own_right(user, meeting)
    now = timezone.now()
    items = list(agenda(meeting))
    documents = documents_of(meeting)
    ballots = my_ballots(user, meeting) if right is not None else {}
    can_follow = policies.can_follow(user, case)
    turnout = attendance(meeting) if can_follow else None
    rows = [
        {
            "item": item,
            "documents": documents.get(item.pk, []),
            "my_ballot": ballots.get(item.pk),
            "my_weights": weights_for(right, item, meeting) if right is not None else None,
            "turnout": turnout.ballots_by_item.get(item.pk, 0) if turnout is not None else None,
        }
        for item in items
    ]
    closed = meeting.status == MeetingStatus.CLOSED
    voting_open = meeting.status == MeetingStatus.CONVENED and meeting.voting_opens_at <= now < meeting.voting_closes_at
    in_session = meeting.status == MeetingStatus.CONVENED and meeting.scheduled_at <= now < meeting.voting_closes_at
    can_manage = policies.can_convene(user, case)
    context = {
        "case": case,
        "meeting": meeting,
        "rows": rows,
        "right": right,
        "notices": my_notices(user, meeting) if right is not None else [],
        "questions": questions_of(meeting),
        "closed": closed,
        "voting_open": voting_open,
        "in_session": in_session,
        "can_manage": can_manage,
        "can_follow": can_follow,
        "can_answer": policies.can_answer(user, case) and meeting.status == MeetingStatus.CONVENED,
        "can_attach": (can_manage or policies.can_answer(user, case)) and meeting.status == MeetingStatus.CONVENED,
        "attendance": turnout,
        "rights": rights_list(meeting) if can_follow else [],
        "vote_choices": BallotVote.choices,
        "question_form": extra.pop("question_form", None) or QuestionForm(),
        "answer_form": AnswerForm(),
        "document_form": DocumentForm(),
        "amounts_form": AmountsForm(),
        "report_kind": AgendaKind.REPORT,
        "can_close": can_manage and meeting.status == MeetingStatus.CONVENED and now >= meeting.voting_closes_at,
        **extra,
    }
    return render(request, "meetings/meeting_detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    return _room(request, _meeting(request, meeting_id))


@login_required
@require_POST
def sign_in_view(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    try:
        sign_in(actor=signed_in_user(request), meeting_id=meeting.pk)
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Signed in."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


@login_required
@require_POST
def vote(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    votes = {
        key.removeprefix("vote_"): str(value)
        for key, value in request.POST.items()
        if key.startswith("vote_") and value and len(key) <= 60
    }
    try:
        receipt = cast_votes(actor=signed_in_user(request), meeting_id=meeting.pk, votes=votes)
    except DomainError as exc:
        refused(request, exc)
        return redirect("meetings:detail", meeting_id=meeting.pk)
    # The salt is shown here, once; it is not stored.
    text = json.dumps(
        {
            "meeting": str(receipt.meeting_id),
            "cast_at": receipt.cast_at.isoformat(),
            "ballots": [
                {"item": str(line.item_id), "vote": line.vote, "weights": line.weights, "commitment": line.commitment,
                 "salt": line.salt}
                for line in receipt.lines
            ],
        },
        ensure_ascii=False,
        indent=1,
    )  # fmt: skip
    # The PDF is made now, from the receipt in hand, and goes out in this page only: the salts are never stored.
    pdf = html_to_pdf(
        render_to_string("meetings/pdf/receipt.html", {"meeting": meeting, "case": meeting.case, "receipt": receipt}),
        attachments=[PdfAttachment("ballot-receipt.json", text, "表决回执（含盐值）")],
    )
    return render(request, "meetings/receipt.html", {"meeting": meeting, "case": meeting.case, "receipt": receipt,
                                                      "receipt_json": text,
                                                      "receipt_pdf": base64.b64encode(pdf).decode()})  # fmt: skip


@login_required
@require_POST
def ask(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            ask_question(actor=signed_in_user(request), meeting_id=meeting.pk, text=form.cleaned_data["text"])
        except DomainError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Question sent to the administrator."))
        return redirect("meetings:detail", meeting_id=meeting.pk)
    return _room(request, meeting, status=422, question_form=form)


@login_required
@require_POST
def answer(request: HttpRequest, meeting_id: uuid.UUID, question_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write an answer of at most 2000 characters."))
    else:
        try:
            answer_question(actor=signed_in_user(request), question_id=question_id, answer=form.cleaned_data["answer"])
        except DomainError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Answer published."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


@login_required
@require_POST
def attach(request: HttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a PDF file."))
    else:
        try:
            attach_document(
                actor=signed_in_user(request),
                item_id=item_id,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except DomainError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Document added to the agenda item."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


@login_required
@require_POST
def amounts(request: HttpRequest, meeting_id: uuid.UUID, right_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = AmountsForm(request.POST)
    if form.is_valid():
        found = form.amounts_fen()
        if not form.errors:
            try:
                set_voting_amounts(
                    actor=signed_in_user(request),
                    right_id=right_id,
                    amounts_fen=found,
                    priority_waived=form.cleaned_data["priority_waived"],
                )
            except DomainError as exc:
                refused(request, exc)
            else:
                messages.success(request, _("Voting amounts set."))
                return redirect("meetings:detail", meeting_id=meeting.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("meetings:detail", meeting_id=meeting.pk)


@login_required
@require_POST
def close(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    try:
        close_meeting(actor=signed_in_user(request), meeting_id=meeting.pk)
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Meeting closed; the results, the ballot list and the minutes are published."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    try:
        cancel_meeting(actor=signed_in_user(request), meeting_id=meeting.pk, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Meeting cancelled."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


def _file(entry: DossierEntry) -> FileResponse:
    response = FileResponse(
        default_storage.open(entry.file.name, "rb"),
        as_attachment=False,
        filename=entry.file_name or entry.file.name.rsplit("/", 1)[-1],
        content_type=entry.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document(request: HttpRequest, meeting_id: uuid.UUID, document_id: uuid.UUID) -> FileResponse:
    meeting = _meeting(request, meeting_id)
    item = get_agenda_document_for(signed_in_user(request), meeting, document_id)
    return _file(item.entry)


PAPERS = {"notice": "notice_entry", "results": "results_entry", "minutes": "minutes_entry"}


@login_required
def paper(request: HttpRequest, meeting_id: uuid.UUID, which: str) -> FileResponse:
    """The notice, the results notice or the minutes, for anyone who may see the meeting."""
    meeting = _meeting(request, meeting_id)
    field = PAPERS.get(which)
    entry = getattr(meeting, field) if field else None
    if entry is None:
        raise Http404(_("No such document"))
    return _file(entry)


def published_ballots(request: HttpRequest, meeting_id: uuid.UUID) -> JsonResponse:
    """Public after the close: each item's ballots (commitment, vote, weights; no names), its totals and result,
    and the Merkle root: enough for anyone to recompute the tally. 404 before the close."""
    meeting = Meeting.objects.filter(pk=meeting_id, status=MeetingStatus.CLOSED).select_related("case").first()
    if meeting is None:
        raise Http404(_("No such meeting"))
    return JsonResponse(
        {
            "meeting": str(meeting.pk),
            "case_number": meeting.case.number,
            "title": meeting.title,
            "merkle_root": meeting.merkle_root,
            "merkle_tree": "RFC 6962 over the commitments sorted as hex strings",
            "ballot_count": meeting.ballot_count,
            "items": [
                {
                    "id": str(item.pk),
                    "position": item.position,
                    "title": item.title,
                    "kind": item.kind,
                    "result": item.result,
                    "ballots": item.published_ballots,
                }
                for item in agenda(meeting).exclude(kind=AgendaKind.REPORT)
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def verify(request: HttpRequest) -> HttpResponse:
    """Public: a creditor (or anyone) enters a commitment from a receipt and sees whether it was counted."""
    form = VerifyForm(request.GET or None)
    check = None
    if form.is_valid():
        check = check_receipt(form.cleaned_data["commitment"])
    return render(request, "meetings/verify.html", {"form": form, "check": check})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/mine.html", {"meetings": my_meetings(signed_in_user(request))[:200]})
