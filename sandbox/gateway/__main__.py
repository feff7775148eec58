"""``python -m sandbox.gateway --direction internet->court --outbox A --inbox B --state S --sender-keys K``.

One process per direction. It scans ``--outbox`` (the sending zone's; only read) every ``--interval`` seconds
(0: only when asked by ``POST /scan``), writes accepted packages into ``--inbox`` (the receiving zone's) and
refused ones into ``<state>/rejected`` with a ``.reason`` file. ``--sender-keys`` is the sending zone's public
key file (``internet.public.json`` or ``court.public.json``). Its small HTTP interface on loopback is for the
operator and the tests: ``GET /health``, ``GET /state`` and ``POST /scan``; it accepts no package.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from pathlib import Path

from partnerproto import exchange
from sandbox.gateway.app import make_app
from sandbox.gateway.gateway import Gateway
from sandbox.serving import announce, make_sandbox_server, serve_until_stopped

DEFAULT_KINDS = ("exchange.ack", "exchange.digest", "exchange.ping")
logger = logging.getLogger("sandbox.gateway")


def timer(gateway: Gateway, interval: float, stop: threading.Event) -> None:
    while not stop.wait(interval):
        try:
            for outcome in gateway.scan():
                logger.info("%s %s %s", outcome.name, "forwarded" if outcome.forwarded else "rejected", outcome.reason)
        except Exception:  # A gateway keeps running whatever one scan ran into; the scan is redone.
            logger.exception("scan failed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.gateway", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--direction", required=True, choices=sorted(exchange.DIRECTION_TAGS))
    parser.add_argument("--outbox", type=Path, required=True, help="the sending zone's outbox (read only)")
    parser.add_argument("--inbox", type=Path, required=True, help="the receiving zone's inbox")
    parser.add_argument("--state", type=Path, required=True, help="the gateway's own directory")
    parser.add_argument("--sender-keys", type=Path, required=True, help="the sending zone's public keys")
    parser.add_argument("--max-bytes", type=int, default=64 * 1024 * 1024)
    parser.add_argument("--allow-kind", action="append", help="a message kind let through (repeat)")
    parser.add_argument("--allow-type", action="append", help="a file media type let through (repeat)")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between scans; 0: POST /scan only")
    parser.add_argument("--test-stall-mid-transfer", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s gateway %(levelname)s %(message)s")

    args.state.mkdir(parents=True, exist_ok=True)
    gateway = Gateway(
        direction=args.direction,
        outbox=args.outbox,
        inbox=args.inbox,
        state=args.state,
        sender_keys_file=args.sender_keys,
        max_bytes=args.max_bytes,
        allowed_kinds=tuple(args.allow_kind or DEFAULT_KINDS),
        allowed_types=tuple(args.allow_type or exchange.SNIFFERS),
        stall=args.test_stall_mid_transfer,
    )
    server = make_sandbox_server("gateway", args.host, args.port, make_app(gateway))
    announce(server, "gateway", args.direction)
    stop = threading.Event()
    if args.interval > 0:
        threading.Thread(target=timer, args=(gateway, args.interval, stop), daemon=True).start()
    serve_until_stopped(server, on_stop=stop.set)
    return 0


if __name__ == "__main__":
    sys.exit(main())
