"""The sandbox bank's HTTP API, a plain WSGI application (see ``sandbox/bank/__init__.py`` for the protocol).

Every ``/v1/...`` request is a signed (RFC 9421), digested (RFC 9530) and encrypted POST; every answer is signed
and bound to the request it answers. A request that fails any check is refused with 401 before anything is
read or written. ``GET /health`` is the only unsigned endpoint.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any

from partnerproto import envelope, keyfiles, wire
from partnerproto.signatures import MemoryNonceStore, SignatureError
from sandbox.bank import store

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
MAX_BODY = 4 * 1024 * 1024
PUSH_TIMEOUT_SECONDS = 5


class KeyFile:
    """The bank's key file, re-read when it changes: keys rotate without a restart."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._keys: keyfiles.PartyKeys | None = None

    def current(self) -> keyfiles.PartyKeys:
        stat = self.path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if self._keys is None or stamp != self._stamp:
                self._keys = keyfiles.read(self.path)
                self._stamp = stamp
            return self._keys


def _headers(environ: Mapping[str, Any]) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").lower(): str(value) for key, value in environ.items() if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = str(environ["CONTENT_TYPE"])
    return headers


def _target_uri(environ: Mapping[str, Any]) -> str:
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    query = environ.get("QUERY_STRING", "")
    return f"{scheme}://{host}{environ.get('PATH_INFO', '/')}" + (f"?{query}" if query else "")


