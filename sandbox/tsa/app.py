"""The TSA's HTTP API, a plain WSGI application (see the package docstring for the endpoints)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import pem, tsp
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from sandbox.tsa.keys import TsaKeys

QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"
MAX_QUERY_BYTES = 64 * 1024

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _der(data: bytes) -> bytes:
    return pem.unarmor(data)[2] if pem.detect(data) else data


def _answer(start_response: StartResponse, status: HTTPStatus, body: bytes, content_type: str) -> list[bytes]:
    start_response(
        f"{status.value} {status.phrase}", [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    )
    return [body]


def _error(start_response: StartResponse, status: HTTPStatus, message: str) -> list[bytes]:
    body = json.dumps({"error": {"code": status.phrase.lower().replace(" ", "_"), "message": message}}).encode()
    return _answer(start_response, status, body, "application/json")


def make_app(keys: TsaKeys) -> WSGIApp:
    root = asn1_x509.Certificate.load(_der(keys.root_pem))
    certificate = asn1_x509.Certificate.load(_der(keys.certificate_pem))
    stamper = DummyTimeStamper(
        tsa_cert=certificate,
        tsa_key=asn1_keys.PrivateKeyInfo.load(_der(keys.key_pem)),
        certs_to_embed=SimpleCertificateStore.from_certs([root]),
    )

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        if path == "/health":
            return _answer(start_response, HTTPStatus.OK, b'{"status": "ok"}', "application/json")
        if path == "/root.pem" and method == "GET":
            return _answer(start_response, HTTPStatus.OK, keys.root_pem, "application/x-pem-file")
        if path != "/":
            return _error(start_response, HTTPStatus.NOT_FOUND, f"no such endpoint: {path}")
        if method != "POST":
            return _error(start_response, HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not allowed; POST a query")
        if environ.get("CONTENT_TYPE", "").split(";")[0].strip() != QUERY_TYPE:
            return _error(start_response, HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"send {QUERY_TYPE}")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_QUERY_BYTES:
            return _error(start_response, HTTPStatus.BAD_REQUEST, f"a query is 1 to {MAX_QUERY_BYTES} bytes")
        body = environ["wsgi.input"].read(length)
        try:
            request = tsp.TimeStampReq.load(body)
            request.native  # noqa: B018 - parses the whole structure, so a malformed query fails here
            response = stamper.request_tsa_response(request)
        except (ValueError, TypeError, KeyError) as exc:
            return _error(start_response, HTTPStatus.BAD_REQUEST, f"not a timestamp query: {exc}")
        return _answer(start_response, HTTPStatus.OK, response.dump(), REPLY_TYPE)

    return app
