"""Domain errors. Actions raise these; the web and API layers turn them into responses.

Every error code is a member of an ``ErrorCode`` enum: ``CoreError`` below for the codes every app shares and
the transport's own, and one enum per app in its ``errors.py`` (``ClaimError``, ``MeetingError``, …). The
values are the strings the API has always sent, so the wire does not change; the OpenAPI document lists them
all (core.schemas.ErrorBody), and a test finds any code written as a bare string."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Base of every app's error-code enum (a StrEnum without members can be subclassed)."""


class CoreError(ErrorCode):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    CONFLICT = "conflict"
    # Answered by the API layer before or around an endpoint (config/api.py).
    BAD_REQUEST = "bad_request"
    UNAUTHENTICATED = "unauthenticated"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"
    ERROR = "error"  # an HTTP status the API has no word for
    # Uploaded files (core.uploads).
    UPLOAD_REFUSED = "upload_refused"
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED_TYPE = "unsupported_type"
    TYPE_MISMATCH = "type_mismatch"
    # Text longer than the column that stores it (core.lengths): refused, never cut.
    TOO_LONG = "too_long"


def error_code_enums() -> list[type[ErrorCode]]:
    """Every error-code enum, each app's ``errors`` module imported first so none is missed."""
    from django.utils.module_loading import autodiscover_modules  # here: core.errors itself needs no Django

    autodiscover_modules("errors")
    found: list[type[ErrorCode]] = []
    pending = list(ErrorCode.__subclasses__())
    while pending:
        enum = pending.pop()
        found.append(enum)
        pending += enum.__subclasses__()
    return sorted(found, key=lambda enum: enum.__name__)


class DomainError(Exception):
    """A request that the rules refuse. ``code`` is stable and machine-readable; ``message`` is for people."""

    code: ErrorCode = CoreError.INVALID
    status = 422

    def __init__(self, message: str, *, field: str | None = None, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class NotFound(DomainError):
    """The object does not exist *or* the user may not see it: the two look the same on purpose."""

    code: ErrorCode = CoreError.NOT_FOUND
    status = 404


class PermissionDenied(DomainError):
    """The user may see the object but not do this to it."""

    code: ErrorCode = CoreError.FORBIDDEN
    status = 403


class Conflict(DomainError):
    """Somebody else changed the object first; the request was not applied."""

    code: ErrorCode = CoreError.CONFLICT
    status = 409
