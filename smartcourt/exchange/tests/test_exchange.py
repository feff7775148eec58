"""Exactly once, in order, through one-way gateways (issue 18, ADR 0011): a message emitted in the internet zone
is applied once in the court zone and acknowledged back through the other gateway; a truncated, duplicated,
reordered, replayed or altered package is applied once in order or quarantined with an alert, never half-applied;
the sender keeps a package until it is acknowledged; a zone that was down applies what waited on its return."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import threading
import time

import pytest
import time_machine
from django.db import connection, transaction
from django.test import TestCase

from partnerproto import exchange as px
from smartcourt.audit.chain_check import verify_chain
from smartcourt.audit.models import AuditEvent
from smartcourt.exchange import actions, selectors
from smartcourt.exchange.choices import IncomingState, OutgoingState
from smartcourt.exchange.handlers import IncomingMessage, register_handler
from smartcourt.exchange.models import (
    AppliedMessage,
    ExchangeAlert,
    ExchangeHead,
    IncomingPackage,
    OutboxFile,
    OutboxMessage,
    OutgoingPackage,
)
from smartcourt.testing import unchanged_database

I2C, C2I = px.INTERNET_TO_COURT, px.COURT_TO_INTERNET
# What judging a refused or repeated arrival may write: its own row, the alert, and their audit events.
JUDGEMENT = frozenset(
    {
        "exchange_incomingpackage",
        "exchange_exchangealert",
        "audit_auditevent",
        "audit_audithead",
        "exchange_exchangehead",
    }
)
# A duplicate also queues one acknowledgment again (the first may have been lost on the way back).
DUPLICATE_JUDGEMENT = JUDGEMENT | {"exchange_outboxmessage"}
PDF = b"%PDF-1.7\n" + b"statement of claim " * 50 + b"\n%%EOF\n"
received: list[IncomingMessage] = []


def _record(message: IncomingMessage) -> None:
    received.append(message)


register_handler("testing.filed", _record)


@pytest.fixture(autouse=True)
def _clear_received():
    received.clear()


def _send(two_zones, actor, *notes: str) -> list[OutgoingPackage]:
    """Each note is one ping in its own package, from the internet zone."""
    packages = []
    with two_zones.as_zone("internet"):
        for note in notes:
            actions.send_ping(actor=actor, note=note)
            packages += actions.pack_outbox(actor=None)
    return packages


def _apply(two_zones, zone: str = "court") -> list[IncomingPackage]:
    # The test's transaction never commits: run what the job runs after its commit (clearing acknowledged files).
    with two_zones.as_zone(zone), TestCase.captureOnCommitCallbacks(execute=True):
        return actions.apply_inbox(actor=None)


def _pings_applied() -> list[str]:
    return list(
        AuditEvent.objects.filter(action="exchange.ping_received").order_by("seq").values_list("after__note", flat=True)
    )


def test_single_zone_exchanges_nothing(personas, nothing_changed):
    with nothing_changed():
        with transaction.atomic():
            assert actions.emit(actor=personas.clerk, kind=actions.PING, payload={}) is None
        assert actions.pack_outbox(actor=None) == []
        assert actions.apply_inbox(actor=None) == []


def test_a_message_crosses_both_gateways_and_its_package_is_acknowledged(personas, two_zones, tmp_path):
    """The real gateway processes, one per direction; the internet zone's outbox keeps the package until the
    court zone's acknowledgment comes back through the other gateway."""
    with two_zones.as_zone("internet"), transaction.atomic():
        emitted = actions.emit(
            actor=personas.creditor_a,
            kind="testing.filed",
            payload={"案由": "民间借贷纠纷", "amount_fen": 1_234_500},
            files={"起诉状.pdf": px.CarriedFile(PDF, "application/pdf")},
        )
    assert emitted is not None
    assert selectors.delivery_of(emitted)[:2] == ("waiting", "等待发送至法院")
    attachment = OutboxFile.objects.get(message=emitted)
    assert (attachment.name, bytes(attachment.content), attachment.size) == ("起诉状.pdf", PDF, len(PDF))
    with two_zones.as_zone("internet"), TestCase.captureOnCommitCallbacks(execute=True):
        (package,) = actions.pack_outbox(actor=None)
    emitted.refresh_from_db()
    assert selectors.delivery_of(emitted)[:2] == ("sent", "已发送至法院")
    attachment.refresh_from_db()
    assert bytes(attachment.content) == b""  # the package holds the file now
    assert (package.sequence, package.state, package.previous_hash) == (1, OutgoingState.SENT, px.GENESIS)
    assert [p.name for p in two_zones.outbox("internet").iterdir()] == ["i2c-000000000001.scx"]

    to_court = two_zones.gateway("internet", tmp_path / "gw-i2c", kinds=("testing.filed",))
    to_internet = two_zones.gateway("court", tmp_path / "gw-c2i")
    try:
        assert [o["forwarded"] for o in to_court.scan()["outcomes"]] == [True]
        (applied,) = _apply(two_zones)
        assert (applied.sequence, applied.state, applied.package_hash) == (
            1,
            IncomingState.APPLIED,
            package.package_hash,
        )
        (message,) = received
        assert message.payload == {"案由": "民间借贷纠纷", "amount_fen": 1_234_500}
        assert message.files["起诉状.pdf"].content == PDF
        assert (message.direction, message.sequence) == (I2C, 1)
        # The outbox still holds it: nothing has come back yet.
        assert OutgoingPackage.objects.get(pk=package.pk).state == OutgoingState.SENT
        assert (two_zones.outbox("internet") / "i2c-000000000001.scx").exists()

        with two_zones.as_zone("court"):
            (ack_package,) = actions.pack_outbox(actor=None)
        assert ack_package.direction == C2I
        assert [o["forwarded"] for o in to_internet.scan()["outcomes"]] == [True]
        (ack_applied,) = _apply(two_zones, "internet")
        assert ack_applied.state == IncomingState.APPLIED
    finally:
        to_court.stop()
        to_internet.stop()
    package.refresh_from_db()
    assert package.state == OutgoingState.ACKNOWLEDGED
    assert bytes(package.content) == b""  # applied over there: the bytes are no longer kept here
    emitted.refresh_from_db()
    delivery = selectors.delivery_of(emitted)
    assert delivery[:2] == ("received", "法院已收到")
    assert delivery.sent_at is not None and delivery.received_at is not None
    assert delivery.received_at == package.applied_elsewhere_at  # the court zone's own time of applying it
    assert package.acknowledged_at is not None
    assert applied.received_at <= delivery.received_at <= package.acknowledged_at
    assert delivery.lag == delivery.received_at - emitted.created_at
    assert list(two_zones.outbox("internet").iterdir()) == []
    # A package of acknowledgments only is not itself acknowledged (it would never end): no ack goes back.
    with two_zones.as_zone("internet"):
        assert actions.pack_outbox(actor=None) == []
    assert ExchangeAlert.objects.count() == 0
    assert verify_chain().ok  # both zones' events, one chain here (two in a deployment), verifiable


