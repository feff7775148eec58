"""End to end: the sandbox bank pushes to the platform's real endpoint ``POST /api/v1/banking/notifications``
(served by the funds app on a live server), which acknowledges verified notifications and refuses the rest."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from partnerproto import keyfiles, wire
from partnerproto.signatures import SigningKey
from smartcourt.banking.adapter import AccountLimits

PATH = "/api/v1/banking/notifications"


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 - live server
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.mark.django_db(transaction=True)
def test_the_bank_pushes_to_the_live_endpoint(bank, live_server):
    account = bank.adapter.open_account(
        account_name="管理人账户", holder_id="X", case_reference="c", limits=AccountLimits(None, None, None)
    ).account_number
    bank.credit(account, 1_000_00)
    url = f"{live_server.url}{PATH}"
    bank.notify_to(url)
    assert bank.push_now() == {"delivered": 1, "failed": 0, "errors": []}  # the platform answered 2xx

    bank_keys = keyfiles.read(bank.server.keys_dir / keyfiles.BANK_FILE)
    payload = {"type": "movements", "account_number": account, "movements": []}
    genuine = wire.seal_request(bank_keys, method="POST", url=url, payload=payload)
    assert post(url, genuine.body, genuine.headers) == 200
    assert post(url, genuine.body, genuine.headers) == 401  # replayed nonce
    stranger = SigningKey.generate("bank-stranger")
    forged_keys = keyfiles.PartyKeys(
        signing_keys=(stranger,), signing_current=stranger.keyid, peer_keys=(), envelope=bank_keys.envelope
    )
    forged = wire.seal_request(forged_keys, method="POST", url=url, payload=payload)
    assert post(url, forged.body, forged.headers) == 401
    tampered = wire.seal_request(bank_keys, method="POST", url=url, payload=payload)
    sealed = json.loads(tampered.body)
    sealed["iv"] = "AAAAAAAAAAAAAAAA"
    assert post(url, json.dumps(sealed).encode(), tampered.headers) == 401
    assert post(url, b"{}", {"Content-Type": "application/json"}) == 401
