"""Check an evidence receipt with nothing but the court's public key: no Django, no database, no network.

    python -m smartcourt.evidence.verify RECEIPT.json [FILE] [--public-key KEY] [--witness-key VKEY ...]
                                         [--previous-checkpoint NOTE --consistency-proof PROOF.json] [--json]

KEY is the court's log key as a PEM file or a verifier key (``name+keyid+base64``); without it the key
printed in the receipt is used, which proves only that the receipt is self-consistent, so the report says so.
FILE, when given, must hash to the receipt's SHA-256. A previous checkpoint (a signed note saved earlier,
e.g. from an older receipt) is checked against the receipt's: equal sizes need equal roots, different sizes
need a consistency proof (the JSON of ``GET /api/v1/transparency/proof/consistency``).

Exit status: 0 when every check passes, 1 when one fails, 2 when the input cannot be read.
The public page /evidence/verify/ runs the same ``verify_receipt``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from partnerproto import merkle
from partnerproto.note import (
    ED25519,
    Checkpoint,
    Note,
    NoteError,
    VerifierKey,
    b64decode,
    load_public_key_pem,
    parse_checkpoint,
    parse_note,
    parse_verifier_key,
    verifier_key,
    verify,
    verify_cosignature,
)

RECEIPT_FORMAT = "smartcourt/evidence-receipt/v1"
SUBJECT_TYPES = ("deposit", "dossier")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class ReceiptError(ValueError):
    """A receipt that cannot be read at all (not JSON, missing parts)."""


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checkpoint: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    def add(self, name: str, ok: bool, detail: str) -> bool:
        self.checks.append(Check(name, ok, detail))
        return ok

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": [asdict(check) for check in self.checks], "warnings": self.warnings}


def leaf_data(kind: str, identifier: str, digest: str) -> bytes:
    """The bytes a receipt's leaf commits to: ``<kind>:<id>:<sha256 hex>`` (the digest may be empty)."""
    return f"{kind}:{identifier}:{digest}".encode()


