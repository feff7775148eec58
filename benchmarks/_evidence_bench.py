"""Shared set-up of the evidence benchmarks: Django on a throw-away test database (SQLite by default, PostgreSQL
when DATABASE_URL is set), created and destroyed like the test suite's, so a benchmark never touches real data."""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@contextmanager
def bench_database() -> Iterator[str]:
    """Yield a description of the database; everything is dropped afterwards."""
    scratch = tempfile.mkdtemp(prefix="smartcourt-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SMARTCOURT_TEST_DB_NAME", str(Path(scratch) / "bench.sqlite3"))
    os.environ.setdefault("SMARTCOURT_LOG_KEY", str(Path(scratch) / "log_key.pem"))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    config = setup_databases(verbosity=0, interactive=False)
    try:
        yield f"{connection.vendor} {connection.settings_dict['NAME']}"
    finally:
        teardown_databases(config, verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
