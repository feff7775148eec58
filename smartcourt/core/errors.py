"""Domain errors. Actions raise these; the web and API layers turn them into responses."""

from __future__ import annotations


class DomainError(Exception):
    """A request that the rules refuse. ``code`` is stable and machine-readable; ``message`` is for people."""

    code = "invalid"
    status = 422

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class NotFound(DomainError):
    """The object does not exist *or* the user may not see it: the two look the same on purpose."""

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    """The user may see the object but not do this to it."""

    code = "forbidden"
    status = 403


class Conflict(DomainError):
    """Somebody else changed the object first; the request was not applied."""

    code = "conflict"
    status = 409
