"""The Merkle tree in the database: appending leaves and reading subtree hashes for proofs.

Leaves are rows of ``Leaf`` (level 0); every perfect subtree of level >= 1 is a row of ``Node``, written once
when the leaf that completes it is appended. The head row holds the size and the right edge (the frontier),
so an append needs no read of the tree and the root of the current tree costs nothing. Proofs for any tree
size up to the current one are folds of at most ~2·log2(n) stored hashes, fetched by primary key in one
query (see ``merkle.subtree_nodes``).

Callers hold the head row's lock (``lock_head``) for the whole append; they are the log's actions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence, Sized
from dataclasses import dataclass
from typing import Any

from django.db import connection

from partnerproto import merkle
from smartcourt.core.errors import DomainError
from smartcourt.evidence.errors import EvidenceError
from smartcourt.evidence.models import LogHead, node_key


class LogDamaged(DomainError):
    """The stored log lacks rows it must have, or no longer extends what the court signed: it was changed
    outside the platform. Nothing is appended or signed until it is repaired."""

    code = EvidenceError.LOG_DAMAGED
    status = 503


@dataclass(frozen=True)
class NewLeaf:
    source_type: str
    source_id: str
    data: bytes


def lock_head() -> LogHead:
    """The head row, locked until the caller's transaction ends (created if a flush removed it)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        # Raw SQL: this and the writes in ``append`` are the log's hot path, on every append.
        cursor.execute(f"SELECT size, frontier, audit_seq FROM evidence_loghead WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        LogHead.objects.bulk_create([LogHead(pk=1)], ignore_conflicts=True)
        return lock_head()
    return LogHead(id=1, size=row[0], frontier=bytes(row[1]), audit_seq=row[2])


# Both databases take ANSI double quotes; "index" and "key" are reserved words in SQL.
_LEAF_INSERT = (
    'INSERT INTO evidence_leaf ("index", leaf_hash, source_type, source_id, appended_at) VALUES (%s, %s, %s, %s, %s)'
)
_NODE_INSERT = 'INSERT INTO evidence_node ("key", "level", "index", hash) VALUES (%s, %s, %s, %s)'
_HEAD_UPDATE = "UPDATE evidence_loghead SET size = %s, frontier = %s, audit_seq = %s WHERE id = 1"


def read_head() -> LogHead:
    head = LogHead.objects.filter(pk=1).first()
    return head if head is not None else LogHead(pk=1)


def frontier_of(head: LogHead) -> merkle.Frontier:
    return merkle.Frontier.from_bytes(head.size, bytes(head.frontier))


def append(head: LogHead, new: Sequence[NewLeaf], *, now: dt.datetime) -> int:
    """Append ``new`` in order and save the head. Runs inside the transaction that locked ``head``.

    Raw SQL, like ``lock_head``: these three statements run on every append, and the ORM's per-statement
    overhead would be most of their cost."""
    if not new:
        return 0
    frontier = frontier_of(head)
    stamp = connection.ops.adapt_datetimefield_value(now)
    leaves: list[tuple[Any, ...]] = []
    nodes: list[tuple[Any, ...]] = []
    for item in new:
        digest = merkle.leaf_hash(item.data)
        leaves.append((frontier.size, digest, item.source_type, item.source_id, stamp))
        nodes += [(node_key(level, index), level, index, value) for level, index, value in frontier.append(digest)]
    with connection.cursor() as cursor:
        cursor.executemany(_LEAF_INSERT, leaves)
        if nodes:
            cursor.executemany(_NODE_INSERT, nodes)
        cursor.execute(_HEAD_UPDATE, [frontier.size, frontier.to_bytes(), head.audit_seq])
    head.size = frontier.size
    head.frontier = frontier.to_bytes()
    return len(leaves)


def root_of(head: LogHead) -> bytes:
    return frontier_of(head).root()


def fetch_nodes(wanted: Sequence[merkle.NodeId]) -> Mapping[merkle.NodeId, bytes]:
    """The stored hashes of the given subtrees, in one query: leaves by index, interior nodes by their key."""
    leaf_indexes = [index for level, index in wanted if level == 0]
    node_keys = {node_key(level, index): (level, index) for level, index in wanted if level > 0}
    parts: list[str] = []
    if leaf_indexes:
        parts.append(f'SELECT 0, "index", leaf_hash FROM evidence_leaf WHERE "index" IN ({_marks(leaf_indexes)})')  # noqa: S608
    if node_keys:
        parts.append(f'SELECT 1, "key", hash FROM evidence_node WHERE "key" IN ({_marks(node_keys)})')  # noqa: S608
    if not parts:
        return {}
    found: dict[merkle.NodeId, bytes] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [*leaf_indexes, *node_keys])
        for is_node, number, digest in cursor.fetchall():
            found[node_keys[number] if is_node else (0, number)] = bytes(digest)
    return found


def _marks(values: Sized) -> str:
    # Only placeholders go into the statement; the numbers travel as parameters.
    return ", ".join(["%s"] * len(values))


def _proof(compute: str, *args: int) -> list[bytes]:
    try:
        if compute == "inclusion":
            return merkle.inclusion_proof(args[0], args[1], fetch_nodes)
        if compute == "consistency":
            return merkle.consistency_proof(args[0], args[1], fetch_nodes)
        return [merkle.root_hash(args[0], fetch_nodes)]
    except LookupError as exc:
        raise LogDamaged(f"the transparency log's storage is damaged: {exc}") from exc


def inclusion_path(index: int, size: int) -> list[bytes]:
    return _proof("inclusion", index, size)


def consistency_path(first: int, second: int) -> list[bytes]:
    return _proof("consistency", first, second)


def stored_root(size: int) -> bytes:
    """The root of the tree of ``size`` leaves, recomputed from the stored subtrees."""
    return _proof("root", size)[0]
