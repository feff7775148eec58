"""Error codes of the enterprise registry client: the ``code`` of their answers (the values are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class RegistryError(ErrorCode):
    REGISTRY_UNAVAILABLE = "registry_unavailable"
