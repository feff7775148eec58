"""Shapes of the meetings API. Amounts are yuan strings with two decimals; no rules live here."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from smartcourt.meetings.choices import AgendaKind, BallotVote, MeetingKind


class ItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: AgendaKind
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)


class ConveneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: MeetingKind
    title: str = Field(min_length=1, max_length=200)
    scheduled_at: dt.datetime
    voting_opens_at: dt.datetime
    voting_closes_at: dt.datetime
    items: list[ItemIn] = Field(min_length=1, max_length=30)
    small_claims_threshold: str | None = Field(None, max_length=20, description="Yuan (art. 82), optional.")


class VotesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    votes: dict[uuid.UUID, BallotVote] = Field(min_length=1, max_length=30, description="Agenda item id → vote.")


class QuestionIn(Schema):
    text: str = Field(min_length=1, max_length=2000)


class MeetingAnswerIn(Schema):
    answer: str = Field(min_length=1, max_length=2000)


class ReceiptCheckIn(Schema):
    commitment: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-fA-F]{64}$")


class AgendaDocumentOut(Schema):
    id: uuid.UUID
    title: str = Field(validation_alias="entry.title")
    entry_id: uuid.UUID


class ItemOut(Schema):
    """Reads a selectors.AgendaLine: the item, and what this reader may see of votes and outcome."""

    id: uuid.UUID = Field(validation_alias="item.pk")
    position: int = Field(validation_alias="item.position")
    kind: str = Field(validation_alias="item.kind")
    title: str = Field(validation_alias="item.title")
    description: str = Field(validation_alias="item.description")
    documents: list[AgendaDocumentOut]
    my_vote: str | None = Field(
        None,
        validation_alias="my_ballot.vote",
        description="Your own current vote; nobody sees others' before the close.",
    )
    my_commitment: str | None = Field(None, validation_alias="my_ballot.commitment")
    passed: bool | None = None
    needs_court_ruling: bool = Field(False, validation_alias="item.needs_court_ruling")
    result: dict[str, Any] | None = Field(None, description="After the close: the tally with its working.")


class MeetingOut(Schema):
    """Reads a selectors.MeetingForReader."""

    id: uuid.UUID = Field(validation_alias="meeting.pk")
    case_id: uuid.UUID = Field(validation_alias="meeting.case_id")
    kind: str = Field(validation_alias="meeting.kind")
    title: str = Field(validation_alias="meeting.title")
    status: str = Field(validation_alias="meeting.status")
    scheduled_at: dt.datetime = Field(validation_alias="meeting.scheduled_at")
    voting_opens_at: dt.datetime = Field(validation_alias="meeting.voting_opens_at")
    voting_closes_at: dt.datetime = Field(validation_alias="meeting.voting_closes_at")
    merkle_root: str = Field(validation_alias="meeting.merkle_root")
    ballot_count: int = Field(validation_alias="meeting.ballot_count")
    signed_in: bool | None = Field(None, description="Whether you signed in (creditors).")
    items: list[ItemOut]


class ReceiptLineOut(Schema):
    item_id: uuid.UUID
    vote: str
    weights: dict[str, int]
    commitment: str
    salt: str = Field(..., description="Shown once; keep it to recompute your commitment.")
    revision: int


class BallotReceiptOut(Schema):
    meeting_id: uuid.UUID
    voter: uuid.UUID
    cast_at: dt.datetime
    lines: list[ReceiptLineOut]


class QuestionOut(Schema):
    id: uuid.UUID
    creditor: str = Field(validation_alias="right.name")
    text: str
    answer: str
    answered_at: dt.datetime | None


class ReceiptCheckOut(Schema):
    found: bool
    meeting_id: uuid.UUID | None = None
    item_id: uuid.UUID | None = None
    vote: str | None = None
    leaf_index: int | None = None
    tree_size: int | None = None
    merkle_root: str | None = None
    audit_path: list[str] = Field(default_factory=list, description="RFC 6962 inclusion proof, leaf first.")
