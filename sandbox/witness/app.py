"""The witness's HTTP API, a plain WSGI application (no framework: the stand-in must stay small).

GET  /health        {"status": "ok"}
GET  /state         its view (size, root), whether it has halted, its alarms, its verifier key
POST /poll          fetch the log's latest checkpoint now and handle it (what the timer does)
POST /checkpoints   {"checkpoint": "<signed note>"}: show the witness a checkpoint someone was given
                    (gossip). 200 with its outcome; 409 when it conflicts (the alarm is raised);
                    403 when it is not signed by the log; 422 when it is not a checkpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from sandbox.witness.witness import LogUnreachable, Malformed, Rejected, Witness

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
MAX_BODY = 256 * 1024


def _json(start_response: StartResponse, status: HTTPStatus, body: object) -> list[bytes]:
    payload = json.dumps(body, ensure_ascii=False).encode()
    start_response(
        f"{status.value} {status.phrase}",
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(payload)))],
    )
    return [payload]


def _error(start_response: StartResponse, status: HTTPStatus, message: str) -> list[bytes]:
    code = status.phrase.lower().replace(" ", "_")
    return _json(start_response, status, {"error": {"code": code, "message": message}})


def _checkpoint(witness: Witness, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
    """A checkpoint the log pushes: witnessed (cosigned) when it extends the last one, an alarm when not."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if not 0 < length <= MAX_BODY:
        return _error(start_response, HTTPStatus.UNPROCESSABLE_ENTITY, "send a JSON body of at most 256 KiB")
    try:
        body = json.loads(environ["wsgi.input"].read(length))
        encoded = body["checkpoint"]
        if not isinstance(encoded, str):
            raise TypeError("checkpoint is a string")
    except (ValueError, KeyError, TypeError) as exc:
        return _error(start_response, HTTPStatus.UNPROCESSABLE_ENTITY, f"give {{'checkpoint': note}}: {exc}")
    try:
        outcome = witness.observe(encoded, latest=False)
    except Malformed as exc:
        return _error(start_response, HTTPStatus.UNPROCESSABLE_ENTITY, str(exc))
    except Rejected as exc:
        return _error(start_response, HTTPStatus.FORBIDDEN, str(exc))
    except LogUnreachable as exc:
        return _error(start_response, HTTPStatus.BAD_GATEWAY, str(exc))
    witness.deliver()
    status = HTTPStatus.CONFLICT if outcome.status == "alarm" else HTTPStatus.OK
    return _json(start_response, status, outcome.as_dict())


def make_app(witness: Witness) -> WSGIApp:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        if path == "/health":
            return _json(start_response, HTTPStatus.OK, {"status": "ok"})
        if path == "/state" and method == "GET":
            return _json(start_response, HTTPStatus.OK, witness.state())
        if path == "/poll" and method == "POST":
            try:
                outcome = witness.poll()
            except LogUnreachable as exc:
                return _error(start_response, HTTPStatus.BAD_GATEWAY, str(exc))
            return _json(start_response, HTTPStatus.OK, outcome.as_dict())
        if path == "/checkpoints" and method == "POST":
            return _checkpoint(witness, environ, start_response)
        if path in ("/state", "/poll", "/checkpoints"):
            return _error(start_response, HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not allowed on {path}")
        return _error(start_response, HTTPStatus.NOT_FOUND, f"no such endpoint: {path}")

    return app
