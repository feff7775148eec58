"""Django's ``flush``, able to empty the append-only audit log of a *test* database.

Tests that commit (live-server and thread tests) are cleaned up with ``flush``; the audit triggers would
refuse it. On the test database only, the triggers are lifted for the flush and put back right after.
On any other database this behaves exactly like Django's flush, and the triggers refuse it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from smartcourt.audit.actions import ensure_head
from smartcourt.audit.triggers import install_triggers, remove_triggers


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        # _get_test_db_name() is how Django itself names the test database (including pytest-xdist suffixes).
        test_name = connection.creation._get_test_db_name()  # type: ignore[attr-defined]
        is_test_database = connection.settings_dict["NAME"] == test_name
        if not is_test_database:
            super().handle(**options)
            return
        remove_triggers(connection)
        try:
            super().handle(**options)
        finally:
            install_triggers(connection)
        ensure_head()
