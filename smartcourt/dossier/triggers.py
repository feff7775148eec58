"""Database triggers that make dossier entries immutable, per database vendor.

Installed by migration 0002. The test-database ``flush`` must lift them as it lifts the audit log's
(``remove_triggers`` before, ``install_triggers`` after), or a flush of a dossier with entries is refused.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "dossier_dossierentry"

INSTALL: dict[str, list[str]] = {
    "sqlite": [
        f"""CREATE TRIGGER IF NOT EXISTS dossier_entry_no_update BEFORE UPDATE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, 'dossier entries are immutable: UPDATE refused'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS dossier_entry_no_delete BEFORE DELETE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, 'dossier entries are immutable: DELETE refused'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION dossier_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             RAISE EXCEPTION 'dossier entries are immutable: % refused', TG_OP
               USING ERRCODE = 'insufficient_privilege';
           END $$""",
        f"DROP TRIGGER IF EXISTS dossier_entry_no_update_delete ON {TABLE}",
        f"""CREATE TRIGGER dossier_entry_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION dossier_entry_refuse_change()""",
        f"DROP TRIGGER IF EXISTS dossier_entry_no_truncate ON {TABLE}",
        f"""CREATE TRIGGER dossier_entry_no_truncate BEFORE TRUNCATE ON {TABLE}
            FOR EACH STATEMENT EXECUTE FUNCTION dossier_entry_refuse_change()""",
    ],
}

REMOVE: dict[str, list[str]] = {
    "sqlite": ["DROP TRIGGER IF EXISTS dossier_entry_no_update", "DROP TRIGGER IF EXISTS dossier_entry_no_delete"],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS dossier_entry_no_update_delete ON {TABLE}",
        f"DROP TRIGGER IF EXISTS dossier_entry_no_truncate ON {TABLE}",
        "DROP FUNCTION IF EXISTS dossier_entry_refuse_change()",
    ],
}


def _execute(connection: BaseDatabaseWrapper, statements: dict[str, list[str]]) -> None:
    if connection.vendor not in statements:
        raise RuntimeError(f"no dossier immutability triggers for database vendor {connection.vendor!r}")
    # A plain cursor without parameters: the PL/pgSQL body contains a literal '%'.
    with connection.cursor() as cursor:
        for statement in statements[connection.vendor]:
            cursor.execute(statement)


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    _execute(connection, INSTALL)


def remove_triggers(connection: BaseDatabaseWrapper) -> None:
    _execute(connection, REMOVE)
