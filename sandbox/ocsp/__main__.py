"""``python -m sandbox.ocsp --port 8302 --ca-dir var/documents_ca --db var/ocsp.json --key KEY``: start the
certificate status service of the platform CA.

It signs OCSP responses and CRLs with the CA key in ``--ca-dir`` (``ca.key``, ``ca.pem``: the development CA the
platform creates on first use). Revocations reach it from the platform by ``POST /revocations`` with
``Authorization: Bearer <key>`` (``--key`` or SMARTCOURT_OCSP_KEY) and are kept in ``--db``. ``--port 0`` takes any
free port; the first line printed says which.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sandbox.ocsp.app import CaStatus, make_app
from sandbox.serving import announce, make_sandbox_server, serve_until_stopped

VAR = Path(__file__).resolve().parents[2] / "var"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.ocsp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8302, help="0 picks a free port")
    parser.add_argument("--ca-dir", type=Path, default=VAR / "documents_ca", help="ca.key and ca.pem")
    parser.add_argument("--db", type=Path, default=VAR / "ocsp.json", help="the revocations, created if missing")
    parser.add_argument("--key", default=os.environ.get("SMARTCOURT_OCSP_KEY", ""), help="bearer key for revocations")
    args = parser.parse_args(argv)
    if not (args.ca_dir / "ca.key").exists():
        parser.error(f"no CA in {args.ca_dir} (the platform creates it on first use: manage.py seed_demo)")
    if not args.key:
        parser.error("a key for POST /revocations is required (--key or SMARTCOURT_OCSP_KEY)")
    status = CaStatus.load(args.ca_dir, args.db)
    server = make_sandbox_server("ocsp", args.host, args.port, make_app(status, args.key))
    announce(server, "ocsp", f"(CA {args.ca_dir / 'ca.pem'})")
    serve_until_stopped(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
