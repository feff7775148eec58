"""Django's ``flush``, able to empty append-only tables while Django's test environment is set up.

Tests that commit (live-server and thread tests) are cleaned up with ``flush``; the triggers that keep the
audit log (and any other append-only table) unchangeable would refuse it. Inside the test environment only,
every trigger is lifted for the flush and put back right after. Anywhere else this is exactly Django's flush,
and the triggers refuse it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core import mail
from django.core.management.commands import flush
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from smartcourt.audit.actions import ensure_head


def in_test_environment() -> bool:
    # Django's setup_test_environment() swaps e-mail for mail.outbox until teardown_test_environment().
    return hasattr(mail, "outbox")


@contextmanager
def triggers_lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            saved = cursor.fetchall()
            for name, _ in saved:
                cursor.execute(f'DROP TRIGGER "{name}"')
        else:
            tables = connection.introspection.table_names(cursor)
            # Deferred foreign-key checks pending in this transaction would make ALTER TABLE fail: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for _, sql in saved:
                    cursor.execute(sql)
            else:
                for table in tables:
                    cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        if not in_test_environment():
            super().handle(**options)
            return
        with triggers_lifted(connections[options["database"]]):
            super().handle(**options)
        ensure_head()
