"""``python -m sandbox.payments --port 8103 --db var/payments.sqlite3 --keys-dir var/payments``: start the
sandbox payment service. ``--port 0`` takes any free port; the first line printed says which."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from partnerproto import keyfiles
from sandbox.payments import store
from sandbox.payments.app import PaymentsApp
from sandbox.serving import announce, make_sandbox_server, serve_until_stopped

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.payments", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8103, help="0 picks a free port")
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "payments.sqlite3", help="SQLite file")
    parser.add_argument("--keys-dir", type=Path, default=ROOT / "var" / "payments", help="holds bank.json")
    parser.add_argument("--notify-url", default="", help="the platform's /api/v1/fees/notifications URL")
    parser.add_argument("--push-interval", type=float, default=1.0, help="seconds between pushes; 0: only on demand")
    args = parser.parse_args(argv)

    keyfiles.ensure_demo_keys(args.keys_dir)
    app = PaymentsApp(args.db, args.keys_dir / keyfiles.BANK_FILE)
    if args.notify_url:
        with store.opened(args.db) as connection, store.writing(connection):
            store.set_meta(connection, "notify_url", args.notify_url)
    server = make_sandbox_server("payments", args.host, args.port, app)
    announce(server, "payments", f"({args.db})")
    if args.push_interval > 0:
        app.start_pusher(args.push_interval)
    serve_until_stopped(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
