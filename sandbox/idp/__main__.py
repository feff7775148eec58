"""``python -m sandbox.idp --port 8401 --staff var/idp/staff.json --clients var/idp/clients.json``: start the
sandbox identity provider (the 法综 sign-in). ``--port 0`` takes any free port; the first line printed says
which. Its RS256 signing key is kept in ``--key`` (generated on first start)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from joserfc.jwk import RSAKey

from sandbox.idp.app import IdpApp, load_clients, load_staff
from sandbox.serving import announce, make_sandbox_server, serve_until_stopped

ROOT = Path(__file__).resolve().parents[2]


def signing_key(path: Path) -> RSAKey:
    if path.exists():
        return RSAKey.import_key(path.read_bytes())
    key = RSAKey.generate_key(2048, auto_kid=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(key.as_pem(private=True))
    path.chmod(0o600)
    return key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.idp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8401, help="0 picks a free port")
    parser.add_argument("--staff", type=Path, default=ROOT / "var" / "idp" / "staff.json")
    parser.add_argument("--clients", type=Path, default=ROOT / "var" / "idp" / "clients.json")
    parser.add_argument("--key", type=Path, default=ROOT / "var" / "idp" / "signing_key.pem")
    args = parser.parse_args(argv)

    key = signing_key(args.key)
    if key.kid is None:
        key.ensure_kid()
    app = IdpApp(key, load_staff(args.staff), load_clients(args.clients))
    server = make_sandbox_server("idp", args.host, args.port, app)
    app.issuer = f"http://{args.host}:{server.server_port}"
    announce(server, "idp", f"({len(app.staff)} staff, {len(app.clients)} clients)")
    serve_until_stopped(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
