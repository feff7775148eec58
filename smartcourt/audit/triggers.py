"""The triggers that make the audit log append-only (installed by migration 0002)."""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

from smartcourt.core.append_only import AppendOnlyTriggers

TRIGGERS = AppendOnlyTriggers(table="audit_auditevent", prefix="audit_event", refusal="audit events are append-only")


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    TRIGGERS.install(connection)


def remove_triggers(connection: BaseDatabaseWrapper) -> None:
    TRIGGERS.remove(connection)
