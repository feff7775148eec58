"""The platform's HttpBankAdapter against the sandbox bank: a real process, real HTTP, its own database.

Every refused request is checked to have changed nothing in the bank's books (balances, movements, transfers).
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from partnerproto import approval, keyfiles, wire
from partnerproto.signatures import SigningKey
from smartcourt.banking.adapter import (
    AccountLimits,
    BankRefused,
    BankUnavailable,
    Payee,
    RejectReason,
    TransferInstruction,
    TransferStatus,
    UnknownTransfer,
)
from smartcourt.banking.client import HttpBankAdapter
from smartcourt.banking.partners import Partner
from smartcourt.banking.testing import Bank, BankServer, start_bank, stop_bank

SHANGHAI = ZoneInfo("Asia/Shanghai")
CASE = "(2026)苏0623破1号"
WAN = 1_000_000  # 10,000 yuan in fen
PAYEE = Payee(name="南通市公证处", account_number="10706101040001234", bank_name="中国农业银行南通分行")


def open_account(bank: Bank, *, per_tx=None, daily=None, cumulative=None, balance=0) -> str:
    info = bank.adapter.open_account(
        account_name="如东县宏达纺织有限公司管理人",
        holder_id="31320000MD0123456X",
        case_reference=CASE,
        limits=AccountLimits(per_transaction_fen=per_tx, daily_fen=daily, cumulative_fen=cumulative),
    )
    if balance:
        bank.credit(info.account_number, balance, counterparty_name="如东县宏达纺织有限公司")
    return info.account_number


_keys = iter(range(10**6))


def instruction(account: str, amount: int, *, key: str | None = None, payee: Payee = PAYEE, token: str = ""):
    return TransferInstruction(
        idempotency_key=key or f"pay-{time.time_ns()}-{next(_keys)}",
        account_number=account,
        payee=payee,
        amount_fen=amount,
        purpose="公证费",
        approval_token=token,
    )


def court_token(bank: Bank, item: TransferInstruction, *, expires_in: int = 3600, **overrides) -> str:
    fields = {
        "case_reference": CASE,
        "account_number": item.account_number,
        "payee_account": item.payee.account_number,
        "amount_fen": item.amount_fen,
        "idempotency_key": item.idempotency_key,
        "issued_at": int(time.time()),
        "expires_at": int(time.time()) + expires_in,
        **overrides,
    }
    return approval.issue_transfer_approval(bank.adapter.partner.keys().court_key(), **fields)


# --- signed, encrypted, refused with 401 and nothing changed -------------------------------------------------


def send_raw(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, {}
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def transfer_request(bank: Bank, account: str, amount: int, **kwargs):
    url = f"{bank.url}/v1/transfers"
    item = instruction(account, amount)
    payload = {
        "idempotency_key": item.idempotency_key,
        "account_number": account,
        "payee": {"name": PAYEE.name, "account_number": PAYEE.account_number, "bank_name": PAYEE.bank_name},
        "amount_fen": amount,
        "purpose": "公证费",
        "approval_token": "",
    }
    return url, wire.seal_request(bank.adapter.partner.keys(), method="POST", url=url, payload=payload, **kwargs)


def test_a_good_raw_request_is_accepted(bank):
    account = open_account(bank, balance=10 * WAN)
    url, out = transfer_request(bank, account, WAN)
    assert send_raw(url, out.body, out.headers)[0] == 200
    assert bank.balance(account) == 9 * WAN


def _tamper_body(out):
    sealed = json.loads(out.body)
    sealed["ct"] = sealed["ct"][:-4] + ("AAAA" if sealed["ct"][-4:] != "AAAA" else "BBBB")
    return json.dumps(sealed).encode(), out.headers


def _tamper_digest(out):
    from partnerproto.digest import content_digest

    return out.body, {**out.headers, "Content-Digest": content_digest(out.body + b" ")}


def _tamper_type(out):
    return out.body, {**out.headers, "Content-Type": "application/json"}


def _unsigned(out):
    return out.body, {k: v for k, v in out.headers.items() if not k.startswith("Signature")}


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (_tamper_body, "digest_mismatch"),  # body changed, its signed digest no longer matches
        (_tamper_digest, "bad_signature"),  # digest recomputed over the changed body: not what was signed
        (_tamper_type, "bad_signature"),  # a covered header changed
        (_unsigned, "missing_signature"),
    ],
)
def test_tampered_requests_are_refused_and_change_nothing(bank, tamper, reason):
    account = open_account(bank, balance=10 * WAN)
    before = bank.snapshot()
    url, out = transfer_request(bank, account, WAN)
    body, headers = tamper(out)
    status, answer = send_raw(url, body, headers)
    assert (status, answer["error"]["code"]) == (401, reason)
    assert bank.snapshot() == before


def test_tampered_target_is_refused_and_changes_nothing(bank):
    account = open_account(bank, balance=10 * WAN)
    before = bank.snapshot()
    url, out = transfer_request(bank, account, WAN)
    status, answer = send_raw(url.replace("/v1/transfers", "/v1/test/debit"), out.body, out.headers)
    assert (status, answer["error"]["code"]) == (401, "bad_signature")
    assert bank.snapshot() == before


def test_replayed_nonce_is_refused_and_changes_nothing(bank):
    account = open_account(bank, balance=10 * WAN)
    url, out = transfer_request(bank, account, WAN)
    assert send_raw(url, out.body, out.headers)[0] == 200
    after_first = bank.snapshot()
    status, answer = send_raw(url, out.body, out.headers)
    assert (status, answer["error"]["code"]) == (401, "replayed_nonce")
    assert bank.snapshot() == after_first
    assert bank.balance(account) == 9 * WAN


def test_stale_request_is_refused_and_changes_nothing(bank):
    account = open_account(bank, balance=10 * WAN)
    before = bank.snapshot()
    url, out = transfer_request(bank, account, WAN, created=int(time.time()) - 301)
    status, answer = send_raw(url, out.body, out.headers)
    assert (status, answer["error"]["code"]) == (401, "expired")
    url, out = transfer_request(bank, account, WAN, created=int(time.time()) + 120)
    status, answer = send_raw(url, out.body, out.headers)
    assert (status, answer["error"]["code"]) == (401, "created_in_future")
    assert bank.snapshot() == before


def test_unknown_key_id_is_refused_and_changes_nothing(bank, tmp_path):
    account = open_account(bank, balance=10 * WAN)
    before = bank.snapshot()
    keys = bank.adapter.partner.keys()
    stranger = SigningKey.generate("platform-stranger")
    forged = keyfiles.PartyKeys(
        signing_keys=(stranger,),
        signing_current=stranger.keyid,
        peer_keys=keys.peer_keys,
        envelope=keys.envelope,
    )
    url = f"{bank.url}/v1/test/credit"
    out = wire.seal_request(
        forged, method="POST", url=url, payload={"account_number": account, "amount_fen": WAN, "counterparty_name": "x"}
    )
    status, answer = send_raw(url, out.body, out.headers)
    assert (status, answer["error"]["code"]) == (401, "unknown_key")
    # A known key id with another key's signature.
    impostor = SigningKey.generate(keys.signing_current)
    forged = keyfiles.PartyKeys(
        signing_keys=(impostor,), signing_current=impostor.keyid, peer_keys=keys.peer_keys, envelope=keys.envelope
    )
    out = wire.seal_request(
        forged, method="POST", url=url, payload={"account_number": account, "amount_fen": WAN, "counterparty_name": "x"}
    )
    status, answer = send_raw(url, out.body, out.headers)
    assert (status, answer["error"]["code"]) == (401, "bad_signature")
    assert bank.snapshot() == before


def test_plain_body_is_refused(bank):
    account = open_account(bank, balance=10 * WAN)
    before = bank.snapshot()
    keys = bank.adapter.partner.keys()
    url = f"{bank.url}/v1/test/credit"
    body = json.dumps({"account_number": account, "amount_fen": WAN, "counterparty_name": "x"}).encode()
    from partnerproto.digest import content_digest
    from partnerproto.signatures import Message, sign

    headers = {"Content-Type": "application/json", "Content-Digest": content_digest(body)}
    headers.update(sign(Message("POST", url, headers={k.lower(): v for k, v in headers.items()}), keys.signing_key()))
    status, answer = send_raw(url, body, headers)
    assert (status, answer["error"]["code"]) == (400, "not_encrypted")
    assert bank.snapshot() == before


# --- answers the client must not trust -----------------------------------------------------------------------


class TamperingProxy:
    """Forwards requests to the bank unchanged (Host included) and changes the answers as told."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.mode = "pass"
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
                request = urllib.request.Request(proxy.target + self.path, data=body, method="POST", headers=headers)  # noqa: S310
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                        status, out_headers, out_body = response.status, list(response.headers.items()), response.read()
                except urllib.error.HTTPError as exc:
                    status, out_headers, out_body = exc.code, list(exc.headers.items()), exc.read()
                if proxy.mode == "body":
                    sealed = json.loads(out_body)
                    sealed["ct"] = "A" + sealed["ct"][1:] if sealed["ct"][0] != "A" else "B" + sealed["ct"][1:]
                    out_body = json.dumps(sealed).encode()
                elif proxy.mode == "status":
                    status = 201
                elif proxy.mode == "unsigned":
                    out_headers = [(k, v) for k, v in out_headers if not k.lower().startswith("signature")]
                self.send_response(status)
                for name, value in out_headers:
                    if name.lower() not in ("content-length", "connection", "date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(out_body)))
                self.end_headers()
                self.wfile.write(out_body)

            def log_message(self, format, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def proxy(bank) -> Iterator[TamperingProxy]:
    server = TamperingProxy(bank.url)
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.mark.parametrize("mode", ["body", "status", "unsigned"])
def test_tampered_answer_raises_bank_unavailable(bank, proxy, mode):
    account = open_account(bank)
    adapter = HttpBankAdapter(Partner(name="sandbox", url=proxy.url, keys_dir=bank.server.keys_dir, timeout=5))
    assert adapter.account(account_number=account).account_number == account  # passes through untouched
    proxy.mode = mode
    with pytest.raises(BankUnavailable):
        adapter.account(account_number=account)


def test_unreachable_bank_raises_bank_unavailable(bank):
    from smartcourt.registry.testing import closed_port_url

    adapter = HttpBankAdapter(Partner(name="x", url=closed_port_url(), keys_dir=bank.server.keys_dir, timeout=2))
    with pytest.raises(BankUnavailable):
        adapter.account(account_number="1")


# --- accounts, limits, transfers -----------------------------------------------------------------------------


def test_open_credit_and_statement(bank):
    account = open_account(bank, per_tx=5 * WAN, daily=8 * WAN, cumulative=20 * WAN, balance=50 * WAN)
    info = bank.adapter.account(account_number=account)
    assert (info.balance_fen, info.limits) == (50 * WAN, AccountLimits(5 * WAN, 8 * WAN, 20 * WAN))
    result = bank.adapter.transfer(instruction(account, 2 * WAN))
    assert result.status == TransferStatus.EXECUTED and result.bank_reference
    movements = bank.adapter.statement(account_number=account)
    assert [(m.sequence, m.amount_fen, m.balance_after_fen) for m in movements] == [
        (1, 50 * WAN, 50 * WAN),
        (2, -2 * WAN, 48 * WAN),
    ]
    assert movements[1].idempotency_key == result.idempotency_key
    assert movements[0].counterparty_name == "如东县宏达纺织有限公司"
    assert [m.sequence for m in bank.adapter.statement(account_number=account, after_sequence=1)] == [2]
    info = bank.adapter.account(account_number=account)
    assert (info.debited_today_fen, info.debited_total_fen) == (2 * WAN, 2 * WAN)
    with pytest.raises(BankRefused) as caught:
        bank.adapter.account(account_number="999")
    assert caught.value.code == "unknown_account"


def test_register_and_set_limits(bank):
    number = f"32060101{time.time_ns() % 10**11:011d}"
    info = bank.adapter.register_account(
        account_number=number, case_reference=CASE, limits=AccountLimits(WAN, None, None)
    )
    assert info.account_number == number and info.limits.per_transaction_fen == WAN
    info = bank.adapter.set_limits(account_number=number, limits=AccountLimits(None, 2 * WAN, None))
    assert info.limits == AccountLimits(None, 2 * WAN, None)


@pytest.mark.parametrize(
    ("limits", "amounts", "reason"),
    [
        ({"per_tx": 5 * WAN}, [5 * WAN + 1], RejectReason.LIMIT_PER_TRANSACTION),
        ({"daily": 8 * WAN}, [5 * WAN, 3 * WAN + 1], RejectReason.LIMIT_DAILY),
        ({"cumulative": 6 * WAN}, [6 * WAN, 1], RejectReason.LIMIT_CUMULATIVE),
    ],
)
def test_over_limit_without_token_is_rejected_and_nothing_debited(bank, limits, amounts, reason):
    account = open_account(bank, balance=100 * WAN, **limits)
    for amount in amounts[:-1]:
        assert bank.adapter.transfer(instruction(account, amount)).status == TransferStatus.EXECUTED
    before = bank.balance(account)
    result = bank.adapter.transfer(instruction(account, amounts[-1]))
    assert (result.status, result.reason) == (TransferStatus.REJECTED, reason)
    assert bank.balance(account) == before
    assert len(bank.adapter.statement(account_number=account)) == len(amounts)  # the credit + executed ones


def test_over_limit_with_the_courts_token_executes(bank):
    account = open_account(bank, per_tx=5 * WAN, balance=100 * WAN)
    item = instruction(account, 30 * WAN)
    result = bank.adapter.transfer(item)
    assert result.reason == RejectReason.LIMIT_PER_TRANSACTION
    # The same key may be sent again once the court approved: a rejection did nothing.
    approved = instruction(account, 30 * WAN, key=item.idempotency_key, token=court_token(bank, item))
    result = bank.adapter.transfer(approved)
    assert result.status == TransferStatus.EXECUTED
    assert bank.balance(account) == 70 * WAN
    # A resend after a crash may carry a freshly issued token: the same instruction, answered, not paid again.
    reissued = instruction(account, 30 * WAN, key=item.idempotency_key, token=court_token(bank, item, expires_in=7200))
    assert reissued.approval_token != approved.approval_token
    assert bank.adapter.transfer(reissued) == result
    assert bank.adapter.transfer(instruction(account, 30 * WAN, key=item.idempotency_key)) == result
    assert bank.balance(account) == 70 * WAN


@pytest.mark.parametrize(
    "override",
    [
        {"case_reference": "(2026)苏0623破2号"},
        {"account_number": "3206010188999999999"},
        {"payee_account": "6222000000000000"},
        {"amount_fen": 30 * WAN + 1},
        {"idempotency_key": "another"},
        {"expires_in": -1},
    ],
)
def test_a_token_that_does_not_match_is_refused(bank, override):
    account = open_account(bank, per_tx=5 * WAN, balance=100 * WAN)
    item = instruction(account, 30 * WAN)
    token = court_token(bank, item, **override)
    before = bank.snapshot()
    result = bank.adapter.transfer(instruction(account, 30 * WAN, key=item.idempotency_key, token=token))
    assert (result.status, result.reason) == (TransferStatus.REJECTED, RejectReason.APPROVAL_TOKEN_INVALID)
    assert bank.balance(account) == 100 * WAN
    assert before["movements"] == bank.snapshot()["movements"]


def test_token_signed_by_another_key_is_refused(bank):
    account = open_account(bank, per_tx=5 * WAN, balance=100 * WAN)
    item = instruction(account, 30 * WAN)
    forged = approval.issue_transfer_approval(
        SigningKey.generate(bank.adapter.partner.keys().court_current),
        case_reference=CASE,
        account_number=account,
        payee_account=PAYEE.account_number,
        amount_fen=30 * WAN,
        idempotency_key=item.idempotency_key,
        issued_at=int(time.time()),
        expires_at=int(time.time()) + 600,
    )
    result = bank.adapter.transfer(instruction(account, 30 * WAN, key=item.idempotency_key, token=forged))
    assert result.reason == RejectReason.APPROVAL_TOKEN_INVALID and "bad_signature" in result.message
    assert bank.balance(account) == 100 * WAN


def test_daily_limit_is_per_asia_shanghai_calendar_day(bank):
    account = open_account(bank, daily=8 * WAN, balance=100 * WAN)
    # 23:59 on 2 March in Shanghai is 15:59 UTC; midnight in Shanghai is 16:00 UTC.
    bank.set_clock(dt.datetime(2026, 3, 2, 23, 59, tzinfo=SHANGHAI))
    assert bank.adapter.transfer(instruction(account, 6 * WAN)).status == TransferStatus.EXECUTED
    assert bank.adapter.transfer(instruction(account, 3 * WAN)).reason == RejectReason.LIMIT_DAILY
    bank.set_clock(dt.datetime(2026, 3, 2, 16, 0, 0, tzinfo=dt.UTC))  # 00:00 on 3 March in Shanghai
    assert bank.adapter.transfer(instruction(account, 3 * WAN)).status == TransferStatus.EXECUTED
    assert bank.adapter.transfer(instruction(account, 5 * WAN)).status == TransferStatus.EXECUTED
    assert bank.adapter.transfer(instruction(account, 1)).reason == RejectReason.LIMIT_DAILY
    info = bank.adapter.account(account_number=account)
    assert (info.debited_today_fen, info.debited_total_fen, info.balance_fen) == (8 * WAN, 14 * WAN, 86 * WAN)
    booked = bank.adapter.statement(account_number=account)[1].booked_at
    assert booked.astimezone(SHANGHAI).date() == dt.date(2026, 3, 2)


def test_token_expiry_follows_the_banks_clock(bank):
    account = open_account(bank, per_tx=WAN, balance=10 * WAN)
    item = instruction(account, 2 * WAN)
    token = court_token(bank, item, expires_in=600)
    bank.set_clock(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=601))
    result = bank.adapter.transfer(instruction(account, 2 * WAN, key=item.idempotency_key, token=token))
    assert result.reason == RejectReason.APPROVAL_TOKEN_INVALID and "expired" in result.message


def test_idempotent_resend_pays_once(bank):
    account = open_account(bank, balance=10 * WAN)
    item = instruction(account, 3 * WAN)
    first = bank.adapter.transfer(item)
    again = bank.adapter.transfer(item)
    assert first == again and first.status == TransferStatus.EXECUTED
    assert bank.adapter.transfer_status(idempotency_key=item.idempotency_key) == first
    assert bank.balance(account) == 7 * WAN
    with pytest.raises(BankRefused) as caught:
        bank.adapter.transfer(instruction(account, 4 * WAN, key=item.idempotency_key))
    assert caught.value.code == "idempotency_key_reused"
    assert bank.balance(account) == 7 * WAN
    with pytest.raises(UnknownTransfer):
        bank.adapter.transfer_status(idempotency_key="never-sent")


def test_concurrent_transfers_cross_the_daily_limit_exactly_once(bank):
    account = open_account(bank, daily=10 * WAN, balance=100 * WAN)
    items = [instruction(account, 3 * WAN) for _ in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(bank.adapter.transfer, items))
    executed = [r for r in results if r.status == TransferStatus.EXECUTED]
    assert len(executed) == 3
    assert all(r.reason == RejectReason.LIMIT_DAILY for r in results if r.status == TransferStatus.REJECTED)
    assert bank.balance(account) == 91 * WAN


def test_concurrent_resends_of_one_instruction_pay_once(bank):
    account = open_account(bank, balance=100 * WAN)
    item = instruction(account, 3 * WAN)
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(bank.adapter.transfer, [item] * 6))
    assert len({r.bank_reference for r in results}) == 1
    assert bank.balance(account) == 97 * WAN


