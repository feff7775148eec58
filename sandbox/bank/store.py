"""The sandbox bank's ledger in its own SQLite file: accounts, movements, transfers, batches, the outbox of
push notifications. Every money-moving function runs inside one ``BEGIN IMMEDIATE`` transaction, which
serialises writers: the limit check and the debit are one step, so concurrent transfers cannot together
cross a limit.
"""

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

from partnerproto import approval
from partnerproto.signatures import PublicKey

SHANGHAI = ZoneInfo("Asia/Shanghai")
BANK_NAME = "江苏沙盒银行南通分行"
ACCOUNT_PREFIX = "3206010188"  # 10 digits + 9-digit sequence: a 19-digit corporate account number

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    number TEXT PRIMARY KEY, name TEXT NOT NULL, holder_id TEXT NOT NULL DEFAULT '',
    case_reference TEXT NOT NULL DEFAULT '', balance INTEGER NOT NULL DEFAULT 0,
    per_tx INTEGER, daily INTEGER, cumulative INTEGER, debited_total INTEGER NOT NULL DEFAULT 0,
    frozen INTEGER NOT NULL DEFAULT 0, last_seq INTEGER NOT NULL DEFAULT 0, opened_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS movements (
    account TEXT NOT NULL, seq INTEGER NOT NULL, reference TEXT NOT NULL UNIQUE, booked_at TEXT NOT NULL,
    day TEXT NOT NULL, amount INTEGER NOT NULL, balance_after INTEGER NOT NULL, cp_name TEXT NOT NULL,
    cp_account TEXT NOT NULL, description TEXT NOT NULL, idem TEXT NOT NULL DEFAULT '',
    counts_as_debit INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (account, seq)
);
CREATE TABLE IF NOT EXISTS transfers (
    idem TEXT PRIMARY KEY, request_hash TEXT NOT NULL, account TEXT NOT NULL, payee_name TEXT NOT NULL,
    payee_account TEXT NOT NULL, amount INTEGER NOT NULL, purpose TEXT NOT NULL, status TEXT NOT NULL,
    reason TEXT, message TEXT NOT NULL DEFAULT '', reference TEXT NOT NULL DEFAULT '', executed_at TEXT,
    batch_id TEXT, position INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS batches (batch_id TEXT PRIMARY KEY, request_hash TEXT NOT NULL, account TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS closed_payees (account TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, seq INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, next_at REAL NOT NULL DEFAULT 0, delivered_at TEXT, last_error TEXT
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Reject reasons (the values of smartcourt.banking.adapter.RejectReason; the sandbox does not import it).
LIMIT_PER_TRANSACTION = "limit_per_transaction"
LIMIT_DAILY = "limit_daily"
LIMIT_CUMULATIVE = "limit_cumulative"
APPROVAL_TOKEN_INVALID = "approval_token_invalid"  # noqa: S105 - a reason code
INSUFFICIENT_FUNDS = "insufficient_funds"
UNKNOWN_ACCOUNT = "unknown_account"
ACCOUNT_FROZEN = "account_frozen"
INVALID_PAYEE = "invalid_payee"

LIMIT_MESSAGES = {
    LIMIT_PER_TRANSACTION: "超过单笔限额，需法院审批令牌",
    LIMIT_DAILY: "超过当日累计限额，需法院审批令牌",
    LIMIT_CUMULATIVE: "超过累计限额，需法院审批令牌",
}


class BankRequestError(Exception):
    """A request the bank answers with an HTTP error (404 unknown account, 409 reused key, 422 bad input)."""

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
    """One serialised write transaction (BEGIN IMMEDIATE takes the write lock before the first read)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


# --- clock -----------------------------------------------------------------------------------------------


def now(connection: sqlite3.Connection) -> dt.datetime:
    """The bank's business time: the real clock, or the test clock a test set (only with --test-clock)."""
    row = connection.execute("SELECT value FROM meta WHERE name = 'clock'").fetchone()
    if row is not None:
        return dt.datetime.fromisoformat(row["value"])
    return dt.datetime.now(dt.UTC)


def set_meta(connection: sqlite3.Connection, name: str, value: str | None) -> None:
    if value is None:
        connection.execute("DELETE FROM meta WHERE name = ?", (name,))
    else:
        connection.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))


def get_meta(connection: sqlite3.Connection, name: str) -> str | None:
    row = connection.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row["value"])


