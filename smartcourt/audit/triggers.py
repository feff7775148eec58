"""The database triggers that make the audit log append-only, per database vendor.

The migration that installs them (0002) and the test-database flush use the same statements.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"

INSTALL: dict[str, list[str]] = {
    "sqlite": [
        f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
               USING ERRCODE = 'insufficient_privilege';
           END $$""",
        f"DROP TRIGGER IF EXISTS audit_event_no_update_delete ON {TABLE}",
        f"""CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()""",
        f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
        f"""CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
            FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()""",
    ],
}

REMOVE: dict[str, list[str]] = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS audit_event_no_update_delete ON {TABLE}",
        f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
        "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
    ],
}


def _execute(connection: BaseDatabaseWrapper, statements: dict[str, list[str]]) -> None:
    if connection.vendor not in statements:
        raise RuntimeError(f"no append-only triggers for database vendor {connection.vendor!r}")
    # A plain cursor without parameters: the PL/pgSQL body contains a literal '%'.
    with connection.cursor() as cursor:
        for statement in statements[connection.vendor]:
            cursor.execute(statement)


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    _execute(connection, INSTALL)


def remove_triggers(connection: BaseDatabaseWrapper) -> None:
    _execute(connection, REMOVE)