def test_insufficient_funds_unknown_account_frozen_and_invalid_payee(bank):
    account = open_account(bank, balance=WAN)
    assert bank.adapter.transfer(instruction(account, 2 * WAN)).reason == RejectReason.INSUFFICIENT_FUNDS
    assert bank.adapter.transfer(instruction("000", 1)).reason == RejectReason.UNKNOWN_ACCOUNT
    nobody = Payee(name="", account_number="6222", bank_name="")
    assert bank.adapter.transfer(instruction(account, 1, payee=nobody)).reason == RejectReason.INVALID_PAYEE
    bank.freeze(account)
    assert bank.adapter.transfer(instruction(account, 1)).reason == RejectReason.ACCOUNT_FROZEN
    assert bank.balance(account) == WAN


def test_payment_to_a_closed_account_is_returned(bank):
    account = open_account(bank, balance=10 * WAN)
    closed = Payee(name="已注销公司", account_number=f"6222{time.time_ns() % 10**12:012d}", bank_name="某银行")
    bank.close_payee_account(closed.account_number)
    item = instruction(account, 2 * WAN, payee=closed)
    result = bank.adapter.transfer(item)
    assert result.status == TransferStatus.RETURNED and result.executed_at is not None
    assert bank.adapter.transfer_status(idempotency_key=item.idempotency_key).status == TransferStatus.RETURNED
    movements = bank.adapter.statement(account_number=account)
    assert [m.amount_fen for m in movements] == [10 * WAN, -2 * WAN, 2 * WAN]
    assert movements[2].idempotency_key == item.idempotency_key and "退汇" in movements[2].description
    assert bank.balance(account) == 10 * WAN


