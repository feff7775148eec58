"""The sandbox registry's own SQLite database: companies and their shareholders.

The database belongs to the sandbox process alone (the platform never opens it), as a real registry's
would. It is created and seeded on first start; later starts find it and leave it as it is.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sandbox.registry.data import COMPANIES

SCHEMA = """
CREATE TABLE IF NOT EXISTS company (
    credit_code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    company_type TEXT NOT NULL,
    legal_representative TEXT NOT NULL,
    registered_capital_fen INTEGER NOT NULL CHECK (registered_capital_fen >= 0),
    established_on TEXT NOT NULL,
    address TEXT NOT NULL,
    business_scope TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('存续', '吊销', '注销')),
    registration_authority TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS shareholder (
    credit_code TEXT NOT NULL REFERENCES company (credit_code),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    subscribed_fen INTEGER NOT NULL CHECK (subscribed_fen >= 0),
    paid_fen INTEGER NOT NULL CHECK (paid_fen >= 0 AND paid_fen <= subscribed_fen),
    subscribed_on TEXT NOT NULL,
    PRIMARY KEY (credit_code, position)
);
"""

SEARCH_LIMIT = 20
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=10)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


@contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(path)
    try:
        yield connection
    finally:
        connection.close()


def initialise(path: Path) -> int:
    """Create the tables and seed the companies if the database is empty; the number of companies seeded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with opened(path) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(SCHEMA)
        if connection.execute("SELECT COUNT(*) FROM company").fetchone()[0]:
            return 0
        with connection:
            for company in COMPANIES:
                connection.execute(
                    "INSERT INTO company VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        company.credit_code,
                        company.name,
                        company.company_type,
                        company.legal_representative,
                        company.capital_yuan * 100,
                        company.established_on.isoformat(),
                        company.address,
                        company.business_scope,
                        company.status,
                        company.registration_authority,
                    ),
                )
                connection.executemany(
                    "INSERT INTO shareholder VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            company.credit_code,
                            position,
                            holder.name,
                            holder.kind,
                            holder.subscribed_yuan * 100,
                            holder.paid_yuan * 100,
                            holder.subscribed_on.isoformat(),
                        )
                        for position, holder in enumerate(company.shareholders, start=1)
                    ],
                )
        return len(COMPANIES)


_SUMMARY_COLUMNS = "credit_code, name, legal_representative, status, established_on, address"


def search(connection: sqlite3.Connection, query: str) -> list[dict[str, Any]]:
    """Companies whose credit code is ``query`` or whose name contains it, by name."""
    query = query.strip()
    code = query.upper()
    if _CREDIT_CODE.match(code):
        rows = connection.execute(f"SELECT {_SUMMARY_COLUMNS} FROM company WHERE credit_code = ?", (code,))  # noqa: S608
    else:
        # LIKE's wildcards in the query are meant literally.
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = connection.execute(
            f"SELECT {_SUMMARY_COLUMNS} FROM company WHERE name LIKE ? ESCAPE '\\' ORDER BY name LIMIT ?",  # noqa: S608
            (pattern, SEARCH_LIMIT),
        )
    return [dict(row) for row in rows]


def company(connection: sqlite3.Connection, credit_code: str) -> dict[str, Any] | None:
    row = connection.execute("SELECT * FROM company WHERE credit_code = ?", (credit_code.strip().upper(),)).fetchone()
    if row is None:
        return None
    found = dict(row)
    found["shareholders"] = [
        dict(holder)
        for holder in connection.execute(
            "SELECT name, kind, subscribed_fen, paid_fen, subscribed_on FROM shareholder "
            "WHERE credit_code = ? ORDER BY position",
            (found["credit_code"],),
        )
    ]
    return found
