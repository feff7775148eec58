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


# Bounds for integers that arrive in a request. An unbounded integer reaches the database as it came: an offset
# of 2**63 overflows SQLite's and PostgreSQL's 64-bit integers and answered 500. Every integer a request can
# carry is bounded in its schema, so the OpenAPI document says the bound and a value beyond it is a 422.
MAX_OFFSET = 1_000_000  # far beyond any list a person pages through, cheap for OFFSET to skip
MAX_VERSION = 2**31 - 1  # a row's version counter (PositiveIntegerField on every database)