class BankApp:
    def __init__(self, db_path: Path, key_file: Path, *, test_clock: bool = False) -> None:
        self.db_path = db_path
        self.keys = KeyFile(key_file)
        self.test_clock = test_clock
        self.nonces = MemoryNonceStore()
        self.push_lock = threading.Lock()
        store.initialise(db_path)

    # --- the routes (name -> handler(connection, payload) -> answer) ------------------------------------

    def routes(self) -> dict[str, Callable[[sqlite3.Connection, dict[str, Any]], dict[str, Any]]]:
        court = self.keys.current().court_public
        return {
            "/v1/accounts/open": store.open_account,
            "/v1/accounts/register": store.register_account,
            "/v1/accounts/limits": store.set_limits,
            "/v1/accounts/get": lambda c, d: store.account_info(c, store._text(d, "account_number", limit=40)),
            "/v1/transfers": lambda c, d: store.transfer(c, d, court()),
            "/v1/transfers/status": store.transfer_status,
            "/v1/batches": lambda c, d: store.batch_transfer(c, d, court()),
            "/v1/statements": store.statement,
            # Test and demo operations (a real bank has counters and other banks for these).
            "/v1/test/credit": store.credit,
            "/v1/test/debit": store.debit,
            "/v1/test/freeze": store.set_frozen,
            "/v1/test/close-payee": store.close_payee,
            "/v1/test/notify-url": self._set_notify_url,
            "/v1/test/push": lambda c, d: self.discard(c) if d.get("discard") else self.push(force=True),
            "/v1/test/clock": self._set_clock,
        }

    def _set_notify_url(self, connection: sqlite3.Connection, data: dict[str, Any]) -> dict[str, Any]:
        url = data.get("url")
        if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
            raise store.BankRequestError(422, "invalid_field", "url is an http(s) URL or null")
        with store.writing(connection):
            store.set_meta(connection, "notify_url", url)
        return {"notify_url": url}

    def _set_clock(self, connection: sqlite3.Connection, data: dict[str, Any]) -> dict[str, Any]:
        if not self.test_clock:
            raise store.BankRequestError(404, "not_found", "the test clock is off (start with --test-clock)")
        value = data.get("now")
        if value is not None and not isinstance(value, str):
            raise store.BankRequestError(422, "invalid_field", "now is an ISO 8601 time with offset, or null")
        if value is not None:
            import datetime as dt

            try:
                parsed = dt.datetime.fromisoformat(value)
            except ValueError as exc:
                raise store.BankRequestError(422, "invalid_field", "now is an ISO 8601 time") from exc
            if parsed.tzinfo is None:
                raise store.BankRequestError(422, "invalid_field", "now needs a UTC offset")
        with store.writing(connection):
            store.set_meta(connection, "clock", value)
        return {"now": store.now(connection).isoformat()}

    # --- WSGI --------------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET"))
        path = str(environ.get("PATH_INFO", "/"))
        if path == "/health" and method == "GET":
            health = b'{"status":"ok"}'
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(health)))])
            return [health]
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            return self._plain(start_response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large", "")
        raw: bytes = environ["wsgi.input"].read(length) if length else b""
        keys = self.keys.current()
        try:
            request, _, payload = wire.open_request(
                keys,
                self.nonces,
                method=method,
                target_uri=_target_uri(environ),
                headers=_headers(environ),
                body=raw,
            )
        except SignatureError as exc:
            return self._refuse(start_response, keys, exc.reason, str(exc))
        except (envelope.EnvelopeError, wire.ProtocolError) as exc:
            return self._refuse(start_response, keys, exc.reason, str(exc), status=HTTPStatus.BAD_REQUEST)
        handler = self.routes().get(path)
        if handler is None or method != "POST":
            return self._answer(start_response, keys, request, HTTPStatus.NOT_FOUND, _error("not_found", path))
        try:
            with store.opened(self.db_path) as connection:
                answer = handler(connection, payload)
        except store.BankRequestError as exc:
            return self._answer(start_response, keys, request, HTTPStatus(exc.status), _error(exc.code, str(exc)))
        return self._answer(start_response, keys, request, HTTPStatus.OK, answer)

    def _answer(
        self,
        start_response: StartResponse,
        keys: keyfiles.PartyKeys,
        request: Any,
        status: HTTPStatus,
        payload: Mapping[str, Any],
    ) -> list[bytes]:
        out = wire.seal_response(keys, request, status=status.value, payload=payload)
        headers = [*out.headers.items(), ("Content-Length", str(len(out.body)))]
        start_response(f"{status.value} {status.phrase}", headers)
        return [out.body]

    def _refuse(
        self,
        start_response: StartResponse,
        keys: keyfiles.PartyKeys,
        code: str,
        message: str,
        status: HTTPStatus = HTTPStatus.UNAUTHORIZED,
    ) -> list[bytes]:
        return self._answer(start_response, keys, None, status, _error(code, message))

    def _plain(self, start_response: StartResponse, status: HTTPStatus, code: str, message: str) -> list[bytes]:
        payload = json.dumps(_error(code, message)).encode()
        start_response(
            f"{status.value} {status.phrase}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
        )
        return [payload]

    # --- push notifications --------------------------------------------------------------------------------

    def push(self, *, force: bool = False) -> dict[str, Any]:
        """Deliver due notifications to the platform: one signed, encrypted POST per account with its pending
        movements in sequence order. A 2xx acknowledges them; anything else schedules a retry with backoff."""
        delivered = failed = 0
        errors: list[str] = []
        with self.push_lock, store.opened(self.db_path) as connection:
            url = store.get_meta(connection, "notify_url")
            if not url:
                return {"delivered": 0, "failed": 0, "errors": ["no notify URL configured"]}
            keys = self.keys.current()
            for account, ids in store.pending_notifications(connection, at=time.time(), force=force):
                movements = store.outbox_movements(connection, ids)
                payload = {"type": "movements", "account_number": account, "movements": movements}
                out = wire.seal_request(keys, method="POST", url=url, payload=payload)
                http_request = urllib.request.Request(url, data=out.body, method="POST", headers=out.headers)  # noqa: S310 - configured platform URL
                try:
                    with urllib.request.urlopen(http_request, timeout=PUSH_TIMEOUT_SECONDS) as response:  # noqa: S310
                        ok = 200 <= response.status < 300
                        error = "" if ok else f"HTTP {response.status}"
                except urllib.error.HTTPError as exc:
                    ok, error = False, f"HTTP {exc.code}: {exc.read()[:200]!r}"
                except OSError as exc:
                    ok, error = False, str(exc)
                if ok:
                    store.mark_delivered(connection, ids)
                    delivered += len(ids)
                else:
                    store.mark_failed(connection, ids, at=time.time(), error=error)
                    failed += len(ids)
                    errors.append(error)
        return {"delivered": delivered, "failed": failed, "errors": errors}

    def discard(self, connection: sqlite3.Connection) -> dict[str, Any]:
        """Mark every pending notification delivered without sending it (a test starting from a clean slate)."""
        with self.push_lock, store.writing(connection):
            count = connection.execute(
                "UPDATE outbox SET delivered_at = 'discarded' WHERE delivered_at IS NULL"
            ).rowcount
        return {"discarded": count}

    def start_pusher(self, interval: float) -> threading.Thread:
        def loop() -> None:
            while True:
                time.sleep(interval)
                try:
                    self.push()
                except Exception as exc:
                    sys.stderr.write(f"bank pusher: {exc!r}\n")

        thread = threading.Thread(target=loop, name="bank-pusher", daemon=True)
        thread.start()
        return thread


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}
