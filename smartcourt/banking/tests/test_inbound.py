"""Push notifications from the sandbox bank, as the platform's endpoint receives them: verify_inbound checks
signature, freshness, digest and nonce and decrypts; parse_notification reads the movements."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone

from partnerproto import keyfiles, wire
from partnerproto.signatures import SigningKey
from smartcourt.banking.adapter import AccountLimits
from smartcourt.banking.inbound import (
    InboundRejected,
    NotificationInvalid,
    parse_notification,
    verify_inbound,
    verify_inbound_from,
)
from smartcourt.banking.testing import Bank, start_bank, stop_bank
from smartcourt.services.models import SeenNonce
from smartcourt.services.nonces import prune_nonces

PATH = "/api/v1/banking/notifications"
WAN = 1_000_000


@dataclass
class Recorder:
    """A stand-in for the platform's endpoint: keeps what the bank sent and answers with ``statuses`` in turn."""

    statuses: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    record = Recorder()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            record.received.append((dict(self.headers.items()), body))
            status = record.statuses.pop(0) if record.statuses else 204
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    record.url = f"http://127.0.0.1:{server.server_port}{PATH}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield record
    server.shutdown()
    server.server_close()


def as_django_request(recorder: Recorder, index: int = -1, *, body: bytes | None = None):
    headers, sent = recorder.received[index]
    meta: dict[str, Any] = {}
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            continue
        meta[f"HTTP_{key}"] = value
    return RequestFactory().post(
        PATH, data=body if body is not None else sent, content_type=headers["Content-Type"], **meta
    )


def open_account(bank: Bank) -> str:
    return bank.adapter.open_account(
        account_name="管理人账户",
        holder_id="X",
        case_reference="(2026)苏0623破1号",
        limits=AccountLimits(None, None, None),
    ).account_number


@pytest.fixture
def platform_settings(settings):
    settings.ALLOWED_HOSTS = ["*"]
    return settings


@pytest.mark.django_db
def test_pushed_movements_verify_and_parse(bank, recorder, platform_settings):
    account = open_account(bank)
    bank.credit(account, 5 * WAN, counterparty_name="如东县财政局", counterparty_account="320623001")
    bank.debit(account, WAN, counterparty_name="银行手续费")
    bank.notify_to(recorder.url)
    assert bank.push_now() == {"delivered": 2, "failed": 0, "errors": []}
    assert len(recorder.received) == 1
    headers, body = recorder.received[0]
    assert headers["Content-Type"] == "application/vnd.smartcourt.envelope+json"
    assert account.encode() not in body  # encrypted
    request = as_django_request(recorder)
    inbound = verify_inbound_from(request)
    assert inbound.partner == "sandbox"
    movements = parse_notification(inbound.body)
    assert movements == bank.adapter.statement(account_number=account)
    assert [(m.sequence, m.amount_fen, m.balance_after_fen) for m in movements] == [
        (1, 5 * WAN, 5 * WAN),
        (2, -WAN, 4 * WAN),
    ]
    assert movements[0].counterparty_name == "如东县财政局"
    assert bank.push_now() == {"delivered": 0, "failed": 0, "errors": []}  # acknowledged: not sent again


@pytest.mark.django_db
def test_replayed_or_tampered_notification_is_rejected(bank, recorder, platform_settings):
    account = open_account(bank)
    bank.credit(account, WAN)
    bank.notify_to(recorder.url)
    bank.push_now()
    _, body = recorder.received[0]
    tampered = body.replace(b'"ct":"', b'"ct":"A', 1)
    with pytest.raises(InboundRejected) as caught:
        verify_inbound(as_django_request(recorder, body=tampered))
    assert caught.value.reason == "digest_mismatch"
    assert SeenNonce.objects.count() == 0  # a refused request burns no nonce
    assert verify_inbound(as_django_request(recorder))
    assert SeenNonce.objects.count() == 1
    with pytest.raises(InboundRejected) as caught:
        verify_inbound(as_django_request(recorder))
    assert caught.value.reason == "replayed_nonce"