def shanghai_day(moment: dt.datetime) -> str:
    return moment.astimezone(SHANGHAI).date().isoformat()


# --- accounts --------------------------------------------------------------------------------------------


def _limit(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10**15:
        raise BankRequestError(422, "invalid_limit", f"{name} must be null or an integer of fen, 0..10^15")
    return value


def _limits(data: Mapping[str, Any]) -> tuple[int | None, int | None, int | None]:
    limits = data.get("limits")
    if not isinstance(limits, dict):
        raise BankRequestError(422, "invalid_limit", "limits is an object")
    return (
        _limit(limits.get("per_transaction_fen"), "per_transaction_fen"),
        _limit(limits.get("daily_fen"), "daily_fen"),
        _limit(limits.get("cumulative_fen"), "cumulative_fen"),
    )


def _text(data: Mapping[str, Any], name: str, *, required: bool = True, limit: int = 200) -> str:
    value = data.get(name, "")
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise BankRequestError(422, "invalid_field", f"{name} is a text of 1..{limit} characters")
    return value.strip()


def _amount(data: Mapping[str, Any], name: str = "amount_fen") -> int:
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 10**15:
        raise BankRequestError(422, "invalid_amount", f"{name} is a positive integer of fen up to 10^15")
    return value


def _account_row(connection: sqlite3.Connection, number: str) -> sqlite3.Row:
    row = connection.execute("SELECT * FROM accounts WHERE number = ?", (number,)).fetchone()
    if row is None:
        raise BankRequestError(404, UNKNOWN_ACCOUNT, f"no account {number}")
    return row


def debited_on(connection: sqlite3.Connection, number: str, day: str) -> int:
    row = connection.execute(
        "SELECT COALESCE(SUM(-amount), 0) AS total FROM movements WHERE account = ? AND day = ? AND counts_as_debit",
        (number, day),
    ).fetchone()
    return int(row["total"])


def account_info(connection: sqlite3.Connection, number: str) -> dict[str, Any]:
    row = _account_row(connection, number)
    return {
        "account_number": row["number"],
        "account_name": row["name"],
        "balance_fen": row["balance"],
        "limits": {
            "per_transaction_fen": row["per_tx"],
            "daily_fen": row["daily"],
            "cumulative_fen": row["cumulative"],
        },
        "debited_today_fen": debited_on(connection, number, shanghai_day(now(connection))),
        "debited_total_fen": row["debited_total"],
        "frozen": bool(row["frozen"]),
        "case_reference": row["case_reference"],
    }


def open_account(connection: sqlite3.Connection, data: Mapping[str, Any]) -> dict[str, Any]:
    name = _text(data, "account_name")
    holder = _text(data, "holder_id", limit=40)
    case_reference = _text(data, "case_reference", limit=100)
    per_tx, daily, cumulative = _limits(data)
    with writing(connection):
        count = connection.execute("SELECT COUNT(*) AS n FROM accounts").fetchone()["n"]
        number = f"{ACCOUNT_PREFIX}{count + 1:09d}"
        while connection.execute("SELECT 1 FROM accounts WHERE number = ?", (number,)).fetchone():
            number = f"{ACCOUNT_PREFIX}{secrets.randbelow(10**9):09d}"
        connection.execute(
            "INSERT INTO accounts (number, name, holder_id, case_reference, per_tx, daily, cumulative, opened_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (number, name, holder, case_reference, per_tx, daily, cumulative, now(connection).isoformat()),
        )
    return account_info(connection, number)


def register_account(connection: sqlite3.Connection, data: Mapping[str, Any]) -> dict[str, Any]:
    """Put an account under supervision. The sandbox creates it when it does not exist yet (a real bank would
    refuse an unknown account; the sandbox stands in for the administrator having opened it at the counter).
    The cumulative count starts from zero at registration."""
    number = _text(data, "account_number", limit=40)
    case_reference = _text(data, "case_reference", limit=100)
    per_tx, daily, cumulative = _limits(data)
    name = _text(data, "account_name", required=False) or "破产管理人账户"
    with writing(connection):
        exists = connection.execute("SELECT 1 FROM accounts WHERE number = ?", (number,)).fetchone()
        if exists:
            connection.execute(
                "UPDATE accounts SET case_reference = ?, per_tx = ?, daily = ?, cumulative = ?, debited_total = 0"
                " WHERE number = ?",
                (case_reference, per_tx, daily, cumulative, number),
            )
        else:
            connection.execute(
                "INSERT INTO accounts (number, name, case_reference, per_tx, daily, cumulative, opened_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (number, name, case_reference, per_tx, daily, cumulative, now(connection).isoformat()),
            )
    return account_info(connection, number)


def set_limits(connection: sqlite3.Connection, data: Mapping[str, Any]) -> dict[str, Any]:
    number = _text(data, "account_number", limit=40)
    per_tx, daily, cumulative = _limits(data)
    with writing(connection):
        _account_row(connection, number)
        connection.execute(
            "UPDATE accounts SET per_tx = ?, daily = ?, cumulative = ? WHERE number = ?",
            (per_tx, daily, cumulative, number),
        )
    return account_info(connection, number)


def set_frozen(connection: sqlite3.Connection, data: Mapping[str, Any]) -> dict[str, Any]:
    number = _text(data, "account_number", limit=40)
    with writing(connection):
        _account_row(connection, number)
        connection.execute("UPDATE accounts SET frozen = ? WHERE number = ?", (bool(data.get("frozen")), number))
    return account_info(connection, number)


# --- movements -------------------------------------------------------------------------------------------


def _book(
    connection: sqlite3.Connection,
    *,
    number: str,
    amount: int,
    cp_name: str,
    cp_account: str,
    description: str,
    idem: str = "",
    counts_as_debit: bool = False,
) -> dict[str, Any]:
    """Book one movement inside the caller's write transaction and queue its push notification."""
    moment = now(connection)
    row = connection.execute(
        "UPDATE accounts SET balance = balance + ?, last_seq = last_seq + 1,"
        " debited_total = debited_total + ? WHERE number = ? RETURNING balance, last_seq",
        (amount, -amount if counts_as_debit else 0, number),
    ).fetchone()
    reference = f"SBX{moment.astimezone(SHANGHAI):%Y%m%d}{secrets.token_hex(6).upper()}"
    connection.execute(
        "INSERT INTO movements (account, seq, reference, booked_at, day, amount, balance_after, cp_name, cp_account,"
        " description, idem, counts_as_debit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            number,
            row["last_seq"],
            reference,
            moment.isoformat(),
            shanghai_day(moment),
            amount,
            row["balance"],
            cp_name,
            cp_account,
            description,
            idem,
            counts_as_debit,
        ),
    )
    connection.execute("INSERT INTO outbox (account, seq) VALUES (?, ?)", (number, row["last_seq"]))
    return {"reference": reference, "seq": row["last_seq"], "booked_at": moment.isoformat()}


