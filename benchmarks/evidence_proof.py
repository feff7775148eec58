"""Inclusion-proof latency in a log of 1,000,000 leaves against a primary-key lookup, same run, same database.

    .venv/bin/python benchmarks/evidence_proof.py          # SMARTCOURT_BENCH_LEAVES=20000 for a quick run

The log is built through the bulk path (leaf and subtree rows computed with merkle.Frontier, inserted in large
batches), time-boxed by SMARTCOURT_BENCH_BUILD_SECONDS: if the box runs out the benchmark goes on with the
leaves built so far and says so. Then, for the same random leaves, it times
  - an inclusion proof as the API computes it (selectors.inclusion_proof: find the leaf by its hash, fetch the
    O(log n) stored subtrees in one query, fold), and its check against the root,
  - a primary-key lookup of the same leaf through the ORM (Leaf.objects.get(pk=...)),
and prints the median latencies and their ratio. Aim (issue 9): proofs within 3x a lookup.
"""

from __future__ import annotations

import random
import statistics
import time

from _evidence_bench import bench_database, env_int, machine


def build(target: int, seconds: float) -> int:
    """Append ``target`` synthetic leaves in bulk; returns how many were built inside the time box."""
    from django.db import connection, transaction
    from django.utils import timezone

    from partnerproto import merkle
    from smartcourt.evidence.models import LogHead, node_key

    quote = connection.ops.quote_name
    frontier = merkle.Frontier()
    now = timezone.now()
    chunk = 50_000
    started = time.monotonic()
    leaf_sql = (
        f"INSERT INTO evidence_leaf ({quote('index')}, leaf_hash, source_type, source_id, appended_at) "
        "VALUES (%s, %s, %s, %s, %s)"
    )
    node_sql = "INSERT INTO evidence_node (key, level, index, hash) VALUES (%s, %s, %s, %s)".replace(
        "index", quote("index")
    )
    while frontier.size < target and time.monotonic() - started < seconds:
        leaves = []
        nodes = []
        for index in range(frontier.size, min(target, frontier.size + chunk)):
            digest = merkle.leaf_hash(f"deposit:{index}:{index:064x}".encode())
            leaves.append((index, digest, "deposit", str(index), now))
            nodes += [(node_key(lv, ix), lv, ix, h) for lv, ix, h in frontier.append(digest)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(leaf_sql, leaves)
            cursor.executemany(node_sql, nodes)
    with transaction.atomic():
        LogHead.objects.update_or_create(pk=1, defaults={"size": frontier.size, "frontier": frontier.to_bytes()})
    return frontier.size


def main() -> None:
    target = env_int("SMARTCOURT_BENCH_LEAVES", 1_000_000)
    samples = env_int("SMARTCOURT_BENCH_SAMPLES", 2000)
    box = env_int("SMARTCOURT_BENCH_BUILD_SECONDS", 600)
    with bench_database() as database:
        from django.db import connection

        from partnerproto import merkle
        from smartcourt.evidence.models import Leaf
        from smartcourt.evidence.selectors import inclusion_proof
        from smartcourt.evidence.tree import read_head, root_of

        started = time.monotonic()
        size = build(target, box)
        built_in = time.monotonic() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE evidence_leaf; ANALYZE evidence_node")
        root = root_of(read_head())
        rng = random.Random(9)
        picks = [rng.randrange(size) for _ in range(samples)]
        hashes = dict(Leaf.objects.filter(index__in=picks).values_list("index", "leaf_hash"))

        def time_lookup(index: int) -> float:
            t = time.perf_counter()
            Leaf.objects.get(pk=index)
            return time.perf_counter() - t

        def time_proof(index: int) -> float:
            leaf_hash = bytes(hashes[index])
            t = time.perf_counter()
            proof = inclusion_proof(leaf_hash, size)
            elapsed = time.perf_counter() - t
            merkle.verify_inclusion(proof.leaf_index, size, leaf_hash, proof.path, root)
            return elapsed

        for index in picks[:100]:  # warm the caches for both
            time_lookup(index)
            time_proof(index)
        lookups, proofs = [], []
        for index in picks:  # interleaved, so both see the same cache and machine state
            lookups.append(time_lookup(index))
            proofs.append(time_proof(index))
        lookup_ms = statistics.median(lookups) * 1000
        proof_ms = statistics.median(proofs) * 1000
        print("benchmark: evidence inclusion proof vs primary-key lookup")
        print(f"machine: {machine()}")
        print(f"database: {database}")
        note = "" if size == target else f" (time box of {box} s reached; target was {target:,})"
        print(f"leaves: {size:,}{note}, built in {built_in:.1f} s through the bulk path")
        print(f"samples: {samples} random leaves, interleaved")
        print(f"primary-key lookup (ORM):      median {lookup_ms:.3f} ms, p95 {_p95(lookups) * 1000:.3f} ms")
        print(f"inclusion proof (by leaf hash): median {proof_ms:.3f} ms, p95 {_p95(proofs) * 1000:.3f} ms")
        print(f"path length: {len(inclusion_proof(bytes(hashes[picks[0]]), size).path)} hashes")
        print(f"ratio proof/lookup: {proof_ms / lookup_ms:.2f}x  (aim: <= 3x)")


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95)]


if __name__ == "__main__":
    main()
