"""Fetch one record or answer "not found": the one way to turn a lookup by id from the outside into NotFound.

An id from a URL or a request body may be missing, malformed (not a UUID: ValidationError or ValueError, by
field and backend) or of the wrong type (TypeError); each is "no such record" to the caller, and none is a
server error.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models

from smartcourt.core.errors import NotFound

M = TypeVar("M", bound=models.Model)

# What a lookup by an outside id raises when there is no such record.
NOT_FOUND = (ValidationError, ValueError, TypeError)


def get_or_not_found(source: type[M] | models.QuerySet[M], message: str, /, **lookups: Any) -> M:
    """The one record of ``source`` (a model or a queryset) matching ``lookups``; NotFound(message) if there is
    none or the lookup values are malformed. Several matches are a bug, not a missing record: they raise."""
    queryset = source._default_manager.all() if isinstance(source, type) else source
    try:
        return queryset.get(**lookups)
    except (ObjectDoesNotExist, *NOT_FOUND) as exc:
        raise NotFound(message) from exc
