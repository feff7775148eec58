"""``python -m sandbox.witness --log-url http://127.0.0.1:8000 --log-key var/log_key.pem.vkey``: start a witness.

Its Ed25519 key (``--key``, a PEM) is generated on first start, mode 0600, with its verifier key written beside
it (``<key>.vkey``): register that on the platform (the transparency log page, or ``manage.py evidence_setup
--register-witness``). ``--print-key`` prints the verifier key and exits. ``--port 0`` takes any free port; the
first line printed says which. ``--interval 0`` turns the timer off (``POST /poll`` still works).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from partnerproto import note
from sandbox.serving import announce, make_sandbox_server, serve_until_stopped
from sandbox.witness.app import make_app
from sandbox.witness.witness import LogUnreachable, Witness

VAR = Path(__file__).resolve().parents[2] / "var"
logger = logging.getLogger("sandbox.witness")


def load_or_create_key(path: Path, name: str) -> Ed25519PrivateKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SystemExit(f"{path} is not an Ed25519 private key")
    vkey = note.verifier_key(name, key.public_key(), note.COSIGNATURE_V1).encode()
    path.with_name(path.name + ".vkey").write_text(vkey + "\n")
    return key


def log_key(value: str) -> note.VerifierKey:
    path = Path(value)
    text = path.read_text() if path.exists() else value
    return note.parse_verifier_key(text)


def timer(witness: Witness, interval: float, stop: threading.Event) -> None:
    while not stop.wait(interval):
        try:
            outcome = witness.poll()
            logger.info("poll: %s (size %s) %s", outcome.status, outcome.size, outcome.detail)
        except LogUnreachable as exc:
            logger.warning("poll: the log did not answer: %s", exc)
        except Exception:  # A witness keeps watching whatever one poll ran into.
            logger.exception("poll failed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.witness", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8201, help="0 picks a free port")
    parser.add_argument("--db", type=Path, default=VAR / "witness.sqlite3", help="its own SQLite state")
    parser.add_argument("--key", type=Path, default=VAR / "witness_key.pem", help="its Ed25519 key (PEM)")
    parser.add_argument("--name", default="witness.sandbox.example/1", help="its key name")
    parser.add_argument("--log-url", default="http://127.0.0.1:8000", help="the platform")
    parser.add_argument("--log-key", help="the log's verifier key, or a file holding it")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between polls; 0: no timer")
    parser.add_argument("--print-key", action="store_true", help="print the verifier key and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s witness %(levelname)s %(message)s")

    key = load_or_create_key(args.key, args.name)
    if args.print_key:
        print(note.verifier_key(args.name, key.public_key(), note.COSIGNATURE_V1).encode())  # noqa: T201
        return 0
    if not args.log_key:
        parser.error("give --log-key: the log's verifier key (or the file the platform wrote it to)")
    witness = Witness(
        db_path=args.db, name=args.name, private_key=key, log_key=log_key(args.log_key), log_url=args.log_url
    )
    server = make_sandbox_server("witness", args.host, args.port, make_app(witness))
    announce(server, "witness", f"as {witness.verifier_key.encode()}")

    stop = threading.Event()
    if args.interval > 0:
        threading.Thread(target=timer, args=(witness, args.interval, stop), daemon=True).start()

    serve_until_stopped(server, on_stop=stop.set)
    return 0


if __name__ == "__main__":
    sys.exit(main())
