"""Text against the length of the column that stores it: refused or visibly shortened, never cut silently.

A value cut to fit its column (``value[:200]``) loses its end without anyone knowing: a phone number that no
longer reaches the creditor, a seal's revocation reason missing its last clause, a bank reference that no
longer matches the bank's (issue 15.14, issue 14.4). Both helpers read the limit from the model field, so a
migration that widens a column widens the check with it.

- ``check_length`` is for what someone typed or sent (a person, a partner bank): too long is a DomainError in
  the user's language that names the field and its limit, and nothing is written.
- ``fit`` is for a label the platform composes from values that are stored whole elsewhere (a dossier title
  made of a meeting's title and a fixed phrase): shortened with a visible "…", so nobody reads it as whole.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from smartcourt.core.errors import CoreError, DomainError

ELLIPSIS = "…"

# A generated file's name repeats its title (stored whole in the dossier entry), shortened: long names trouble
# file systems, zip tools and mail clients.
FILE_STEM = 80


def max_length(model: type[models.Model], field: str) -> int:
    """The ``max_length`` of ``model.field``; a field without one is a programming error, so it raises."""
    limit = model._meta.get_field(field).max_length  # type: ignore[union-attr]
    if not isinstance(limit, int):
        raise TypeError(f"{model.__name__}.{field} has no max_length")
    return limit


def check_length(
    model: type[models.Model],
    field: str,
    value: str,
    *,
    label: str,
    input_field: str | None = None,
    prefix: str = "",
    suffix: str = "",
) -> str:
    """``prefix + value + suffix`` if it fits ``model.field``; otherwise a DomainError (code ``too_long``) on
    ``input_field`` (default: ``field``) saying that ``label`` holds at most the room the prefix and suffix
    leave. The caller strips the value first if it means to."""
    room = max_length(model, field) - len(prefix) - len(suffix)
    return f"{prefix}{check_text(value, room, label=label, field=input_field or field)}{suffix}"


def check_text(value: str, limit: int, *, label: str, field: str) -> str:
    """``value`` if it has at most ``limit`` characters, else the DomainError of ``check_length``: for a bound
    that is not a column's (a text column the platform bounds, a field of a bank file)."""
    if len(value) > limit:
        raise DomainError(
            _("%(label)s: at most %(max)s characters; this one has %(length)s")
            % {"label": label, "max": max(limit, 0), "length": len(value)},
            field=field,
            code=CoreError.TOO_LONG,
        )
    return value


def fit(model: type[models.Model], field: str, text: str) -> str:
    """``text`` if it fits ``model.field``, else its beginning ending in "…" so that the shortening shows.
    Only for labels composed from values stored whole elsewhere, and for words for people (an error's text)
    whose whole version the audit event keeps; never for a value a user or partner gave for its own sake."""
    return shorten(text, max_length(model, field))


def shorten(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else its beginning ending in "…" (``limit`` in all):
    ``fit`` for a bound that is not a column's (a line on a bank statement)."""
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS
