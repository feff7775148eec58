"""The sandbox payment service's books in its own SQLite file: orders (payment notices), refunds and the
outbox of notifications to the platform. Every write runs in one ``BEGIN IMMEDIATE`` transaction, so a
payment and its notification are one step, and two refunds cannot together exceed what was paid."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOTICE_PREFIX = "3206"  # region of the sandbox court (Nantong), then the day and a sequence
MAX_AMOUNT_FEN = 10**15

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    notice_number TEXT PRIMARY KEY, order_id TEXT NOT NULL UNIQUE, request_hash TEXT NOT NULL,
    payer_name TEXT NOT NULL, amount INTEGER NOT NULL, description TEXT NOT NULL,
    case_reference TEXT NOT NULL, return_url TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
    paid_at TEXT, paid_day TEXT, payment_reference TEXT, payer_account_name TEXT, payer_account_number TEXT,
    refunded INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS refunds (
    refund_id TEXT PRIMARY KEY, request_hash TEXT NOT NULL, notice_number TEXT NOT NULL, amount INTEGER NOT NULL,
    reference TEXT NOT NULL, refunded_at TEXT NOT NULL, day TEXT NOT NULL, account_name TEXT NOT NULL,
    account_number TEXT NOT NULL, reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL DEFAULT 0, delivered_at TEXT, last_error TEXT
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class PaymentsRequestError(Exception):
    """A request answered with an HTTP error (404 unknown order, 409 reused id, 422 bad input)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


