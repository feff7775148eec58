"""The gateway's operator interface, a plain WSGI application on loopback. It takes no package and answers
nothing about the receiving side: GET /health, GET /state (counts), POST /scan (scan now, answer the outcomes)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from sandbox.gateway.gateway import Gateway

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _json(start_response: StartResponse, status: HTTPStatus, body: object) -> list[bytes]:
    payload = json.dumps(body, ensure_ascii=False).encode()
    start_response(
        f"{status.value} {status.phrase}",
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(payload)))],
    )
    return [payload]


def make_app(gateway: Gateway) -> WSGIApp:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        if path == "/health":
            return _json(start_response, HTTPStatus.OK, {"status": "ok"})
        if path == "/state" and method == "GET":
            return _json(start_response, HTTPStatus.OK, gateway.status())
        if path == "/scan" and method == "POST":
            outcomes = [outcome.as_dict() for outcome in gateway.scan()]
            return _json(start_response, HTTPStatus.OK, {"outcomes": outcomes, **gateway.status()})
        return _json(start_response, HTTPStatus.NOT_FOUND, {"error": {"code": "not_found", "message": path}})

    return app
