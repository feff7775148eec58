"""Ballot commitments and the Merkle root published with the results.

A commitment is SHA-256 over a canonical, unambiguous encoding of (meeting, item, voting right, vote, weights,
salt). The salt is 32 random bytes handed to the voter in his receipt and never stored: after the close, the
published list (commitment, vote, weights) lets anyone recompute the tally, and nobody can link a commitment to
a creditor by trying the few voting-right ids, because the salt is missing. The voter, holding the salt, can
recompute his commitment and find it in the list: his ballot was counted as cast.

The root is RFC 6962's Merkle Tree Hash (leaf = SHA-256(0x00 || commitment bytes), node = SHA-256(0x01 || left ||
right), split at the largest power of two below n) over the commitments sorted as hex strings. The evidence
app's merkle.py sits above meetings in the layers, so the same few lines live here; its tests cross-check them.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence

COMMITMENT_VERSION = "smartcourt-ballot-v1"
EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def new_salt() -> str:
    return secrets.token_hex(32)


def canonical_ballot(
    *, meeting_id: str, item_id: str, right_id: str, vote: str, weights: Mapping[str, int], salt: str
) -> bytes:
    """JSON with sorted keys, no spaces, ASCII only: one byte string per ballot, the same in any language."""
    return json.dumps(
        {
            "v": COMMITMENT_VERSION,
            "meeting": str(meeting_id),
            "item": str(item_id),
            "voter": str(right_id),
            "vote": vote,
            "weights": {str(k): int(v) for k, v in weights.items()},
            "salt": salt,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    ).encode("ascii")


def commitment(
    *, meeting_id: str, item_id: str, right_id: str, vote: str, weights: Mapping[str, int], salt: str
) -> str:
    encoded = canonical_ballot(
        meeting_id=meeting_id, item_id=item_id, right_id=right_id, vote=vote, weights=weights, salt=salt
    )
    return hashlib.sha256(encoded).hexdigest()


def _leaf(value: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + value).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _mth(leaves: Sequence[bytes]) -> bytes:
    if len(leaves) == 1:
        return _leaf(leaves[0])
    split = 1 << ((len(leaves) - 1).bit_length() - 1)
    return _node(_mth(leaves[:split]), _mth(leaves[split:]))


def merkle_root(commitments: Sequence[str]) -> str:
    """RFC 6962 root over the commitments (hex), sorted; the hash of nothing when there are none."""
    if not commitments:
        return EMPTY_ROOT
    return _mth([bytes.fromhex(c) for c in sorted(commitments)]).hex()


def audit_path(commitments: Sequence[str], target: str) -> list[str]:
    """The RFC 6962 audit path of ``target`` in the sorted list: with it a voter checks inclusion offline."""
    leaves = [bytes.fromhex(c) for c in sorted(commitments)]
    index = sorted(commitments).index(target)
    path: list[str] = []

    def walk(nodes: Sequence[bytes], i: int) -> None:
        if len(nodes) <= 1:
            return
        split = 1 << ((len(nodes) - 1).bit_length() - 1)
        if i < split:
            walk(nodes[:split], i)
            path.append(_mth(nodes[split:]).hex())
        else:
            walk(nodes[split:], i - split)
            path.append(_mth(nodes[:split]).hex())

    walk(leaves, index)
    return path


def verify_path(target: str, index: int, size: int, path: Sequence[str], root: str) -> bool:
    """RFC 9162 §2.1.3.2 inclusion check: recompute the root from a leaf, its index and its audit path."""
    if index >= size:
        return False
    fn, sn = index, size - 1
    r = _leaf(bytes.fromhex(target))
    for p in path:
        node = bytes.fromhex(p)
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node(node, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = _node(r, node)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r.hex() == root
