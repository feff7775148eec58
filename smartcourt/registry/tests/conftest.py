"""The registry fixtures (a real sandbox process) for these tests. Once the root conftest registers
``smartcourt.registry.testing`` as a plugin this import is redundant, and harmless: one process either way."""

from smartcourt.registry.testing import registry, registry_server, unreachable_registry

__all__ = ["registry", "registry_server", "unreachable_registry"]