def test_applied_exactly_once_in_order_when_reordered_and_duplicated(personas, two_zones):
    _send(two_zones, personas.creditor_a, "一", "二", "三")
    two_zones.carry("internet")
    inbox = two_zones.inbox("court")
    # Hold back 1 and 2: package 3 alone waits for them.
    held = tmp = inbox.parent / "held"
    tmp.mkdir()
    for n in (1, 2):
        shutil.move(inbox / px.file_name(I2C, n), held)
    with unchanged_database():
        assert _apply(two_zones) == []
    assert _pings_applied() == []
    # 2 arrives before 1: still waiting. Then 1: all three, in order.
    shutil.move(held / px.file_name(I2C, 2), inbox)
    with unchanged_database():
        assert _apply(two_zones) == []
    shutil.move(held / px.file_name(I2C, 1), inbox)
    assert [(p.sequence, p.state) for p in _apply(two_zones)] == [(n, IncomingState.APPLIED) for n in (1, 2, 3)]
    assert _pings_applied() == ["一", "二", "三"]
    assert list(inbox.iterdir()) == []

    # Delivered again (the gateway killed after copying, before remembering it): ignored and recorded.
    two_zones.carry("internet")
    acks_before = OutboxMessage.objects.filter(kind=actions.ACK).count()
    with unchanged_database(ignore=DUPLICATE_JUDGEMENT):
        judged = _apply(two_zones)
    assert [(p.sequence, p.state) for p in judged] == [(n, IncomingState.DUPLICATE) for n in (1, 2, 3)]
    reack = OutboxMessage.objects.filter(kind=actions.ACK).order_by("created_at").last()
    assert OutboxMessage.objects.filter(kind=actions.ACK).count() == acks_before + 1
    assert reack is not None
    assert (reack.direction, reack.payload["through"]) == (C2I, 3)
    assert _pings_applied() == ["一", "二", "三"]
    assert ExchangeAlert.objects.count() == 0
    assert AppliedMessage.objects.count() == 3


