"""Error codes of the case dossier: the ``code`` of their answers (the values are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class DossierError(ErrorCode):
    IMMUTABLE = "immutable"
