"""The sandbox payment service's HTTP side, a plain WSGI application (protocol in ``__init__.py``).

``/v1/...`` requests are signed, digested and encrypted POSTs from the platform, refused with 401 before
anything is read or written if any check fails. ``/pay/<notice_number>`` is the party's page (HTML).
``GET /health`` answers when the service is ready.
"""

from __future__ import annotations

import html
import json
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any

from partnerproto import envelope, keyfiles, wire
from partnerproto.signatures import MemoryNonceStore, SignatureError
from sandbox.payments import store

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
MAX_BODY = 1024 * 1024
PUSH_TIMEOUT_SECONDS = 5
SANDBOX_ACCOUNT = "6222 0200 0000 0000 017"  # the account a party "pays from" on the sandbox page


class KeyFile:
    """The service's key file, re-read when it changes."""

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


def _base_url(environ: Mapping[str, Any]) -> str:
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    return f"{scheme}://{host}"


def _target_uri(environ: Mapping[str, Any]) -> str:
    query = environ.get("QUERY_STRING", "")
    return f"{_base_url(environ)}{environ.get('PATH_INFO', '/')}" + (f"?{query}" if query else "")


def _yuan(fen: int) -> str:
    whole, cents = divmod(fen, 100)
    return f"{whole:,}.{cents:02d}"


