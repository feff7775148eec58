"""The bank partner protocol's cost: a signed, encrypted transfer round trip to the sandbox bank against an
unsigned plain ``GET /health`` to the same process, in the same run.

Both go over real loopback HTTP to ``python -m sandbox.bank`` (its own SQLite database in a temporary
directory). Also timed: a signed, encrypted read (``/v1/accounts/get``: the protocol without the bank's
booking) and the same transfer with SM2-SM3 signatures and SM4-GCM envelopes on a second bank process.

    .venv/bin/python benchmarks/bank_protocol.py      # SMARTCOURT_BENCH_BANK_ROUNDS=300 by default
"""

from __future__ import annotations

import statistics
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from _evidence_bench import env_int, machine

ROUNDS = env_int("SMARTCOURT_BENCH_BANK_ROUNDS", 300)


def timed(label: str, call: Callable[[int], object], rounds: int) -> float:
    """Run ``call`` ``rounds`` times after a short warm-up; print and return the mean seconds per call."""
    for i in range(min(20, rounds)):
        call(-1 - i)
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        call(i)
        samples.append(time.perf_counter() - start)
    samples.sort()
    mean = statistics.fmean(samples)
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    print(
        f"  {label:<44} {1 / mean:8.0f}/s   mean {mean * 1000:6.2f} ms   "
        f"p50 {samples[len(samples) // 2] * 1000:6.2f} ms   p99 {p99 * 1000:6.2f} ms"
    )
    return mean


def run(directory: Path, *, signature_alg: str, envelope_alg: str, baseline: bool) -> tuple[float, float]:
    from smartcourt.banking.adapter import AccountLimits, Payee, TransferInstruction, TransferStatus
    from smartcourt.banking.testing import Bank, start_bank, stop_bank

    server = start_bank(directory, signature_alg=signature_alg, envelope_alg=envelope_alg, test_clock=False)
    try:
        bank = Bank(server)
        account = bank.adapter.open_account(
            account_name="基准测试管理人账户",
            holder_id="31320000MD0123456X",
            case_reference="(2026)苏0623破1号",
            limits=AccountLimits(None, None, None),
        ).account_number
        bank.credit(account, 10**12, counterparty_name="基准")
        payee = Payee(name="南通市公证处", account_number="10706101040001234", bank_name="中国农业银行")
        prefix = f"bench-{time.time_ns()}"

        def health(_: int) -> None:
            with urllib.request.urlopen(f"{server.url}/health", timeout=5) as response:  # noqa: S310 - loopback
                response.read()

        def read(_: int) -> None:
            bank.adapter.account(account_number=account)

        def transfer(i: int) -> None:
            result = bank.adapter.transfer(
                TransferInstruction(
                    idempotency_key=f"{prefix}-{i}", account_number=account, payee=payee, amount_fen=100, purpose="基准"
                )
            )
            assert result.status == TransferStatus.EXECUTED, result

        label = f"{signature_alg} + {envelope_alg}"
        plain = timed("plain GET /health (unsigned)", health, ROUNDS) if baseline else 0.0
        if baseline:
            timed(f"signed+encrypted read, {label}", read, ROUNDS)
        signed = timed(f"signed+encrypted transfer, {label}", transfer, ROUNDS)
        return plain, signed
    finally:
        stop_bank(server.process)


def main() -> None:
    print(f"bank partner protocol, {ROUNDS} sequential round trips each ({machine()})")
    with tempfile.TemporaryDirectory(prefix="smartcourt-bank-bench-") as scratch:
        plain, ed25519 = run(Path(scratch) / "ed", signature_alg="ed25519", envelope_alg="A256GCM", baseline=True)
        _, sm2 = run(Path(scratch) / "sm", signature_alg="sm2-sm3", envelope_alg="SM4GCM", baseline=False)
    print(f"  ratio transfer (Ed25519, AES-256-GCM) / plain health: {ed25519 / plain:6.1f}x")
    print(f"  ratio transfer (SM2-SM3, SM4-GCM)     / plain health: {sm2 / plain:6.1f}x")


if __name__ == "__main__":
    main()
