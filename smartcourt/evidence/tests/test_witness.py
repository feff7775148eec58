"""The witness as a real process (sandbox/witness, own SQLite and key) talking real HTTP to the platform on a
live server: it cosigns checkpoints that extend what it saw, and catches a database restored from an old
backup, a truncated log and a split view, each of which a database owner could do without the platform
noticing."""

from __future__ import annotations

import hashlib
import json
import selectors
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection, transaction

from partnerproto import note
from smartcourt.evidence.actions import deposit_evidence, ensure_witness, publish_checkpoint
from smartcourt.evidence.keys import log_signing_key, log_verifier_key
from smartcourt.evidence.models import Alarm, Checkpoint, Cosignature, Deposit
from smartcourt.evidence.receipts import deposit_receipt
from smartcourt.evidence.tests.conftest import ORIGIN
from smartcourt.evidence.tests.helpers import tampering
from smartcourt.evidence.verify import verify_receipt

if TYPE_CHECKING:
    from conftest import Personas

ROOT = Path(__file__).resolve().parents[3]
WITNESS_NAME = "witness.notary.example/1"
# Child tables first: deleted in this order, put back in the reverse one.
BACKED_UP = (
    "evidence_cosignature",
    "evidence_alarm",
    "evidence_checkpoint",
    "evidence_deposit",
    "evidence_node",
    "evidence_leaf",
    "evidence_loghead",
    "audit_auditevent",
    "audit_audithead",
)


@dataclass
class WitnessProcess:
    url: str
    key: note.VerifierKey
    process: subprocess.Popen[bytes]

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - our own loopback witness
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def poll(self) -> dict[str, Any]:
        status, body = self.call("POST", "/poll")
        assert status == 200, body
        return body


