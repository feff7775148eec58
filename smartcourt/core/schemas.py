"""API shapes every app shares. The error answer is one schema for the whole API, so one class: two classes of
one name make django-ninja document whichever it met last."""

from __future__ import annotations

from ninja import Field, Schema


class ErrorBody(Schema):
    code: str = Field(description="Stable, machine-readable: unauthenticated, not_found, invalid, …")
    message: str
    field: str | None = Field(description="The request field at fault, when there is one.")


class ErrorOut(Schema):
    error: ErrorBody