class PaymentsApp:
    def __init__(self, db_path: Path, key_file: Path) -> None:
        self.db_path = db_path
        self.keys = KeyFile(key_file)
        self.nonces = MemoryNonceStore()
        self.push_lock = threading.Lock()
        store.initialise(db_path)

    def routes(self, base_url: str) -> dict[str, Callable[[sqlite3.Connection, dict[str, Any]], dict[str, Any]]]:
        return {
            "/v1/orders": lambda c, d: store.create_order(c, d, base_url),
            "/v1/orders/get": lambda c, d: store.order_view(
                store.get_order(c, store._text(d, "notice_number", limit=40)), base_url
            ),
            "/v1/refunds": store.refund,
            "/v1/statements": store.statement,
            "/v1/test/notify-url": self._set_notify_url,
            "/v1/test/push": lambda c, d: self.push(force=True),
        }

    def _set_notify_url(self, connection: sqlite3.Connection, data: dict[str, Any]) -> dict[str, Any]:
        url = data.get("url")
        if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
            raise store.PaymentsRequestError(422, "invalid_field", "url is an http(s) URL or null")
        with store.writing(connection):
            store.set_meta(connection, "notify_url", url)
        return {"notify_url": url}

    # --- WSGI --------------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET"))
        path = str(environ.get("PATH_INFO", "/"))
        if path == "/health" and method == "GET":
            return self._plain(start_response, HTTPStatus.OK, {"status": "ok"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            return self._plain(start_response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _error("body_too_large", ""))
        raw: bytes = environ["wsgi.input"].read(length) if length else b""
        if path.startswith("/pay/"):
            return self._pay_page(environ, start_response, method, path.removeprefix("/pay/"), raw)
        keys = self.keys.current()
        try:
            request, _verified, payload = wire.open_request(
                keys, self.nonces, method=method, target_uri=_target_uri(environ), headers=_headers(environ), body=raw
            )
        except SignatureError as exc:
            return self._answer(start_response, keys, None, HTTPStatus.UNAUTHORIZED, _error(exc.reason, str(exc)))
        except (envelope.EnvelopeError, wire.ProtocolError) as exc:
            return self._answer(start_response, keys, None, HTTPStatus.BAD_REQUEST, _error(exc.reason, str(exc)))
        handler = self.routes(_base_url(environ)).get(path)
        if handler is None or method != "POST":
            return self._answer(start_response, keys, request, HTTPStatus.NOT_FOUND, _error("not_found", path))
        try:
            with store.opened(self.db_path) as connection:
                answer = handler(connection, payload)
        except store.PaymentsRequestError as exc:
            return self._answer(start_response, keys, request, HTTPStatus(exc.status), _error(exc.code, str(exc)))
        return self._answer(start_response, keys, request, HTTPStatus.OK, answer)

    def _answer(
        self, start_response: StartResponse, keys: keyfiles.PartyKeys, request: Any, status: HTTPStatus, payload: Any
    ) -> list[bytes]:
        out = wire.seal_response(keys, request, status=status.value, payload=payload)
        start_response(
            f"{status.value} {status.phrase}", [*out.headers.items(), ("Content-Length", str(len(out.body)))]
        )
        return [out.body]

    def _plain(self, start_response: StartResponse, status: HTTPStatus, payload: Any) -> list[bytes]:
        body = json.dumps(payload).encode()
        start_response(
            f"{status.value} {status.phrase}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        )
        return [body]

    # --- the party's page ------------------------------------------------------------------------------------

    def _pay_page(
        self, environ: Mapping[str, Any], start_response: StartResponse, method: str, notice: str, raw: bytes
    ) -> list[bytes]:
        notice = notice.strip("/")
        with store.opened(self.db_path) as connection:
            try:
                row = store.get_order(connection, notice)
            except store.PaymentsRequestError:
                return self._html(start_response, HTTPStatus.NOT_FOUND, "未找到缴费通知", "<p>缴费通知编号不存在。</p>")
            if method == "POST":
                form = urllib.parse.parse_qs(raw.decode("utf-8", "replace"))
                account_name = (form.get("account_name") or [""])[0].strip()[:200]
                account_number = (form.get("account_number") or [""])[0].strip()[:40]
                if not account_name or not account_number:
                    return self._html(
                        start_response,
                        HTTPStatus.UNPROCESSABLE_ENTITY,
                        "缴费",
                        self._order_html(row, error="请填写付款账户名称和账号。"),
                    )
                store.pay(connection, notice, account_name=account_name, account_number=account_number)
                row = store.get_order(connection, notice)
        if method == "POST":
            # Tell the platform at once (the pusher retries if it cannot be reached now).
            self.push()
        return self._html(start_response, HTTPStatus.OK, "缴费", self._order_html(row))

    def _order_html(self, row: sqlite3.Row, error: str = "") -> str:
        e = html.escape
        facts = (
            f"<dl><dt>缴费通知编号</dt><dd data-testid='notice-number'>{e(row['notice_number'])}</dd>"
            f"<dt>缴费人</dt><dd>{e(row['payer_name'])}</dd>"
            f"<dt>事项</dt><dd>{e(row['description'])}</dd>"
            f"<dt>案号</dt><dd>{e(row['case_reference'])}</dd>"
            f"<dt>金额（元）</dt><dd data-testid='amount'>{_yuan(row['amount'])}</dd></dl>"
        )
        back = (
            f"<p><a href='{e(row['return_url'])}' data-testid='return'>返回法院平台</a></p>"
            if row["return_url"]
            else ""
        )
        if row["status"] == "paid":
            return (
                f"<p class='ok' data-testid='paid'>已支付 · 支付流水号 {e(row['payment_reference'])}</p>{facts}"
                f"<p>付款账户：{e(row['payer_account_name'])} {e(row['payer_account_number'])}</p>{back}"
            )
        problem = f"<p class='error' role='alert'>{e(error)}</p>" if error else ""
        return (
            f"{facts}{problem}<form method='post'>"
            f"<label>付款账户名称<input name='account_name' value='{e(row['payer_name'])}' required></label>"
            f"<label>付款账号<input name='account_number' value='{SANDBOX_ACCOUNT}' required></label>"
            "<button type='submit'>确认支付</button></form>"
            "<p class='note'>沙盒缴费平台：不会发生真实扣款。</p>"
        )

    def _html(self, start_response: StartResponse, status: HTTPStatus, title: str, body: str) -> list[bytes]:
        page = (
            "<!doctype html><html lang='zh-hans'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)} · 沙盒缴费平台</title><style>"
            "body{font-family:sans-serif;max-width:32rem;margin:0 auto;padding:1rem;color:#212529}"
            "h1{font-size:1.3rem}dt{color:#6c757d;font-size:.85rem}dd{margin:0 0 .5rem}"
            "label{display:block;margin:.5rem 0}"
            "input{display:block;width:100%;padding:.4rem;font-size:1rem;box-sizing:border-box}"
            "button{margin-top:.75rem;width:100%;padding:.6rem;font-size:1.1rem;background:#0d6efd;color:#fff;border:0;border-radius:.3rem}"
            ".ok{color:#146c43;font-weight:bold}.error{color:#b02a37}.note{color:#6c757d;font-size:.8rem}"
            "</style></head><body><h1>沙盒缴费平台 · 诉讼费缴纳</h1>"
            f"{body}</body></html>"
        ).encode()
        start_response(
            f"{status.value} {status.phrase}",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))],
        )
        return [page]

    # --- notifications --------------------------------------------------------------------------------------

    def push(self, *, force: bool = False) -> dict[str, Any]:
        delivered = failed = 0
        errors: list[str] = []
        with self.push_lock, store.opened(self.db_path) as connection:
            url = store.get_meta(connection, "notify_url")
            if not url:
                return {"delivered": 0, "failed": 0, "errors": ["no notify URL configured"]}
            keys = self.keys.current()
            for outbox_id, body in store.pending(connection, at=time.time(), force=force):
                out = wire.seal_request(keys, method="POST", url=url, payload=body)
                request = urllib.request.Request(url, data=out.body, method="POST", headers=out.headers)  # noqa: S310 - configured platform URL
                try:
                    with urllib.request.urlopen(request, timeout=PUSH_TIMEOUT_SECONDS) as response:  # noqa: S310
                        ok, error = 200 <= response.status < 300, f"HTTP {response.status}"
                except urllib.error.HTTPError as exc:
                    ok, error = False, f"HTTP {exc.code}: {exc.read()[:200]!r}"
                except OSError as exc:
                    ok, error = False, str(exc)
                if ok:
                    store.mark_delivered(connection, outbox_id)
                    delivered += 1
                else:
                    store.mark_failed(connection, outbox_id, at=time.time(), error=error)
                    failed += 1
                    errors.append(error)
        return {"delivered": delivered, "failed": failed, "errors": errors}

    def start_pusher(self, interval: float) -> threading.Thread:
        def loop() -> None:
            while True:
                time.sleep(interval)
                try:
                    self.push()
                except Exception as exc:
                    sys.stderr.write(f"payments pusher: {exc!r}\n")

        thread = threading.Thread(target=loop, name="payments-pusher", daemon=True)
        thread.start()
        return thread


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}
