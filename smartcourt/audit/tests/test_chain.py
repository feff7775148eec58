"""The audit log is append-only in the database and tamper-evident by its hash chain."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from smartcourt.audit.actions import record_event
from smartcourt.audit.chain import GENESIS_HASH
from smartcourt.audit.chain_check import verify_chain
from smartcourt.audit.models import AuditEvent, AuditHead
from smartcourt.audit.triggers import remove_triggers

pytestmark = pytest.mark.django_db


def _log(count: int) -> list[AuditEvent]:
    with transaction.atomic():
        return [
            record_event(actor=None, action="test.happened", after={"n": index, "名称": "破产"})
            for index in range(1, count + 1)
        ]


def _raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_events_are_chained_from_the_genesis_hash() -> None:
    first, second, third = _log(3)
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    head = AuditHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, third.hash)
    report = verify_chain()
    assert report.ok and report.checked == 3


def test_verify_audit_command_reports_an_intact_log(capsys: pytest.CaptureFixture[str]) -> None:
    _log(4)
    call_command("verify_audit")
    assert "audit log intact: 4 events verified" in capsys.readouterr().out


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'forged' WHERE seq = 2",
        "DELETE FROM audit_auditevent WHERE seq = 2",
    ],
)
def test_the_database_refuses_update_and_delete(statement: str) -> None:
    events = _log(3)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw(statement)
    assert list(AuditEvent.objects.values_list("seq", "action", "hash")) == [
        (event.seq, event.action, event.hash) for event in events
    ]


def test_the_orm_cannot_update_or_delete_either() -> None:
    _log(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(action="forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=2).delete()
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.happened", "test.happened"]


def test_postgresql_refuses_truncate() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    _log(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 2


# Tampering: somebody with database access lifts the triggers and edits the table directly.
# (The DDL runs inside the test's transaction and is rolled back with it, on both databases.)


def _expect_failure_at(seq: int, words: str) -> None:
    report = verify_chain()
    assert report.problem is not None
    assert report.problem.seq == seq
    assert words in report.problem.problem
    with pytest.raises(CommandError, match=rf"FAILED at event #{seq}"):
        call_command("verify_audit")


def test_an_edited_payload_is_found() -> None:
    _log(5)
    remove_triggers(connection)
    _raw("UPDATE audit_auditevent SET after = %s WHERE seq = 3", ['{"n": 300, "名称": "破产"}'])
    _expect_failure_at(3, "was edited")


def test_an_edited_actor_label_is_found() -> None:
    _log(3)
    remove_triggers(connection)
    _raw("UPDATE audit_auditevent SET actor_label = 'someone else' WHERE seq = 2")
    _expect_failure_at(2, "was edited")


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link() -> None:
    events = _log(4)
    remove_triggers(connection)
    forged = "f" * 64
    _raw("UPDATE audit_auditevent SET hash = %s WHERE seq = 2", [forged])
    # Even a forger who recomputes event #2's own hash cannot make #3 point at it.
    assert events[2].prev_hash != forged
    _expect_failure_at(2, "was edited")


def test_a_removed_event_is_found() -> None:
    _log(5)
    remove_triggers(connection)
    _raw("DELETE FROM audit_auditevent WHERE seq = 3")
    _expect_failure_at(3, "is missing")


def test_reordered_events_are_found() -> None:
    _log(5)
    remove_triggers(connection)
    _raw("UPDATE audit_auditevent SET seq = -1 WHERE seq = 2")
    _raw("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3")
    _raw("UPDATE audit_auditevent SET seq = 3 WHERE seq = -1")
    _expect_failure_at(2, "reordered")


def test_events_removed_from_the_end_are_found() -> None:
    _log(5)
    remove_triggers(connection)
    _raw("DELETE FROM audit_auditevent WHERE seq >= 4")
    _expect_failure_at(4, "removed from the end")


def test_payloads_refuse_floats() -> None:
    with pytest.raises(TypeError, match="floats are not allowed"), transaction.atomic():
        record_event(actor=None, action="test.float", after={"amount": 1.5})
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        record_event(actor=None, action="test.outside")
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_linear_chain() -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def append(worker: int) -> None:
        try:
            barrier.wait()
            for index in range(5):
                with transaction.atomic():
                    record_event(actor=None, action="test.concurrent", after={"worker": worker, "i": index})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 41))
    assert verify_chain().ok
