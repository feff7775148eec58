"""Records that follow an audit event into the transparency log: each app declares its own here.

The transparency log (``smartcourt.evidence``) appends every audit event as a leaf and, right after an event
that publishes records (a dossier entry filed, a meeting's ballots at its close, tomorrow a hearing's
transcript), a leaf for each of those records. The log sits beside the apps whose records it takes in, not
above them, so it cannot import them: an app registers a ``LeafSource`` from its ``AppConfig.ready`` and the log
asks the registry. A new app adds its leaves without touching the log.

This registry lives in ``audit`` because every app may import it and because the records it describes are
announced by audit events.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

# Leaf data is "<kind>:<id>:<digest>" (evidence/verify.py) and Leaf.source_type holds at most 16 characters.
_KIND = re.compile(r"^[a-z][a-z_]{0,15}$")
RESERVED_KINDS = frozenset({"audit", "deposit"})  # the log's own leaves


@dataclass(frozen=True)
class LeafSource:
    """Records of one kind that become leaves right after the audit event that publishes them."""

    kind: str
    """The leaf kind, in the leaf data and ``Leaf.source_type`` ("ballot")."""
    action: str
    """The audit action that publishes the records ("meetings.closed")."""
    object_type: str
    """The audit event's object type ("meetings.Meeting"); its ``object_id`` is what ``published`` is asked."""
    published: Callable[[Sequence[str]], Mapping[str, Sequence[tuple[str, str]]]]
    """For the object ids of such events: {object id: [(record id, SHA-256 hex or ""), ...] in leaf order}."""
    present: Callable[[Sequence[str]], Mapping[str, str]]
    """For record ids (possibly tampered): {record id: SHA-256 hex or ""} of those whose record exists; the
    log's own check rebuilds each leaf from it."""
    required: bool = False
    """True if every such event publishes at least one record, so one missing is damage (a deleted row)."""


_sources: dict[str, LeafSource] = {}


class LeafSourceError(ValueError):
    """A registration that would make two sources ambiguous."""


def register_leaf_source(source: LeafSource) -> None:
    """Declare ``source``; called from the declaring app's ``AppConfig.ready``. Registering the same source
    again (a test reloading the app) is harmless; a second source for the same kind or event is refused."""
    if not _KIND.match(source.kind) or source.kind in RESERVED_KINDS:
        raise LeafSourceError(f"leaf kind {source.kind!r}: lower-case letters and _, at most 16, not reserved")
    for other in _sources.values():
        if other == source:
            return
        if other.kind == source.kind:
            raise LeafSourceError(f"leaf kind {source.kind!r} is registered twice")
        if (other.action, other.object_type) == (source.action, source.object_type):
            raise LeafSourceError(f"{source.action} on {source.object_type} already feeds {other.kind!r} leaves")
    _sources[source.kind] = source


def leaf_sources() -> tuple[LeafSource, ...]:
    """Every registered source, in registration order."""
    return tuple(_sources.values())


def leaf_source(kind: str) -> LeafSource | None:
    return _sources.get(kind)
