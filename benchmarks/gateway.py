"""The zone exchange's cost: packages per second through build -> gateway -> apply against copying the same
package files with a plain file copy, in one run, and the end-to-end lag from a message emitted in the internet
zone to its application in the court zone (median and p99).

Everything is real: the internet zone emits and packs into its outbox, a ``python -m sandbox.gateway`` process
inspects and copies each package into the court zone's inbox (asked to scan by POST /scan, as its timer would),
and the court zone verifies, decrypts and applies each package in its own transaction. Both zones' sides run on
one throw-away test database (SQLite, or PostgreSQL with DATABASE_URL): each row names its direction.

The lag measured is the machinery's (emit, pack, gateway, apply, one message per package, back to back); in a
deployment add the scheduling: ``manage.py exchange run`` packs and applies every 2 seconds in each zone and the
gateway scans every second (the worker's once-a-minute jobs are only the backstop).

    .venv/bin/python benchmarks/gateway.py      # SMARTCOURT_BENCH_GATEWAY_PACKAGES=200, ..._FILE_KIB=100
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from _evidence_bench import bench_database, env_int, machine

PACKAGES = env_int("SMARTCOURT_BENCH_GATEWAY_PACKAGES", 200)
FILE_KIB = env_int("SMARTCOURT_BENCH_GATEWAY_FILE_KIB", 100)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main() -> None:
    with bench_database() as database:
        from django.db import transaction

        from partnerproto import exchange as px
        from smartcourt.exchange import actions
        from smartcourt.exchange.handlers import register_handler
        from smartcourt.exchange.testing import TwoZones

        register_handler("bench.filed", lambda message: None)
        scratch = Path(tempfile.mkdtemp(prefix="smartcourt-gateway-bench-"))
        zones = TwoZones(scratch / "zones")
        gateway = zones.gateway("internet", scratch / "gateway", kinds=("bench.filed",))
        print(f"gateway benchmark: {PACKAGES} packages of one message and one {FILE_KIB} KiB PDF each")
        print(f"  {machine()}; {database}")

        def emit(n: int) -> None:
            pdf = b"%PDF-1.7\n" + (f"{n:08d}".encode() * (FILE_KIB * 128))[: FILE_KIB * 1024] + b"\n%%EOF\n"
            with transaction.atomic():
                actions.emit(
                    actor=None,
                    kind="bench.filed",
                    payload={"n": n, "案由": "民间借贷纠纷"},
                    files={"起诉状.pdf": px.CarriedFile(pdf, "application/pdf")},
                )

        try:
            # Throughput: every stage over all packages.
            with zones.as_zone("internet"):
                for n in range(PACKAGES):
                    emit(n)
                start = time.perf_counter()
                built = actions.pack_outbox(actor=None, limit=1)
                pack_seconds = time.perf_counter() - start
            assert len(built) == PACKAGES
            start = time.perf_counter()
            forwarded = gateway.scan()["outcomes"]
            gateway_seconds = time.perf_counter() - start
            assert len(forwarded) == PACKAGES and all(o["forwarded"] for o in forwarded)
            with zones.as_zone("court"):
                start = time.perf_counter()
                applied = actions.apply_inbox(actor=None)
                apply_seconds = time.perf_counter() - start
            assert [p.sequence for p in applied] == list(range(1, PACKAGES + 1))

            files = sorted(zones.outbox("internet").glob("*.scx"))
            size = sum(path.stat().st_size for path in files)
            copy_to = scratch / "plain-copy"
            copy_to.mkdir()
            start = time.perf_counter()
            for path in files:
                shutil.copyfile(path, copy_to / path.name)
            copy_seconds = time.perf_counter() - start
            durable_to = scratch / "durable-copy"
            start = time.perf_counter()
            for path in files:  # what the gateway's write costs without its checks: copy, fsync, rename
                px.write_atomically(durable_to, path.name, path.read_bytes())
            durable_seconds = time.perf_counter() - start

            total = pack_seconds + gateway_seconds + apply_seconds
            print(f"  package file: {size / len(files) / 1024:.1f} KiB on average")
            for label, seconds in (
                ("build (emit excluded), sign, seal", pack_seconds),
                ("gateway: inspect, copy, fsync, rename", gateway_seconds),
                ("apply: verify, decrypt, apply, audit", apply_seconds),
                ("build -> gateway -> apply", total),
                ("plain file copy of the same files", copy_seconds),
                ("durable copy (fsync, rename, fsync dir)", durable_seconds),
            ):
                print(f"  {label:<40} {PACKAGES / seconds:9.1f} packages/s  {size / seconds / 2**20:8.1f} MiB/s")
            print(
                f"  ratio: build -> gateway -> apply takes {total / copy_seconds:.0f}x a plain copy's time "
                f"({total / durable_seconds:.1f}x a durable copy's)"
            )

            # Batched, as the periodic job packs: every waiting message in one package (up to 200).
            with zones.as_zone("internet"):
                for n in range(PACKAGES, 2 * PACKAGES):
                    emit(n)
                start = time.perf_counter()
                batches = actions.pack_outbox(actor=None)
            gateway.scan()
            with zones.as_zone("court"):
                actions.apply_inbox(actor=None)
            batched_seconds = time.perf_counter() - start
            print(
                f"  batched: {PACKAGES} messages in {len(batches)} package(s) through build -> gateway -> apply: "
                f"{PACKAGES / batched_seconds:.0f} messages/s"
            )

            # Lag: one message at a time, from emit to applied.
            lags = []
            for n in range(2 * PACKAGES, 2 * PACKAGES + min(PACKAGES, 200)):
                start = time.perf_counter()
                with zones.as_zone("internet"):
                    emit(n)
                    actions.pack_outbox(actor=None)
                gateway.scan()
                with zones.as_zone("court"):
                    (_applied,) = actions.apply_inbox(actor=None)  # exactly one, or the run is wrong
                lags.append(time.perf_counter() - start)
            print(
                f"  end-to-end lag over {len(lags)} messages: median {statistics.median(lags) * 1000:.1f} ms, "
                f"p99 {percentile(lags, 0.99) * 1000:.1f} ms (machinery only; add up to 2 s + 1 s + 2 s of "
                "scheduling with manage.py exchange run and the gateway's timer)"
            )
        finally:
            gateway.stop()
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
