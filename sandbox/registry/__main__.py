"""``python -m sandbox.registry --port 8101 --db var/registry.sqlite3``: start the sandbox registry.

The key requests must carry comes from ``--key`` or the environment variable SMARTCOURT_REGISTRY_KEY (the
same variable the platform reads). ``--port 0`` takes any free port; the first line printed says which.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from types import FrameType
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from sandbox.registry import store
from sandbox.registry.app import make_app

DEFAULT_DB = Path(__file__).resolve().parents[2] / "var" / "registry.sqlite3"


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    """One short line per request on stderr, without wsgiref's reverse DNS look-up."""

    def address_string(self) -> str:
        return str(self.client_address[0])

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"registry {self.address_string()} {format % args}\n")


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
    server = make_server(
        args.host, args.port, make_app(args.db, args.key), server_class=ThreadingWSGIServer, handler_class=QuietHandler
    )
    # The first line is read by whoever started us (tests use --port 0 and learn the port from it).
    banner = f"registry listening on http://{args.host}:{server.server_port}/ ({args.db}, {seeded} companies seeded)"
    print(banner, flush=True)  # noqa: T201 - read by the starter

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
