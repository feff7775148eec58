"""API shapes every app shares. The error answer is one schema for the whole API, so one class: two classes of
one name make django-ninja document whichever it met last."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import PlainSerializer, Strict, WithJsonSchema

from smartcourt.core.errors import error_code_enums
from smartcourt.core.money import fen_to_yuan


def _list_error_codes(schema: dict[str, Any]) -> None:
    # Called when the OpenAPI document is generated, once every app's errors module is loaded.
    enums = error_code_enums()
    schema["enum"] = sorted({code.value for enum in enums for code in enum})
    schema["x-error-codes"] = {enum.__name__: [code.value for code in enum] for enum in enums}


class ErrorBody(Schema):
    code: str = Field(
        description="Stable, machine-readable: one of the listed codes. x-error-codes groups them by the enum "
        "(CoreError for every app and the transport, one per app) that defines them.",
        json_schema_extra=_list_error_codes,
    )
    message: str
    field: str | None = Field(description="The request field at fault, when there is one.")


class ErrorOut(Schema):
    error: ErrorBody


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """The error answers ``statuses``, for an endpoint's ``response=`` map."""
    return dict.fromkeys(statuses, ErrorOut)


# The error answers an endpoint declares, one map for every app: what an endpoint for signed-in users may
# refuse with (not signed in, not allowed, not found or hidden, changed meanwhile, invalid), and what a public
# one may. Answers any request can get before an endpoint runs (an unreadable or too large body) are added to
# every operation by config/api.py.
ERRORS = errors(401, 403, 404, 409, 422)
PUBLIC_ERRORS = errors(404, 422)


# Bounds for integers that arrive in a request. An unbounded integer reaches the database as it came: an offset
# of 2**63 overflows SQLite's and PostgreSQL's 64-bit integers and answered 500. Every integer a request can
# carry is bounded in its schema, so the OpenAPI document says the bound and a value beyond it is a 422.
MAX_OFFSET = 1_000_000  # far beyond any list a person pages through, cheap for OFFSET to skip
MAX_VERSION = 2**31 - 1  # a row's version counter (PositiveIntegerField on every database)


# Money in an answer: the schema reads the integer fen the model holds and writes the yuan string the API has
# always sent ("1234.56", fen_to_yuan), so an endpoint returns its objects and never formats an amount. Strict: a
# yuan string or a float where fen belong is a programming error, not something to coerce. Read the fen
# attribute under the wire name with ``Field(validation_alias="..._fen")``.
Yuan = Annotated[
    int,
    Strict(),
    PlainSerializer(fen_to_yuan, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "examples": ["1234.56"]}, mode="serialization"
    ),
]
