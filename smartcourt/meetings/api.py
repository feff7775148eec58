"""Creditors' meetings over the JSON API (mounted at /api/v1/meetings). Glue only: parse, call one action or
selector, shape. The published ballots and the receipt check need no sign-in."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

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
from smartcourt.meetings.models import Meeting, Question
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
    MeetingForReader,
    agenda,
    check_receipt,
    get_meeting_for,
    meeting_for_reader,
    questions_of,
)

router = Router(tags=["meetings"])


@router.post("/cases/{case_id}", response={201: MeetingOut, **ERRORS}, summary="Convene a meeting (judge)")
def convene(request: HttpRequest, case_id: uuid.UUID, payload: ConveneIn) -> Status[MeetingForReader]:
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
    return Status(201, meeting_for_reader(user, meeting))


@router.get("/{meeting_id}", response={200: MeetingOut, **ERRORS}, summary="A meeting, its agenda and your votes")
def detail(request: HttpRequest, meeting_id: uuid.UUID) -> MeetingForReader:
    user = signed_in_user(request)
    return meeting_for_reader(user, get_meeting_for(user, meeting_id))


@router.post("/{meeting_id}/sign-in", response={200: MeetingOut, **ERRORS}, summary="Sign in (creditor)")
def sign_in_endpoint(request: HttpRequest, meeting_id: uuid.UUID) -> MeetingForReader:
    user = signed_in_user(request)
    sign_in(actor=user, meeting_id=meeting_id)
    return meeting_for_reader(user, get_meeting_for(user, meeting_id))


@router.post(
    "/{meeting_id}/votes", response={200: BallotReceiptOut, **ERRORS}, summary="Vote, or change votes (creditor)"
)
def votes(request: HttpRequest, meeting_id: uuid.UUID, payload: VotesIn) -> Any:
    receipt = cast_votes(
        actor=signed_in_user(request), meeting_id=meeting_id, votes={str(k): str(v) for k, v in payload.votes.items()}
    )
    return receipt


@router.get("/{meeting_id}/questions", response={200: list[QuestionOut], **ERRORS}, summary="Questions and answers")
def questions(request: HttpRequest, meeting_id: uuid.UUID) -> list[Question]:
    return list(questions_of(get_meeting_for(signed_in_user(request), meeting_id)))


@router.post("/{meeting_id}/questions", response={201: QuestionOut, **ERRORS}, summary="Ask (creditor)")
def ask(request: HttpRequest, meeting_id: uuid.UUID, payload: QuestionIn) -> Status[Question]:
    return Status(201, ask_question(actor=signed_in_user(request), meeting_id=meeting_id, text=payload.text))


@router.post("/questions/{question_id}/answer", response={200: QuestionOut, **ERRORS}, summary="Answer (administrator)")
def answer(request: HttpRequest, question_id: uuid.UUID, payload: MeetingAnswerIn) -> Question:
    return answer_question(actor=signed_in_user(request), question_id=question_id, answer=payload.answer)


@router.post("/{meeting_id}/close", response={200: MeetingOut, **ERRORS}, summary="Close and tally (judge)")
def close(request: HttpRequest, meeting_id: uuid.UUID) -> MeetingForReader:
    user = signed_in_user(request)
    meeting = close_meeting(actor=user, meeting_id=meeting_id)
    return meeting_for_reader(user, get_meeting_for(user, meeting.pk))


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
