"""Two zones on two databases joined by two gateways, on one machine: a ping from the internet zone reaches the
court zone and its acknowledgment comes back (docs/adr/0011-zones-and-gateway.md).

    .venv/bin/python scripts/two_zones.py [--dir var/two-zones] [--keep]

Each zone is its own SQLite database, variable directory and exchange directory (``SMARTCOURT_ZONE``,
``SMARTCOURT_VAR_DIR``, ``SMARTCOURT_EXCHANGE_DIR``); nothing connects them but the two ``sandbox.gateway``
processes, one per direction, and each zone runs ``manage.py exchange run``. The script migrates both databases
(about a minute), starts the four processes, sends the ping, waits for it to be applied in the court zone and
acknowledged in the internet zone, prints both zones' status and the time it took, and stops everything.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ZONES = ("internet", "court")
SEND = {"internet": "internet->court", "court": "court->internet"}
OTHER = {"internet": "court", "court": "internet"}
CREATE_OPERATOR = (
    "from smartcourt.accounts.actions import create_user; from smartcourt.accounts.models import User; "
    "User.objects.filter(username='operator').exists() or create_user(actor=None, username='operator', "
    "password='Demo-Operator-2026', role='party', full_name='值班员', organisation=None, "
    "check_password_strength=False)"
)
# Read straight from each zone's database, so the polling itself costs nothing worth measuring.
PING_APPLIED = "select count(*) from audit_auditevent where action = 'exchange.ping_received'"
PING_ACKNOWLEDGED = (
    "select count(*) from exchange_outboxmessage m join exchange_outgoingpackage p on m.package_id = p.id "
    "where m.kind = 'exchange.ping' and p.state = 'acknowledged'"
)


PING_EMITTED = "select max(created_at) from exchange_outboxmessage where kind = 'exchange.ping'"
PING_APPLIED_AT = "select max(occurred_at) from audit_auditevent where action = 'exchange.ping_received'"
PING_ACKNOWLEDGED_AT = (
    "select max(p.acknowledged_at) from exchange_outboxmessage m join exchange_outgoingpackage p "
    "on m.package_id = p.id where m.kind = 'exchange.ping'"
)


def moment(root: Path, zone: str, query: str) -> dt.datetime:
    with sqlite3.connect(root / zone / "var" / "smartcourt.sqlite3", timeout=10) as database:
        return dt.datetime.fromisoformat(str(database.execute(query).fetchone()[0]))


def count(root: Path, zone: str, query: str) -> int:
    with sqlite3.connect(root / zone / "var" / "smartcourt.sqlite3", timeout=10) as database:
        return int(database.execute(query).fetchone()[0])


def zone_env(root: Path, zone: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        SMARTCOURT_ZONE=zone,
        SMARTCOURT_VAR_DIR=str(root / zone / "var"),
        SMARTCOURT_EXCHANGE_DIR=str(root / zone / "exchange"),
        SMARTCOURT_EXCHANGE_KEYS=str(root / "keys" / f"{zone}.json"),
    )
    return env


def manage(root: Path, zone: str, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=zone_env(root, zone), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{zone}: manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, help="where the zones live (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the directory afterwards")
    args = parser.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="smartcourt-two-zones-"))
    root.mkdir(parents=True, exist_ok=True)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        if not (root / "keys" / "court.json").exists():
            manage(root, "court", "exchange", "keys", str(root / "keys"))
        print(f"migrating both zones' databases in {root} ...")
        migrations = [
            subprocess.Popen([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=zone_env(root, zone))
            for zone in ZONES
        ]
        if any(migration.wait() for migration in migrations):
            raise SystemExit("a migration failed")
        manage(root, "internet", "shell", "-c", CREATE_OPERATOR)

        for zone in ZONES:
            state = root / f"gateway-{zone}-out"
            state.mkdir(exist_ok=True)
            (root / zone / "exchange" / "outbox").mkdir(parents=True, exist_ok=True)
            with (state / "gateway.log").open("ab") as log:
                processes.append(
                    subprocess.Popen(
                        [
                            PYTHON,
                            "-m",
                            "sandbox.gateway",
                            "--direction",
                            SEND[zone],
                            "--outbox",
                            str(root / zone / "exchange" / "outbox"),
                            "--inbox",
                            str(root / OTHER[zone] / "exchange" / "inbox"),
                            "--state",
                            str(state),
                            "--sender-keys",
                            str(root / "keys" / f"{zone}.public.json"),
                            "--interval",
                            "0.5",
                        ],
                        cwd=ROOT,
                        stdout=subprocess.DEVNULL,
                        stderr=log,
                    )
                )
            with (root / zone / "exchange.log").open("ab") as log:
                processes.append(
                    subprocess.Popen(
                        [PYTHON, "manage.py", "exchange", "run", "--interval", "0.5"],
                        cwd=ROOT,
                        env=zone_env(root, zone),
                        stdout=log,
                        stderr=log,
                    )
                )

        before = count(root, "court", PING_APPLIED)
        manage(root, "internet", "exchange", "ping", "operator", "两网连通测试")
        deadline = time.monotonic() + 120
        while count(root, "court", PING_APPLIED) == before or count(root, "internet", PING_ACKNOWLEDGED) == before:
            if time.monotonic() > deadline:
                raise SystemExit(f"the ping did not make the round trip in 120 s; logs in {root}")
            time.sleep(0.05)
        # The times the zones recorded themselves (one machine, one clock): emitted, applied, acknowledged.
        emitted = moment(root, "internet", PING_EMITTED)
        applied_at = (moment(root, "court", PING_APPLIED_AT) - emitted).total_seconds()
        acknowledged_at = (moment(root, "internet", PING_ACKNOWLEDGED_AT) - emitted).total_seconds()
        for zone in ZONES:
            print(f"--- {zone} zone\n{manage(root, zone, 'exchange', 'status').rstrip()}")
        print(
            f"the ping was applied in the court zone {applied_at:.2f} s after it was emitted in the internet zone, and "
            f"acknowledged back there after {acknowledged_at:.2f} s (exchange run and the gateways every 0.5 s)"
        )
        return 0
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if not args.keep and args.dir is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
