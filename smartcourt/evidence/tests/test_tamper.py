"""Tampering with the log in the database itself (raw SQL, triggers lifted, as an owner of the database can):
each test says what catches it. The witness-side scenarios (a restored backup, a truncated log served
to a witness, a split view) are in test_witness.py, with the witness as a real process.

Detectors named here:
- proof verification: an inclusion proof served today no longer leads to the root the court signed;
- the signer's self-check: the court refuses to sign a tree that does not extend its last checkpoint;
- verify_log: the court's nightly recomputation of the log from its sources (manage.py verify_log).
"""

from __future__ import annotations

import base64
import hashlib
import io
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from partnerproto import merkle
from smartcourt.evidence.actions import deposit_evidence, publish_checkpoint, sync_log
from smartcourt.evidence.auditing import verify_log
from smartcourt.evidence.models import Checkpoint, Leaf, Node, node_key
from smartcourt.evidence.tests.helpers import tampering
from smartcourt.evidence.tree import LogDamaged

if TYPE_CHECKING:
    from conftest import Personas

Q = connection.ops.quote_name


@pytest.fixture
def signed(personas: Personas) -> dict[str, Any]:
    """A log of at least 16 leaves, with a deposit, under a checkpoint the court signed."""
    for number in range(3):
        deposit_evidence(actor=personas.creditor_a, sha256=hashlib.sha256(bytes([number])).hexdigest())
    sync_log()
    checkpoint = publish_checkpoint()
    assert checkpoint.tree_size >= 16 and verify_log().ok
    hashes = {leaf.index: bytes(leaf.leaf_hash) for leaf in Leaf.objects.all()}
    return {"checkpoint": checkpoint, "hashes": hashes, "size": checkpoint.tree_size}


def proof_verifies(signed: dict[str, Any], index: int) -> bool:
    """Ask the public API for leaf ``index``'s inclusion proof at the signed size and check it against the
    signed root, as a holder of that leaf's receipt does."""
    leaf_hash = signed["hashes"][index]
    response = Client().get(
        "/api/v1/transparency/proof/inclusion", {"leaf_hash": leaf_hash.hex(), "tree_size": signed["size"]}
    )
    if response.status_code != 200:
        return False
    body = response.json()
    path = [base64.b64decode(h) for h in body["inclusion_path"]]
    try:
        merkle.verify_inclusion(
            body["leaf_index"], signed["size"], leaf_hash, path, bytes(signed["checkpoint"].root_hash)
        )
    except merkle.ProofError:
        return False
    return body["leaf_index"] == index


def update_leaf(cursor: Any, index: int, **values: Any) -> None:
    assignments = ", ".join(f"{Q(column)} = %s" for column in values)
    cursor.execute(
        f"UPDATE evidence_leaf SET {assignments} WHERE {Q('index')} = %s",
        [*values.values(), index],
    )


@pytest.mark.django_db
def test_an_edited_leaf_is_caught_by_proof_verification_and_verify_log(signed: dict[str, Any]) -> None:
    assert all(proof_verifies(signed, i) for i in (4, 5))
    with tampering() as cursor:
        update_leaf(cursor, 4, leaf_hash=merkle.leaf_hash(b"audit:5:forged"))
    # Proof verification: the edited leaf's receipt holder no longer finds it; its neighbour's path is wrong.
    assert not proof_verifies(signed, 4)
    assert not proof_verifies(signed, 5)
    report = verify_log()
    assert report.problem is not None and "leaf 4 does not match its audit" in report.problem


@pytest.mark.django_db
def test_a_deleted_leaf_is_caught_by_proof_verification_and_verify_log(signed: dict[str, Any]) -> None:
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM evidence_leaf WHERE {Q('index')} = 4")
    response = Client().get(
        "/api/v1/transparency/proof/inclusion",
        {"leaf_hash": signed["hashes"][5].hex(), "tree_size": signed["size"]},
    )
    # Proof verification: the proof cannot even be built; the log says its storage is damaged.
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "log_damaged"
    assert not proof_verifies(signed, 4)
    report = verify_log()
    assert report.problem == "leaf 4 is missing (the next stored leaf is 5)"


