"""The witness's own SQLite database: every checkpoint it verified, its current view, its cosignatures and alarms.

Belongs to the witness process alone; the platform never opens it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (
    origin TEXT NOT NULL,
    size INTEGER NOT NULL,
    root BLOB NOT NULL,
    note TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (origin, size)
);
CREATE TABLE IF NOT EXISTS view (
    origin TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    root BLOB NOT NULL,
    note TEXT NOT NULL,
    halted INTEGER NOT NULL DEFAULT 0,
    halt_reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS cosigned (
    text TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    line TEXT NOT NULL,
    signed_at INTEGER NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS alarm (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    evidence TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    signature TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0
);
"""


@contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.row_factory = sqlite3.Row
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        yield connection
    finally:
        connection.close()


def initialise(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with opened(path) as connection:
        connection.executescript(SCHEMA)


def rows(connection: sqlite3.Connection, sql: str, *params: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in connection.execute(sql, params).fetchall()]
