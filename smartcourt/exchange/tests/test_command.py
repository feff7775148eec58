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