def test_replayed_a_week_later_is_ignored(personas, two_zones):
    with time_machine.travel(dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC), tick=False):
        (old,) = _send(two_zones, personas.creditor_a, "上周")
        two_zones.carry("internet")
        _apply(two_zones)
    replay = bytes(old.content)
    _send(two_zones, personas.creditor_a, "今天")
    two_zones.carry("internet")
    _apply(two_zones)
    (two_zones.inbox("court") / px.file_name(I2C, 1)).write_bytes(replay)
    with unchanged_database(ignore=DUPLICATE_JUDGEMENT):
        (judged,) = _apply(two_zones)
    assert (judged.sequence, judged.state) == (1, IncomingState.DUPLICATE)
    assert _pings_applied() == ["上周", "今天"]


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda data: data[: len(data) - 100], "truncated"),
        (lambda data: data[:-40] + bytes([data[-40] ^ 1]) + data[-39:], "sealed_mismatch"),
        (lambda data: data[:30] + bytes([data[30] ^ 1]) + data[31:], "malformed"),
        (lambda data: data.replace(b'"sequence":1', b'"sequence":2', 1), "bad_signature"),
    ],
    ids=["truncated", "one-byte-in-envelope", "one-byte-in-header", "resequenced"],
)
def test_a_damaged_package_is_quarantined_with_an_alert_and_the_genuine_one_still_applies(
    personas, two_zones, damage, reason
):
    (package,) = _send(two_zones, personas.creditor_a, "原件")
    inbox = two_zones.inbox("court")
    inbox.mkdir(parents=True)
    (inbox / px.file_name(I2C, 1)).write_bytes(damage(bytes(package.content)))
    with unchanged_database(ignore=JUDGEMENT - {"exchange_exchangehead"}):
        (judged,) = _apply(two_zones)
    assert (judged.state, judged.reason) == (IncomingState.QUARANTINED, reason)
    alert = ExchangeAlert.objects.get()
    assert (alert.reason, alert.package_id, alert.direction) == (reason, judged.pk, I2C)
    assert list(inbox.iterdir()) == []
    assert [p.name.split(".")[0] for p in two_zones.dir("court").joinpath("quarantine").iterdir()] == [
        "i2c-000000000001"
    ]
    assert _pings_applied() == []
    assert AuditEvent.objects.filter(action="exchange.package_quarantined", object_id=str(judged.pk)).count() == 1
    # Not acknowledged, so still in the sender's outbox: the gateway (or an operator) delivers it again.
    assert OutgoingPackage.objects.get(pk=package.pk).state == OutgoingState.SENT
    two_zones.carry("internet")
    (applied,) = _apply(two_zones)
    assert (applied.sequence, applied.state) == (1, IncomingState.APPLIED)
    assert _pings_applied() == ["原件"]


def test_a_forked_sequence_signed_by_the_sender_is_quarantined(personas, two_zones):
    """Package 1 applied; another package 1 (same key, other content) arrives: quarantined, not applied."""
    (_package,) = _send(two_zones, personas.creditor_a, "甲")
    two_zones.carry("internet")
    _apply(two_zones)
    fork, _header = px.build_package(
        direction=I2C,
        sequence=1,
        previous=px.GENESIS,
        messages=[px.Message(id="fork-1", kind=actions.PING, payload={"note": "乙"})],
        signing_key=two_zones.internet_keys.signing_key(),
        keyring=two_zones.internet_keys.envelope,
    )
    (two_zones.inbox("court") / px.file_name(I2C, 1)).write_bytes(fork)
    with unchanged_database(ignore=JUDGEMENT - {"exchange_exchangehead"}):
        (judged,) = _apply(two_zones)
    assert (judged.state, judged.reason) == (IncomingState.QUARANTINED, "conflicting_sequence")
    assert _pings_applied() == ["甲"]