@pytest.mark.django_db
def test_notification_signed_by_a_stranger_or_for_another_url_is_rejected(bank, platform_settings):
    keys = keyfiles.read(bank.server.keys_dir / keyfiles.BANK_FILE)
    stranger = SigningKey.generate("bank-stranger")
    forged_keys = keyfiles.PartyKeys(
        signing_keys=(stranger,), signing_current=stranger.keyid, peer_keys=(), envelope=keys.envelope
    )
    payload = {"type": "movements", "account_number": "1", "movements": []}
    factory = RequestFactory()
    for signer, url, reason in (
        (forged_keys, f"http://testserver{PATH}", "unknown_key"),
        (keys, f"http://elsewhere{PATH}", "bad_signature"),
    ):
        out = wire.seal_request(signer, method="POST", url=url, payload=payload)
        meta: dict[str, Any] = {
            f"HTTP_{name.upper().replace('-', '_')}": value
            for name, value in out.headers.items()
            if name != "Content-Type"
        }
        request = factory.post(PATH, data=out.body, content_type=out.headers["Content-Type"], **meta)
        with pytest.raises(InboundRejected) as caught:
            verify_inbound(request)
        assert caught.value.reason == reason
    unsigned = factory.post(PATH, data=b"{}", content_type="application/json")
    with pytest.raises(InboundRejected) as caught:
        verify_inbound(unsigned)
    assert caught.value.reason == "missing_signature"
    assert SeenNonce.objects.count() == 0


def test_failed_delivery_is_retried(bank, recorder):
    account = open_account(bank)
    bank.credit(account, WAN)
    bank.notify_to(recorder.url)
    recorder.statuses = [500]
    result = bank.push_now()
    assert (result["delivered"], result["failed"]) == (0, 1) and "500" in result["errors"][0]
    assert bank.push_now() == {"delivered": 1, "failed": 0, "errors": []}
    assert len(recorder.received) == 2 and recorder.received[0][1] != recorder.received[1][1]  # signed afresh


def test_the_pusher_retries_with_backoff_by_itself(tmp_path, recorder):
    server = start_bank(tmp_path / "pushing", push_interval=0.1)
    try:
        bank = Bank(server)
        account = open_account(bank)
        recorder.statuses = [503]
        bank.notify_to(recorder.url)
        bank.credit(account, WAN)
        deadline = time.monotonic() + 10
        while len(recorder.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(recorder.received) == 2  # refused once, delivered after the 1 s backoff
        time.sleep(0.5)
        assert len(recorder.received) == 2  # acknowledged: not sent again
    finally:
        stop_bank(server.process)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"type": "other", "movements": []}',
        b'{"type": "movements", "movements": [{"account_number": "1"}]}',
        b'{"type": "movements", "movements": [{"account_number": "1", "sequence": 1, "bank_reference": "r",'
        b' "booked_at": "2026-03-02T10:00:00", "amount_fen": 1, "balance_after_fen": 1}]}',
    ],
)
def test_invalid_notifications(body):
    with pytest.raises(NotificationInvalid):
        parse_notification(body)


@pytest.mark.django_db
def test_old_nonces_are_pruned():
    SeenNonce.objects.create(keyid="k", nonce="old", created=0)
    SeenNonce.objects.create(keyid="k", nonce="new", created=0)
    SeenNonce.objects.filter(nonce="old").update(seen_at=timezone.now() - dt.timedelta(minutes=10))
    assert prune_nonces() == 1
    assert list(SeenNonce.objects.values_list("nonce", flat=True)) == ["new"]


def test_a_retry_holds_back_newer_movements_of_the_same_account(tmp_path):
    from sandbox.bank import store

    path = tmp_path / "bank.sqlite3"
    store.initialise(path)
    with store.opened(path) as db:
        limits = {"per_transaction_fen": None, "daily_fen": None, "cumulative_fen": None}
        first = store.open_account(
            db, {"account_name": "甲", "holder_id": "X", "case_reference": "c", "limits": limits}
        )
        second = store.open_account(
            db, {"account_name": "乙", "holder_id": "Y", "case_reference": "c", "limits": limits}
        )
        a, b = first["account_number"], second["account_number"]
        store.credit(db, {"account_number": a, "amount_fen": 1, "counterparty_name": "x"})
        now = time.time()
        [(_, ids)] = store.pending_notifications(db, at=now, force=False)
        store.mark_failed(db, ids, at=now, error="HTTP 503")  # retry in 1 s
        store.credit(db, {"account_number": a, "amount_fen": 2, "counterparty_name": "x"})
        store.credit(db, {"account_number": b, "amount_fen": 3, "counterparty_name": "x"})
        due = dict(store.pending_notifications(db, at=now, force=False))
        assert list(due) == [b]  # a's newer movement waits behind its retry; b is not held up
        later = dict(store.pending_notifications(db, at=now + 2, force=False))
        assert [m["sequence"] for m in store.outbox_movements(db, later[a])] == [1, 2]
        assert set(dict(store.pending_notifications(db, at=now, force=True))) == {a, b}
