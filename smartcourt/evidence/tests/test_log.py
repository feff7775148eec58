"""The log in the database: ingesting the audit log and the dossier, the stored tree, checkpoints, deposits."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.db import DatabaseError, IntegrityError, connection, transaction

from partnerproto import merkle, note
from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import DomainError, PermissionDenied
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.evidence.actions import (
    deposit_evidence,
    publish_checkpoint,
    sign_checkpoint_now,
    sync_log,
)
from smartcourt.evidence.auditing import verify_log
from smartcourt.evidence.keys import log_verifier_key
from smartcourt.evidence.models import Checkpoint, Deposit, Leaf, LogHead, Node
from smartcourt.evidence.selectors import consistency_proof, inclusion_proof
from smartcourt.evidence.tests.conftest import ORIGIN
from smartcourt.evidence.tests.helpers import memory_root, stored_leaf_hashes
from smartcourt.evidence.tree import consistency_path, inclusion_path, read_head
from smartcourt.evidence.verify import leaf_data

if TYPE_CHECKING:
    from conftest import Personas

PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.mark.django_db
def test_sync_appends_every_audit_event_in_order_and_each_filed_entry_after_its_event(personas: Personas) -> None:
    p = personas
    entry = file_entry(
        actor=p.judge, case=p.case, kind=EntryKind.RULING, title="受理裁定书", content=PDF, filename="a.pdf"
    )
    events = list(AuditEvent.objects.order_by("seq").values_list("seq", "hash", "action"))

    appended = sync_log()

    assert appended == len(events) + 1
    leaves = list(Leaf.objects.order_by("index"))
    expected: list[tuple[str, str, bytes]] = []
    for seq, digest, action in events:
        expected.append(("audit", str(seq), leaf_data("audit", str(seq), digest)))
        if action == "dossier.entry_filed":
            expected.append(("dossier", str(entry.pk), leaf_data("dossier", str(entry.pk), entry.file_sha256)))
    assert [(leaf.source_type, leaf.source_id) for leaf in leaves] == [(t, i) for t, i, _ in expected]
    assert [bytes(leaf.leaf_hash) for leaf in leaves] == [merkle.leaf_hash(d) for _, _, d in expected]
    assert [leaf.index for leaf in leaves] == list(range(len(expected)))
    assert expected[-1][2] == f"dossier:{entry.pk}:{hashlib.sha256(PDF).hexdigest()}".encode()
    head = read_head()
    assert (head.size, head.audit_seq) == (len(expected), events[-1][0])


@pytest.mark.django_db
def test_sync_is_idempotent_and_resumable_in_batches(personas: Personas) -> None:
    total = AuditEvent.objects.count()
    assert sync_log(batch_size=3, max_batches=2) == 6
    assert Leaf.objects.count() == 6
    assert sync_log(batch_size=3) == total - 6
    assert sync_log() == 0
    assert Leaf.objects.count() == total
    # A source appended twice is refused by the database itself.
    leaf = Leaf.objects.get(index=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Leaf.objects.create(
            index=total,
            leaf_hash=b"\0" * 32,
            source_type=leaf.source_type,
            source_id=leaf.source_id,
            appended_at=leaf.appended_at,
        )


@pytest.mark.django_db
def test_stored_subtrees_give_the_rfc_root_and_every_proof(personas: Personas) -> None:
    sync_log()
    hashes = stored_leaf_hashes()
    n = len(hashes)
    memory = merkle.memory_fetcher(hashes)
    # Every perfect subtree is stored once: n - popcount(n) interior nodes.
    assert Node.objects.count() == n - n.bit_count()
    head = read_head()
    assert merkle.Frontier.from_bytes(head.size, bytes(head.frontier)).root() == merkle.root_hash(n, memory)
    for size in range(1, n + 1):
        for index in range(size):
            assert inclusion_path(index, size) == merkle.inclusion_proof(index, size, memory)
        for first in range(1, size + 1):
            assert consistency_path(first, size) == merkle.consistency_proof(first, size, memory)


@pytest.mark.django_db
def test_selectors_refuse_sizes_the_log_does_not_have(personas: Personas) -> None:
    sync_log()
    n = read_head().size
    leaf = Leaf.objects.get(index=3)
    proof = inclusion_proof(bytes(leaf.leaf_hash), n)
    assert (proof.leaf_index, proof.tree_size) == (3, n)
    with pytest.raises(DomainError, match="larger than the log") as excinfo:
        inclusion_proof(bytes(leaf.leaf_hash), n + 1)
    assert excinfo.value.field == "tree_size"
    with pytest.raises(DomainError, match="appended after"):
        inclusion_proof(bytes(leaf.leaf_hash), 3)
    with pytest.raises(DomainError, match="larger than the log"):
        consistency_proof(2, n + 5)
    with pytest.raises(DomainError, match="larger than the log"):
        consistency_proof(n + 1, n + 1)
    with pytest.raises(DomainError, match="not be larger"):
        consistency_proof(5, 4)
    assert consistency_proof(n, n) == []


@pytest.mark.django_db
def test_checkpoints_are_signed_c2sp_notes_only_when_the_tree_grew_or_aged(personas: Personas) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC), tick=False):
        first = publish_checkpoint(max_age_seconds=3600)
        again = publish_checkpoint(max_age_seconds=3600)
    assert again.pk == first.pk
    parsed = note.parse_note(first.text + "\n" + first.signature)
    note.verify(parsed, log_verifier_key())
    checkpoint = note.parse_checkpoint(parsed.text)
    assert checkpoint.origin == ORIGIN
    assert checkpoint.size == first.tree_size == Leaf.objects.count() == AuditEvent.objects.count()
    assert checkpoint.root == bytes(first.root_hash) == memory_root()
    assert checkpoint.timestamp == int(dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC).timestamp())
    assert first.text.endswith(f"timestamp {checkpoint.timestamp}\n")
    with time_machine.travel(dt.datetime(2026, 11, 28, 10, 0, 1, tzinfo=dt.UTC), tick=False):
        aged = publish_checkpoint(max_age_seconds=3600)
    assert aged.pk != first.pk and aged.tree_size == first.tree_size and aged.root_hash == first.root_hash
    file_entry(actor=personas.judge, case=personas.case, kind=EntryKind.NOTICE, title="公告")
    grown = publish_checkpoint(max_age_seconds=3600)
    assert grown.tree_size == first.tree_size + 2  # the audit event and the entry it files
    assert Checkpoint.objects.count() == 3


@pytest.mark.django_db
def test_a_court_administrator_signs_a_checkpoint_on_demand_and_others_cannot(personas: Personas) -> None:
    p = personas
    before = (Checkpoint.objects.count(), AuditEvent.objects.count())
    for user in (p.judge, p.clerk, p.creditor_a, p.outsider):
        with pytest.raises(PermissionDenied):
            sign_checkpoint_now(actor=user)
    assert (Checkpoint.objects.count(), AuditEvent.objects.count()) == before
    checkpoint = sign_checkpoint_now(actor=p.court_admin)
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.action == "evidence.checkpoint_requested"
    # The request is itself in the checkpoint it produced.
    assert checkpoint.tree_size == Leaf.objects.count() == AuditEvent.objects.count()
    assert Leaf.objects.order_by("-index").first().source_id == str(event.seq)  # type: ignore[union-attr]


@pytest.mark.django_db
def test_a_deposit_is_an_audited_leaf_inside_a_fresh_checkpoint(personas: Personas) -> None:
    digest = hashlib.sha256(b"contract scan").hexdigest()
    deposit, checkpoint = deposit_evidence(
        actor=personas.creditor_a, sha256=digest.upper(), file_name="合同.pdf", size=13, title="买卖合同"
    )
    assert deposit.sha256 == digest
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.action == "evidence.deposited" and event.object_id == str(deposit.pk)
    leaf = Leaf.objects.get(index=deposit.leaf_index)
    assert (leaf.source_type, leaf.source_id) == ("deposit", str(deposit.pk))
    assert bytes(leaf.leaf_hash) == merkle.leaf_hash(f"deposit:{deposit.pk}:{digest}".encode())
    # Its own audit event comes right before it, and the checkpoint ends with it.
    assert Leaf.objects.get(index=deposit.leaf_index - 1).source_id == str(event.seq)
    assert checkpoint.tree_size == deposit.leaf_index + 1
    merkle.verify_inclusion(
        deposit.leaf_index,
        checkpoint.tree_size,
        bytes(leaf.leaf_hash),
        inclusion_path(deposit.leaf_index, checkpoint.tree_size),
        bytes(checkpoint.root_hash),
    )
    assert verify_log().ok


@pytest.mark.django_db
def test_deposits_refused_change_nothing(personas: Personas) -> None:
    user = personas.creditor_b
    before = (Deposit.objects.count(), Leaf.objects.count(), AuditEvent.objects.count(), Checkpoint.objects.count())
    for bad, field in (("abc", "sha256"), ("g" * 64, "sha256")):
        with pytest.raises(DomainError) as excinfo:
            deposit_evidence(actor=user, sha256=bad)
        assert excinfo.value.field == field
    with pytest.raises(DomainError) as excinfo:
        deposit_evidence(actor=user, sha256="a" * 64, title="x" * 201)
    assert excinfo.value.field == "title"
    user.is_active = False
    with pytest.raises(PermissionDenied):
        deposit_evidence(actor=user, sha256="a" * 64)
    after = (Deposit.objects.count(), Leaf.objects.count(), AuditEvent.objects.count(), Checkpoint.objects.count())
    assert after == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE evidence_leaf SET leaf_hash = leaf_hash WHERE {q}index{q} = 0",
        "DELETE FROM evidence_leaf WHERE {q}index{q} = 0",
        "UPDATE evidence_node SET hash = hash",
        "DELETE FROM evidence_node",
        "UPDATE evidence_checkpoint SET tree_size = 1",
        "DELETE FROM evidence_checkpoint",
        "DELETE FROM evidence_deposit",
    ],
)
def test_the_database_refuses_changes_to_the_log(personas: Personas, statement: str) -> None:
    deposit_evidence(actor=personas.creditor_a, sha256="b" * 64)
    counts = (Leaf.objects.count(), Node.objects.count(), Checkpoint.objects.count(), Deposit.objects.count())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(q='"'))
    assert (Leaf.objects.count(), Node.objects.count(), Checkpoint.objects.count(), Deposit.objects.count()) == counts


@pytest.mark.django_db
def test_the_head_row_comes_back_after_a_flush_removed_it(personas: Personas) -> None:
    LogHead.objects.all().delete()
    assert sync_log() == AuditEvent.objects.count()
    assert verify_log().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_deposits_filings_and_syncs_keep_one_gap_free_consistent_log(personas: Personas) -> None:
    import threading

    from django.db import connection as thread_connection

    from smartcourt.accounts.models import User

    creditor_id, judge_id = personas.creditor_a.pk, personas.judge.pk
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def depositing(offset: int) -> None:
        try:
            user = User.objects.get(pk=creditor_id)
            barrier.wait(timeout=30)
            for number in range(5):
                deposit_evidence(actor=user, sha256=hashlib.sha256(f"{offset}-{number}".encode()).hexdigest())
        except BaseException as exc:
            errors.append(exc)
        finally:
            thread_connection.close()

    def filing() -> None:
        try:
            judge = User.objects.get(pk=judge_id)
            barrier.wait(timeout=30)
            for number in range(5):
                file_entry(actor=judge, case=personas.case, kind=EntryKind.DOCUMENT, title=f"并发文书{number}")
                sync_log()
        except BaseException as exc:
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=depositing, args=(i,)) for i in range(2)]
    threads += [
        threading.Thread(target=filing),
        threading.Thread(target=lambda: (barrier.wait(30), publish_checkpoint())),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    sync_log()
    assert list(Leaf.objects.order_by("index").values_list("index", flat=True)) == list(range(Leaf.objects.count()))
    assert Leaf.objects.count() == AuditEvent.objects.count() + Deposit.objects.count() + 5
    report = verify_log()
    assert report.ok, report.problem