def initialise(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with opened(path) as connection:
        connection.executescript(SCHEMA)


@contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA busy_timeout=30000")
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def writing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def get_meta(connection: sqlite3.Connection, name: str) -> str | None:
    row = connection.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return None if row is None else json.loads(row["value"])


def set_meta(connection: sqlite3.Connection, name: str, value: Any) -> None:
    connection.execute(
        "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        (name, json.dumps(value)),
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _text(data: Mapping[str, Any], name: str, *, limit: int, required: bool = True) -> str:
    value = data.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise PaymentsRequestError(422, "invalid_field", f"{name} is a non-empty string")
    if len(value) > limit:
        raise PaymentsRequestError(422, "invalid_field", f"{name} is at most {limit} characters")
    return value.strip()


def _amount(data: Mapping[str, Any], name: str = "amount_fen") -> int:
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_AMOUNT_FEN:
        raise PaymentsRequestError(422, "invalid_field", f"{name} is a positive integer of fen")
    return value


def _hash(data: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def order_view(row: sqlite3.Row, base_url: str) -> dict[str, Any]:
    return {
        "order_id": row["order_id"],
        "notice_number": row["notice_number"],
        "amount_fen": row["amount"],
        "refunded_fen": row["refunded"],
        "status": row["status"],
        "payer_name": row["payer_name"],
        "description": row["description"],
        "case_reference": row["case_reference"],
        "pay_url": f"{base_url}/pay/{row['notice_number']}",
        "return_url": row["return_url"],
        "paid_at": row["paid_at"],
        "payment_reference": row["payment_reference"],
        "payer_account_name": row["payer_account_name"],
        "payer_account_number": row["payer_account_number"],
    }


def create_order(connection: sqlite3.Connection, data: Mapping[str, Any], base_url: str) -> dict[str, Any]:
    fields = {
        "order_id": _text(data, "order_id", limit=64),
        "payer_name": _text(data, "payer_name", limit=200),
        "amount_fen": _amount(data),
        "description": _text(data, "description", limit=200),
        "case_reference": _text(data, "case_reference", limit=100, required=False),
        "return_url": _text(data, "return_url", limit=500, required=False),
    }
    request_hash = _hash(fields)
    with writing(connection):
        existing = connection.execute("SELECT * FROM orders WHERE order_id = ?", (fields["order_id"],)).fetchone()
        if existing is not None:
            if existing["request_hash"] != request_hash:
                raise PaymentsRequestError(409, "order_id_reused", "this order id was used for another order")
            return order_view(existing, base_url)
        now = _now()
        day = now.astimezone(SHANGHAI).strftime("%Y%m%d")
        count = connection.execute(
            "SELECT COUNT(*) FROM orders WHERE notice_number LIKE ?", (f"{NOTICE_PREFIX}{day}%",)
        )
        notice = f"{NOTICE_PREFIX}{day}{count.fetchone()[0] + 1:08d}"
        connection.execute(
            "INSERT INTO orders (notice_number, order_id, request_hash, payer_name, amount, description,"
            " case_reference, return_url, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'unpaid', ?)",
            (
                notice,
                fields["order_id"],
                request_hash,
                fields["payer_name"],
                fields["amount_fen"],
                fields["description"],
                fields["case_reference"],
                fields["return_url"],
                now.isoformat(),
            ),
        )
        row = connection.execute("SELECT * FROM orders WHERE notice_number = ?", (notice,)).fetchone()
    return order_view(row, base_url)


def get_order(connection: sqlite3.Connection, notice_number: str) -> sqlite3.Row:
    row = connection.execute("SELECT * FROM orders WHERE notice_number = ?", (notice_number,)).fetchone()
    if row is None:
        raise PaymentsRequestError(404, "unknown_order", "no such payment notice")
    return row


def pay(connection: sqlite3.Connection, notice_number: str, *, account_name: str, account_number: str) -> bool:
    """The party pays the order on the service's page. False if it was paid already (nothing changes)."""
    with writing(connection):
        row = get_order(connection, notice_number)
        if row["status"] != "unpaid":
            return False
        now = _now()
        reference = f"PAY{now.astimezone(SHANGHAI):%Y%m%d}{secrets.token_hex(5).upper()}"
        connection.execute(
            "UPDATE orders SET status = 'paid', paid_at = ?, paid_day = ?, payment_reference = ?,"
            " payer_account_name = ?, payer_account_number = ? WHERE notice_number = ? AND status = 'unpaid'",
            (
                now.isoformat(),
                now.astimezone(SHANGHAI).date().isoformat(),
                reference,
                account_name,
                account_number,
                notice_number,
            ),
        )
        _enqueue(
            connection,
            {
                "type": "payment",
                "order_id": row["order_id"],
                "notice_number": notice_number,
                "amount_fen": row["amount"],
                "payment_reference": reference,
                "paid_at": now.isoformat(),
                "payer_account_name": account_name,
                "payer_account_number": account_number,
            },
        )
    return True


def refund(connection: sqlite3.Connection, data: Mapping[str, Any]) -> dict[str, Any]:
    fields = {
        "refund_id": _text(data, "refund_id", limit=64),
        "notice_number": _text(data, "notice_number", limit=40),
        "amount_fen": _amount(data),
        "account_name": _text(data, "account_name", limit=200),
        "account_number": _text(data, "account_number", limit=40),
        "reason": _text(data, "reason", limit=200),
    }
    request_hash = _hash(fields)
    with writing(connection):
        existing = connection.execute("SELECT * FROM refunds WHERE refund_id = ?", (fields["refund_id"],)).fetchone()
        if existing is not None:
            if existing["request_hash"] != request_hash:
                raise PaymentsRequestError(409, "refund_id_reused", "this refund id was used for another refund")
            return _refund_view(existing)
        order = get_order(connection, str(fields["notice_number"]))
        if order["status"] != "paid":
            raise PaymentsRequestError(409, "not_paid", "only a paid notice can be refunded")
        if (fields["account_name"], fields["account_number"]) != (
            order["payer_account_name"],
            order["payer_account_number"],
        ):
            # Refunds go back to the account that paid (原路退回).
            raise PaymentsRequestError(422, "not_payer_account", "a refund goes to the account that paid")
        if order["refunded"] + fields["amount_fen"] > order["amount"]:
            raise PaymentsRequestError(409, "over_refund", "the refunds would exceed the amount paid")
        now = _now()
        reference = f"RFD{now.astimezone(SHANGHAI):%Y%m%d}{secrets.token_hex(5).upper()}"
        connection.execute(
            "INSERT INTO refunds (refund_id, request_hash, notice_number, amount, reference, refunded_at, day,"
            " account_name, account_number, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                fields["refund_id"],
                request_hash,
                fields["notice_number"],
                fields["amount_fen"],
                reference,
                now.isoformat(),
                now.astimezone(SHANGHAI).date().isoformat(),
                fields["account_name"],
                fields["account_number"],
                fields["reason"],
            ),
        )
        connection.execute(
            "UPDATE orders SET refunded = refunded + ? WHERE notice_number = ?",
            (fields["amount_fen"], fields["notice_number"]),
        )
        row = connection.execute("SELECT * FROM refunds WHERE refund_id = ?", (fields["refund_id"],)).fetchone()
        _enqueue(connection, {"type": "refund", **_refund_view(row)})
    return _refund_view(row)


def _refund_view(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "refund_id": row["refund_id"],
        "notice_number": row["notice_number"],
        "amount_fen": row["amount"],
        "status": "refunded",
        "refunded_at": row["refunded_at"],
        "reference": row["reference"],
    }


def statement(connection: sqlite3.Connection, data: Mapping[str, Any]) -> dict[str, Any]:
    day = _text(data, "day", limit=10)
    try:
        dt.date.fromisoformat(day)
    except ValueError as exc:
        raise PaymentsRequestError(422, "invalid_field", "day is YYYY-MM-DD") from exc
    payments = connection.execute(
        "SELECT notice_number, order_id, payment_reference, amount, paid_at FROM orders WHERE paid_day = ?"
        " ORDER BY paid_at",
        (day,),
    ).fetchall()
    refunds = connection.execute(
        "SELECT r.notice_number, o.order_id, r.reference, r.amount, r.refunded_at FROM refunds r"
        " JOIN orders o ON o.notice_number = r.notice_number WHERE r.day = ? ORDER BY r.refunded_at",
        (day,),
    ).fetchall()
    entries = [
        {"kind": "payment", "notice_number": r[0], "order_id": r[1], "reference": r[2], "amount_fen": r[3], "at": r[4]}
        for r in payments
    ] + [
        {"kind": "refund", "notice_number": r[0], "order_id": r[1], "reference": r[2], "amount_fen": r[3], "at": r[4]}
        for r in refunds
    ]
    return {"day": day, "entries": entries}


# --- outbox ------------------------------------------------------------------------------------------------


def _enqueue(connection: sqlite3.Connection, body: Mapping[str, Any]) -> None:
    connection.execute("INSERT INTO outbox (body) VALUES (?)", (json.dumps(body, ensure_ascii=False),))


def pending(connection: sqlite3.Connection, *, at: float, force: bool) -> list[tuple[int, dict[str, Any]]]:
    # A forced push takes every pending notification, due or not (next_at is at most the far future).
    due = float("inf") if force else at
    rows = connection.execute(
        "SELECT id, body FROM outbox WHERE delivered_at IS NULL AND next_at <= ? ORDER BY id", (due,)
    ).fetchall()
    return [(row["id"], json.loads(row["body"])) for row in rows]


def mark_delivered(connection: sqlite3.Connection, outbox_id: int) -> None:
    with writing(connection):
        connection.execute("UPDATE outbox SET delivered_at = ? WHERE id = ?", (_now().isoformat(), outbox_id))


def mark_failed(connection: sqlite3.Connection, outbox_id: int, *, at: float, error: str) -> None:
    with writing(connection):
        row = connection.execute("SELECT attempts FROM outbox WHERE id = ?", (outbox_id,)).fetchone()
        attempts = row["attempts"] + 1
        connection.execute(
            "UPDATE outbox SET attempts = ?, next_at = ?, last_error = ? WHERE id = ?",
            (attempts, at + min(2 ** (attempts - 1), 300), error[:500], outbox_id),
        )