def test_unexpected_debit_is_booked_whatever_the_limits(bank):
    account = open_account(bank, per_tx=1, balance=10 * WAN)
    bank.debit(account, 3 * WAN, counterparty_name="如东县人民法院执行局", description="扣划")
    movement = bank.adapter.statement(account_number=account)[-1]
    assert (movement.amount_fen, movement.idempotency_key) == (-3 * WAN, "")


# --- batches -------------------------------------------------------------------------------------------------


def batch_of(account: str, amounts: list[int]) -> list[TransferInstruction]:
    payees = [
        Payee(name=f"债权人{i}", account_number=f"62220000{i:08d}", bank_name="某银行") for i in range(len(amounts))
    ]
    return [instruction(account, amount, payee=payee) for amount, payee in zip(amounts, payees, strict=True)]


def batch_token(bank: Bank, account: str, batch_id: str, items: list[TransferInstruction]) -> str:
    return approval.issue_batch_approval(
        bank.adapter.partner.keys().court_key(),
        case_reference=CASE,
        account_number=account,
        batch_id=batch_id,
        instructions=[(i.idempotency_key, i.payee.account_number, i.amount_fen) for i in items],
        issued_at=int(time.time()),
        expires_at=int(time.time()) + 600,
    )


def test_batch_within_limits_executes_each_and_is_idempotent(bank):
    account = open_account(bank, per_tx=10 * WAN, daily=50 * WAN, balance=100 * WAN)
    items = batch_of(account, [WAN, 2 * WAN, 3 * WAN])
    batch_id = f"batch-{time.time_ns()}"
    result = bank.adapter.batch_transfer(
        batch_id=batch_id, account_number=account, instructions=items, approval_token=""
    )
    assert [r.status for r in result.results] == [TransferStatus.EXECUTED] * 3
    assert [r.idempotency_key for r in result.results] == [i.idempotency_key for i in items]
    again = bank.adapter.batch_transfer(
        batch_id=batch_id, account_number=account, instructions=items, approval_token=""
    )
    assert again == result
    assert bank.balance(account) == 94 * WAN
    with pytest.raises(BankRefused):
        bank.adapter.batch_transfer(
            batch_id=batch_id, account_number=account, instructions=items[:2], approval_token=""
        )