def credit(connection: sqlite3.Connection, data: Mapping[str, Any]) -> dict[str, Any]:
    """Test/demo operation: money arrives from a named counterparty."""
    number = _text(data, "account_number", limit=40)
    amount = _amount(data)
    with writing(connection):
        _account_row(connection, number)
        booked = _book(
            connection,
            number=number,
            amount=amount,
            cp_name=_text(data, "counterparty_name"),
            cp_account=_text(data, "counterparty_account", required=False, limit=40),
            description=_text(data, "description", required=False) or "来账",
        )
    return {**booked, "account": account_info(connection, number)}


def debit(connection: sqlite3.Connection, data: Mapping[str, Any]) -> dict[str, Any]:
    """Test/demo operation: a debit the platform did not instruct (a fee, a deduction by another authority).
    It is booked whatever the limits say: that is what makes it an alert on the platform's side."""
    number = _text(data, "account_number", limit=40)
    amount = _amount(data)
    with writing(connection):
        _account_row(connection, number)
        booked = _book(
            connection,
            number=number,
            amount=-amount,
            cp_name=_text(data, "counterparty_name"),
            cp_account=_text(data, "counterparty_account", required=False, limit=40),
            description=_text(data, "description", required=False) or "扣款",
        )
    return {**booked, "account": account_info(connection, number)}


