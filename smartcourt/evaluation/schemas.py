"""API shapes of the evaluation app."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema


class EvaluationOut(Schema):
    id: uuid.UUID
    court_id: uuid.UUID
    firm_id: uuid.UUID
    firm: str
    formula_version: int
    score: str
    suggested_grade: str
    computed_at: dt.datetime
    measures: dict[str, Any]
    cases: list[dict[str, Any]]


class TextIn(Schema):
    text: str = Field(min_length=1, max_length=5000)


class NoteOut(Schema):
    id: uuid.UUID
    evaluation_id: uuid.UUID
    text: str
    created_at: dt.datetime
