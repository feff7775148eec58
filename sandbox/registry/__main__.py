"""``python -m sandbox.registry --port 8101 --db var/registry.sqlite3``: start the sandbox registry.

The key requests must carry comes from ``--key`` or the environment variable SMARTCOURT_REGISTRY_KEY (the
same variable the platform reads). ``--port 0`` takes any free port; the first line printed says which.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sandbox.registry import store
from sandbox.registry.app import make_app
from sandbox.serving import announce, make_sandbox_server, serve_until_stopped

DEFAULT_DB = Path(__file__).resolve().parents[2] / "var" / "registry.sqlite3"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.registry", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8101, help="0 picks a free port")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file, created and seeded if missing")
    parser.add_argument("--key", default=os.environ.get("SMARTCOURT_REGISTRY_KEY", ""), help="API key")
    args = parser.parse_args(argv)
    if not args.key:
        parser.error("give --key or set SMARTCOURT_REGISTRY_KEY: requests are checked against it")

    seeded = store.initialise(args.db)
    server = make_sandbox_server("registry", args.host, args.port, make_app(args.db, args.key))
    announce(server, "registry", f"({args.db}, {seeded} companies seeded)")
    serve_until_stopped(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