def sha256_of(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def load_receipt(text: str | bytes) -> dict[str, Any]:
    try:
        receipt = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReceiptError(f"the receipt is not JSON: {exc}") from exc
    if not isinstance(receipt, dict):
        raise ReceiptError("the receipt is a JSON object")
    if receipt.get("format") != RECEIPT_FORMAT:
        raise ReceiptError(f"not a receipt of this format (expected {RECEIPT_FORMAT!r})")
    for part in ("subject", "leaf", "checkpoint", "inclusion_proof", "log"):
        if part not in receipt:
            raise ReceiptError(f"the receipt has no {part!r}")
    return receipt


def load_key(text: str | bytes) -> VerifierKey | Any:
    """The court's key from a PEM or a verifier key; returns a VerifierKey or an Ed25519 public key."""
    raw = text.encode() if isinstance(text, str) else text
    if b"-----BEGIN" in raw:
        return load_public_key_pem(raw)
    return parse_verifier_key(raw.decode("utf-8", "replace"))


def verify_receipt(
    receipt: dict[str, Any],
    *,
    file_sha256: str | None = None,
    public_key: Any = None,
    witness_keys: Sequence[VerifierKey] = (),
    previous_checkpoint: str | None = None,
    consistency: dict[str, Any] | None = None,
) -> Report:
    """Every check a receipt allows; ``public_key`` is a VerifierKey, an Ed25519 public key or None."""
    report = Report()
    try:
        _verify(report, receipt, file_sha256, public_key, witness_keys, previous_checkpoint, consistency)
    except (NoteError, merkle.ProofError, KeyError, TypeError, ValueError) as exc:
        report.add("receipt readable", False, f"the receipt is malformed: {exc}")
    return report


def _verify(
    report: Report,
    receipt: dict[str, Any],
    file_sha256: str | None,
    public_key: Any,
    witness_keys: Sequence[VerifierKey],
    previous_checkpoint: str | None,
    consistency: dict[str, Any] | None,
) -> None:
    subject, leaf, proof, log = receipt["subject"], receipt["leaf"], receipt["inclusion_proof"], receipt["log"]
    kind, identifier, digest = str(subject["type"]), str(subject["id"]), str(subject.get("sha256") or "")
    if kind not in SUBJECT_TYPES or (digest and not _HEX64.match(digest)):
        raise ValueError(f"unknown subject type {kind!r} or malformed SHA-256")
    data = leaf_data(kind, identifier, digest)
    report.add(
        "leaf commits to the subject",
        leaf.get("data") == data.decode(),
        f"leaf data {leaf.get('data')!r}; expected {data.decode()!r}",
    )
    computed = merkle.leaf_hash(data).hex()
    report.add("leaf hash", leaf.get("hash") == computed, f"SHA-256(0x00 || leaf data) = {computed}")

    if file_sha256 is not None:
        if not digest:
            report.add("file", False, "the receipt covers an entry without a file, but a file was given")
        else:
            report.add("file", file_sha256 == digest, f"the file's SHA-256 is {file_sha256}; the receipt's {digest}")

    key = _court_key(report, log, public_key)
    note = parse_note(str(receipt["checkpoint"]))
    checkpoint = parse_checkpoint(note.text)
    report.checkpoint = checkpoint
    try:
        verify(note, key)
        signed = True
        detail = f"signed by {key.name} (key ID {key.key_id.hex()}) at tree size {checkpoint.size}"
    except NoteError as exc:
        signed, detail = False, str(exc)
    report.add("checkpoint signature", signed, detail)
    report.add(
        "checkpoint origin",
        checkpoint.origin == key.name,
        f"the checkpoint is of log {checkpoint.origin!r}; the key is {key.name!r}",
    )

    index, size = int(proof["leaf_index"]), int(proof["tree_size"])
    path = [b64decode(item, what="an inclusion path hash") for item in proof["inclusion_path"]]
    if index != int(leaf["index"]) or size != checkpoint.size:
        report.add(
            "inclusion proof",
            False,
            f"the proof is for leaf {index} in a tree of {size}; the receipt says leaf {leaf['index']} "
            f"and the checkpoint {checkpoint.size}",
        )
    else:
        try:
            merkle.verify_inclusion(index, size, merkle.leaf_hash(data), path, checkpoint.root)
            report.add("inclusion proof", True, f"leaf {index} is in the tree of {size} with the signed root")
        except merkle.ProofError as exc:
            report.add("inclusion proof", False, str(exc))

    _cosignatures(report, note, witness_keys)
    if previous_checkpoint is not None:
        _previous(report, key, note, checkpoint, previous_checkpoint, consistency)


def _court_key(report: Report, log: dict[str, Any], given: Any) -> VerifierKey:
    origin = str(log.get("origin", ""))
    if given is None:
        key = parse_verifier_key(str(log["public_key"]))
        report.warnings.append(
            f"No court key was given: the receipt was checked against the key it carries itself (key ID "
            f"{key.key_id.hex()}). Compare it with the key the court publishes, or pass --public-key."
        )
        return key
    if isinstance(given, VerifierKey):
        return given
    return verifier_key(origin, given, ED25519)


def _cosignatures(report: Report, note: Note, witness_keys: Sequence[VerifierKey]) -> None:
    for witness in witness_keys:
        try:
            stamp = verify_cosignature(note, witness)
            report.add(f"cosignature of {witness.name}", True, f"cosigned at POSIX time {stamp}")
        except NoteError as exc:
            report.add(f"cosignature of {witness.name}", False, str(exc))
    others = {s.name for s in note.signatures} - {w.name for w in witness_keys}
    if len(note.signatures) > 1 and not witness_keys:
        report.warnings.append(
            f"The checkpoint carries other signatures ({', '.join(sorted(others))}); pass --witness-key to check them."
        )


def _previous(
    report: Report,
    key: VerifierKey,
    note: Note,
    checkpoint: Checkpoint,
    previous_text: str,
    consistency: dict[str, Any] | None,
) -> None:
    previous_note = parse_note(previous_text)
    try:
        verify(previous_note, key)
    except NoteError as exc:
        report.add("previous checkpoint", False, f"the previous checkpoint is not signed by the court key: {exc}")
        return
    previous = parse_checkpoint(previous_note.text)
    if previous.origin != checkpoint.origin:
        report.add("consistency", False, f"the previous checkpoint is of another log ({previous.origin!r})")
        return
    if previous.size == checkpoint.size:
        same = previous.root == checkpoint.root
        detail = (
            f"both checkpoints have {checkpoint.size} leaves and the same root"
            if same
            else f"SPLIT VIEW: two checkpoints signed by the court for {checkpoint.size} leaves with different roots"
        )
        report.add("consistency", same, detail)
        return
    older, newer = (previous, checkpoint) if previous.size < checkpoint.size else (checkpoint, previous)
    if consistency is None:
        report.add("consistency", False, f"a consistency proof from {older.size} to {newer.size} leaves is needed")
        return
    if (int(consistency.get("first", -1)), int(consistency.get("second", -1))) != (older.size, newer.size):
        report.add(
            "consistency",
            False,
            f"the consistency proof is from {consistency.get('first')} to {consistency.get('second')}, "
            f"not from {older.size} to {newer.size}",
        )
        return
    path = [b64decode(item, what="a consistency path hash") for item in consistency.get("consistency_path", [])]
    try:
        merkle.verify_consistency(older.size, newer.size, older.root, newer.root, path)
        report.add("consistency", True, f"the tree of {newer.size} leaves extends the tree of {older.size}")
    except merkle.ProofError as exc:
        report.add("consistency", False, f"INCONSISTENT: {exc}")


def render(report: Report) -> str:
    lines = [f"{'OK  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}" for check in report.checks]
    lines += [f"NOTE  {warning}" for warning in report.warnings]
    lines.append("receipt VERIFIED" if report.ok else "receipt NOT verified")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smartcourt.evidence.verify", description=__doc__.split("\n")[0])
    parser.add_argument("receipt", type=Path, help="the receipt JSON")
    parser.add_argument("file", type=Path, nargs="?", help="the deposited file, checked against the receipt")
    parser.add_argument("--public-key", type=Path, help="the court's log key: PEM or verifier key file")
    parser.add_argument("--witness-key", action="append", default=[], help="a witness verifier key that must cosign")
    parser.add_argument("--previous-checkpoint", type=Path, help="a signed checkpoint seen earlier")
    parser.add_argument("--consistency-proof", type=Path, help="JSON consistency proof between the two checkpoints")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        receipt = load_receipt(args.receipt.read_bytes())
        file_sha256 = None
        if args.file is not None:
            with args.file.open("rb") as handle:
                file_sha256 = sha256_of(handle)
        public_key = load_key(args.public_key.read_bytes()) if args.public_key else None
        witnesses = [parse_verifier_key(text) for text in args.witness_key]
        previous = args.previous_checkpoint.read_text(encoding="utf-8") if args.previous_checkpoint else None
        consistency = json.loads(args.consistency_proof.read_bytes()) if args.consistency_proof else None
    except (OSError, ReceiptError, NoteError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)  # noqa: T201 - a command-line tool
        return 2
    report = verify_receipt(
        receipt,
        file_sha256=file_sha256,
        public_key=public_key,
        witness_keys=witnesses,
        previous_checkpoint=previous,
        consistency=consistency,
    )
    print(json.dumps(report.as_dict(), indent=2) if args.json else render(report))  # noqa: T201
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
