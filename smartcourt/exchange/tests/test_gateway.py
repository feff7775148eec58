"""The one-way gateway as a real process (sandbox/gateway, ADR 0011): it copies packages from one zone's outbox
to the other's inbox in sequence order and never touches the outbox; it refuses what is too large, not signed by
the sending zone, going the other way, or carrying a kind it does not let through, with a reason beside a copy;
killed in the middle of a copy it leaves nothing half-written in the inbox and finishes the copy when restarted."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from partnerproto import exchange as px
from smartcourt.exchange.testing import GatewayProcess, start_gateway, zone_keys

PDF = b"%PDF-1.7\n" + b"0123456789" * 4000 + b"\n%%EOF\n"


@pytest.fixture
def world(tmp_path: Path):
    keys_dir = tmp_path / "keys"
    internet, court = zone_keys(keys_dir)
    outbox, inbox = tmp_path / "internet" / "outbox", tmp_path / "court" / "inbox"
    outbox.mkdir(parents=True)
    return {"internet": internet, "court": court, "keys": keys_dir, "outbox": outbox, "inbox": inbox, "tmp": tmp_path}


def _put(world, sequence: int, *, kind: str = "exchange.ping", files=(), signer=None, direction=px.INTERNET_TO_COURT):
    internet = world["internet"]
    messages = [
        px.Message(
            id=f"m-{sequence}",
            kind=kind,
            payload={"n": sequence},
            files={f"f{i}": f.sha256 for i, f in enumerate(files)},
        )
    ]
    data, _header = px.build_package(
        direction=direction,
        sequence=sequence,
        previous=px.GENESIS,
        messages=messages,
        files=list(files),
        signing_key=signer or internet.signing_key(),
        keyring=internet.envelope,
    )
    (world["outbox"] / px.file_name(direction, sequence)).write_bytes(data)
    return data


def _gateway(world, name: str = "gw", extra=None) -> GatewayProcess:
    return start_gateway(
        direction=px.INTERNET_TO_COURT,
        outbox=world["outbox"],
        inbox=world["inbox"],
        state=world["tmp"] / name,
        sender_keys=world["keys"] / px.INTERNET_PUBLIC,
        extra=extra,
    )


def _listing(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


def test_moves_packages_in_order_and_leaves_the_outbox_alone(world):
    sent = {n: _put(world, n) for n in (3, 1, 2)}
    before = {name: (world["outbox"] / name).stat().st_mtime_ns for name in _listing(world["outbox"])}
    gateway = _gateway(world)
    try:
        result = gateway.scan()
        assert [o["name"] for o in result["outcomes"]] == [px.file_name(px.INTERNET_TO_COURT, n) for n in (1, 2, 3)]
        assert all(o["forwarded"] for o in result["outcomes"])
        for n, data in sent.items():
            assert (world["inbox"] / px.file_name(px.INTERNET_TO_COURT, n)).read_bytes() == data
        # Only read: the sending side cannot learn from its outbox what the gateway did.
        assert {name: (world["outbox"] / name).stat().st_mtime_ns for name in _listing(world["outbox"])} == before
        assert gateway.scan()["outcomes"] == []  # nothing handled twice
        _put(world, 4)
        assert [o["name"] for o in gateway.scan()["outcomes"]] == [px.file_name(px.INTERNET_TO_COURT, 4)]
    finally:
        gateway.stop()
    # Restarted after the sender cleared 1 and 2 (acknowledged): it forgets them, forwards nothing again.
    for n in (1, 2):
        (world["outbox"] / px.file_name(px.INTERNET_TO_COURT, n)).unlink()
    gateway = _gateway(world)
    try:
        assert gateway.scan()["outcomes"] == []
    finally:
        gateway.stop()
    handled = (world["tmp"] / "gw" / "handled.log").read_text().splitlines()
    assert [line.split()[:2] for line in handled] == [
        ["forwarded", px.file_name(px.INTERNET_TO_COURT, n)] for n in (3, 4)
    ]


def test_refuses_oversized_unsigned_wrong_way_and_disallowed_kinds_and_types(world):
    _put(world, 1, files=[px.CarriedFile(PDF, "application/pdf")])  # about 55 KB sealed
    stranger, _ = px.generate_zone_keys(suffix="x")
    _put(world, 2, signer=stranger.signing_key())
    forged = dict(world)
    _put(forged, 3, signer=px.SigningKey.generate(world["internet"].signing_key().keyid))
    _put(world, 4, kind="funds.transfer")
    _put(world, 5, direction=px.COURT_TO_INTERNET)
    (world["outbox"] / px.file_name(px.COURT_TO_INTERNET, 5)).rename(world["outbox"] / "i2c-000000000005.scx")
    (world["outbox"] / "i2c-000000000006.scx").write_bytes(b"not a package")
    _put(world, 7, files=[px.CarriedFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")])
    _put(world, 8, files=[px.CarriedFile(b"%PDF-1.7\n%%EOF\n", "application/pdf")])
    secret = world["tmp"] / "gateway-secret"
    secret.write_text("the gateway machine's own file")
    (world["outbox"] / "i2c-000000000009.scx").symlink_to(secret)
    gateway = _gateway(world, extra=["--max-bytes", "40000", "--allow-type", "application/pdf"])
    try:
        outcomes = gateway.scan()["outcomes"]
    finally:
        gateway.stop()
    assert [(o["name"][-7:-4], o["forwarded"], o["reason"]) for o in outcomes] == [
        ("001", False, "too_large"),
        ("002", False, "unknown_key"),
        ("003", False, "bad_signature"),
        ("004", False, "kind_not_allowed"),
        ("005", False, "wrong_direction"),
        ("006", False, "malformed"),
        ("007", False, "type_not_allowed"),
        ("008", True, ""),
        ("009", False, "not_a_file"),
    ]
    assert _listing(world["inbox"]) == ["i2c-000000000008.scx"]
    rejected = world["tmp"] / "gw" / "rejected"
    reason = json.loads((rejected / "i2c-000000000004.scx.reason").read_text())
    assert reason["reason"] == "kind_not_allowed"
    assert "funds.transfer" in reason["message"]
    assert (rejected / "i2c-000000000004.scx").read_bytes() == (world["outbox"] / "i2c-000000000004.scx").read_bytes()
    assert not (rejected / "i2c-000000000009.scx").exists()  # the link is not followed, not even for a copy


def test_killed_mid_transfer_leaves_no_partial_file_and_resumes(world):
    data = _put(world, 1, files=[px.CarriedFile(PDF, "application/pdf")])
    gateway = _gateway(world, extra=["--test-stall-mid-transfer", "--interval", "0.01"])
    marker = world["tmp"] / "gw" / "stalled"
    deadline = time.monotonic() + 30
    try:
        while not marker.exists():  # waiting for the stall, not timing it
            assert time.monotonic() < deadline, "the gateway never started the transfer"
            time.sleep(0.01)
        os.kill(gateway.process.process.pid, signal.SIGKILL)
        gateway.process.process.wait()
    finally:
        gateway.stop()
    # Half a file is there, under a hidden temporary name that no zone reads; the package itself is not.
    assert [name for name in _listing(world["inbox"]) if name.endswith(px.SUFFIX)] == []
    (partial,) = _listing(world["inbox"])
    assert partial.startswith(".gateway-")
    assert (world["inbox"] / partial).stat().st_size == len(data) // 2 == int(marker.read_text())

    gateway = _gateway(world)
    try:
        assert [o["forwarded"] for o in gateway.scan()["outcomes"]] == [True]
    finally:
        gateway.stop()
    assert _listing(world["inbox"]) == ["i2c-000000000001.scx"]
    assert (world["inbox"] / "i2c-000000000001.scx").read_bytes() == data


def test_a_rotated_key_is_taken_without_a_restart(world):
    """The sending zone adds a new signing key: refused until the gateway's public key file lists it, then
    forwarded by the same process."""
    new_key = px.SigningKey.generate("internet-ed25519-2")
    _put(world, 1, signer=new_key)
    gateway = _gateway(world)
    try:
        assert [o["reason"] for o in gateway.scan()["outcomes"]] == ["unknown_key"]
        public = world["keys"] / px.INTERNET_PUBLIC
        keys = [*px.read_public_keys(public).values(), new_key.public_key()]
        px.write_public_keys(public, keys)
        os.utime(public, ns=(time.time_ns(), time.time_ns() + 1))  # a change the gateway cannot miss
        _put(world, 2, signer=new_key)
        assert [(o["name"][-7:-4], o["forwarded"]) for o in gateway.scan()["outcomes"]] == [("002", True)]
    finally:
        gateway.stop()
