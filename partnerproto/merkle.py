"""Merkle tree hashing, audit paths and consistency proofs of RFC 6962 §2.1, verified as RFC 9162 §2.1.3-2.1.4.

Pure functions over hashes: no Django, no database, only ``hashlib`` (the offline verifier imports this).

Hashes: a leaf is SHA-256(0x00 || data), an interior node SHA-256(0x01 || left || right), and the hash of an
empty tree is SHA-256 of nothing. A tree of n leaves splits at k, the largest power of two below n; so the
tree over leaves [a, b) is always made of *perfect* subtrees (2^level leaves starting at a multiple of
2^level) folded from the right. A store that keeps the hash of every perfect subtree it has completed can
therefore answer any proof with O(log n) look-ups: ``inclusion_proof`` and ``consistency_proof`` first work
out which perfect subtrees they need (``subtree_nodes``), ask for all of them at once, then fold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeId = tuple[int, int]
"""(level, index): the perfect subtree over leaves [index * 2^level, (index + 1) * 2^level)."""

# Fetches the hashes of the given perfect subtrees in one go; level 0 is the leaf hashes themselves.
NodeFetcher = Callable[[Sequence[NodeId]], Mapping[NodeId, bytes]]


class ProofError(ValueError):
    """A proof that does not verify, or a request for a proof that cannot exist."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1): where RFC 6962 splits a tree of n leaves."""
    if n < 2:
        raise ValueError("only a tree of two or more leaves has a split point")
    return 1 << ((n - 1).bit_length() - 1)


def subtree_nodes(start: int, end: int) -> list[NodeId]:
    """The perfect subtrees that make up the tree over leaves [start, end), left to right.

    Only ranges that RFC 6962's recursion produces are asked for: they begin at a multiple of their largest
    part, so each part is a subtree of the whole tree and can be stored once and reused.
    """
    if not 0 <= start < end:
        raise ValueError(f"empty or negative leaf range [{start}, {end})")
    nodes: list[NodeId] = []
    while start < end:
        width = end - start
        size = width if width & (width - 1) == 0 else split_point(width)
        level = size.bit_length() - 1
        if start % size:
            raise ValueError(f"leaf range [{start}, {end}) is not aligned to the tree's subtrees")
        nodes.append((level, start >> level))
        start += size
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """The hash of a tree made of these perfect subtrees (left to right, each smaller than the one before)."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose tree hashes form the audit path of leaf ``index`` (RFC 6962 §2.1.1), leaf first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of {size} leaves")
    ranges: list[tuple[int, int]] = []
    low, high = 0, size
    while high - low > 1:
        k = split_point(high - low)
        if index < low + k:
            ranges.append((low + k, high))
            high = low + k
        else:
            ranges.append((low, low + k))
            low += k
    ranges.reverse()
    return ranges


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The leaf ranges whose tree hashes form the consistency proof from ``first`` to ``second`` leaves
    (RFC 6962 §2.1.2, SUBPROOF), in proof order."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from {first} to {second} leaves: need 0 < first <= second")
    ranges: list[tuple[int, int]] = []
    low, high, m, whole = 0, second, first, True
    while True:
        n = high - low
        if m == n:
            if not whole:
                ranges.append((low, high))
            break
        k = split_point(n)
        if m <= k:
            ranges.append((low + k, high))
            high = low + k
        else:
            ranges.append((low, low + k))
            low += k
            m -= k
            whole = False
    ranges.reverse()
    return ranges


def _range_hashes(ranges: Sequence[tuple[int, int]], fetch: NodeFetcher) -> list[bytes]:
    parts = [subtree_nodes(start, end) for start, end in ranges]
    wanted = sorted({node for nodes in parts for node in nodes})
    found = fetch(wanted)
    missing = [node for node in wanted if node not in found]
    if missing:
        raise LookupError(f"the store lacks subtree hashes {missing[:5]}")
    return [fold([found[node] for node in nodes]) for nodes in parts]


def inclusion_proof(index: int, size: int, fetch: NodeFetcher) -> list[bytes]:
    return _range_hashes(inclusion_ranges(index, size), fetch)


def consistency_proof(first: int, second: int, fetch: NodeFetcher) -> list[bytes]:
    if first == 0 and second >= 0:
        return []  # every tree extends the empty one
    if first == second:
        return []
    return _range_hashes(consistency_ranges(first, second), fetch)


def root_hash(size: int, fetch: NodeFetcher) -> bytes:
    if size == 0:
        return EMPTY_ROOT
    return _range_hashes([(0, size)], fetch)[0]


def memory_fetcher(leaf_hashes: Sequence[bytes]) -> NodeFetcher:
    """A fetcher over leaf hashes held in memory (computes each subtree; for tests, clients and small trees)."""

    def subtree(level: int, index: int) -> bytes:
        if level == 0:
            return leaf_hashes[index]
        return node_hash(subtree(level - 1, 2 * index), subtree(level - 1, 2 * index + 1))

    def fetch(nodes: Sequence[NodeId]) -> dict[NodeId, bytes]:
        return {(level, index): subtree(level, index) for level, index in nodes}

    return fetch


class Frontier:
    """The right edge of a tree being built: the hashes of its perfect subtrees, largest first.

    ``append`` adds a leaf and returns the interior nodes it completes, which is what a store keeps; the
    frontier itself is at most 64 hashes and gives the root without touching the store.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if size < 0 or len(hashes) != size.bit_count():
            raise ValueError(f"a tree of {size} leaves has {size.bit_count()} frontier hashes, not {len(hashes)}")
        self.size = size
        self.hashes = list(hashes)

    @classmethod
    def from_bytes(cls, size: int, packed: bytes) -> Frontier:
        if len(packed) % HASH_SIZE:
            raise ValueError("a packed frontier is a whole number of hashes")
        return cls(size, [packed[i : i + HASH_SIZE] for i in range(0, len(packed), HASH_SIZE)])

    def to_bytes(self) -> bytes:
        return b"".join(self.hashes)

    def nodes(self) -> list[NodeId]:
        """The (level, index) of each frontier hash, largest subtree first."""
        return subtree_nodes(0, self.size) if self.size else []

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add one leaf hash; return the (level, index, hash) of every interior node it completes."""
        completed: list[tuple[int, int, bytes]] = []
        current = leaf
        index = self.size
        level = 0
        # The low set bits of the old size are the subtrees this leaf closes, smallest first.
        while (self.size >> level) & 1:
            current = node_hash(self.hashes.pop(), current)
            level += 1
            index >>= 1
            completed.append((level, index, current))
        self.hashes.append(current)
        self.size += 1
        return completed

    def extend(self, leaves: Iterable[bytes]) -> list[tuple[int, int, bytes]]:
        completed: list[tuple[int, int, bytes]] = []
        for leaf in leaves:
            completed.extend(self.append(leaf))
        return completed

    def root(self) -> bytes:
        return fold(self.hashes)


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    """The root that an audit path leads to (RFC 9162 §2.1.3.2); ProofError if the path has the wrong shape."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of {size} leaves")
    _check_hashes([leaf, *path])
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            raise ProofError("the inclusion path is longer than the tree is deep")
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the inclusion path is shorter than the tree is deep")
    return result


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes) -> None:
    """Raise ProofError unless ``path`` proves that ``leaf`` is leaf ``index`` of the tree ``root`` of ``size``."""
    _check_hashes([root])
    if root_from_inclusion_proof(index, size, leaf, path) != root:
        raise ProofError(f"the inclusion path of leaf {index} does not lead to the root of the tree of {size}")


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]) -> None:
    """Raise ProofError unless ``path`` proves the tree (first, first_root) is a prefix of (second, second_root)
    (RFC 9162 §2.1.4.2)."""
    _check_hashes([first_root, second_root, *path])
    if first < 0 or second < first:
        raise ProofError(f"a tree of {second} leaves cannot extend one of {first}: a log never shrinks")
    if _trivially_consistent(first, second, first_root, second_root, path):
        return
    first_result, second_result = _roots_from_consistency_proof(first, second, first_root, path)
    if first_result != first_root:
        raise ProofError(f"the consistency proof does not lead to the root of the tree of {first}")
    if second_result != second_root:
        raise ProofError(f"the consistency proof does not lead to the root of the tree of {second}")