def movement_dict(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "account_number": row["account"],
        "sequence": row["seq"],
        "bank_reference": row["reference"],
        "booked_at": row["booked_at"],
        "amount_fen": row["amount"],
        "balance_after_fen": row["balance_after"],
        "counterparty_name": row["cp_name"],
        "counterparty_account": row["cp_account"],
        "description": row["description"],
        "idempotency_key": row["idem"],
    }


def statement(connection: sqlite3.Connection, data: Mapping[str, Any]) -> dict[str, Any]:
    number = _text(data, "account_number", limit=40)
    after = data.get("after_sequence", 0)
    limit = data.get("limit", 500)
    if not isinstance(after, int) or after < 0 or not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise BankRequestError(422, "invalid_field", "after_sequence >= 0, limit 1..1000")
    _account_row(connection, number)
    rows = connection.execute(
        "SELECT * FROM movements WHERE account = ? AND seq > ? ORDER BY seq LIMIT ?", (number, after, limit)
    ).fetchall()
    return {"account_number": number, "movements": [movement_dict(row) for row in rows]}


# --- transfers -------------------------------------------------------------------------------------------


def _request_hash(data: Mapping[str, Any]) -> str:
    """What makes two instructions "the same": everything but the approval token, which authorises the
    instruction without being part of it (a resend after a crash may carry a freshly issued token)."""
    content = {name: value for name, value in data.items() if name != "approval_token"}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _result(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "idempotency_key": row["idem"],
        "status": row["status"],
        "bank_reference": row["reference"],
        "reason": row["reason"],
        "message": row["message"],
        "executed_at": row["executed_at"],
    }


def _limit_breached(account: sqlite3.Row, today: int, amounts: list[int]) -> str | None:
    """The first limit the amounts would cross (per transaction, then daily, then cumulative), or None."""
    if account["per_tx"] is not None and any(amount > account["per_tx"] for amount in amounts):
        return LIMIT_PER_TRANSACTION
    total = sum(amounts)
    if account["daily"] is not None and today + total > account["daily"]:
        return LIMIT_DAILY
    if account["cumulative"] is not None and account["debited_total"] + total > account["cumulative"]:
        return LIMIT_CUMULATIVE
    return None


def _instruction(data: Mapping[str, Any]) -> dict[str, Any]:
    payee = data.get("payee")
    if not isinstance(payee, dict):
        raise BankRequestError(422, "invalid_field", "payee is an object")
    return {
        "idempotency_key": _text(data, "idempotency_key", limit=100),
        "account_number": _text(data, "account_number", limit=40),
        "payee_name": payee.get("name", "") if isinstance(payee.get("name"), str) else "",
        "payee_account": payee.get("account_number", "") if isinstance(payee.get("account_number"), str) else "",
        "payee_bank": payee.get("bank_name", "") if isinstance(payee.get("bank_name"), str) else "",
        "amount_fen": _amount(data),
        "purpose": _text(data, "purpose", required=False),
        "approval_token": data.get("approval_token", "") if isinstance(data.get("approval_token"), str) else "",
    }


def _store_result(
    connection: sqlite3.Connection,
    item: Mapping[str, Any],
    request_hash: str,
    *,
    status: str,
    reason: str | None = None,
    message: str = "",
    reference: str = "",
    executed_at: str | None = None,
    batch_id: str | None = None,
    position: int = 0,
) -> sqlite3.Row:
    connection.execute(
        "INSERT OR REPLACE INTO transfers (idem, request_hash, account, payee_name, payee_account, amount, purpose,"
        " status, reason, message, reference, executed_at, batch_id, position)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            item["idempotency_key"],
            request_hash,
            item["account_number"],
            item["payee_name"],
            item["payee_account"],
            item["amount_fen"],
            item["purpose"],
            status,
            reason,
            message,
            reference,
            executed_at,
            batch_id,
            position,
        ),
    )
    return connection.execute("SELECT * FROM transfers WHERE idem = ?", (item["idempotency_key"],)).fetchone()


