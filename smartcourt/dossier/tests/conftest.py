"""Fixtures for tests that commit (threads, live server) and then need the database flushed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from smartcourt.dossier.triggers import remove_triggers


@pytest.fixture
def flushable_dossier(transactional_db: None, django_db_blocker: Any) -> Iterator[None]:
    """Lift the immutability triggers before the flush that ends a committing test.

    Django's flush empties every table and the triggers refuse that. This fixture's teardown runs before the
    flush. The triggers stay off afterwards: the tests about them install them again themselves (both install
    scripts are idempotent). Once the project's ``flush`` command lifts and restores these triggers (as it does
    for the audit log's), this fixture is redundant but harmless.
    """
    yield
    with django_db_blocker.unblock():
        remove_triggers(connection)
