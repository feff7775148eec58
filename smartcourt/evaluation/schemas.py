"""API shapes of the evaluation app."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from smartcourt.evaluation.models import Evaluation


class EvaluationOut(Schema):
    id: uuid.UUID
    court_id: uuid.UUID
    firm_id: uuid.UUID
    firm: str = Field(validation_alias="firm.name")
    formula_version: int = Field(validation_alias="formula.version")
    score: str
    suggested_grade: str
    computed_at: dt.datetime
    measures: dict[str, Any]
    cases: list[dict[str, Any]]

    @staticmethod
    def resolve_score(evaluation: Evaluation) -> str:
        return str(evaluation.score)  # the Decimal as it is stored, never a float


class TextIn(Schema):
    text: str = Field(min_length=1, max_length=5000)


class NoteOut(Schema):
    id: uuid.UUID
    evaluation_id: uuid.UUID
    text: str
    created_at: dt.datetime
