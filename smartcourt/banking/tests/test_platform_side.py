"""The Django side: settings-configured partners, the court's configured approval key, the database nonce store."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from partnerproto import keyfiles
from smartcourt.banking import approval
from smartcourt.banking.adapter import AccountLimits, Payee, RejectReason, TransferInstruction, TransferStatus
from smartcourt.banking.client import get_bank_adapter
from smartcourt.banking.partners import partner
from smartcourt.services.models import SeenNonce
from smartcourt.services.nonces import DatabaseNonceStore

CASE = "(2026)苏0623破1号"
PAYEE = Payee(name="南通市公证处", account_number="10706101040001234", bank_name="中国农业银行南通分行")


def test_settings_choose_the_partner(bank, settings):
    adapter = get_bank_adapter("sandbox")
    assert adapter.partner.url == bank.url and adapter.partner.keys_dir == bank.server.keys_dir
    assert get_bank_adapter().partner.name == "sandbox"
    with pytest.raises(ImproperlyConfigured):
        get_bank_adapter("no-such-bank")
    settings.BANK_PARTNERS = {"jsbank": {"url": bank.url + "/", "keys_dir": str(bank.server.keys_dir)}}
    assert partner("jsbank").url == bank.url


def test_issue_approval_token_with_the_configured_court_key(bank):
    adapter = get_bank_adapter("sandbox")
    account = adapter.open_account(
        account_name="管理人账户", holder_id="X", case_reference=CASE, limits=AccountLimits(100, None, None)
    ).account_number
    bank.credit(account, 10_000)
    key = f"pay-{time.time_ns()}"
    item = TransferInstruction(key, account, PAYEE, 5_000, "公证费")
    assert adapter.transfer(item).reason == RejectReason.LIMIT_PER_TRANSACTION
    token = approval.issue_approval_token(
        case_reference=CASE,
        account_number=account,
        payee=PAYEE,
        amount_fen=5_000,
        idempotency_key=key,
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
    )
    result = adapter.transfer(TransferInstruction(key, account, PAYEE, 5_000, "公证费", approval_token=token))
    assert result.status == TransferStatus.EXECUTED
    batch = [TransferInstruction(f"{key}-{i}", account, PAYEE, 1_000, "分配") for i in range(2)]
    batch_token = approval.issue_batch_approval_token(
        case_reference=CASE,
        account_number=account,
        batch_id=f"b-{key}",
        instructions=batch,
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
    )
    results = adapter.batch_transfer(
        batch_id=f"b-{key}", account_number=account, instructions=batch, approval_token=batch_token
    ).results
    assert [r.status for r in results] == [TransferStatus.EXECUTED] * 2
    assert adapter.account(account_number=account).balance_fen == 3_000


def test_demo_keys_are_generated_once_and_private(tmp_path, settings):
    settings.BANK_KEYS_DIR = tmp_path / "keys"
    settings.BANK_PARTNERS = {}
    keys = partner().keys()
    platform_file = tmp_path / "keys" / keyfiles.PLATFORM_FILE
    bank_file = tmp_path / "keys" / keyfiles.BANK_FILE
    assert platform_file.stat().st_mode & 0o777 == 0o600 and bank_file.stat().st_mode & 0o777 == 0o600
    bank_side = keyfiles.read(bank_file)
    assert bank_side.peer_key(keys.signing_current) == keys.signing_key().public_key()
    assert keys.peer_key(bank_side.signing_current) == bank_side.signing_key().public_key()
    assert bank_side.court_public() == {keys.court_current: keys.court_key().public_key()}
    assert not bank_side.court_signing_keys  # the bank never holds the court's private key
    keyfiles.ensure_demo_keys(tmp_path / "keys")
    assert partner().keys() == keys  # not regenerated


@pytest.mark.django_db(transaction=True)
def test_database_nonce_store_remembers_each_nonce_once_under_concurrency():
    store = DatabaseNonceStore()
    results: list[bool] = []
    barrier = threading.Barrier(4)

    def remember() -> None:
        from django.db import connection

        barrier.wait()
        try:
            results.append(store.remember("bank-1", "same-nonce", int(time.time())))
        finally:
            connection.close()

    threads = [threading.Thread(target=remember) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert SeenNonce.objects.filter(keyid="bank-1", nonce="same-nonce").count() == 1
    assert store.remember("bank-2", "same-nonce", 0) is True  # nonces are per key id


def test_racing_first_starts_agree_on_one_pair(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    directory = tmp_path / "keys"
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: keyfiles.ensure_demo_keys(directory), range(8)))
    platform = keyfiles.read(directory / keyfiles.PLATFORM_FILE)
    bank_side = keyfiles.read(directory / keyfiles.BANK_FILE)
    assert bank_side.peer_key(platform.signing_current) == platform.signing_key().public_key()
    assert platform.peer_key(bank_side.signing_current) == bank_side.signing_key().public_key()
    assert sorted(path.name for path in directory.iterdir()) == ["bank.json", "platform.json"]
