"""RFC 6962 tree hashing and proofs: the published Certificate Transparency test vectors, and an independent
brute-force implementation of the RFC's recursive definitions (hypothesis)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerproto import merkle

# The 8 leaves of the CT test data (transparency-dev/merkle proof/verify_test.go, certificate-transparency C++).
LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]
# Root of the tree of the first n leaves, n = 1..8.
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf index, tree size, audit path)
INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
# (first, second, consistency path)
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

LEAF_HASHES = [merkle.leaf_hash(leaf) for leaf in LEAVES]
FETCH = merkle.memory_fetcher(LEAF_HASHES)


def _hashes(hexes: list[str]) -> list[bytes]:
    return [bytes.fromhex(h) for h in hexes]


# --- an independent implementation: RFC 6962 §2.1 written out recursively over the data itself -----------------


def ref_mth(data: list[bytes]) -> bytes:
    n = len(data)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + data[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + ref_mth(data[:k]) + ref_mth(data[k:])).digest()


def ref_path(m: int, data: list[bytes]) -> list[bytes]:
    n = len(data)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*ref_path(m, data[:k]), ref_mth(data[k:])]
    return [*ref_path(m - k, data[k:]), ref_mth(data[:k])]


def ref_subproof(m: int, data: list[bytes], whole: bool) -> list[bytes]:
    n = len(data)
    if m == n:
        return [] if whole else [ref_mth(data)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*ref_subproof(m, data[:k], whole), ref_mth(data[k:])]
    return [*ref_subproof(m - k, data[k:], False), ref_mth(data[:k])]


# --- the published vectors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_the_ct_test_vectors(size: int) -> None:
    assert merkle.root_hash(size, FETCH).hex() == ROOTS[size - 1]
    assert ref_mth(LEAVES[:size]).hex() == ROOTS[size - 1]


def test_empty_tree_root_is_the_hash_of_nothing() -> None:
    assert merkle.root_hash(0, FETCH).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle.Frontier().root() == merkle.EMPTY_ROOT


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proofs_match_the_ct_test_vectors(index: int, size: int, path: list[str]) -> None:
    assert merkle.inclusion_proof(index, size, FETCH) == _hashes(path)
    merkle.verify_inclusion(index, size, LEAF_HASHES[index], _hashes(path), bytes.fromhex(ROOTS[size - 1]))


@pytest.mark.parametrize(("first", "second", "path"), CONSISTENCY)
def test_consistency_proofs_match_the_ct_test_vectors(first: int, second: int, path: list[str]) -> None:
    assert merkle.consistency_proof(first, second, FETCH) == _hashes(path)
    merkle.verify_consistency(
        first, second, bytes.fromhex(ROOTS[first - 1]), bytes.fromhex(ROOTS[second - 1]), _hashes(path)
    )


def _inclusion_corruptions(index: int, size: int, path: list[bytes], root: bytes, leaf: bytes) -> list[tuple]:
    some = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")
    probes = [
        (index - 1, size, leaf, path, root),
        (index + 1, size, leaf, path, root),
        (index ^ 2, size, leaf, path, root),
        (index, size * 2, leaf, path, root),
        (index, size // 2, leaf, path, root),
        (index, size, merkle.leaf_hash(b"WrongLeaf"), path, root),
        (index, size, leaf, path, merkle.EMPTY_ROOT),
        (index, size, leaf, path, some),
        (index, size, leaf, [*path, root], root),
        (index, size, leaf, [root, *path], root),
    ]
    for i in range(len(path)):
        flipped = list(path)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        probes.append((index, size, leaf, flipped, root))
    if path:
        probes.append((index, size, leaf, path[:-1], root))
    if len(path) > 1:
        probes.append((index, size, leaf, [path[0], some, *path[1:]], root))
    return probes


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION[1:])
def test_corrupted_inclusion_proofs_are_refused(index: int, size: int, path: list[str]) -> None:
    root = bytes.fromhex(ROOTS[size - 1])
    for probe in _inclusion_corruptions(index, size, _hashes(path), root, LEAF_HASHES[index]):
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(*probe)


@pytest.mark.parametrize(("first", "second", "path"), CONSISTENCY[1:])
def test_corrupted_consistency_proofs_are_refused(first: int, second: int, path: list[str]) -> None:
    proof = _hashes(path)
    root1, root2 = bytes.fromhex(ROOTS[first - 1]), bytes.fromhex(ROOTS[second - 1])
    probes = [
        (first - 1, second, root1, root2, proof),
        (first + 1, second, root1, root2, proof),
        (first ^ 2, second, root1, root2, proof),
        (first, second * 2, root1, root2, proof),
        (first, second // 2, root1, root2, proof),
        (first, second, root2, root1, proof),
        (first, second, merkle.EMPTY_ROOT, root2, proof),
        (first, second, root1, merkle.EMPTY_ROOT, proof),
        (first, second, root1, root2, []),
        (first, second, root1, root2, [*proof, root1]),
        (first, second, root1, root2, [root2, *proof]),
        (first, second, root1, root2, [proof[0], *proof]),
        (first, second, root1, root2, proof[:-1]),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 16]) + flipped[i][1:]
        probes.append((first, second, root1, root2, flipped))
    for probe in probes:
        if probe[0] == probe[1] and probe[2] == probe[3] and not probe[4]:
            continue  # (n, n, same root, []) is a valid statement
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(*probe)


def test_sizes_that_are_always_or_never_consistent() -> None:
    root = bytes.fromhex(ROOTS[0])
    merkle.verify_consistency(0, 0, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, [])
    # The empty tree has one root (RFC 9162 §2.1.1): a size-0 tree claiming another is refused (issue 15.13).
    with pytest.raises(merkle.ProofError, match="empty tree"):
        merkle.verify_consistency(0, 0, root, root, [])
    merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, root, [])
    merkle.verify_consistency(3, 3, root, root, [])
    with pytest.raises(merkle.ProofError, match="never shrinks"):
        merkle.verify_consistency(2, 1, root, root, [])
    with pytest.raises(merkle.ProofError, match="different roots"):
        merkle.verify_consistency(3, 3, root, merkle.EMPTY_ROOT, [])
    with pytest.raises(merkle.ProofError, match="same size"):
        merkle.verify_consistency(3, 3, root, root, [root])
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(0, 0, root, [], root)
    with pytest.raises(merkle.ProofError, match="32 bytes"):
        merkle.verify_inclusion(0, 1, b"short", [], root)


def test_the_frontier_emits_each_interior_node_once_and_tracks_the_root() -> None:
    frontier = merkle.Frontier()
    emitted = []
    for size, leaf in enumerate(LEAF_HASHES, start=1):
        emitted += frontier.append(leaf)
        assert frontier.root().hex() == ROOTS[size - 1]
        again = merkle.Frontier.from_bytes(frontier.size, frontier.to_bytes())
        assert again.root() == frontier.root()
    # 8 leaves: 4 + 2 + 1 interior nodes, each exactly the subtree it names.
    assert [(level, index) for level, index, _ in emitted] == [(1, 0), (1, 1), (2, 0), (1, 2), (1, 3), (2, 1), (3, 0)]
    for level, index, value in emitted:
        assert value == FETCH([(level, index)])[(level, index)]


# --- against the brute-force implementation --------------------------------------------------------------------


@st.composite
def tree_and_index(draw: st.DrawFn) -> tuple[list[bytes], int]:
    size = draw(st.integers(min_value=1, max_value=70))
    data = [i.to_bytes(2, "big") + draw(st.binary(max_size=3)) for i in range(size)]
    return data, draw(st.integers(min_value=0, max_value=size - 1))


@settings(max_examples=200, deadline=None)
@given(tree_and_index())
def test_inclusion_agrees_with_the_rfc_definition(case: tuple[list[bytes], int]) -> None:
    data, index = case
    hashes = [merkle.leaf_hash(d) for d in data]
    fetch = merkle.memory_fetcher(hashes)
    root = merkle.root_hash(len(data), fetch)
    assert root == ref_mth(data)
    path = merkle.inclusion_proof(index, len(data), fetch)
    assert path == ref_path(index, data)
    merkle.verify_inclusion(index, len(data), hashes[index], path, root)
    frontier = merkle.Frontier()
    frontier.extend(hashes)
    assert frontier.root() == root


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=70), st.data())
def test_consistency_agrees_with_the_rfc_definition(second: int, draw: st.DataObject) -> None:
    first = draw.draw(st.integers(min_value=1, max_value=second))
    data = [i.to_bytes(2, "big") for i in range(second)]
    fetch = merkle.memory_fetcher([merkle.leaf_hash(d) for d in data])
    path = merkle.consistency_proof(first, second, fetch)
    assert path == (ref_subproof(first, data, True) if first < second else [])
    merkle.verify_consistency(first, second, ref_mth(data[:first]), ref_mth(data), path)
    if first < second:
        # The same proof cannot make a different older tree (one leaf changed) look consistent.
        changed = [*data[: first - 1], b"changed"]
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(first, second, ref_mth(changed), ref_mth(data), path)


@settings(max_examples=100, deadline=None)
@given(tree_and_index(), st.integers(min_value=0, max_value=31), st.integers(min_value=0, max_value=7))
def test_any_flipped_bit_breaks_an_inclusion_proof(case: tuple[list[bytes], int], byte: int, bit: int) -> None:
    data, index = case
    hashes = [merkle.leaf_hash(d) for d in data]
    fetch = merkle.memory_fetcher(hashes)
    path = merkle.inclusion_proof(index, len(data), fetch)
    root = merkle.root_hash(len(data), fetch)
    for position in range(len(path)):
        broken = list(path)
        value = bytearray(broken[position])
        value[byte] ^= 1 << bit
        broken[position] = bytes(value)
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(index, len(data), hashes[index], broken, root)