def test_a_package_is_never_half_applied(personas, two_zones):
    """The second message's handler fails: the first message's effects roll back with it, and the package
    applies whole once the fault is gone."""
    with two_zones.as_zone("internet"), transaction.atomic():
        actions.emit(actor=personas.creditor_a, kind="testing.filed", payload={"n": 1})
        actions.emit(actor=personas.creditor_a, kind="testing.filed", payload={"n": 2, "fail": True})
    _send(two_zones, personas.creditor_a)
    with two_zones.as_zone("internet"):
        actions.pack_outbox(actor=None)
    two_zones.carry("internet")

    def failing(message: IncomingMessage) -> None:
        if message.payload.get("fail"):
            raise RuntimeError("the court's database went away")
        actions.record_event(actor=None, action="testing.filed", after=dict(message.payload))

    from smartcourt.exchange import handlers

    handlers._handlers["testing.filed"] = failing
    try:
        for _run in range(2):  # the job fails every run until the fault is gone; the operators hear of it once
            with unchanged_database(ignore=frozenset({"exchange_exchangealert"})), pytest.raises(RuntimeError):
                _apply(two_zones)
    finally:
        handlers._handlers["testing.filed"] = _record
    alert = ExchangeAlert.objects.get()
    assert alert.reason == "apply_failed"
    assert "the court's database went away" in alert.message
    assert (two_zones.inbox("court") / px.file_name(I2C, 1)).exists()  # still there, for the next run
    (applied,) = _apply(two_zones)
    assert applied.state == IncomingState.APPLIED
    assert [m.payload["n"] for m in received] == [1, 2]


def test_the_court_zone_down_packages_wait_and_apply_on_return(personas, two_zones):
    """While the court zone is down the internet zone goes on taking messages; the gateway has put them in the
    court's inbox; when the court zone returns it applies them all, in order, and acknowledges the last."""
    _send(two_zones, personas.creditor_a, *[f"第{n}件" for n in range(1, 6)])
    two_zones.carry("internet")
    assert len(list(two_zones.inbox("court").iterdir())) == 5
    judged = _apply(two_zones)
    assert [p.sequence for p in judged] == [1, 2, 3, 4, 5]
    assert _pings_applied() == [f"第{n}件" for n in range(1, 6)]
    with two_zones.as_zone("court"):
        (acks,) = actions.pack_outbox(actor=None)
    assert acks.message_count == 5
    two_zones.carry("court")
    _apply(two_zones, "internet")
    assert set(OutgoingPackage.objects.filter(direction=I2C).values_list("state", flat=True)) == {
        OutgoingState.ACKNOWLEDGED
    }
    assert list(two_zones.outbox("internet").iterdir()) == []
    assert ExchangeHead.objects.get(direction=I2C).applied_sequence == 5