def _trivially_consistent(
    first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> bool:
    """The cases the proof must be empty for: the empty tree (every tree extends it) and two trees of the same
    size. True when one of them holds; ProofError when one applies but does not hold; False otherwise."""
    if first == 0 and first_root != EMPTY_ROOT:
        # RFC 9162 §2.1.1: the tree of no leaves has one root, the hash of the empty string; anything else
        # claimed for size 0 is a forged or corrupt checkpoint, whatever the proof says.
        raise ProofError("the root of the empty tree is SHA-256 of the empty string; this one is not")
    if first == 0:
        if path:
            raise ProofError("every tree extends the empty tree: the proof must be empty")
        if second == 0 and second_root != EMPTY_ROOT:
            raise ProofError("the root of the empty tree is SHA-256 of the empty string; this one is not")
        return True
    if first == second:
        if path:
            raise ProofError("two trees of the same size need an empty consistency proof")
        if first_root != second_root:
            raise ProofError(f"two different roots for the same tree size {first}")
        return True
    if not path:
        raise ProofError(f"an empty consistency proof cannot take {first} leaves to {second}")
    return False


def _roots_from_consistency_proof(
    first: int, second: int, first_root: bytes, path: Sequence[bytes]
) -> tuple[bytes, bytes]:
    """The two roots the proof leads to, 0 < first < second (RFC 9162 §2.1.4.2, steps 2-6)."""
    nodes = list(path)
    if first & (first - 1) == 0:
        nodes.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    first_result = second_result = nodes[0]
    for sibling in nodes[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            first_result = node_hash(sibling, first_result)
            second_result = node_hash(sibling, second_result)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            second_result = node_hash(second_result, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the consistency proof is shorter than the tree is deep")
    return first_result, second_result


def _check_hashes(hashes: Iterable[bytes]) -> None:
    for value in hashes:
        if not isinstance(value, bytes | bytearray) or len(value) != HASH_SIZE:
            raise ProofError(f"a SHA-256 hash is {HASH_SIZE} bytes")
