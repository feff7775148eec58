"""A crashing request cannot take the platform down: granian replaces a worker that dies and goes on
answering, and scripts/run.py starts a crashed child again, alone, and says so in its log (issue 15.1).

The waits below are deadlines for something to happen, never assertions about how long it took."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("smartcourt_run_script", ROOT / "scripts" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _until(condition: Callable[[], bool], *, deadline: float = 60.0) -> None:
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("the condition did not come true before the deadline")
        time.sleep(0.2)


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command may contain spaces and parentheses: the fields after the last ")" are fixed.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    # A fresh worker imports the whole platform on its first request: on a loaded machine that takes a while.
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310  (a loopback URL made here)
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = _free_port()
    run = _run_module()
    command = run.commands("127.0.0.1", port)["web"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SMARTCOURT_VAR_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603  (our own command)
    url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
    try:
        _until(lambda: _answers(url) and len(_children(process.pid)) == 2)
        yield process, url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_the_server_answers_after_a_worker_dies(web: tuple[subprocess.Popen[bytes], str]) -> None:
    process, url = web
    workers = _children(process.pid)
    victim = min(workers)
    # What python-calamine did on the 5 KB workbook: the worker process aborts (SIGABRT), it raises nothing.
    os.kill(victim, signal.SIGABRT)
    _until(lambda: victim not in _children(process.pid))
    # granian replaces it and goes on: the server process lives, two workers again, and every request answers.
    _until(lambda: len(_children(process.pid) - {victim}) == 2)
    assert process.poll() is None
    answers = [_answers(url) for _ in range(20)]
    assert answers == [True] * 20


def test_run_py_restarts_a_crashed_child_alone_and_says_so(tmp_path: Path, capsys: Any) -> None:
    marker = tmp_path / "crashed-once"
    flaky = (
        "import pathlib, sys, time\n"
        f"marker = pathlib.Path({str(marker)!r})\n"
        "if not marker.exists():\n"
        "    marker.touch()\n"
        "    sys.exit(3)\n"
        "time.sleep(120)\n"
    )
    run = _run_module()
    supervisor = run.Supervisor(
        {"web": [sys.executable, "-c", flaky], "worker": [sys.executable, "-c", "import time; time.sleep(120)"]},
        env=dict(os.environ),
        cwd=tmp_path,
    )
    supervisor.start_all()
    try:
        first_web, steady = supervisor.processes["web"].pid, supervisor.processes["worker"].pid

        def restarted() -> bool:
            supervisor.check()
            return supervisor.restarts.get("web", 0) == 1

        _until(restarted)
        assert supervisor.processes["web"].pid != first_web and supervisor.processes["web"].poll() is None
        # The other child was never stopped.
        assert supervisor.processes["worker"].pid == steady and supervisor.processes["worker"].poll() is None
        assert not supervisor.stopping
    finally:
        supervisor.stop_all()
    log = capsys.readouterr().out
    assert f"web (pid {first_web}) exited with code 3; restarting it in 1 s, the others go on" in log
    assert "restarted web (restart 1)" in log
    assert all(process.poll() is not None for process in supervisor.processes.values())
