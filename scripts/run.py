"""Start the whole platform on loopback: the web server (granian, WSGI), the background worker (huey), the
sandbox enterprise registry (sandbox/registry, on 127.0.0.1:8101 with its own database in var/) and a sandbox
witness of the transparency log (sandbox/witness, on 127.0.0.1:8201, own key and database in var/; registered
on the platform before it starts, by ``manage.py evidence_setup``) and a sandbox timestamp authority (sandbox/tsa,
on 127.0.0.1:8301, keys in var/tsa/) whose RFC 3161 timestamps go into every seal signed while it runs.

Ctrl-C (or SIGTERM) stops everything this script started. If one process dies, the others are stopped
too, so a half-running platform never lingers.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REGISTRY_PORT = 8101
WITNESS_PORT = 8201
TSA_PORT = 8301
BANK_PORT = 8102


def commands(host: str, port: int) -> dict[str, list[str]]:
    var_dir = Path(os.environ.get("SMARTCOURT_VAR_DIR", ROOT / "var"))
    return {
        "registry": [
            PYTHON,
            "-m",
            "sandbox.registry",
            "--host",
            "127.0.0.1",
            "--port",
            str(REGISTRY_PORT),
            "--db",
            str(var_dir / "registry.sqlite3"),
        ],
        "bank": [
            PYTHON,
            "-m",
            "sandbox.bank",
            "--host",
            "127.0.0.1",
            "--port",
            str(BANK_PORT),
            "--db",
            str(var_dir / "bank.sqlite3"),
            "--keys-dir",
            str(var_dir / "bank"),
            "--notify-url",
            f"http://127.0.0.1:{port}/api/v1/banking/notifications",
        ],
        "tsa": [*tsa_command(var_dir), "--host", "127.0.0.1", "--port", str(TSA_PORT)],
        "web": [
            PYTHON,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            "2",
            "--blocking-threads",
            "4",
            "--no-ws",
            "config.wsgi:application",
        ],
        "worker": [PYTHON, "manage.py", "run_huey", "--quiet"],
        "witness": [*witness_command(var_dir), "--log-url", f"http://127.0.0.1:{port}", "--log-key", log_vkey()],
    }


def witness_command(var_dir: Path) -> list[str]:
    key, db = var_dir / "witness_key.pem", var_dir / "witness.sqlite3"
    return [PYTHON, "-m", "sandbox.witness", "--port", str(WITNESS_PORT), "--key", str(key), "--db", str(db)]


def tsa_command(var_dir: Path) -> list[str]:
    return [PYTHON, "-m", "sandbox.tsa", "--dir", str(var_dir / "tsa")]


def log_vkey() -> str:
    """Where the platform writes its log key's verifier key (beside the key, see smartcourt/evidence/keys.py)."""
    key = os.environ.get("SMARTCOURT_LOG_KEY") or str(
        Path(os.environ.get("SMARTCOURT_VAR_DIR", ROOT / "var")) / "log_key.pem"
    )
    return key + ".vkey"


def prepare_witness(env: dict[str, str]) -> None:
    """Create the witness's key and the log key, register the witness on the platform, sign a first checkpoint."""
    var_dir = Path(env.get("SMARTCOURT_VAR_DIR", ROOT / "var"))
    printed = subprocess.run(
        [*witness_command(var_dir), "--print-key"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    subprocess.run(
        [PYTHON, "manage.py", "evidence_setup", "--register-witness", printed.stdout.strip()],
        cwd=ROOT,
        env=env,
        check=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONUNBUFFERED": "1"}
    # The platform and the sandbox registry read the same variables; a key made up here lasts for this run.
    env.setdefault("SMARTCOURT_REGISTRY_URL", f"http://127.0.0.1:{REGISTRY_PORT}")
    env.setdefault("SMARTCOURT_REGISTRY_KEY", secrets.token_urlsafe(24))
    env.setdefault("SMARTCOURT_BANK_URL", f"http://127.0.0.1:{BANK_PORT}")
    # Seals get a trusted timestamp from the sandbox TSA, whose root the platform trusts.
    var_dir = Path(env.get("SMARTCOURT_VAR_DIR", ROOT / "var"))
    env.setdefault("SMARTCOURT_DOCUMENTS_TSA_URL", f"http://127.0.0.1:{TSA_PORT}/")
    env.setdefault("SMARTCOURT_DOCUMENTS_TSA_ROOTS", str(var_dir / "tsa" / "root.pem"))
    subprocess.run([*tsa_command(var_dir), "--init"], cwd=ROOT, env=env, check=True)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    prepare_witness(env)
    for name, command in commands(args.host, args.port).items():
        # Each child gets its own process group, so Ctrl-C reaches only this supervisor, which then
        # stops the children in order.
        processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        print(f"started {name} (pid {processes[name].pid})", flush=True)

    print(f"\nSmartCourt is running at http://{args.host}:{args.port}/  (Ctrl-C stops everything)\n", flush=True)
    exit_code = 0
    while not stopping:
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"{name} exited with code {process.returncode}; stopping the rest", flush=True)
                exit_code = process.returncode or 1
                stopping = True
                break
        time.sleep(0.5)

    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    print("stopped", flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
