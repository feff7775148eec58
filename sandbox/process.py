"""Starting a sandbox as a real process on a free loopback port, for tests and benchmarks: the process prints
"<name> listening on <url> ..." first (sandbox/serving.py), and answers GET /health when ready."""

from __future__ import annotations

import selectors
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class SandboxProcess:
    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        stop_process(self.process)


def start_sandbox(module: str, name: str, args: list[str], *, log_path: Path, port: int = 0) -> SandboxProcess:
    """Run ``python -m <module> --port <port> <args>`` (0: a free port) and wait until it answers."""
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", module, "--port", str(port), *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=log
        )
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout=START_TIMEOUT_SECONDS)
    line = process.stdout.readline().decode() if ready else ""
    if not line.startswith(f"{name} listening on "):
        stop_process(process)
        raise RuntimeError(f"the sandbox {name} did not start (first line {line!r}); see {log_path}")
    url = line.split()[3].rstrip("/")
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1):  # noqa: S310 - our own loopback URL
                return SandboxProcess(url=url, process=process)
        except OSError:
            if time.monotonic() > deadline:
                stop_process(process)
                raise
            time.sleep(0.05)


def answers(url: str) -> bool:
    """Whether a sandbox answers GET /health at ``url`` right now."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=1):  # noqa: S310 - configured URL
            return True
    except OSError:
        return False


def stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
