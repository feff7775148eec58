"""``manage.py bank_keys``: the platform's half of a key rotation, against a running sandbox bank whose own key
file is changed with the same keyfiles steps; every step is audited and nothing stops working in between."""

from __future__ import annotations

import json
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from partnerproto import keyfiles, wire
from partnerproto.signatures import PublicKey
from smartcourt.audit.models import AuditEvent
from smartcourt.banking.adapter import AccountLimits
from smartcourt.banking.client import get_bank_adapter
from smartcourt.banking.testing import Bank, start_bank, stop_bank

from .test_sandbox import send_raw


@pytest.fixture
def own_bank(tmp_path, settings):
    server = start_bank(tmp_path / "bank")
    settings.BANK_URL = server.url
    settings.BANK_KEYS_DIR = server.keys_dir
    settings.BANK_DEFAULT_PARTNER = "sandbox"
    settings.BANK_PARTNERS = {}
    yield Bank(server)
    stop_bank(server.process)


def bank_side(bank: Bank, change) -> None:
    path = bank.server.keys_dir / keyfiles.BANK_FILE
    keyfiles.write_private(path, change(keyfiles.read(path)).to_dict())
    time.sleep(0.01)


def keys_cmd(*args: str) -> str:
    out = StringIO()
    call_command("bank_keys", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_signing_key_rotation_through_the_command(own_bank):
    adapter = get_bank_adapter()
    account = adapter.open_account(
        account_name="管理人账户", holder_id="X", case_reference="c", limits=AccountLimits(None, None, None)
    ).account_number
    old = adapter.partner.keys()
    old_keyid = old.signing_current

    printed = keys_cmd("new-signing-key")
    signing_lines = [line.split("signing  ", 1)[1] for line in printed.splitlines() if "signing  {" in line]
    publics = [PublicKey.from_dict(json.loads(line)) for line in signing_lines]
    assert publics[0].keyid == old_keyid and len(publics) == 2
    new_public = publics[1]
    assert adapter.partner.keys().signing_current == old_keyid  # added, not yet in use
    bank_side(own_bank, lambda k: keyfiles.add_peer_key(k, new_public))
    assert adapter.account(account_number=account).account_number == account

    keys_cmd("activate-signing-key", new_public.keyid)
    assert adapter.partner.keys().signing_current == new_public.keyid
    assert adapter.account(account_number=account).account_number == account
    url = f"{own_bank.url}/v1/accounts/get"
    in_flight = wire.seal_request(old, method="POST", url=url, payload={"account_number": account})
    assert send_raw(url, in_flight.body, in_flight.headers)[0] == 200  # old key still accepted in the overlap

    with pytest.raises(CommandError):
        keys_cmd("retire-signing-key", new_public.keyid)  # the key in use cannot be retired
    keys_cmd("retire-signing-key", old_keyid)
    bank_side(own_bank, lambda k: keyfiles.remove_peer_key(k, old_keyid))
    late = wire.seal_request(old, method="POST", url=url, payload={"account_number": account})
    status, answer = send_raw(url, late.body, late.headers)
    assert (status, answer["error"]["code"]) == (401, "unknown_key")
    assert adapter.account(account_number=account).account_number == account

    actions = list(AuditEvent.objects.filter(action__startswith="banking.keys_").values_list("action", flat=True))
    assert actions == ["banking.keys_signing_added", "banking.keys_activate_signing", "banking.keys_retire_signing"]
    assert new_public.public.hex() not in json.dumps(list(AuditEvent.objects.values("before", "after")), default=str)


@pytest.mark.django_db
def test_envelope_key_rotation_through_the_command(own_bank):
    adapter = get_bank_adapter()
    account = adapter.open_account(
        account_name="管理人账户", holder_id="X", case_reference="c", limits=AccountLimits(None, None, None)
    ).account_number
    old_kid = adapter.partner.keys().envelope.current
    printed = keys_cmd("new-envelope-key", "--enc", "SM4GCM")
    from partnerproto.envelope import EnvelopeKey

    new_key = EnvelopeKey.from_dict(json.loads(printed.splitlines()[0]))
    bank_side(own_bank, lambda k: keyfiles.add_envelope_key(k, new_key))
    keys_cmd("activate-envelope-key", new_key.kid)
    assert adapter.account(account_number=account).account_number == account  # we send SM4, the bank answers AES
    bank_side(own_bank, lambda k: keyfiles.activate_envelope_key(k, new_key.kid))
    keys_cmd("retire-envelope-key", old_kid)
    bank_side(own_bank, lambda k: keyfiles.retire_envelope_key(k, old_kid))
    assert adapter.account(account_number=account).account_number == account
    assert set(adapter.partner.keys().envelope.keys) == {new_key.kid}
    with pytest.raises(CommandError):
        keys_cmd("activate-envelope-key", "nope")
