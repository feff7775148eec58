"""The offline verifier as a user runs it: ``python -m smartcourt.evidence.verify``, in a fresh interpreter
without Django settings, against files on disk."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings as django_settings

from partnerproto import note
from smartcourt.evidence.actions import deposit_evidence, publish_checkpoint
from smartcourt.evidence.keys import log_signing_key
from smartcourt.evidence.receipts import deposit_receipt
from smartcourt.evidence.selectors import consistency_proof
from smartcourt.evidence.tests.conftest import ORIGIN

if TYPE_CHECKING:
    from conftest import Personas

ROOT = Path(__file__).resolve().parents[3]
EVIDENCE = "起诉状及证据目录".encode() * 50


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "SMARTCOURT"))}
    # Proves the verifier needs neither Django nor a database: it must run with Django out of reach.
    code = (
        "import sys; from smartcourt.evidence.verify import main; rc = main(sys.argv[1:]); "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django imported'; "
        "sys.exit(rc)"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def files(personas: Personas, tmp_path: Path) -> dict[str, Any]:
    digest = hashlib.sha256(EVIDENCE).hexdigest()
    deposit, checkpoint = deposit_evidence(actor=personas.creditor_a, sha256=digest, title="起诉状")
    receipt = deposit_receipt(deposit, checkpoint=checkpoint, verify_url="http://testserver/evidence/verify/")
    paths = {
        "receipt": tmp_path / "receipt.json",
        "file": tmp_path / "起诉状.pdf",
        "pem": Path(str(django_settings.EVIDENCE_LOG_KEY) + ".pub.pem"),
        "vkey": Path(str(django_settings.EVIDENCE_LOG_KEY) + ".vkey"),
    }
    paths["receipt"].write_text(json.dumps(receipt, ensure_ascii=False))
    paths["file"].write_bytes(EVIDENCE)
    return {"paths": paths, "receipt": receipt, "deposit": deposit, "checkpoint": checkpoint}


@pytest.mark.django_db
def test_a_receipt_verifies_offline_with_the_file_and_the_court_key(files: dict[str, Any]) -> None:
    p = files["paths"]
    for key in (p["pem"], p["vkey"]):
        result = run(str(p["receipt"]), str(p["file"]), "--public-key", str(key))
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.strip().endswith("receipt VERIFIED")
        assert "OK    file: the file's SHA-256 is" in result.stdout
    report = json.loads(run(str(p["receipt"]), "--public-key", str(p["pem"]), "--json").stdout)
    assert report["ok"] is True
    assert [c["name"] for c in report["checks"]] == [
        "leaf commits to the subject",
        "leaf hash",
        "checkpoint signature",
        "checkpoint origin",
        "inclusion proof",
    ]


@pytest.mark.django_db
def test_without_a_key_the_verifier_says_it_used_the_receipts_own(files: dict[str, Any]) -> None:
    p = files["paths"]
    result = run(str(p["receipt"]), str(p["file"]))
    assert result.returncode == 0
    assert "NOTE  No court key was given" in result.stdout


@pytest.mark.django_db
def test_the_verifier_catches_another_file_another_key_and_an_altered_receipt(
    files: dict[str, Any], tmp_path: Path
) -> None:
    p = files["paths"]
    other = tmp_path / "other.pdf"
    other.write_bytes(EVIDENCE + b" ")
    result = run(str(p["receipt"]), str(other), "--public-key", str(p["pem"]))
    assert result.returncode == 1
    assert "FAIL  file:" in result.stdout

    stranger = tmp_path / "stranger.pem"
    stranger.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    result = run(str(p["receipt"]), "--public-key", str(stranger))
    assert result.returncode == 1
    assert "FAIL  checkpoint signature" in result.stdout

    altered = dict(files["receipt"])
    altered["subject"] = {**altered["subject"], "sha256": "0" * 64}
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(altered))
    result = run(str(path), "--public-key", str(p["pem"]))
    assert result.returncode == 1
    assert "FAIL  leaf commits to the subject" in result.stdout

    path.write_text("{not json")
    result = run(str(path))
    assert result.returncode == 2
    assert "not JSON" in result.stderr


@pytest.mark.django_db
def test_a_verifier_that_saw_an_earlier_checkpoint_checks_consistency(
    personas: Personas, files: dict[str, Any], tmp_path: Path
) -> None:
    p = files["paths"]
    earlier = files["checkpoint"]
    earlier_path = tmp_path / "earlier.note"
    earlier_path.write_text(earlier.text + "\n" + earlier.signature)
    # The log grows; the depositor fetches a fresh receipt against the newer checkpoint.
    deposit_evidence(actor=personas.creditor_b, sha256="d" * 64)
    later = publish_checkpoint()
    receipt = deposit_receipt(files["deposit"], checkpoint=later, verify_url="http://testserver/evidence/verify/")
    p["receipt"].write_text(json.dumps(receipt))
    proof_path = tmp_path / "proof.json"
    path = consistency_proof(earlier.tree_size, later.tree_size)
    proof = {
        "first": earlier.tree_size,
        "second": later.tree_size,
        "consistency_path": [base64.b64encode(h).decode() for h in path],
    }
    proof_path.write_text(json.dumps(proof))
    args = [str(p["receipt"]), "--public-key", str(p["pem"]), "--previous-checkpoint", str(earlier_path)]
    result = run(*args, "--consistency-proof", str(proof_path))
    assert result.returncode == 0, result.stdout
    assert f"the tree of {later.tree_size} leaves extends the tree of {earlier.tree_size}" in result.stdout
    missing = run(*args)
    assert missing.returncode == 1
    assert "a consistency proof from" in missing.stdout
    proof["consistency_path"] = proof["consistency_path"][::-1]
    proof_path.write_text(json.dumps(proof))
    broken = run(*args, "--consistency-proof", str(proof_path))
    assert broken.returncode == 1
    assert "INCONSISTENT" in broken.stdout


@pytest.mark.django_db
def test_a_verifier_given_two_checkpoints_of_one_size_sees_the_split_view(
    files: dict[str, Any], tmp_path: Path
) -> None:
    """Split view, caught by the verifier: the court's key signed a second tree of the same size."""
    p = files["paths"]
    checkpoint = files["checkpoint"]
    fork = note.Checkpoint(ORIGIN, checkpoint.tree_size, b"\x07" * 32, 1_764_300_000).text()
    forked_note = note.Note(fork, (note.sign(fork, ORIGIN, log_signing_key()),)).encode()
    other = tmp_path / "other-client.note"
    other.write_text(forked_note)
    result = run(str(p["receipt"]), "--public-key", str(p["pem"]), "--previous-checkpoint", str(other))
    assert result.returncode == 1
    assert "SPLIT VIEW" in result.stdout


@pytest.mark.django_db
def test_a_required_witness_cosignature_must_be_there(files: dict[str, Any]) -> None:
    p = files["paths"]
    private = Ed25519PrivateKey.generate()
    witness = note.verifier_key("witness.test/1", private.public_key(), note.COSIGNATURE_V1)
    args = [str(p["receipt"]), "--public-key", str(p["pem"]), "--witness-key", witness.encode()]
    result = run(*args)
    assert result.returncode == 1
    assert "FAIL  cosignature of witness.test/1: the note carries no cosignature" in result.stdout
    receipt = files["receipt"]
    parsed = note.parse_note(receipt["checkpoint"])
    cosigned = parsed.with_signatures([note.cosign(parsed.text, witness.name, private, 1_764_300_000)])
    p["receipt"].write_text(json.dumps({**receipt, "checkpoint": cosigned.encode()}))
    result = run(*args)
    assert result.returncode == 0, result.stdout
    assert "OK    cosignature of witness.test/1" in result.stdout
