"""Reads of the transparency log and of deposits. Proofs and checkpoints are public; deposits are scoped."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.core.errors import DomainError, NotFound, PermissionDenied
from smartcourt.evidence.keys import log_origin, log_verifier_key, public_key_pem
from smartcourt.evidence.models import Alarm, Checkpoint, Deposit, Leaf, Witness
from smartcourt.evidence.policies import can_manage_log, can_see_deposit
from smartcourt.evidence.tree import LogDamaged, consistency_path, inclusion_path, read_head


@dataclass(frozen=True)
class InclusionProof:
    leaf_index: int
    tree_size: int
    path: list[bytes]


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size", "-id").prefetch_related("cosignatures__witness").first()


def checkpoint_note(checkpoint: Checkpoint) -> str:
    """The checkpoint as a signed note: the court's signature, then the witnesses' cosignatures."""
    lines = [checkpoint.signature] + [c.line for c in sorted(checkpoint.cosignatures.all(), key=lambda c: c.pk)]
    return checkpoint.text + "\n" + "".join(lines)


def log_identity() -> dict[str, str]:
    key = log_verifier_key()
    return {
        "origin": log_origin(),
        "key_id": key.key_id.hex(),
        "public_key": key.encode(),
        "public_key_pem": public_key_pem(),
    }


def _check_size(value: int, field: str) -> None:
    if value < 1:
        raise DomainError(f"{field} must be at least 1", field=field)


def _beyond_log(size: int, field: str, exc: LogDamaged) -> DomainError:
    current = read_head().size
    if size > current:
        return DomainError(f"{field}={size} is larger than the log ({current} leaves)", field=field)
    return exc


def inclusion_proof(leaf_hash: bytes, tree_size: int) -> InclusionProof:
    """The audit path of the first leaf with ``leaf_hash`` in the tree of ``tree_size`` leaves."""
    _check_size(tree_size, "tree_size")
    if len(leaf_hash) != 32:
        raise DomainError("leaf_hash is a SHA-256: 64 hexadecimal characters", field="leaf_hash")
    index = Leaf.objects.filter(leaf_hash=leaf_hash).order_by("index").values_list("index", flat=True).first()
    if index is None:
        raise NotFound("No leaf with this hash")
    if index >= tree_size:
        raise NotFound(f"The leaf was appended after the tree had {tree_size} leaves")
    try:
        return InclusionProof(index, tree_size, inclusion_path(index, tree_size))
    except LogDamaged as exc:
        raise _beyond_log(tree_size, "tree_size", exc) from exc


def consistency_proof(first: int, second: int) -> list[bytes]:
    """The proof that the tree of ``second`` leaves extends the tree of ``first`` leaves."""
    _check_size(first, "first")
    _check_size(second, "second")
    if first > second:
        raise DomainError("first must not be larger than second", field="first")
    try:
        if first == second:
            # An empty proof says nothing about whether the log has that many leaves: check it.
            if not Leaf.objects.filter(index=second - 1).exists():
                raise LogDamaged(f"leaf {second - 1} is missing")
            return []
        return consistency_path(first, second)
    except LogDamaged as exc:
        raise _beyond_log(second, "second", exc) from exc


def leaf_of(source_type: str, source_id: str) -> Leaf | None:
    return Leaf.objects.filter(source_type=source_type, source_id=source_id).first()


def deposits_of(user: User) -> QuerySet[Deposit]:
    return Deposit.objects.filter(depositor=user).order_by("-deposited_at")


def get_deposit_for(user: User, deposit_id: uuid.UUID | str) -> Deposit:
    """A deposit ``user`` may see (the depositor; court staff where it is filed in a case of their court);
    NotFound for missing and hidden alike."""
    deposit = Deposit.objects.select_related("depositor").filter(pk=deposit_id).first()
    if deposit is None or not can_see_deposit(user, depositor_id=deposit.depositor_id, sha256=deposit.sha256):
        raise NotFound(_("No such deposit"))
    return deposit


def witnesses_for(user: User) -> QuerySet[Witness]:
    if not can_manage_log(user):
        raise PermissionDenied(_("Only court administrators manage witnesses."))
    return Witness.objects.order_by("name")


def alarms_for(user: User) -> QuerySet[Alarm]:
    if not can_manage_log(user):
        raise PermissionDenied(_("Only court administrators see the witnesses' alarms."))
    return Alarm.objects.select_related("witness").order_by("-received_at")


def recent_checkpoints(limit: int = 20) -> list[Checkpoint]:
    return list(Checkpoint.objects.order_by("-tree_size", "-id").prefetch_related("cosignatures__witness")[:limit])


def parse_leaf_hash(text: str) -> bytes:
    value = text.strip().lower()
    try:
        raw = bytes.fromhex(value)
    except ValueError as exc:
        raise DomainError("leaf_hash is a SHA-256: 64 hexadecimal characters", field="leaf_hash") from exc
    if len(raw) != 32:
        raise DomainError("leaf_hash is a SHA-256: 64 hexadecimal characters", field="leaf_hash")
    return raw