@pytest.fixture
def witness(live_server: Any, tmp_path: Path, personas: Personas) -> Iterator[WitnessProcess]:
    """A witness process on a free loopback port, registered on the platform, that polls only when told."""
    command = [
        sys.executable,
        "-m",
        "sandbox.witness",
        "--port",
        "0",
        "--interval",
        "0",
        "--db",
        str(tmp_path / "witness.sqlite3"),
        "--key",
        str(tmp_path / "witness_key.pem"),
        "--name",
        WITNESS_NAME,
        "--log-url",
        live_server.url,
        "--log-key",
        log_verifier_key().encode(),
    ]
    with (tmp_path / "witness.log").open("ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=log)  # noqa: S603
    assert process.stdout is not None
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            ready = selector.select(timeout=20)
        line = process.stdout.readline().decode() if ready else ""
        assert line.startswith("witness listening on "), (line, (tmp_path / "witness.log").read_text())
        url, key = line.split()[3].rstrip("/"), note.parse_verifier_key(line.split()[-1])
        ensure_witness(public_key=key.encode())
        yield WitnessProcess(url=url, key=key, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def deposit(personas: Personas, n: int, *, who: str = "creditor_a") -> Deposit:
    made = None
    for number in range(n):
        digest = hashlib.sha256(f"{who}-{number}-{time.monotonic_ns()}".encode()).hexdigest()
        made, _ = deposit_evidence(actor=getattr(personas, who), sha256=digest)
    assert made is not None
    return made


def snapshot() -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    saved = {}
    with connection.cursor() as cursor:
        for table in BACKED_UP:
            cursor.execute(f"SELECT * FROM {table}")
            columns = [column[0] for column in cursor.description]
            # JSON columns come back as dicts on PostgreSQL; they go back in as JSON text.
            rows = [tuple(json.dumps(v) if isinstance(v, dict | list) else v for v in row) for row in cursor.fetchall()]
            saved[table] = (columns, rows)
    return saved


def restore(saved: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> None:
    """Put the tables back as they were in the backup, as a restore would."""
    quote = connection.ops.quote_name
    with transaction.atomic(), tampering() as cursor:
        for table in BACKED_UP:
            cursor.execute(f"DELETE FROM {table}")
        for table in reversed(BACKED_UP):
            columns, rows = saved[table]
            if rows:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) VALUES ({marks})",
                    rows,
                )


@pytest.mark.django_db(transaction=True)
def test_the_witness_cosigns_each_checkpoint_that_extends_the_last(personas: Personas, witness: WitnessProcess) -> None:
    first = publish_checkpoint()
    outcome = witness.poll()
    assert (outcome["status"], outcome["size"]) == ("cosigned", first.tree_size)
    stored = Cosignature.objects.get(checkpoint=first)
    assert stored.witness.name == WITNESS_NAME
    assert witness.poll()["status"] == "unchanged"

    made = deposit(personas, 2)
    second = Checkpoint.objects.order_by("-tree_size").first()
    assert second is not None and second.tree_size > first.tree_size
    assert witness.poll()["status"] == "cosigned"
    state = witness.call("GET", "/state")[1]
    assert (state["size"], state["halted"], state["alarms"]) == (second.tree_size, False, [])
    # The receipt now carries the witness's cosignature, and a verifier that requires it is satisfied.
    receipt = deposit_receipt(made, verify_url="http://testserver/evidence/verify/")
    report = verify_receipt(receipt, public_key=log_verifier_key(), witness_keys=[witness.key])
    assert report.ok, report.as_dict()


@pytest.mark.django_db(transaction=True)
def test_a_database_restored_from_an_old_backup_is_caught_by_the_witness(
    personas: Personas, witness: WitnessProcess
) -> None:
    publish_checkpoint()
    assert witness.poll()["status"] == "cosigned"
    backup = snapshot()
    deposit(personas, 3)
    seen = Checkpoint.objects.order_by("-tree_size").first()
    assert seen is not None
    assert witness.poll()["status"] == "cosigned"  # the witness has seen the tree of seen.tree_size leaves

    restore(backup)
    # The restored platform carries on: new, different actions, a bigger tree, a checkpoint the court signs
    # (its own self-check passes: the restored checkpoints all agree with the restored tree).
    deposit(personas, 6, who="creditor_b")
    latest = Checkpoint.objects.order_by("-tree_size").first()
    assert latest is not None and latest.tree_size > seen.tree_size

    outcome = witness.poll()
    assert outcome["status"] == "alarm"
    assert outcome["alarm"]["kind"] == "inconsistent"
    alarm = Alarm.objects.get()
    assert (alarm.kind, alarm.witness.name) == ("inconsistent", WITNESS_NAME)
    assert note.parse_checkpoint(note.parse_note(alarm.evidence["seen"]).text).size == seen.tree_size
    # It stops cosigning for good.
    deposit(personas, 1, who="creditor_b")
    assert witness.poll()["status"] == "halted"
    assert not Cosignature.objects.filter(checkpoint__tree_size__gt=seen.tree_size).exists()
    state = witness.call("GET", "/state")[1]
    assert state["halted"] and [a["kind"] for a in state["alarms"]] == ["inconsistent"]


@pytest.mark.django_db(transaction=True)
def test_a_truncated_log_is_caught_by_the_witness_as_a_rollback(personas: Personas, witness: WitnessProcess) -> None:
    publish_checkpoint()
    backup = snapshot()
    deposit(personas, 4)
    seen = Checkpoint.objects.order_by("-tree_size").first()
    assert seen is not None
    assert witness.poll()["status"] == "cosigned"
    # Leaves, subtrees and checkpoints cut back to the backup's size: the court then signs a smaller tree.
    restore(backup)
    deposit(personas, 1, who="creditor_b")
    latest = Checkpoint.objects.order_by("-tree_size").first()
    assert latest is not None and latest.tree_size < seen.tree_size

    outcome = witness.poll()
    assert (outcome["status"], outcome["alarm"]["kind"]) == ("alarm", "rollback")
    assert Alarm.objects.get().kind == "rollback"


@pytest.mark.django_db(transaction=True)
def test_a_split_view_is_caught_by_the_witness_and_by_a_verifier_that_wants_its_cosignature(
    personas: Personas, witness: WitnessProcess
) -> None:
    made = deposit(personas, 1)
    real = Checkpoint.objects.order_by("-tree_size").first()
    assert real is not None
    assert witness.poll()["status"] == "cosigned"
    # Client 1 gets the real receipt, cosigned by the witness.
    honest = deposit_receipt(made, verify_url="http://testserver/evidence/verify/")
    assert verify_receipt(honest, public_key=log_verifier_key(), witness_keys=[witness.key]).ok
    # Client 2 is served another tree of the same size, signed with the court's key (a second database).
    fork_text = note.Checkpoint(ORIGIN, real.tree_size, b"\x42" * 32, int(time.time())).text()
    fork = note.Note(fork_text, (note.sign(fork_text, ORIGIN, log_signing_key()),)).encode()
    forked_receipt = {**honest, "checkpoint": fork}

    # The verifier: without a cosignature of the witness it trusts, client 2's receipt is refused.
    report = verify_receipt(forked_receipt, public_key=log_verifier_key(), witness_keys=[witness.key])
    assert not report.ok
    assert [c.name for c in report.checks if not c.ok] == ["inclusion proof", f"cosignature of {WITNESS_NAME}"]
    # The witness: client 2 shows it the checkpoint (gossip); it has seen another root for that size.
    status, outcome = witness.call("POST", "/checkpoints", {"checkpoint": fork})
    assert status == 409
    assert outcome["alarm"]["kind"] == "split_view"
    alarm = Alarm.objects.get()
    assert alarm.kind == "split_view"
    # The alarm carries both signed checkpoints: proof, checkable by anyone, that the court's key signed both.
    for side in ("checkpoint", "seen"):
        note.verify(note.parse_note(alarm.evidence[side]), log_verifier_key())
    assert witness.poll()["status"] == "halted"


@pytest.mark.django_db(transaction=True)
def test_the_witness_refuses_checkpoints_not_signed_by_the_log(personas: Personas, witness: WitnessProcess) -> None:
    checkpoint = publish_checkpoint()
    assert witness.poll()["status"] == "cosigned"
    text = note.Checkpoint(ORIGIN, checkpoint.tree_size, b"\x13" * 32, int(time.time())).text()
    stranger = note.Note(text, (note.sign(text, ORIGIN, Ed25519PrivateKey.generate()),)).encode()
    status, body = witness.call("POST", "/checkpoints", {"checkpoint": stranger})
    assert status == 403
    assert "not signed by" in body["error"]["message"]
    status, body = witness.call("POST", "/checkpoints", {"checkpoint": "hello"})
    assert status == 422
    assert not Alarm.objects.exists()
    assert witness.call("GET", "/state")[1]["halted"] is False


@pytest.mark.django_db(transaction=True)
def test_an_older_checkpoint_shown_to_the_witness_is_checked_not_cosigned(
    personas: Personas, witness: WitnessProcess
) -> None:
    older = publish_checkpoint()
    deposit(personas, 2)
    assert witness.poll()["status"] == "cosigned"  # its view starts at the newer checkpoint
    status, outcome = witness.call("POST", "/checkpoints", {"checkpoint": older.text + "\n" + older.signature})
    assert (status, outcome["status"], outcome["size"]) == (200, "recorded", older.tree_size)
    assert not Cosignature.objects.filter(checkpoint=older).exists()
    assert not Alarm.objects.exists()