def test_batch_over_the_daily_limit_needs_the_batch_token(bank):
    account = open_account(bank, daily=5 * WAN, balance=100 * WAN)
    items = batch_of(account, [2 * WAN, 2 * WAN, 2 * WAN])
    batch_id = f"batch-{time.time_ns()}"
    result = bank.adapter.batch_transfer(
        batch_id=batch_id, account_number=account, instructions=items, approval_token=""
    )
    assert {(r.status, r.reason) for r in result.results} == {(TransferStatus.REJECTED, RejectReason.LIMIT_DAILY)}
    assert bank.balance(account) == 100 * WAN
    wrong = batch_token(bank, account, batch_id, items[:2])
    result = bank.adapter.batch_transfer(
        batch_id=batch_id, account_number=account, instructions=items, approval_token=wrong
    )
    assert {r.reason for r in result.results} == {RejectReason.APPROVAL_TOKEN_INVALID}
    assert bank.balance(account) == 100 * WAN
    token = batch_token(bank, account, batch_id, items)
    result = bank.adapter.batch_transfer(
        batch_id=batch_id, account_number=account, instructions=items, approval_token=token
    )
    assert [r.status for r in result.results] == [TransferStatus.EXECUTED] * 3
    assert bank.balance(account) == 94 * WAN


