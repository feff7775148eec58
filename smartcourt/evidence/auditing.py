"""Recomputing the whole log from its sources, to find the first leaf or node changed in the database.

Each leaf is recomputed from what it stands for (the audit event's stored hash, the deposit's hash, or what the app
that registered its kind answers: the dossier entry's file hash, the counted ballot), the tree is rebuilt and
compared node by node, and every checkpoint the court signed must be a root of the rebuilt tree. This is the court's
own check; outsiders have the witnesses.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from partnerproto import merkle
from smartcourt.audit.leaf_sources import leaf_sources
from smartcourt.audit.models import AuditEvent
from smartcourt.evidence.choices import LeafSource
from smartcourt.evidence.models import Checkpoint, Deposit, Leaf, Node, node_key
from smartcourt.evidence.tree import read_head
from smartcourt.evidence.verify import leaf_data


@dataclass(frozen=True)
class LogReport:
    checked: int
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _deposit_ids(values: list[str]) -> list[uuid.UUID]:
    # A tampered row can name anything; what is not an identifier has no source.
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


def _sources(batch: list[Leaf]) -> dict[tuple[str, str], bytes]:
    """The leaf data each leaf of ``batch`` should have, from its source rows (missing sources are absent)."""
    wanted: dict[str, list[str]] = {}
    for leaf in batch:
        wanted.setdefault(leaf.source_type, []).append(leaf.source_id)
    data: dict[tuple[str, str], bytes] = {}
    seqs = [int(s) for s in wanted.get(LeafSource.AUDIT, []) if s.isdigit()]
    for seq, digest in AuditEvent.objects.filter(seq__in=seqs).values_list("seq", "hash"):
        data[(LeafSource.AUDIT, str(seq))] = leaf_data(LeafSource.AUDIT, str(seq), digest)
    deposits = _deposit_ids(wanted.get(LeafSource.DEPOSIT, []))
    for pk, digest in Deposit.objects.filter(pk__in=deposits).values_list("pk", "sha256"):
        data[(LeafSource.DEPOSIT, str(pk))] = leaf_data(LeafSource.DEPOSIT, str(pk), digest)
    for source in leaf_sources():
        # A leaf of a kind no app registers any more finds no source and is reported as gone.
        if wanted.get(source.kind):
            for record, digest in source.present(wanted[source.kind]).items():
                data[(source.kind, record)] = leaf_data(source.kind, record, digest)
    return data


def _leaf_problem(leaf: Leaf, sources: dict[tuple[str, str], bytes], *, size: int, last_audit_seq: int) -> str | None:
    """What is wrong with the next leaf, if anything: missing, standing for a record that is gone or was
    edited, or an audit event out of order."""
    if leaf.index != size:
        return f"leaf {size} is missing (the next stored leaf is {leaf.index})"
    expected = sources.get((leaf.source_type, leaf.source_id))
    if expected is None:
        return f"leaf {leaf.index} stands for {leaf.source_type} {leaf.source_id}, which is gone"
    if merkle.leaf_hash(expected) != bytes(leaf.leaf_hash):
        return f"leaf {leaf.index} does not match its {leaf.source_type} {leaf.source_id}: it was edited"
    if leaf.source_type == LeafSource.AUDIT and int(leaf.source_id) != last_audit_seq + 1:
        return (
            f"leaf {leaf.index} is audit event #{leaf.source_id}, but #{last_audit_seq + 1} comes next: "
            "leaves were reordered, inserted or removed"
        )
    return None


def _stored_subtrees_problem(completed: list[tuple[int, int, bytes]]) -> str | None:
    """The first subtree completed by a batch whose stored hash is missing or differs from the recomputed one."""
    stored = dict(Node.objects.filter(key__in=[node_key(lv, ix) for lv, ix, _ in completed]).values_list("key", "hash"))
    for level, index, value in completed:
        if bytes(stored.get(node_key(level, index), b"")) != value:
            return f"the stored hash of subtree {level}/{index} is missing or wrong"
    return None


def verify_log(*, batch_size: int = 5000) -> LogReport:
    """Walk every leaf in order; stop at the first thing that does not match."""
    checkpoints = list(Checkpoint.objects.order_by("tree_size", "id").values_list("tree_size", "root_hash"))
    frontier = merkle.Frontier()
    next_checkpoint = 0
    last_audit_seq = 0
    checked = 0
    last_index = -1
    while True:
        batch = list(Leaf.objects.filter(index__gt=last_index).order_by("index")[:batch_size])
        if not batch:
            break
        sources = _sources(batch)
        completed: list[tuple[int, int, bytes]] = []
        for leaf in batch:
            problem = _leaf_problem(leaf, sources, size=frontier.size, last_audit_seq=last_audit_seq)
            if problem:
                return LogReport(checked, problem)
            if leaf.source_type == LeafSource.AUDIT:
                last_audit_seq += 1
            completed += frontier.append(bytes(leaf.leaf_hash))
            checked += 1
            while next_checkpoint < len(checkpoints) and checkpoints[next_checkpoint][0] == frontier.size:
                if bytes(checkpoints[next_checkpoint][1]) != frontier.root():
                    return LogReport(checked, f"the checkpoint of {frontier.size} leaves does not match the log")
                next_checkpoint += 1
        problem = _stored_subtrees_problem(completed)
        if problem:
            return LogReport(checked, problem)
        last_index = batch[-1].index
    return LogReport(checked, _end_problem(checkpoints[next_checkpoint:], frontier, last_audit_seq))


def _end_problem(unmatched: list[tuple[int, Any]], frontier: merkle.Frontier, last_audit_seq: int) -> str | None:
    """After the last leaf: no signed checkpoint left unmatched (but of the empty tree), and the head agrees."""
    beyond = [size for size, _root in unmatched if size != 0]
    if beyond:
        return (
            f"the court signed a checkpoint of {beyond[0]} leaves, but the log has only "
            f"{frontier.size}: leaves were removed from the end"
        )
    head = read_head()
    if head.size != frontier.size or bytes(head.frontier) != frontier.to_bytes():
        return f"the log's head records {head.size} leaves, but {frontier.size} are stored"
    if head.audit_seq != last_audit_seq:
        return f"the head has read audit events to #{head.audit_seq}, the leaves to #{last_audit_seq}"
    return None
