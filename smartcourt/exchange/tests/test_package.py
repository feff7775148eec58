"""The exchange package format (partnerproto/exchange.py, ADR 0011): what goes in comes out, and anything else is
refused with its own reason: one byte altered anywhere, the wrong key, a truncated file, the wrong direction, a
file that is not what the header says, a broken chain."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json

import pytest

from partnerproto import exchange as px
from partnerproto.envelope import EnvelopeKey, Keyring

PDF = b"%PDF-1.7\n" + b"x" * 300 + b"\n%%EOF\n"
CREATED = dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def zones() -> tuple[px.PartyKeys, px.PartyKeys]:
    return px.generate_zone_keys()


def _build(internet: px.PartyKeys, *, sequence: int = 1, previous: str = px.GENESIS, pdf: bytes = PDF) -> bytes:
    messages = [
        px.Message(id="6f1c0d5e-0000-4000-8000-000000000001", kind="filing.submitted", payload={"标的": "12.00"}),
        px.Message(
            id="6f1c0d5e-0000-4000-8000-000000000002",
            kind="filing.submitted",
            payload={"n": 2},
            files={"起诉状.pdf": hashlib.sha256(pdf).hexdigest()},
        ),
    ]
    data, _header = px.build_package(
        direction=px.INTERNET_TO_COURT,
        sequence=sequence,
        previous=previous,
        messages=messages,
        files=[px.CarriedFile(pdf, "application/pdf")],
        signing_key=internet.signing_key(),
        keyring=internet.envelope,
        created=CREATED,
    )
    return data


def _open(court: px.PartyKeys, data: bytes, previous: str | None = px.GENESIS) -> px.Package:
    return px.open_package(
        data,
        direction=px.INTERNET_TO_COURT,
        sender_keys={key.keyid: key for key in court.peer_keys},
        keyring=court.envelope,
        previous=previous,
    )


def test_round_trip(zones):
    internet, court = zones
    data = _build(internet)
    package = _open(court, data)
    assert package.header.sequence == 1
    assert package.header.previous == px.GENESIS
    assert package.header.kinds == {"filing.submitted": 2}
    assert package.header.created_at == CREATED
    assert [m.payload for m in package.messages] == [{"标的": "12.00"}, {"n": 2}]
    assert package.messages[1].files == {"起诉状.pdf": hashlib.sha256(PDF).hexdigest()}
    assert package.files == {hashlib.sha256(PDF).hexdigest(): PDF}
    assert package.hash == hashlib.sha256(package.header.raw).hexdigest()


def test_the_archive_is_deterministic_and_only_the_seal_differs(zones):
    internet, _court = zones
    first, second = _build(internet), _build(internet)
    assert first != second  # a fresh IV per package
    a, b = px.split(first).header, px.split(second).header
    assert a.archive_sha256 == b.archive_sha256  # same messages and files, same plaintext bytes


def test_the_next_package_chains_to_the_previous_one(zones):
    internet, court = zones
    first = _open(court, _build(internet))
    second = _build(internet, sequence=2, previous=first.hash)
    assert _open(court, second, previous=first.hash).header.sequence == 2
    with pytest.raises(px.ChainBroken):
        _open(court, second, previous=hashlib.sha256(b"another history").hexdigest())


def test_one_byte_altered_anywhere_is_refused(zones):
    internet, court = zones
    data = _build(internet)
    reasons = set()
    for position in range(len(data)):
        altered = bytearray(data)
        altered[position] ^= 0x01
        with pytest.raises(px.PackageError) as refused:
            _open(court, bytes(altered))
        reasons.add(refused.value.reason)
    # Header bytes break the header or its signature, the signature breaks itself, the envelope its digest.
    assert reasons <= {"malformed", "truncated", "bad_signature", "unknown_key", "wrong_direction", "sealed_mismatch"}
    assert {"bad_signature", "sealed_mismatch"} <= reasons


def test_a_resigned_header_over_an_altered_envelope_is_refused_by_the_envelope(zones):
    """Even the sender's own key cannot make a ciphertext pass for another sequence: the envelope's associated
    data names it."""
    internet, court = zones
    parts = px.split(_build(internet))
    value = json.loads(parts.header.raw)
    value["sequence"] = 7
    raw = px.canonical_json(value)
    forged = px.MAGIC + b"".join(
        len(s).to_bytes(4, "big") + s for s in (raw, internet.signing_key().sign(raw), parts.sealed)
    )
    with pytest.raises(px.DecryptFailed):
        _open(court, forged)


def test_wrong_keys_are_refused(zones):
    internet, court = zones
    other_internet, other_court = px.generate_zone_keys(suffix="2")
    data = _build(internet)
    with pytest.raises(px.UnknownSigner):
        _open(other_court, data)
    # The right key id with another key behind it.
    impostor = dataclasses.replace(other_internet.signing_key(), keyid=internet.signing_key().keyid)
    forged = px.build_package(
        direction=px.INTERNET_TO_COURT,
        sequence=1,
        previous=px.GENESIS,
        messages=[px.Message(id="x1", kind="core.ping", payload={})],
        signing_key=impostor,
        keyring=internet.envelope,
    )[0]
    with pytest.raises(px.BadSignature):
        _open(court, forged)
    # Signed right, sealed for someone else.
    stranger_ring = Keyring.of(EnvelopeKey.generate(internet.envelope.current))
    sealed_elsewhere = px.build_package(
        direction=px.INTERNET_TO_COURT,
        sequence=1,
        previous=px.GENESIS,
        messages=[px.Message(id="x1", kind="core.ping", payload={})],
        signing_key=internet.signing_key(),
        keyring=stranger_ring,
    )[0]
    with pytest.raises(px.DecryptFailed):
        _open(court, sealed_elsewhere)


@pytest.mark.parametrize("keep", [0, 5, len(px.MAGIC) + 2, len(px.MAGIC) + 40, -1])
def test_truncated_is_refused(zones, keep):
    internet, court = zones
    data = _build(internet)
    with pytest.raises(px.Truncated):
        _open(court, data[:keep] if keep >= 0 else data[:-1])


def test_trailing_bytes_are_refused(zones):
    internet, court = zones
    with pytest.raises(px.Malformed):
        _open(court, _build(internet) + b"\x00")


def test_wrong_direction_is_refused(zones):
    internet, court = zones
    with pytest.raises(px.WrongDirection):
        px.open_package(
            _build(internet),
            direction=px.COURT_TO_INTERNET,
            sender_keys={key.keyid: key for key in court.peer_keys},
            keyring=court.envelope,
        )


def test_a_file_whose_bytes_are_not_its_declared_type_is_refused(zones):
    """The sender declares a PDF; the receiver sniffs it. A sender that lies is caught where the bytes are seen."""
    internet, _court = zones
    with pytest.raises(ValueError, match="does not look like"):
        _build(internet, pdf=b"MZ\x90\x00 an executable")


def test_a_file_hash_mismatch_is_refused(zones, monkeypatch):
    """A sender whose archive carries other bytes than its header lists (built by hand: build_package refuses)."""
    internet, court = zones
    real_archive = px._archive

    def swapped(manifest, files):
        return real_archive(manifest, {sha: content.replace(b"x", b"y") for sha, content in files.items()})

    monkeypatch.setattr(px, "_archive", swapped)
    data = _build(internet)
    monkeypatch.undo()
    with pytest.raises(px.FileMismatch):
        _open(court, data)


def test_peek_header_reads_and_checks_only_the_signed_header(zones, tmp_path):
    """How a receiving zone orders its inbox without reading every envelope: the header and its signature only."""
    internet, court = zones
    data = _build(internet)
    path = tmp_path / "p.scx"
    sender_keys = {key.keyid: key for key in court.peer_keys}
    path.write_bytes(data[: len(data) - 500])  # the envelope cut short: found when the package is opened
    header = px.peek_header(path, direction=px.INTERNET_TO_COURT, sender_keys=sender_keys)
    assert header == px.split(data).header
    path.write_bytes(data[:60])
    with pytest.raises(px.Truncated):
        px.peek_header(path, direction=px.INTERNET_TO_COURT, sender_keys=sender_keys)
    with pytest.raises(px.WrongDirection):
        path.write_bytes(data)
        px.peek_header(path, direction=px.COURT_TO_INTERNET, sender_keys=sender_keys)
    path.write_bytes(data[:30] + bytes([data[30] ^ 1]) + data[31:])
    with pytest.raises(px.PackageError):
        px.peek_header(path, direction=px.INTERNET_TO_COURT, sender_keys=sender_keys)


def test_the_binary_envelope_binds_its_context_and_key():
    from partnerproto import envelope

    ring = Keyring.of(EnvelopeKey.generate("k1"))
    sealed = envelope.seal(ring, b"archive", context="EXCHANGE internet->court#3")
    assert len(sealed) == len(b"archive") + 4 + 1 + 2 + 1 + 7 + 12 + 16  # no base64: the overhead is fixed
    assert envelope.unseal(ring, sealed, context="EXCHANGE internet->court#3") == b"archive"
    refusals = {}
    for label, data, context in [
        ("other sequence", sealed, "EXCHANGE internet->court#4"),
        ("other key id", sealed.replace(b"k1", b"k2"), "EXCHANGE internet->court#3"),
        ("relabelled algorithm", sealed.replace(b"A256GCM", b"SM4GCMx"), "EXCHANGE internet->court#3"),
        ("not sealed", b"SCE1", "EXCHANGE internet->court#3"),
    ]:
        with pytest.raises(envelope.EnvelopeError) as refused:
            envelope.unseal(ring, data, context=context)
        refusals[label] = refused.value.reason
    assert refusals == {
        "other sequence": "envelope_decrypt_failed",
        "other key id": "envelope_unknown_key",
        "relabelled algorithm": "envelope_algorithm_mismatch",
        "not sealed": "envelope_malformed",
    }
