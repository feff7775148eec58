"""``python -m sandbox.bank --port 8102 --db var/bank.sqlite3 --keys-dir var/bank``: start the sandbox bank.

The bank reads its keys from ``<keys-dir>/bank.json`` (generated together with the platform's
``platform.json`` on first run, see partnerproto/keyfiles.py) and re-reads it when it changes.
``--port 0`` takes any free port; the first line printed says which.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from partnerproto import keyfiles
from sandbox.bank import store
from sandbox.bank.app import BankApp
from sandbox.serving import announce, make_sandbox_server, serve_until_stopped

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.bank", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8102, help="0 picks a free port")
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "bank.sqlite3", help="SQLite file")
    parser.add_argument("--keys-dir", type=Path, default=ROOT / "var" / "bank", help="holds bank.json")
    parser.add_argument("--signature-alg", default="ed25519", choices=["ed25519", "sm2-sm3"], help="for new keys")
    parser.add_argument("--envelope-alg", default="A256GCM", choices=["A256GCM", "SM4GCM"], help="for new keys")
    parser.add_argument("--notify-url", default="", help="the platform's /api/v1/banking/notifications URL")
    parser.add_argument("--push-interval", type=float, default=1.0, help="seconds between pushes; 0: only on demand")
    parser.add_argument("--test-clock", action="store_true", help="honour POST /v1/test/clock (tests only)")
    args = parser.parse_args(argv)

    keyfiles.ensure_demo_keys(args.keys_dir, signature_alg=args.signature_alg, envelope_alg=args.envelope_alg)
    app = BankApp(args.db, args.keys_dir / keyfiles.BANK_FILE, test_clock=args.test_clock)
    if args.notify_url:
        with store.opened(args.db) as connection, store.writing(connection):
            store.set_meta(connection, "notify_url", args.notify_url)
    server = make_sandbox_server("bank", args.host, args.port, app)
    announce(server, "bank", f"({args.db})")
    if args.push_interval > 0:
        app.start_pusher(args.push_interval)
    serve_until_stopped(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
