"""Creditors' meetings over the JSON API (mounted at /api/v1/meetings). Glue only: parse, call one action or
selector, shape. The published ballots and the receipt check need no sign-in."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from smartcourt.accounts.models import User
from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import NotFound
from smartcourt.core.money import yuan_to_fen
from smartcourt.core.schemas import ERRORS, ErrorOut
from smartcourt.meetings.actions import (
    ItemSpec,
    answer_question,
    ask_question,
    cast_votes,
    close_meeting,
    convene_meeting,
    sign_in,
)
from smartcourt.meetings.choices import AgendaKind, MeetingStatus
from smartcourt.meetings.models import Meeting
from smartcourt.meetings.schemas import (
    BallotReceiptOut,
    ConveneIn,
    MeetingAnswerIn,
    MeetingOut,
    QuestionIn,
    QuestionOut,
    ReceiptCheckIn,
    ReceiptCheckOut,
    VotesIn,
)
from smartcourt.meetings.selectors import (
    agenda,
    check_receipt,
    documents_of,
    get_meeting_for,
    my_ballots,
    own_right,
    questions_of,
)

router = Router(tags=["meetings"])


def _meeting_out(user: User, meeting: Meeting) -> dict[str, Any]:
    closed = meeting.status == MeetingStatus.CLOSED
    right = own_right(user, meeting)
    mine = my_ballots(user, meeting) if right is not None else {}
    documents = documents_of(meeting)
    return {
        "id": meeting.pk,
        "case_id": meeting.case_id,
        "kind": meeting.kind,
        "title": meeting.title,
        "status": meeting.status,
        "scheduled_at": meeting.scheduled_at,
        "voting_opens_at": meeting.voting_opens_at,
        "voting_closes_at": meeting.voting_closes_at,
        "merkle_root": meeting.merkle_root,
        "ballot_count": meeting.ballot_count,
        "signed_in": (right.signed_in_at is not None) if right is not None else None,
        "items": [
            {
                "id": item.pk,
                "position": item.position,
                "kind": item.kind,
                "title": item.title,
                "description": item.description,
                "documents": [
                    {"id": str(d.pk), "title": d.entry.title, "entry_id": str(d.entry_id)}
                    for d in documents.get(item.pk, [])
                ],
                "my_vote": mine[item.pk].vote if item.pk in mine else None,
                "my_commitment": mine[item.pk].commitment if item.pk in mine else None,
                "passed": item.passed if closed else None,
                "needs_court_ruling": item.needs_court_ruling,
                "result": item.result if closed and item.kind != AgendaKind.REPORT else None,
            }
            for item in agenda(meeting)
        ],
    }


@router.post("/cases/{case_id}", response={201: MeetingOut, **ERRORS}, summary="Convene a meeting (judge)")
def convene(request: HttpRequest, case_id: uuid.UUID, payload: ConveneIn) -> Status:
    user = signed_in_user(request)
    meeting = convene_meeting(
        actor=user,
        case_id=case_id,
        kind=payload.kind,
        title=payload.title,
        scheduled_at=payload.scheduled_at,
        voting_opens_at=payload.voting_opens_at,
        voting_closes_at=payload.voting_closes_at,
        items=[ItemSpec(kind=i.kind, title=i.title, description=i.description) for i in payload.items],
        small_claims_threshold_fen=(
            yuan_to_fen(payload.small_claims_threshold, field="small_claims_threshold")
            if payload.small_claims_threshold
            else None
        ),
    )
    return Status(201, _meeting_out(user, meeting))


@router.get("/{meeting_id}", response={200: MeetingOut, **ERRORS}, summary="A meeting, its agenda and your votes")
def detail(request: HttpRequest, meeting_id: uuid.UUID) -> dict[str, Any]:
    user = signed_in_user(request)
    return _meeting_out(user, get_meeting_for(user, meeting_id))


@router.post("/{meeting_id}/sign-in", response={200: MeetingOut, **ERRORS}, summary="Sign in (creditor)")
def sign_in_endpoint(request: HttpRequest, meeting_id: uuid.UUID) -> dict[str, Any]:
    user = signed_in_user(request)
    sign_in(actor=user, meeting_id=meeting_id)
    return _meeting_out(user, get_meeting_for(user, meeting_id))


@router.post(
    "/{meeting_id}/votes", response={200: BallotReceiptOut, **ERRORS}, summary="Vote, or change votes (creditor)"
)
def votes(request: HttpRequest, meeting_id: uuid.UUID, payload: VotesIn) -> Any:
    receipt = cast_votes(
        actor=signed_in_user(request), meeting_id=meeting_id, votes={str(k): str(v) for k, v in payload.votes.items()}
    )
    return receipt


@router.get("/{meeting_id}/questions", response={200: list[QuestionOut], **ERRORS}, summary="Questions and answers")
def questions(request: HttpRequest, meeting_id: uuid.UUID) -> list[dict[str, Any]]:
    meeting = get_meeting_for(signed_in_user(request), meeting_id)
    return [
        {"id": q.pk, "creditor": q.right.name, "text": q.text, "answer": q.answer, "answered_at": q.answered_at}
        for q in questions_of(meeting)
    ]


@router.post("/{meeting_id}/questions", response={201: QuestionOut, **ERRORS}, summary="Ask (creditor)")
def ask(request: HttpRequest, meeting_id: uuid.UUID, payload: QuestionIn) -> Status:
    q = ask_question(actor=signed_in_user(request), meeting_id=meeting_id, text=payload.text)
    return Status(201, {"id": q.pk, "creditor": q.right.name, "text": q.text, "answer": q.answer, "answered_at": None})


@router.post("/questions/{question_id}/answer", response={200: QuestionOut, **ERRORS}, summary="Answer (administrator)")
def answer(request: HttpRequest, question_id: uuid.UUID, payload: MeetingAnswerIn) -> dict[str, Any]:
    q = answer_question(actor=signed_in_user(request), question_id=question_id, answer=payload.answer)
    return {"id": q.pk, "creditor": q.right.name, "text": q.text, "answer": q.answer, "answered_at": q.answered_at}


@router.post("/{meeting_id}/close", response={200: MeetingOut, **ERRORS}, summary="Close and tally (judge)")
def close(request: HttpRequest, meeting_id: uuid.UUID) -> dict[str, Any]:
    user = signed_in_user(request)
    meeting = close_meeting(actor=user, meeting_id=meeting_id)
    return _meeting_out(user, get_meeting_for(user, meeting.pk))


@router.get(
    "/{meeting_id}/ballots",
    auth=None,
    response={200: dict[str, Any], 404: ErrorOut},
    summary="Published ballots (public)",
)
def ballots(request: HttpRequest, meeting_id: uuid.UUID) -> dict[str, Any]:
    meeting = Meeting.objects.filter(pk=meeting_id, status=MeetingStatus.CLOSED).first()
    if meeting is None:
        raise NotFound("No such meeting")
    return {
        "meeting": str(meeting.pk),
        "merkle_root": meeting.merkle_root,
        "ballot_count": meeting.ballot_count,
        "items": [
            {"id": str(item.pk), "kind": item.kind, "title": item.title, "result": item.result,
             "ballots": item.published_ballots}
            for item in agenda(meeting).exclude(kind=AgendaKind.REPORT)
        ],
    }  # fmt: skip


@router.post(
    "/receipts/check", auth=None, response={200: ReceiptCheckOut, 422: ErrorOut}, summary="Check a receipt (public)"
)
def receipt_check(request: HttpRequest, payload: ReceiptCheckIn) -> dict[str, Any]:
    check = check_receipt(payload.commitment)
    if not check.found or check.meeting is None or check.item is None:
        return {"found": False}
    return {
        "found": True,
        "meeting_id": check.meeting.pk,
        "item_id": check.item.pk,
        "vote": check.vote,
        "leaf_index": check.index,
        "tree_size": check.size,
        "merkle_root": check.meeting.merkle_root,
        "audit_path": list(check.path),
    }