def _execute(
    connection: sqlite3.Connection, item: Mapping[str, Any], request_hash: str, *, batch_id: str | None, position: int
) -> sqlite3.Row:
    """Debit and send one instruction whose limits and token are settled; inside the write transaction."""
    account = _account_row(connection, item["account_number"])
    if account["balance"] < item["amount_fen"]:
        return _store_result(
            connection,
            item,
            request_hash,
            status="rejected",
            reason=INSUFFICIENT_FUNDS,
            message="余额不足",
            batch_id=batch_id,
            position=position,
        )
    booked = _book(
        connection,
        number=item["account_number"],
        amount=-item["amount_fen"],
        cp_name=item["payee_name"],
        cp_account=item["payee_account"],
        description=item["purpose"] or "转账",
        idem=item["idempotency_key"],
        counts_as_debit=True,
    )
    status, message = "executed", "已执行"
    closed = connection.execute("SELECT 1 FROM closed_payees WHERE account = ?", (item["payee_account"],)).fetchone()
    if closed:
        # The payee's bank returns the payment at once (the sandbox's simulation of 退汇).
        _book(
            connection,
            number=item["account_number"],
            amount=item["amount_fen"],
            cp_name=item["payee_name"],
            cp_account=item["payee_account"],
            description=f"退汇：收款账户已销户（原交易 {booked['reference']}）",
            idem=item["idempotency_key"],
        )
        status, message = "returned", "收款行退回：收款账户已销户"
    return _store_result(
        connection,
        item,
        request_hash,
        status=status,
        message=message,
        reference=booked["reference"],
        executed_at=booked["booked_at"],
        batch_id=batch_id,
        position=position,
    )


def _reject(
    connection: sqlite3.Connection,
    item: Mapping[str, Any],
    request_hash: str,
    reason: str,
    message: str,
    *,
    batch_id: str | None = None,
    position: int = 0,
) -> sqlite3.Row:
    return _store_result(
        connection,
        item,
        request_hash,
        status="rejected",
        reason=reason,
        message=message,
        batch_id=batch_id,
        position=position,
    )


def _precheck(connection: sqlite3.Connection, item: Mapping[str, Any]) -> tuple[str, str] | None:
    account = connection.execute("SELECT * FROM accounts WHERE number = ?", (item["account_number"],)).fetchone()
    if account is None:
        return UNKNOWN_ACCOUNT, f"账户 {item['account_number']} 不存在"
    if account["frozen"]:
        return ACCOUNT_FROZEN, "账户已冻结"
    if not item["payee_account"].strip() or not item["payee_name"].strip():
        return INVALID_PAYEE, "收款人户名或账号为空"
    if item["payee_account"] == item["account_number"]:
        return INVALID_PAYEE, "收款账户不能是付款账户本身"
    return None


def transfer(
    connection: sqlite3.Connection, data: Mapping[str, Any], court_keys: Mapping[str, PublicKey]
) -> dict[str, Any]:
    """One transfer, idempotent by key: a resend of the same instruction answers with the first result; the same
    key with another instruction is refused (409). A rejected instruction did nothing, so its key may be sent
    again (for example with the approval token it lacked) and is evaluated afresh."""
    item = _instruction(data)
    request_hash = _request_hash(item)
    with writing(connection):
        existing = connection.execute("SELECT * FROM transfers WHERE idem = ?", (item["idempotency_key"],)).fetchone()
        if existing is not None and existing["status"] != "rejected":
            if existing["request_hash"] != request_hash:
                raise BankRequestError(409, "idempotency_key_reused", "该幂等键已用于另一笔指令")
            return _result(existing)
        refused = _precheck(connection, item)
        if refused is not None:
            return _result(_reject(connection, item, request_hash, *refused))
        account = _account_row(connection, item["account_number"])
        moment = now(connection)
        breached = _limit_breached(
            account, debited_on(connection, account["number"], shanghai_day(moment)), [item["amount_fen"]]
        )
        if item["approval_token"]:
            try:
                approval.verify_transfer_approval(
                    item["approval_token"],
                    keys=court_keys,
                    now=int(moment.timestamp()),
                    case_reference=account["case_reference"],
                    account_number=account["number"],
                    payee_account=item["payee_account"],
                    amount_fen=item["amount_fen"],
                    idempotency_key=item["idempotency_key"],
                )
            except approval.ApprovalError as exc:
                message = f"审批令牌无效：{exc.reason}{'（' + exc.field + '）' if exc.field else ''}"
                return _result(_reject(connection, item, request_hash, APPROVAL_TOKEN_INVALID, message))
        elif breached is not None:
            return _result(_reject(connection, item, request_hash, breached, LIMIT_MESSAGES[breached]))
        return _result(_execute(connection, item, request_hash, batch_id=None, position=0))


