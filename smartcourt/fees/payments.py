"""The platform's side of the payment service (sandbox/payments; its protocol is documented there): calls
to it, and the check of what it pushes to us. The partner protocol is the bank's (partnerproto): RFC 9421
signatures, RFC 9530 digests, encrypted envelopes; nonces are remembered in the database
(``smartcourt.services.nonces``) so a replayed notification is refused across processes.

Settings: PAYMENTS_URL (the sandbox: http://127.0.0.1:8103), PAYMENTS_KEYS_DIR (holds ``platform.json``;
the demo generates both sides' files on first use), PAYMENTS_TIMEOUT_SECONDS, PAYMENTS_NOTIFICATION_URL
(the URL the service pushes to, as it calls it; default: the URL the request arrived at)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from partnerproto import envelope, keyfiles, wire
from partnerproto.signatures import SignatureError
from smartcourt.services.nonces import DatabaseNonceStore


class PaymentsUnavailable(Exception):
    """The payment service did not answer, or its answer failed our checks."""


class PaymentsRefused(Exception):
    """The payment service answered with a refusal (``code`` from its error)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class NotificationRefused(Exception):
    """An inbound request that is not authentic, fresh and new (answer 401, change nothing)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def keys_dir() -> Path:
    var_dir = Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var"))
    return Path(getattr(settings, "PAYMENTS_KEYS_DIR", var_dir / "payments"))


def service_url() -> str:
    return str(getattr(settings, "PAYMENTS_URL", "http://127.0.0.1:8103")).rstrip("/")


_cache: dict[Path, tuple[tuple[int, int], keyfiles.PartyKeys]] = {}
_lock = threading.Lock()


def platform_keys() -> keyfiles.PartyKeys:
    directory = keys_dir()
    path = directory / keyfiles.PLATFORM_FILE
    if not path.exists():
        keyfiles.ensure_demo_keys(directory)
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        keys = keyfiles.read(path)
        _cache[path] = (stamp, keys)
        return keys


def call(path: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST ``payload`` to the service; its verified, decrypted answer. Raises PaymentsUnavailable/Refused."""
    keys = platform_keys()
    url = f"{service_url()}{path}"
    out = wire.seal_request(keys, method="POST", url=url, payload=payload)
    request = urllib.request.Request(url, data=out.body, method="POST", headers=out.headers)  # noqa: S310 - configured URL
    timeout = float(getattr(settings, "PAYMENTS_TIMEOUT_SECONDS", 10))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, headers, body = response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, dict(exc.headers.items()), exc.read()
    except OSError as exc:
        raise PaymentsUnavailable(f"the payment service did not answer {path}: {exc}") from exc
    try:
        answer = wire.open_response(keys, out.message, status=status, headers=headers, body=body)
    except (SignatureError, envelope.EnvelopeError, wire.ProtocolError) as exc:
        raise PaymentsUnavailable(f"the payment service's answer to {path} fails our checks: {exc.reason}") from exc
    if status == 200:
        return answer
    error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
    assert isinstance(error, dict)
    if status in (400, 401) or status >= 500:
        raise PaymentsUnavailable(f"the payment service refused {path} (HTTP {status}): {error.get('message')}")
    raise PaymentsRefused(str(error.get("code", status)), str(error.get("message", "")))


def verify_notification(request: HttpRequest) -> dict[str, Any]:
    """The decrypted JSON of an authentic, fresh, never-seen notification. Raises NotificationRefused.
    The nonce is remembered in the caller's transaction, so a refused booking forgets it again."""
    target = str(getattr(settings, "PAYMENTS_NOTIFICATION_URL", "") or request.build_absolute_uri())
    headers = {name.lower(): value for name, value in request.headers.items()}
    try:
        _message, _verified, payload = wire.open_request(
            platform_keys(),
            DatabaseNonceStore(),
            method=request.method or "POST",
            target_uri=target,
            headers=headers,
            body=request.body,
        )
    except SignatureError as exc:
        raise NotificationRefused(exc.reason, str(exc)) from exc
    except (envelope.EnvelopeError, wire.ProtocolError) as exc:
        raise NotificationRefused(exc.reason, str(exc)) from exc
    return json.loads(json.dumps(payload))
