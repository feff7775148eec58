"""Error codes of document templates and generation: the ``code`` of their answers (the values are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class DocumentError(ErrorCode):
    TEMPLATE_INVALID = "template_invalid"