# --- key rotation and SM2 partners (their own bank processes) ------------------------------------------------


@pytest.fixture
def own_bank(tmp_path) -> Iterator[Callable[..., Bank]]:
    started: list[BankServer] = []

    def start(**kwargs) -> Bank:
        server = start_bank(tmp_path / f"bank{len(started)}", **kwargs)
        started.append(server)
        return Bank(server)

    yield start
    for server in started:
        stop_bank(server.process)


def _rewrite(path: Path, keys: keyfiles.PartyKeys) -> None:
    keyfiles.write_private(path, keys.to_dict())
    time.sleep(0.01)  # a new mtime even on coarse file systems


def test_key_rotation_without_downtime(own_bank):
    bank = own_bank()
    account = open_account(bank, balance=10 * WAN)
    keys_dir = bank.server.keys_dir
    platform = keyfiles.read(keys_dir / keyfiles.PLATFORM_FILE)
    bank_side = keyfiles.read(keys_dir / keyfiles.BANK_FILE)
    old = platform.signing_key()
    new = SigningKey.generate("platform-ed25519-2")

    # 1. The bank learns the new public key; the platform still signs with the old one.
    _rewrite(
        keys_dir / keyfiles.BANK_FILE,
        keyfiles.PartyKeys(**{**bank_side.__dict__, "peer_keys": (old.public_key(), new.public_key())}),
    )
    assert bank.adapter.account(account_number=account).balance_fen == 10 * WAN
    # 2. The platform switches to the new key; a request still signed with the old key is accepted too.
    old_signer = HttpBankAdapter(bank.server.partner())
    _rewrite(
        keys_dir / keyfiles.PLATFORM_FILE,
        keyfiles.PartyKeys(**{**platform.__dict__, "signing_keys": (old, new), "signing_current": new.keyid}),
    )
    assert bank.adapter.account(account_number=account).balance_fen == 10 * WAN
    url, out = f"{bank.url}/v1/accounts/get", None
    out = wire.seal_request(platform, method="POST", url=url, payload={"account_number": account})
    assert send_raw(url, out.body, out.headers)[0] == 200
    assert old_signer.partner.keys().signing_current == new.keyid
    # 3. The old key is removed at the bank: requests signed with it are refused, the new key works.
    _rewrite(
        keys_dir / keyfiles.BANK_FILE, keyfiles.PartyKeys(**{**bank_side.__dict__, "peer_keys": (new.public_key(),)})
    )
    out = wire.seal_request(platform, method="POST", url=url, payload={"account_number": account})
    status, answer = send_raw(url, out.body, out.headers)
    assert (status, answer["error"]["code"]) == (401, "unknown_key")
    assert bank.adapter.account(account_number=account).balance_fen == 10 * WAN