@pytest.mark.django_db
def test_reordered_leaves_are_caught_by_proof_verification_and_verify_log(signed: dict[str, Any]) -> None:
    four, five = Leaf.objects.get(index=4), Leaf.objects.get(index=5)
    with tampering() as cursor:
        for target, source in ((4, five), (5, four)):
            update_leaf(
                cursor, target, leaf_hash=bytes(source.leaf_hash), source_type="tmp", source_id=f"{source.source_id}*"
            )
        for target, source in ((4, five), (5, four)):
            update_leaf(cursor, target, source_type=source.source_type, source_id=source.source_id)
    assert not proof_verifies(signed, 4)
    assert not proof_verifies(signed, 5)
    report = verify_log()
    assert report.problem is not None and "leaf 4 is audit event" in report.problem


@pytest.mark.django_db
def test_an_inserted_leaf_is_caught_by_proof_verification_and_verify_log(signed: dict[str, Any]) -> None:
    size = signed["size"]
    with tampering() as cursor:
        # Make room at index 4 (top down, so the primary key never collides), then slip a leaf in.
        for index in range(size - 1, 3, -1):
            cursor.execute(
                f"UPDATE evidence_leaf SET {Q('index')} = %s WHERE {Q('index')} = %s",
                [index + 1, index],
            )
        cursor.execute(
            f"INSERT INTO evidence_leaf ({Q('index')}, leaf_hash, source_type, source_id, appended_at) "
            "VALUES (%s, %s, %s, %s, %s)",
            [4, merkle.leaf_hash(b"deposit:forged:" + b"0" * 64), "deposit", "forged", "2026-11-28 08:00:00"],
        )
    assert not proof_verifies(signed, 5)
    assert not proof_verifies(signed, size - 1)
    report = verify_log()
    assert report.problem == "leaf 4 stands for deposit forged, which is gone"


@pytest.mark.django_db
def test_an_edited_subtree_hash_is_caught_by_proof_verification_and_verify_log(signed: dict[str, Any]) -> None:
    with tampering() as cursor:
        cursor.execute("UPDATE evidence_node SET hash = %s WHERE key = %s", [b"\x05" * 32, node_key(2, 0)])
    # Leaves 4..7 have the subtree over leaves 0..3 on their path: their proofs fail; leaf 0's does not use it.
    assert not proof_verifies(signed, 5)
    assert proof_verifies(signed, 0)
    report = verify_log()
    assert report.problem == "the stored hash of subtree 2/0 is missing or wrong"


@pytest.mark.django_db
def test_a_truncated_log_is_refused_by_the_signer_and_caught_by_verify_log(
    personas: Personas, signed: dict[str, Any]
) -> None:
    """Truncation, caught by the signer's self-check (and verify_log). With the checkpoints removed too, the
    court would sign the smaller tree: the witness catches that (test_witness.py)."""
    keep = 8
    frontier = merkle.Frontier()
    frontier.extend(signed["hashes"][i] for i in range(keep))
    beyond = [
        key for key, level, index in Node.objects.values_list("key", "level", "index") if (index + 1) << level > keep
    ]
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM evidence_leaf WHERE {Q('index')} >= %s", [keep])
        cursor.execute(f"DELETE FROM evidence_node WHERE key IN ({', '.join(['%s'] * len(beyond))})", beyond)
        cursor.execute("UPDATE evidence_loghead SET size = %s, frontier = %s", [keep, frontier.to_bytes()])
    report = verify_log()
    assert report.problem is not None and "leaves were removed from the end" in report.problem
    checkpoints = Checkpoint.objects.count()
    # The signer's self-check: the court's key never signs a tree that does not extend its last checkpoint.
    with pytest.raises(LogDamaged, match=f"does not extend the checkpoint of {signed['size']}"):
        publish_checkpoint()
    with pytest.raises(LogDamaged):
        deposit_evidence(actor=personas.creditor_b, sha256="e" * 64)
    assert Checkpoint.objects.count() == checkpoints


@pytest.mark.django_db
def test_verify_log_as_a_command(signed: dict[str, Any]) -> None:
    out = io.StringIO()
    call_command("verify_log", stdout=out)
    assert f"transparency log intact: {signed['size']} leaves verified" in out.getvalue()
    with tampering() as cursor:
        update_leaf(cursor, 2, source_id="999999")
    with pytest.raises(CommandError, match="leaf 2 stands for audit 999999, which is gone"):
        call_command("verify_log")
