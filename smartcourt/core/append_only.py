"""Database triggers that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on an append-only table.

Apps install them from a migration; the test-only flush lifts every trigger generically.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper


@dataclass(frozen=True)
class AppendOnlyTriggers:
    """The triggers of one table: ``prefix`` names them, ``refusal`` starts the error message."""

    table: str
    prefix: str
    refusal: str

    def install_statements(self, vendor: str) -> list[str]:
        table, prefix, refusal = self.table, self.prefix, self.refusal
        if vendor == "sqlite":
            return [
                f"""CREATE TRIGGER IF NOT EXISTS {prefix}_no_update BEFORE UPDATE ON {table}
                    BEGIN SELECT RAISE(ABORT, '{refusal}: UPDATE refused'); END""",
                f"""CREATE TRIGGER IF NOT EXISTS {prefix}_no_delete BEFORE DELETE ON {table}
                    BEGIN SELECT RAISE(ABORT, '{refusal}: DELETE refused'); END""",
            ]
        if vendor == "postgresql":
            return [
                f"""CREATE OR REPLACE FUNCTION {prefix}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                   BEGIN
                     RAISE EXCEPTION '{refusal}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
                   END $$""",
                f"DROP TRIGGER IF EXISTS {prefix}_no_update_delete ON {table}",
                f"""CREATE TRIGGER {prefix}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
                    FOR EACH ROW EXECUTE FUNCTION {prefix}_refuse_change()""",
                f"DROP TRIGGER IF EXISTS {prefix}_no_truncate ON {table}",
                f"""CREATE TRIGGER {prefix}_no_truncate BEFORE TRUNCATE ON {table}
                    FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_refuse_change()""",
            ]
        raise RuntimeError(f"no append-only triggers for database vendor {vendor!r}")

    def remove_statements(self, vendor: str) -> list[str]:
        table, prefix = self.table, self.prefix
        if vendor == "sqlite":
            return [f"DROP TRIGGER IF EXISTS {prefix}_no_update", f"DROP TRIGGER IF EXISTS {prefix}_no_delete"]
        if vendor == "postgresql":
            return [
                # Deferred foreign-key checks pending in the transaction would make DROP TRIGGER fail: run them.
                "SET CONSTRAINTS ALL IMMEDIATE",
                f"DROP TRIGGER IF EXISTS {prefix}_no_update_delete ON {table}",
                f"DROP TRIGGER IF EXISTS {prefix}_no_truncate ON {table}",
                f"DROP FUNCTION IF EXISTS {prefix}_refuse_change()",
            ]
        raise RuntimeError(f"no append-only triggers for database vendor {vendor!r}")

    def install(self, connection: BaseDatabaseWrapper) -> None:
        _execute(connection, self.install_statements(connection.vendor))

    def remove(self, connection: BaseDatabaseWrapper) -> None:
        _execute(connection, self.remove_statements(connection.vendor))


def _execute(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    # A plain cursor without parameters: the PL/pgSQL body contains a literal '%'.
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
