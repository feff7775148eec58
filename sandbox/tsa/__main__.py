"""``python -m sandbox.tsa --port 8301 --dir var/tsa``: start the sandbox timestamp authority.

Its root certificate is ``<dir>/root.pem``: the platform trusts timestamps under it when
SMARTCOURT_DOCUMENTS_TSA_ROOTS names that file. ``--port 0`` takes any free port; the first line printed says which.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sandbox.serving import announce, make_sandbox_server, serve_until_stopped
from sandbox.tsa.app import make_app
from sandbox.tsa.keys import load_or_create

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "var" / "tsa"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.tsa", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8301, help="0 picks a free port")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="keys and certificates, created if missing")
    parser.add_argument("--init", action="store_true", help="create the keys and certificates, then exit")
    args = parser.parse_args(argv)
    keys = load_or_create(args.dir)
    if args.init:
        return 0
    server = make_sandbox_server("tsa", args.host, args.port, make_app(keys))
    announce(server, "tsa", f"(root certificate {args.dir / 'root.pem'})")
    serve_until_stopped(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
