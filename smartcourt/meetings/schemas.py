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


class ItemOut(Schema):
    id: uuid.UUID
    position: int
    kind: str
    title: str
    description: str
    documents: list[dict[str, Any]]
    my_vote: str | None = Field(None, description="Your own current vote; nobody sees others' before the close.")
    my_commitment: str | None = None
    passed: bool | None = None
    needs_court_ruling: bool = False
    result: dict[str, Any] | None = Field(None, description="After the close: the tally with its working.")


class MeetingOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    kind: str
    title: str
    status: str
    scheduled_at: dt.datetime
    voting_opens_at: dt.datetime
    voting_closes_at: dt.datetime
    merkle_root: str
    ballot_count: int
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
    creditor: str
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
