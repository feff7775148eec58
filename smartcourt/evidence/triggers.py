"""The triggers that make the log's tables append-only (installed by migration 0002), as for the audit log.

The test-only ``flush`` (smartcourt/audit/management/commands/flush.py) lifts every trigger of the database,
these included; tampering tests lift them the same way.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

from smartcourt.core.append_only import AppendOnlyTriggers

TABLES = (
    "evidence_leaf",
    "evidence_node",
    "evidence_checkpoint",
    "evidence_cosignature",
    "evidence_alarm",
    "evidence_deposit",
)
TRIGGERS = [AppendOnlyTriggers(table=table, prefix=table, refusal=f"{table} is append-only") for table in TABLES]


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    for triggers in TRIGGERS:
        triggers.install(connection)


def remove_triggers(connection: BaseDatabaseWrapper) -> None:
    for triggers in TRIGGERS:
        triggers.remove(connection)