def test_a_crash_between_building_and_writing_is_repaired_with_the_same_bytes(personas, two_zones, monkeypatch):
    with two_zones.as_zone("internet"):
        actions.send_ping(actor=personas.creditor_a, note="崩溃")

        def crash(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(actions.px, "write_atomically", crash)
        with pytest.raises(OSError):
            actions.pack_outbox(actor=None)
        monkeypatch.undo()
        package = OutgoingPackage.objects.get()
        assert package.state == OutgoingState.BUILT
        assert OutboxMessage.objects.get().package_id == package.pk
        assert actions.pack_outbox(actor=None) == []  # nothing new; the built one is written
    package.refresh_from_db()
    assert package.state == OutgoingState.SENT
    assert (two_zones.outbox("internet") / "i2c-000000000001.scx").read_bytes() == bytes(package.content)


def test_damaged_in_transit_then_resent_through_the_gateway(personas, two_zones, tmp_path):
    """The gateway copied a package and the copy arrived damaged: quarantined. The sender, without any answer,
    offers it again after the resend delay; the gateway takes the rewritten file for a new one; it applies."""
    (package,) = _send(two_zones, personas.creditor_a, "重发")
    gateway = two_zones.gateway("internet", tmp_path / "gw")
    try:
        gateway.scan()
        arrived = two_zones.inbox("court") / px.file_name(I2C, 1)
        arrived.write_bytes(arrived.read_bytes()[:-1] + b"!")
        (quarantined,) = _apply(two_zones)
        assert (quarantined.state, quarantined.reason) == (IncomingState.QUARANTINED, "sealed_mismatch")
        assert gateway.scan()["outcomes"] == []  # nothing new in the outbox: the gateway never re-reads a file
        with two_zones.as_zone("internet"):
            assert actions.resend_unacknowledged(actor=None, older_than=dt.timedelta(hours=1)) == []  # not yet due
            (resent,) = actions.resend_unacknowledged(actor=None, older_than=dt.timedelta(0))
        assert resent.pk == package.pk
        assert [o["forwarded"] for o in gateway.scan()["outcomes"]] == [True]
    finally:
        gateway.stop()
    (applied,) = _apply(two_zones)
    assert (applied.sequence, applied.state, applied.package_hash) == (1, IncomingState.APPLIED, package.package_hash)
    assert _pings_applied() == ["重发"]


def test_a_lost_acknowledgment_is_repaired_by_resending(personas, two_zones):
    """The court zone's acknowledgment is lost on the way back. The internet zone resends; the court zone
    ignores the duplicate and acknowledges again; resending its own first package fills the gap; both converge."""
    (package,) = _send(two_zones, personas.creditor_a, "确认")
    two_zones.carry("internet")
    _apply(two_zones)
    with two_zones.as_zone("court"):
        (_first_ack,) = actions.pack_outbox(actor=None)
    two_zones.carry("court")
    (two_zones.inbox("internet") / px.file_name(C2I, 1)).unlink()  # lost
    assert _apply(two_zones, "internet") == []
    package.refresh_from_db()
    assert package.state == OutgoingState.SENT

    with two_zones.as_zone("internet"):
        actions.resend_unacknowledged(actor=None, older_than=dt.timedelta(0))
    two_zones.carry("internet")
    (duplicate,) = _apply(two_zones)
    assert duplicate.state == IncomingState.DUPLICATE
    with two_zones.as_zone("court"):
        (_second_ack,) = actions.pack_outbox(actor=None)
        actions.resend_unacknowledged(actor=None, older_than=dt.timedelta(0))  # its first package, never acked
    two_zones.carry("court")
    assert [(p.sequence, p.state) for p in _apply(two_zones, "internet")] == [
        (1, IncomingState.APPLIED),
        (2, IncomingState.APPLIED),
    ]
    package.refresh_from_db()
    assert package.state == OutgoingState.ACKNOWLEDGED
    assert _pings_applied() == ["确认"]
    assert ExchangeAlert.objects.count() == 0


def test_heartbeat_digests_and_a_silent_stream_alerts(personas, two_zones, settings):
    """After a quiet spell the sender sends a digest of its stream; the receiver checks it against what it applied.
    When nothing arrives for two heartbeats and a resend delay, the receiver raises one alert on its own."""
    settings.EXCHANGE_HEARTBEAT_SECONDS = 600
    settings.EXCHANGE_RESEND_SECONDS = 600
    start = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        (first,) = _send(two_zones, personas.creditor_a, "早")
        two_zones.carry("internet")
        _apply(two_zones)
        with two_zones.as_zone("internet"):
            assert actions.pack_outbox(actor=None) == []  # not quiet yet
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        with two_zones.as_zone("internet"):
            (digest,) = actions.pack_outbox(actor=None)
        assert digest.messages.get().payload == {"through": 1, "hash": first.package_hash, "messages": 1}
        two_zones.carry("internet")
        (applied,) = [p for p in _apply(two_zones) if p.sequence == 2]
        assert applied.state == IncomingState.APPLIED
        with two_zones.as_zone("court"):
            assert actions.check_inbound(actor=None) is None
    assert ExchangeAlert.objects.count() == 0
    with time_machine.travel(start + dt.timedelta(minutes=11 + 31), tick=False), two_zones.as_zone("court"):
        alert = actions.check_inbound(actor=None)
        assert alert is not None
        assert (alert.reason, alert.direction) == ("stream_silent", I2C)
        assert actions.check_inbound(actor=None) is None  # one open alert, not one per check
    assert ExchangeAlert.objects.count() == 1
    # The stream flows again: the alert closes itself, and a later silence raises a new one.
    with time_machine.travel(start + dt.timedelta(minutes=50), tick=False):
        _send(two_zones, personas.creditor_a, "恢复")
        two_zones.carry("internet")
        _apply(two_zones)
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    assert AuditEvent.objects.filter(action="exchange.alert_resolved", object_id=str(alert.pk)).count() == 1
    with time_machine.travel(start + dt.timedelta(minutes=50 + 31), tick=False), two_zones.as_zone("court"):
        assert actions.check_inbound(actor=None) is not None
    assert ExchangeAlert.objects.filter(resolved_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_applying_at_once_apply_each_package_once(two_zones):
    """The periodic job and an operator's manage.py exchange apply, at the same moment: the direction's head row
    is the lock, so each package is applied once, in order, and the audit chain stays one chain."""
    from smartcourt.audit.actions import ensure_head

    ensure_head()
    with two_zones.as_zone("internet"):
        for n in range(1, 7):
            with transaction.atomic():
                actions.emit(actor=None, kind=actions.PING, payload={"note": f"并发{n}"})
            actions.pack_outbox(actor=None)
    two_zones.carry("internet")
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        try:
            barrier.wait()
            actions.apply_inbox(actor=None)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    with two_zones.as_zone("court"):
        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        actions.apply_inbox(actor=None)  # whatever a worker left for the next run
    assert errors == []
    applied = IncomingPackage.objects.filter(direction=I2C, state=IncomingState.APPLIED).order_by("sequence")
    assert list(applied.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert not IncomingPackage.objects.filter(state=IncomingState.QUARANTINED).exists()
    assert _pings_applied() == [f"并发{n}" for n in range(1, 7)]
    assert list(two_zones.inbox("court").iterdir()) == []
    assert verify_chain().ok


def test_the_gateway_killed_mid_transfer_then_restarted_applies_once(personas, two_zones, tmp_path):
    """Killed with half a package written: the court zone sees nothing (the half has a hidden temporary name).
    Restarted: the package arrives whole and applies. Restarted again having lost its record of what it
    forwarded: the package arrives a second time and is ignored as a duplicate."""
    _send(two_zones, personas.creditor_a, "断电")
    state = tmp_path / "gw"
    gateway = two_zones.gateway("internet", state, extra=("--test-stall-mid-transfer", "--interval", "0.01"))
    deadline = time.monotonic() + 30
    try:
        while not (state / "stalled").exists():  # waiting for the stall, not timing it
            assert time.monotonic() < deadline, "the gateway never started the transfer"
            time.sleep(0.01)
        os.kill(gateway.process.process.pid, signal.SIGKILL)
        gateway.process.process.wait()
    finally:
        gateway.stop()
    with unchanged_database():
        assert _apply(two_zones) == []

    gateway = two_zones.gateway("internet", state)
    try:
        assert [o["forwarded"] for o in gateway.scan()["outcomes"]] == [True]
    finally:
        gateway.stop()
    (applied,) = _apply(two_zones)
    assert (applied.sequence, applied.state) == (1, IncomingState.APPLIED)

    (state / "handled.log").write_text("")  # as if killed after the rename, before writing its record
    gateway = two_zones.gateway("internet", state)
    try:
        assert [o["forwarded"] for o in gateway.scan()["outcomes"]] == [True]
    finally:
        gateway.stop()
    (again,) = _apply(two_zones)
    assert (again.sequence, again.state) == (1, IncomingState.DUPLICATE)
    assert _pings_applied() == ["断电"]


def test_a_package_acknowledged_while_being_resent_does_not_come_back(personas, two_zones, monkeypatch):
    (package,) = _send(two_zones, personas.creditor_a, "并发确认")
    write = actions.px.write_atomically

    def acknowledged_first(directory, name, data, **kwargs):
        # The other worker applies the acknowledgment right now: state, bytes and file go.
        OutgoingPackage.objects.filter(pk=package.pk).update(state=OutgoingState.ACKNOWLEDGED, content=b"")
        (directory / name).unlink(missing_ok=True)
        write(directory, name, data, **kwargs)

    monkeypatch.setattr(actions.px, "write_atomically", acknowledged_first)
    with two_zones.as_zone("internet"):
        assert actions.resend_unacknowledged(actor=None, older_than=dt.timedelta(0)) == []
    assert list(two_zones.outbox("internet").iterdir()) == []
    assert not AuditEvent.objects.filter(action="exchange.package_resent").exists()