def transfer_status(connection: sqlite3.Connection, data: Mapping[str, Any]) -> dict[str, Any]:
    key = _text(data, "idempotency_key", limit=100)
    row = connection.execute("SELECT * FROM transfers WHERE idem = ?", (key,)).fetchone()
    if row is None:
        raise BankRequestError(404, "unknown_transfer", f"no transfer with key {key}")
    return _result(row)


def _earlier_batch(connection: sqlite3.Connection, batch_id: str, request_hash: str) -> dict[str, Any] | None:
    """The answer already given to this batch (the same request sent again); None when it is new or was
    refused as a whole (then it may be sent again)."""
    existing = connection.execute("SELECT * FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
    if existing is None:
        return None
    rows = connection.execute("SELECT * FROM transfers WHERE batch_id = ? ORDER BY position", (batch_id,)).fetchall()
    if not any(row["status"] != "rejected" for row in rows):
        return None
    if existing["request_hash"] != request_hash:
        raise BankRequestError(409, "idempotency_key_reused", "该批次号已用于另一批指令")
    return {"batch_id": batch_id, "results": [_result(row) for row in rows]}


def _batch_refusal(
    connection: sqlite3.Connection,
    number: str,
    batch_id: str,
    items: list[dict[str, Any]],
    *,
    token: str,
    court_keys: Mapping[str, PublicKey],
) -> tuple[str, str] | None:
    """Why the whole batch is refused (unknown or frozen account, an invalid court token, a limit breached
    without a token), or None."""
    account = connection.execute("SELECT * FROM accounts WHERE number = ?", (number,)).fetchone()
    moment = now(connection)
    if account is None:
        return (UNKNOWN_ACCOUNT, f"账户 {number} 不存在")
    if account["frozen"]:
        return (ACCOUNT_FROZEN, "账户已冻结")
    if token:
        try:
            approval.verify_batch_approval(
                token,
                keys=court_keys,
                now=int(moment.timestamp()),
                case_reference=account["case_reference"],
                account_number=number,
                batch_id=batch_id,
                instructions=[(i["idempotency_key"], i["payee_account"], i["amount_fen"]) for i in items],
            )
        except approval.ApprovalError as exc:
            return (APPROVAL_TOKEN_INVALID, f"批量审批令牌无效：{exc.reason} {exc.field}".strip())
        return None
    today = debited_on(connection, number, shanghai_day(moment))
    breached = _limit_breached(account, today, [item["amount_fen"] for item in items])
    return (breached, LIMIT_MESSAGES[breached]) if breached is not None else None


def batch_transfer(
    connection: sqlite3.Connection, data: Mapping[str, Any], court_keys: Mapping[str, PublicKey]
) -> dict[str, Any]:
    """Several transfers under one token. Limits apply to the batch as a whole (every amount against the
    per-transaction limit, the total against the daily and cumulative ones): over any of them, the batch
    runs only with a valid batch token, and then each instruction executes on its own (one may fail for
    insufficient funds while the others run). Idempotent by batch id like a single transfer."""
    batch_id = _text(data, "batch_id", limit=100)
    number = _text(data, "account_number", limit=40)
    token = data.get("approval_token", "")
    raw_items = data.get("instructions")
    if not isinstance(raw_items, list) or not 1 <= len(raw_items) <= 5000:
        raise BankRequestError(422, "invalid_field", "instructions is a list of 1..5000 transfers")
    items = [_instruction({**raw, "account_number": number}) for raw in raw_items if isinstance(raw, dict)]
    if len(items) != len(raw_items) or len({item["idempotency_key"] for item in items}) != len(items):
        raise BankRequestError(422, "invalid_field", "every instruction is an object with its own idempotency key")
    request_hash = _request_hash({"batch": batch_id, "account": number, "items": items})
    with writing(connection):
        earlier = _earlier_batch(connection, batch_id, request_hash)
        if earlier is not None:
            return earlier
        for item in items:
            other = connection.execute(
                "SELECT batch_id, status FROM transfers WHERE idem = ?", (item["idempotency_key"],)
            ).fetchone()
            if other is not None and (other["batch_id"] != batch_id or other["status"] != "rejected"):
                raise BankRequestError(409, "idempotency_key_reused", f"幂等键 {item['idempotency_key']} 已使用")
        connection.execute(
            "INSERT OR REPLACE INTO batches (batch_id, request_hash, account) VALUES (?, ?, ?)",
            (batch_id, request_hash, number),
        )
        refusal = _batch_refusal(
            connection, number, batch_id, items, token=str(token) if token else "", court_keys=court_keys
        )
        results = []
        for position, item in enumerate(items):
            if refusal is not None:
                row = _reject(connection, item, request_hash, *refusal, batch_id=batch_id, position=position)
            else:
                own = _precheck(connection, item)
                if own is not None:
                    row = _reject(connection, item, request_hash, *own, batch_id=batch_id, position=position)
                else:
                    row = _execute(connection, item, request_hash, batch_id=batch_id, position=position)
            results.append(_result(row))
    return {"batch_id": batch_id, "results": results}


def close_payee(connection: sqlite3.Connection, data: Mapping[str, Any]) -> dict[str, Any]:
    number = _text(data, "account_number", limit=40)
    with writing(connection):
        connection.execute("INSERT OR IGNORE INTO closed_payees (account) VALUES (?)", (number,))
    return {"closed": number}


# --- outbox ----------------------------------------------------------------------------------------------


def pending_notifications(connection: sqlite3.Connection, *, at: float, force: bool) -> list[tuple[str, list[int]]]:
    """(account, outbox ids) of undelivered movements, per account, oldest first. An account whose oldest
    undelivered movement waits for its retry holds back the newer ones too, so notifications arrive in
    sequence order (``force``: everything now)."""
    rows = connection.execute(
        "SELECT id, account, next_at FROM outbox WHERE delivered_at IS NULL ORDER BY id LIMIT 5000"
    ).fetchall()
    grouped: dict[str, list[int]] = {}
    held: set[str] = set()
    for row in rows:
        account = row["account"]
        if account in held:
            continue
        if account not in grouped and not force and row["next_at"] > at:
            held.add(account)
            continue
        ids = grouped.setdefault(account, [])
        if len(ids) < 500:
            ids.append(row["id"])
    return list(grouped.items())


def outbox_movements(connection: sqlite3.Connection, ids: list[int]) -> list[dict[str, Any]]:
    marks = ",".join("?" * len(ids))
    rows = connection.execute(
        f"SELECT m.* FROM outbox o JOIN movements m ON m.account = o.account AND m.seq = o.seq"  # noqa: S608 - placeholders only
        f" WHERE o.id IN ({marks}) ORDER BY m.seq",
        ids,
    ).fetchall()
    return [movement_dict(row) for row in rows]


def mark_delivered(connection: sqlite3.Connection, ids: list[int]) -> None:
    marks = ",".join("?" * len(ids))
    with writing(connection):
        connection.execute(
            f"UPDATE outbox SET delivered_at = ? WHERE id IN ({marks})",  # noqa: S608 - placeholders only
            [dt.datetime.now(dt.UTC).isoformat(), *ids],
        )


def mark_failed(connection: sqlite3.Connection, ids: list[int], *, at: float, error: str) -> None:
    """Retry with exponential backoff: 1 s, 2 s, 4 s, ... capped at 5 minutes."""
    marks = ",".join("?" * len(ids))
    with writing(connection):
        connection.execute(
            f"UPDATE outbox SET attempts = attempts + 1, last_error = ?,"  # noqa: S608 - placeholders only
            f" next_at = ? + MIN(300, 1 << MIN(attempts, 9)) WHERE id IN ({marks})",
            [error[:500], at, *ids],
        )
