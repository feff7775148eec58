"""Start the whole platform on loopback: the web server (granian, WSGI), the background worker (huey), the
sandbox enterprise registry (sandbox/registry, on 127.0.0.1:8101 with its own database in var/) and a sandbox
witness of the transparency log (sandbox/witness, on 127.0.0.1:8201, own key and database in var/; registered
on the platform before it starts, by ``manage.py evidence_setup``) and a sandbox timestamp authority (sandbox/tsa,
on 127.0.0.1:8301, keys in var/tsa/) whose RFC 3161 timestamps go into every seal signed while it runs, and the
platform CA's certificate status service (sandbox/ocsp, OCSP and CRL on 127.0.0.1:8302) whose answers every seal
embeds (PAdES B-LT), and the sandbox payment service for litigation fees (sandbox/payments, on 127.0.0.1:8103, keys
in var/payments/), and the sandbox identity provider standing in for the sign-in of the court's case system
(sandbox/idp, 法综, on 127.0.0.1:8401, for single sign-on of court staff). ``make run`` seeds the demo first, with
the TSA and the status service started for the seeding (smartcourt/demo/signing.py).

Ctrl-C (or SIGTERM) stops everything this script started. If one process dies, it alone is started again
(after a pause that grows while it keeps dying, up to a minute) and the log says so: one crashed request must
not stop the platform. The web server itself respawns a worker that dies (granian's --respawn-failed-workers),
so the other worker goes on answering meanwhile.
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
OCSP_PORT = 8302
BANK_PORT = 8102
PAYMENTS_PORT = 8103
IDP_PORT = 8401


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
        "payments": [
            PYTHON,
            "-m",
            "sandbox.payments",
            "--host",
            "127.0.0.1",
            "--port",
            str(PAYMENTS_PORT),
            "--db",
            str(var_dir / "payments.sqlite3"),
            "--keys-dir",
            str(var_dir / "payments"),
            "--notify-url",
            f"http://127.0.0.1:{port}/api/v1/fees/notifications",
        ],
        # The court's case system's sign-in (法综), for single sign-on of court staff (issue 18).
        "idp": [
            PYTHON,
            "-m",
            "sandbox.idp",
            "--host",
            "127.0.0.1",
            "--port",
            str(IDP_PORT),
            "--staff",
            str(var_dir / "idp" / "staff.json"),
            "--clients",
            str(var_dir / "idp" / "clients.json"),
            "--key",
            str(var_dir / "idp" / "signing_key.pem"),
        ],
        "tsa": [*tsa_command(var_dir), "--host", "127.0.0.1", "--port", str(TSA_PORT)],
        "ocsp": [
            PYTHON,
            "-m",
            "sandbox.ocsp",
            "--host",
            "127.0.0.1",
            "--port",
            str(OCSP_PORT),
            "--ca-dir",
            str(var_dir / "documents_ca"),
            "--db",
            str(var_dir / "ocsp.json"),
        ],
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
            # A worker that dies (a request that crashes the interpreter) is replaced; without this granian
            # stops the whole server.
            "--respawn-failed-workers",
            "--respawn-interval",
            "1",
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


def ocsp_key(var_dir: Path) -> str:
    """The status service's revocation key, shared with the demo seeding (smartcourt/demo/signing.py)."""
    path = var_dir / "ocsp.key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


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
    env.setdefault("SMARTCOURT_PAYMENTS_URL", f"http://127.0.0.1:{PAYMENTS_PORT}")
    # Seals get a trusted timestamp from the sandbox TSA, whose root the platform trusts.
    var_dir = Path(env.get("SMARTCOURT_VAR_DIR", ROOT / "var"))
    env.setdefault("SMARTCOURT_DOCUMENTS_TSA_URL", f"http://127.0.0.1:{TSA_PORT}/")
    env.setdefault("SMARTCOURT_DOCUMENTS_TSA_ROOTS", str(var_dir / "tsa" / "root.pem"))
    # The platform CA's certificate status service (OCSP, CRL): seal certificates point at it, signatures embed
    # its answers (PAdES B-LT), revocations are reported to it with the key the demo seeding made (var/ocsp.key).
    env.setdefault("SMARTCOURT_DOCUMENTS_OCSP_URL", f"http://127.0.0.1:{OCSP_PORT}/")
    env.setdefault("SMARTCOURT_OCSP_KEY", ocsp_key(var_dir))
    subprocess.run([*tsa_command(var_dir), "--init"], cwd=ROOT, env=env, check=True)
    # Court staff may sign in through the sandbox 法综 sign-in, which also shows SmartCourt in its frame.
    env.setdefault("SMARTCOURT_SSO_ISSUER", f"http://127.0.0.1:{IDP_PORT}")
    env.setdefault("SMARTCOURT_SSO_FRAME_ORIGIN", f"http://127.0.0.1:{IDP_PORT}")
    site = f"http://{args.host}:{args.port}"
    idp_config = [PYTHON, "manage.py", "idp_config", "--dir", str(var_dir / "idp"), "--site", site]
    subprocess.run(idp_config, cwd=ROOT, env=env, check=True)
    supervisor = Supervisor(commands(args.host, args.port), env=env)
    signal.signal(signal.SIGINT, supervisor.stop)
    signal.signal(signal.SIGTERM, supervisor.stop)
    prepare_witness(env)
    supervisor.start_all()
    print(f"\nSmartCourt is running at http://{args.host}:{args.port}/  (Ctrl-C stops everything)\n", flush=True)
    supervisor.run()
    return 0


