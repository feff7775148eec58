"""A Hypothesis state machine over the sandbox bank's books (in-process, its own SQLite file): open accounts with
limits, credit, transfer with or without the court's token, resend, batches, payments to closed accounts, the
clock moving across Shanghai midnights. A model predicts every decision; after each step the books hold:
balance = sum of movements, sequences gap-free, no limit exceeded without a valid token, no key paid twice."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from partnerproto import approval
from partnerproto.signatures import SigningKey
from sandbox.bank import store

CASE = "(2026)苏0623破1号"
COURT = SigningKey.generate("court-1")
COURT_KEYS = {"court-1": COURT.public_key()}
START = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)  # 23:00 in Shanghai
CLOSED = "6222000099990000"

limits = st.fixed_dictionaries(
    {
        "per_transaction_fen": st.sampled_from([None, 300, 1000]),
        "daily_fen": st.sampled_from([None, 1000, 2500]),
        "cumulative_fen": st.sampled_from([None, 3000, 6000]),
    }
)


class BankBooks(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.directory = tempfile.TemporaryDirectory(prefix="bank-stateful-")
        path = Path(self.directory.name) / "bank.sqlite3"
        store.initialise(path)
        self.opened = store.opened(path)
        self.db = self.opened.__enter__()
        self.now = START
        self.set_clock()
        self.accounts: dict[str, dict[str, Any]] = {}
        self.sent: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}  # key -> (request, first answer)
        self.counter = 0

    def teardown(self) -> None:
        self.opened.__exit__(None, None, None)
        self.directory.cleanup()

    def set_clock(self) -> None:
        with store.writing(self.db):
            store.set_meta(self.db, "clock", self.now.isoformat())

    def day(self) -> str:
        return store.shanghai_day(self.now)

    def new_key(self) -> str:
        self.counter += 1
        return f"k-{self.counter}"

    @initialize(first=limits)
    def open_first(self, first: dict[str, Any]) -> None:
        self.open_account(first)
        number = next(iter(self.accounts))
        store.credit(self.db, {"account_number": number, "amount_fen": 4000, "counterparty_name": "债务人"})
        self.accounts[number]["balance"] = 4000

    @rule(account_limits=limits)
    def open_account(self, account_limits: dict[str, Any]) -> None:
        info = store.open_account(
            self.db, {"account_name": "管理人账户", "holder_id": "X", "case_reference": CASE, "limits": account_limits}
        )
        self.accounts[info["account_number"]] = {"limits": account_limits, "balance": 0, "total": 0, "days": {}}

    def pick(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from(sorted(self.accounts)))

    @rule(data=st.data(), amount=st.integers(1, 3000))
    def credit(self, data: st.DataObject, amount: int) -> None:
        number = self.pick(data)
        store.credit(self.db, {"account_number": number, "amount_fen": amount, "counterparty_name": "来款人"})
        self.accounts[number]["balance"] += amount

    @rule(hours=st.integers(1, 30))
    def advance_clock(self, hours: int) -> None:
        self.now += dt.timedelta(hours=hours)
        self.set_clock()

    def breach(self, model: dict[str, Any], amounts: list[int]) -> str | None:
        limit = model["limits"]
        if limit["per_transaction_fen"] is not None and any(a > limit["per_transaction_fen"] for a in amounts):
            return store.LIMIT_PER_TRANSACTION
        today = model["days"].get(self.day(), 0)
        if limit["daily_fen"] is not None and today + sum(amounts) > limit["daily_fen"]:
            return store.LIMIT_DAILY
        if limit["cumulative_fen"] is not None and model["total"] + sum(amounts) > limit["cumulative_fen"]:
            return store.LIMIT_CUMULATIVE
        return None

    def book_debit(self, model: dict[str, Any], amount: int, *, returned: bool) -> None:
        model["total"] += amount
        model["days"][self.day()] = model["days"].get(self.day(), 0) + amount
        if not returned:
            model["balance"] -= amount

    def token(self, number: str, payee: str, amount: int, key: str, *, valid: bool) -> str:
        return approval.issue_transfer_approval(
            COURT if valid else SigningKey.generate("court-1"),
            case_reference=CASE,
            account_number=number,
            payee_account=payee,
            amount_fen=amount,
            idempotency_key=key,
            issued_at=int(self.now.timestamp()),
            expires_at=int(self.now.timestamp()) + 3600,
        )

    @rule(
        data=st.data(),
        amount=st.integers(1, 1500),
        token=st.sampled_from(["none", "valid", "forged"]),
        closed=st.booleans(),
    )
    def transfer(self, data: st.DataObject, amount: int, token: str, closed: bool) -> None:
        number = self.pick(data)
        model = self.accounts[number]
        key = self.new_key()
        payee = CLOSED if closed else "6222000011112222"
        if closed:
            store.close_payee(self.db, {"account_number": CLOSED})
        request = {
            "idempotency_key": key,
            "account_number": number,
            "payee": {"name": "收款人", "account_number": payee},
            "amount_fen": amount,
            "purpose": "费用",
            "approval_token": "" if token == "none" else self.token(number, payee, amount, key, valid=token == "valid"),
        }
        answer = store.transfer(self.db, request, COURT_KEYS)
        breached = self.breach(model, [amount])
        if token == "forged":
            assert (answer["status"], answer["reason"]) == ("rejected", store.APPROVAL_TOKEN_INVALID)
        elif token == "none" and breached:
            assert (answer["status"], answer["reason"]) == ("rejected", breached)
        elif model["balance"] < amount:
            assert (answer["status"], answer["reason"]) == ("rejected", store.INSUFFICIENT_FUNDS)
        else:
            assert answer["status"] == ("returned" if closed else "executed"), answer
            self.book_debit(model, amount, returned=closed)
        event(f"transfer {answer['status']} {answer['reason']} token={token}")
        self.sent[key] = (request, answer)

    @precondition(lambda self: self.sent)
    @rule(data=st.data())
    def resend(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.sent)))
        request, first = self.sent[key]
        if first["status"] == "rejected":
            return  # a rejected key is evaluated afresh (tested in test_sandbox); here only paid keys matter
        movements = self.db.execute("SELECT COUNT(*) AS n FROM movements").fetchone()["n"]
        assert store.transfer(self.db, request, COURT_KEYS) == first
        assert self.db.execute("SELECT COUNT(*) AS n FROM movements").fetchone()["n"] == movements

    @rule(data=st.data(), amounts=st.lists(st.integers(1, 800), min_size=1, max_size=4), with_token=st.booleans())
    def batch(self, data: st.DataObject, amounts: list[int], with_token: bool) -> None:
        number = self.pick(data)
        model = self.accounts[number]
        batch_id = f"b-{self.new_key()}"
        items: list[dict[str, Any]] = [
            {
                "idempotency_key": self.new_key(),
                "payee": {"name": f"债权人{i}", "account_number": f"62220000{i:08d}"},
                "amount_fen": amount,
                "purpose": "分配",
            }
            for i, amount in enumerate(amounts)
        ]
        token = ""
        if with_token:
            token = approval.issue_batch_approval(
                COURT,
                case_reference=CASE,
                account_number=number,
                batch_id=batch_id,
                instructions=[(i["idempotency_key"], i["payee"]["account_number"], i["amount_fen"]) for i in items],
                issued_at=int(self.now.timestamp()),
                expires_at=int(self.now.timestamp()) + 3600,
            )
        answer = store.batch_transfer(
            self.db,
            {"batch_id": batch_id, "account_number": number, "approval_token": token, "instructions": items},
            COURT_KEYS,
        )
        breached = self.breach(model, amounts)
        event(f"batch token={with_token} breached={breached}")
        for amount, result in zip(amounts, answer["results"], strict=True):
            if not with_token and breached:
                assert (result["status"], result["reason"]) == ("rejected", breached)
            elif model["balance"] < amount:
                assert result["reason"] == store.INSUFFICIENT_FUNDS
            else:
                assert result["status"] == "executed"
                self.book_debit(model, amount, returned=False)

    @invariant()
    def books_hold(self) -> None:
        for number, model in self.accounts.items():
            row = self.db.execute("SELECT * FROM accounts WHERE number = ?", (number,)).fetchone()
            sums = self.db.execute(
                "SELECT COALESCE(SUM(amount), 0) AS total, COUNT(*) AS n, COALESCE(MAX(seq), 0) AS top"
                " FROM movements WHERE account = ?",
                (number,),
            ).fetchone()
            assert row["balance"] == sums["total"] == model["balance"] >= 0
            assert sums["n"] == sums["top"] == row["last_seq"]  # gap-free sequence
            assert row["debited_total"] == model["total"]
        paid_twice = self.db.execute(
            "SELECT idem FROM movements WHERE counts_as_debit GROUP BY idem HAVING COUNT(*) > 1"
        ).fetchall()
        assert not paid_twice


BankBooks.TestCase.settings = settings(
    max_examples=int(os.environ.get("SMARTCOURT_HYPOTHESIS_EXAMPLES", "40")),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestBankBooks = BankBooks.TestCase


def test_the_invariant_notices_money_the_model_does_not_know():
    """Guards the state machine against checking nothing: a credit behind the model's back breaks it."""
    machine = BankBooks()
    try:
        machine.open_account({"per_transaction_fen": None, "daily_fen": None, "cumulative_fen": None})
        machine.books_hold()
        store.credit(
            machine.db, {"account_number": next(iter(machine.accounts)), "amount_fen": 10, "counterparty_name": "x"}
        )
        with pytest.raises(AssertionError):
            machine.books_hold()
    finally:
        machine.teardown()
