"""The triggers that make dossier entries immutable (installed by migration 0002)."""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

from smartcourt.core.append_only import AppendOnlyTriggers

TRIGGERS = AppendOnlyTriggers(
    table="dossier_dossierentry", prefix="dossier_entry", refusal="dossier entries are immutable"
)


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    TRIGGERS.install(connection)


def remove_triggers(connection: BaseDatabaseWrapper) -> None:
    TRIGGERS.remove(connection)
