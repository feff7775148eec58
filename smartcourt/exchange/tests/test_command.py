"""manage.py exchange: the operator's keys, ping, pack, apply and status."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from partnerproto import exchange as px


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("exchange", *args, stdout=out)
    return out.getvalue()


def test_keys_are_written_once(tmp_path):
    _run("keys", str(tmp_path))
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == sorted([px.INTERNET_KEYS, px.COURT_KEYS, px.INTERNET_PUBLIC, px.COURT_PUBLIC])
    before = {name: (tmp_path / name).read_bytes() for name in names}
    with pytest.raises(CommandError, match="has zone keys already"):
        _run("keys", str(tmp_path))
    assert {name: (tmp_path / name).read_bytes() for name in names} == before
    assert (tmp_path / px.INTERNET_KEYS).stat().st_mode & 0o777 == 0o600


def test_single_zone_refuses_to_exchange(db):
    with pytest.raises(CommandError, match="single zone"):
        _run("pack")


def test_ping_pack_apply_status(personas, two_zones):
    with two_zones.as_zone("internet"):
        assert _run("ping", "creditor_a", "连通", "测试") == "queued; it leaves with the next pack\n"
        assert _run("pack") == "i2c-000000000001.scx: 1\n"
        status = _run("status")
    assert "internet->court: last sent #1, 1 not yet acknowledged" in status
    two_zones.carry("internet")
    with two_zones.as_zone("court"):
        assert _run("apply") == "i2c-000000000001.scx: applied\n"
        assert "internet->court: last applied #1" in _run("status")


def test_an_operator_resolves_an_alert_with_a_note(personas, two_zones):
    from smartcourt.exchange.models import ExchangeAlert

    alert = ExchangeAlert.objects.create(direction=px.INTERNET_TO_COURT, reason="bad_signature", message="i2c-1")
    with two_zones.as_zone("court"):
        with pytest.raises(CommandError, match="note is required"):
            _run("resolve", str(alert.pk), "courtadmin", " ")
        answer = _run("resolve", str(alert.pk), "courtadmin", "光闸", "日志已核对")
        assert answer == f"resolved {alert.pk} (bad_signature)\n"
        alert.refresh_from_db()
        assert alert.resolved_at is not None
        with pytest.raises(CommandError, match="resolved already"):
            _run("resolve", str(alert.pk), "courtadmin", "again")


def test_run_once_packs_applies_and_acknowledges(personas, two_zones):
    """The zone's exchange process, one round in each zone: the ping leaves, is applied, and its acknowledgment
    is packed in the same round."""
    from django.test import TestCase

    with two_zones.as_zone("internet"):
        _run("ping", "creditor_a", "循环")
        assert _run("run", "--once") == "sent 1, judged 0\n"
    two_zones.carry("internet")
    with two_zones.as_zone("court"), TestCase.captureOnCommitCallbacks(execute=True):
        # The court zone's first round also starts its own stream with a digest (nothing sent yet), then applies
        # the ping and packs its acknowledgment.
        assert _run("run", "--once") == "sent 2, judged 1\n"
    two_zones.carry("court")
    with two_zones.as_zone("internet"), TestCase.captureOnCommitCallbacks(execute=True):
        assert _run("run", "--once") == "sent 1, judged 2\n"  # the digest is acknowledged in turn
        # The ping is acknowledged; the package of that acknowledgment only is not (it waits for the next
        # cumulative acknowledgment).
        assert "internet->court: last sent #2, 1 not yet acknowledged" in _run("status")


def test_the_internet_zone_rotates_its_signing_key_without_downtime(personas, two_zones, nothing_changed):
    """ADR 0005's steps between the zones: add the new key (the other zone and the gateway learn its public
    half), switch to it, retire the old one; packages signed with either key apply throughout."""
    import json

    from smartcourt.audit.models import AuditEvent

    old = two_zones.internet_keys.signing_key().keyid
    with two_zones.as_zone("internet"):
        public = _run("new-signing-key").strip()
        new = json.loads(public)["keyid"]
        assert new.startswith("internet-ed25519-") and new != old
        _run("publish", str(two_zones.keys_dir / px.INTERNET_PUBLIC))
        # Refused: the key in use cannot be retired. Nothing changes, the file included.
        before = (two_zones.keys_dir / "internet.json").read_bytes()
        with nothing_changed(), pytest.raises(CommandError, match="key in use"):
            _run("retire-signing-key", old)
        assert (two_zones.keys_dir / "internet.json").read_bytes() == before
    assert set(px.read_public_keys(two_zones.keys_dir / px.INTERNET_PUBLIC)) == {old, new}
    with two_zones.as_zone("court"):
        _run("add-peer-key", public)
    with two_zones.as_zone("internet"):
        _run("activate-signing-key", new)
        _run("ping", "creditor_a", "新钥")
        _run("pack")
        _run("retire-signing-key", old)
    two_zones.carry("internet")
    with two_zones.as_zone("court"):
        assert _run("apply") == "i2c-000000000001.scx: applied\n"
    signed_by = px.split((two_zones.outbox("internet") / "i2c-000000000001.scx").read_bytes()).header.signer
    assert signed_by == new
    steps = list(
        AuditEvent.objects.filter(action__startswith="exchange.keys_").order_by("seq").values_list("action", flat=True)
    )
    assert steps == [
        "exchange.keys_signing_added",
        "exchange.keys_peer_added",
        "exchange.keys_activate_signing",
        "exchange.keys_retire_signing",
    ]