class Supervisor:
    """Keeps each child running: a child that exits while the platform is not stopping is logged and started
    again, alone, after a pause (1 s, doubling while it keeps failing within a minute of its start, at most
    60 s). The others go on. Ctrl-C or SIGTERM stops them all, in order."""

    def __init__(self, commands: dict[str, list[str]], *, env: dict[str, str], cwd: Path = ROOT) -> None:
        self.commands = commands
        self.env = env
        self.cwd = cwd
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.started_at: dict[str, float] = {}
        self.pause: dict[str, float] = {}
        self.due: dict[str, float] = {}
        self.restarts: dict[str, int] = {}
        self.stopping = False

    def stop(self, *_args: object) -> None:
        self.stopping = True

    def start(self, name: str) -> None:
        # Each child gets its own process group, so Ctrl-C reaches only this supervisor, which then stops the
        # children in order.
        process = subprocess.Popen(self.commands[name], cwd=self.cwd, env=self.env, start_new_session=True)
        self.processes[name] = process
        self.started_at[name] = time.monotonic()
        print(f"started {name} (pid {process.pid})", flush=True)

    def start_all(self) -> None:
        for name in self.commands:
            self.start(name)

    def check(self) -> None:
        """One round: log and schedule the restart of every child that has exited; restart those now due."""
        now = time.monotonic()
        for name, process in self.processes.items():
            if name in self.due or process.poll() is None:
                continue
            quick = now - self.started_at[name] < 60
            self.pause[name] = min(self.pause.get(name, 0.5) * 2, 60.0) if quick else 1.0
            self.due[name] = now + self.pause[name]
            print(
                f"{name} (pid {process.pid}) exited with code {process.returncode}; "
                f"restarting it in {self.pause[name]:.0f} s, the others go on",
                flush=True,
            )
        for name, due in list(self.due.items()):
            if now >= due and not self.stopping:
                del self.due[name]
                self.restarts[name] = self.restarts.get(name, 0) + 1
                self.start(name)
                print(f"restarted {name} (restart {self.restarts[name]})", flush=True)

    def run(self, *, interval: float = 0.5) -> None:
        while not self.stopping:
            self.check()
            time.sleep(interval)
        self.stop_all()

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        print("stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
