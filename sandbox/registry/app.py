"""The sandbox registry's HTTP API, a plain WSGI application (no framework: the stand-in must stay small).

    GET /health                     {"status": "ok"}  (no key needed: for start-up checks)
    GET /companies?q=<name|code>    {"count": n, "results": [summary, ...]}  (at most 20, by name)
    GET /companies/<credit code>    the company with its shareholders, or 404

Every other request needs the header ``X-Registry-Key`` with the key both sides are configured with. A real
registry (the market-regulation authority's data-sharing interface) would not accept a shared key alone:
it signs its answers and wants each request signed (DESIGN.md §2: RFC 9421 HTTP Message Signatures with an
RFC 9530 Content-Digest) over a dedicated line. The shared key keeps the sandbox honest about the adapter
needing credentials without building the signature exchange before the bank adapter does.

Amounts are integers in fen; dates are ISO 8601.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

from sandbox.registry import store

KEY_HEADER = "HTTP_X_REGISTRY_KEY"  # X-Registry-Key as WSGI names it
MAX_QUERY = 100

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_COMPANY_PATH = re.compile(r"^/companies/([^/]+)$")


def _json(start_response: StartResponse, status: HTTPStatus, body: object) -> list[bytes]:
    payload = json.dumps(body, ensure_ascii=False).encode()
    start_response(
        f"{status.value} {status.phrase}",
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(payload)))],
    )
    return [payload]


def _error(start_response: StartResponse, status: HTTPStatus, message: str) -> list[bytes]:
    return _json(
        start_response, status, {"error": {"code": status.phrase.lower().replace(" ", "_"), "message": message}}
    )


def make_app(db_path: Path, api_key: str) -> WSGIApp:
    if not api_key:
        raise ValueError("the sandbox registry needs an API key")
    expected = api_key.encode()

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        if path == "/health":
            return _json(start_response, HTTPStatus.OK, {"status": "ok"})
        if method != "GET":
            return _error(start_response, HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not allowed; use GET")
        given = str(environ.get(KEY_HEADER, "")).encode()
        if not hmac.compare_digest(given, expected):
            return _error(start_response, HTTPStatus.UNAUTHORIZED, "missing or wrong X-Registry-Key")
        if path == "/companies":
            query = parse_qs(environ.get("QUERY_STRING", "")).get("q", [""])[0].strip()
            if not query:
                return _error(start_response, HTTPStatus.BAD_REQUEST, "give q: a company name or credit code")
            if len(query) > MAX_QUERY:
                return _error(start_response, HTTPStatus.BAD_REQUEST, f"q is longer than {MAX_QUERY} characters")
            with store.opened(db_path) as connection:
                results = store.search(connection, query)
            return _json(start_response, HTTPStatus.OK, {"count": len(results), "results": results})
        match = _COMPANY_PATH.match(path)
        if match:
            code = unquote(match.group(1))
            with store.opened(db_path) as connection:
                found = store.company(connection, code)
            if found is None:
                return _error(start_response, HTTPStatus.NOT_FOUND, f"no company with credit code {code}")
            return _json(start_response, HTTPStatus.OK, found)
        return _error(start_response, HTTPStatus.NOT_FOUND, f"no such endpoint: {path}")

    return app
