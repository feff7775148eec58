"""Append throughput of the transparency log against a plain autocommit insert of the same rows, same run,
same database.

    .venv/bin/python benchmarks/evidence_append.py        # SMARTCOURT_BENCH_LEAVES=2000 for a quick run

The same rows (leaf data "deposit:<n>:<hex>", its SHA-256 leaf hash, source, time) go
  - into the log, one leaf per transaction: lock the head row, append the leaf and the subtree rows it
    completes, save the head (what a deposit does, without the audit event and the signature);
  - into the log, 1,000 leaves per transaction: what sync_log does when it ingests the audit log;
  - into a plain table with the same columns and indexes, one autocommit INSERT per row (the baseline the
    issue names), written as the rest of the platform writes a row (Model.objects.create) and, since the log's
    hot path is raw SQL, also with a bare cursor.execute; and, for reference, 1,000 rows per transaction.
The five run in interleaved rounds (so they share the machine's state), each time-boxed by
SMARTCOURT_BENCH_SECONDS. Aim (issue 9): appends at least half the plain insert rate.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from _evidence_bench import bench_database, env_int, machine

BATCH = 1000


def _time_runs(
    runs: dict[str, Callable[[int, int], None]], *, total: int, box: float, round_size: int
) -> tuple[int, dict[str, float]]:
    """Run every variant round by round (so that none profits from a warmer cache) until ``total`` rows or the
    time box; how many rows each variant wrote and its rate per second."""
    counters = dict.fromkeys(runs, 0)
    spent = dict.fromkeys(runs, 0.0)
    started = time.monotonic()
    done = 0
    while done < total and time.monotonic() - started < box:
        count = min(round_size, total - done)
        for name, run in runs.items():
            t = time.perf_counter()
            run(done, count)
            spent[name] += time.perf_counter() - t
            counters[name] += count
        done += count
    return done, {name: counters[name] / spent[name] for name in counters}


def main() -> None:
    total = env_int("SMARTCOURT_BENCH_LEAVES", 20_000)
    box = env_int("SMARTCOURT_BENCH_SECONDS", 120)
    round_size = min(BATCH, total)
    with bench_database() as database:
        from django.db import connection, models, transaction
        from django.utils import timezone

        from partnerproto import merkle
        from smartcourt.evidence.tree import NewLeaf, append, lock_head

        class PlainLeaf(models.Model):  # noqa: DJ008 - a scratch table, never shown
            index = models.BigIntegerField(primary_key=True)
            leaf_hash = models.BinaryField(max_length=32, db_index=True)
            source_type = models.CharField(max_length=16)
            source_id = models.CharField(max_length=64)
            appended_at = models.DateTimeField()

            class Meta:
                app_label = "evidence"
                db_table = "bench_plain_leaf"
                constraints = [models.UniqueConstraint(fields=["source_type", "source_id"], name="bench_plain_source")]

        with connection.schema_editor() as editor:
            editor.create_model(PlainLeaf)

        def row(n: int, kind: str) -> tuple[str, str, bytes]:
            return kind, str(n), f"deposit:{n}:{n:064x}".encode()

        def log_single(start: int, count: int) -> None:
            for n in range(start, start + count):
                kind, source, data = row(n, "single")
                with transaction.atomic():
                    append(lock_head(), [NewLeaf(kind, source, data)], now=timezone.now())

        def log_batch(start: int, count: int) -> None:
            items = [NewLeaf(*row(n, "batch")) for n in range(start, start + count)]
            with transaction.atomic():
                append(lock_head(), items, now=timezone.now())

        def plain(start: int, count: int) -> None:
            for n in range(start, start + count):
                kind, source, data = row(n, "plain")
                PlainLeaf.objects.create(
                    index=n,
                    leaf_hash=merkle.leaf_hash(data),
                    source_type=kind,
                    source_id=source,
                    appended_at=timezone.now(),
                )

        raw_insert = (
            'INSERT INTO bench_plain_leaf ("index", leaf_hash, source_type, source_id, appended_at) '
            "VALUES (%s, %s, %s, %s, %s)"
        )

        def plain_raw(start: int, count: int) -> None:
            for n in range(start, start + count):
                kind, source, data = row(n, "plain_raw")
                stamp = connection.ops.adapt_datetimefield_value(timezone.now())
                with connection.cursor() as cursor:
                    cursor.execute(raw_insert, [2 * 10**12 + n, merkle.leaf_hash(data), kind, source, stamp])

        def plain_bulk(start: int, count: int) -> None:
            now = timezone.now()
            rows = []
            for n in range(start, start + count):
                kind, source, data = row(n, "plain_bulk")
                rows.append(
                    PlainLeaf(
                        index=10**12 + n,
                        leaf_hash=merkle.leaf_hash(data),
                        source_type=kind,
                        source_id=source,
                        appended_at=now,
                    )
                )
            with transaction.atomic():
                PlainLeaf.objects.bulk_create(rows, batch_size=500)

        runs: dict[str, Callable[[int, int], None]] = {
            "plain": plain,
            "plain_raw": plain_raw,
            "single": log_single,
            "batch": log_batch,
            "plain_bulk": plain_bulk,
        }
        done, rate = _time_runs(runs, total=total, box=box, round_size=round_size)
        from smartcourt.evidence.models import Leaf, Node

        print("benchmark: evidence log append vs plain autocommit insert")
        print(f"machine: {machine()}")
        print(f"database: {database}")
        note = "" if done == total else f" (time box of {box} s reached; target was {total:,})"
        leaves, subtrees = Leaf.objects.count(), Node.objects.count()
        print(f"rows per variant: {done:,}{note}; log now {leaves:,} leaves, {subtrees:,} subtrees")
        print(f"plain insert, autocommit, ORM (Model.objects.create): {rate['plain']:10.0f} rows/s")
        print(f"plain insert, autocommit, raw SQL (cursor.execute):  {rate['plain_raw']:10.0f} rows/s")
        print(f"log append, 1 leaf per transaction:               {rate['single']:10.0f} leaves/s")
        print(f"log append, {BATCH} leaves per transaction (sync_log): {rate['batch']:10.0f} leaves/s")
        print(f"plain insert, {BATCH} rows per transaction (reference): {rate['plain_bulk']:10.0f} rows/s")
        single = rate["single"] / rate["plain"]
        print(f"ratio log (1 per transaction) / plain autocommit ORM: {single:.2f}x  (aim: >= 0.5x)")
        print(f"ratio log (1 per transaction) / plain autocommit raw: {rate['single'] / rate['plain_raw']:.2f}x")
        print(f"ratio log (sync batches) / plain autocommit ORM:      {rate['batch'] / rate['plain']:.2f}x")
        print(f"ratio log (sync batches) / plain batches:          {rate['batch'] / rate['plain_bulk']:.2f}x")


if __name__ == "__main__":
    main()