def test_sm2_sm4_partner_interoperates(own_bank):
    bank = own_bank(signature_alg="sm2-sm3", envelope_alg="SM4GCM")
    keys = bank.adapter.partner.keys()
    assert keys.signing_key().alg == "sm2-sm3" and keys.envelope.sending_key().enc == "SM4GCM"
    account = open_account(bank, per_tx=5 * WAN, balance=100 * WAN)
    item = instruction(account, 20 * WAN)
    assert bank.adapter.transfer(item).reason == RejectReason.LIMIT_PER_TRANSACTION
    approved = instruction(account, 20 * WAN, key=item.idempotency_key, token=court_token(bank, item))
    assert bank.adapter.transfer(approved).status == TransferStatus.EXECUTED
    assert bank.adapter.account(account_number=account).balance_fen == 80 * WAN
    url, out = transfer_request(bank, account, WAN)
    assert out.headers["Signature-Input"].endswith('alg="sm2-sm3"')
    body, headers = _tamper_digest(out)
    assert send_raw(url, body, headers)[0] == 401
    assert bank.balance(account) == 80 * WAN


def test_the_clock_cannot_be_set_without_test_clock(own_bank):
    bank = own_bank(test_clock=False)
    with pytest.raises(BankRefused) as caught:
        bank.set_clock(dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    assert caught.value.code == "not_found"


def test_the_internet_zone_has_no_line_to_the_bank(bank: Bank, settings: Any) -> None:
    """The bank's dedicated line ends in the court zone (issue 18): from the internet zone nothing is sent."""
    account = open_account(bank, balance=WAN)
    before = bank.adapter.statement(account_number=account)
    settings.SMARTCOURT_ZONE = "internet"
    with pytest.raises(BankUnavailable, match="the internet zone has no line to bank sandbox"):
        bank.adapter.transfer(instruction(account, WAN // 2))
    settings.SMARTCOURT_ZONE = "court"
    assert bank.adapter.statement(account_number=account) == before  # nothing reached the bank
