"""The status service's HTTP API, a plain WSGI application (see the package docstring for the endpoints)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

REQUEST_TYPE = "application/ocsp-request"
RESPONSE_TYPE = "application/ocsp-response"
CRL_TYPE = "application/pkix-crl"
MAX_BODY_BYTES = 64 * 1024
# How long an answer may be relied on: a relying party asks again after this.
VALIDITY = dt.timedelta(days=1)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_HASHES: dict[str, Callable[[bytes], Any]] = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "sha512": hashlib.sha512,
}


def _responder(
    key: ec.EllipticCurvePrivateKey, ca: x509.Certificate
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A delegated OCSP responder certificate issued by the CA (RFC 6960 §4.2.2.2: id-kp-OCSPSigning), with
    id-pkix-ocsp-nocheck (§4.2.2.2.1) so that a validator need not ask about the responder itself; short-lived
    and made anew at every start."""
    responder_key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "SmartCourt Seal CA OCSP Responder")]))
        .issuer_name(ca.subject)
        .public_key(responder_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=True)
        .add_extension(x509.OCSPNoCheck(), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return responder_key, certificate


@dataclass
class CaStatus:
    """The CA's key and certificate, its delegated OCSP responder, and the register of revoked serial numbers
    (a JSON file)."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    responder_key: ec.EllipticCurvePrivateKey
    responder: x509.Certificate
    path: Path
    revoked: dict[int, tuple[dt.datetime, str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(cls, ca_dir: Path, path: Path) -> CaStatus:
        key = serialization.load_pem_private_key((ca_dir / "ca.key").read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise SystemExit(f"{ca_dir / 'ca.key'} is not an EC key")
        certificate = x509.load_pem_x509_certificate((ca_dir / "ca.pem").read_bytes())
        responder_key, responder = _responder(key, certificate)
        status = cls(key=key, certificate=certificate, responder_key=responder_key, responder=responder, path=path)
        if path.exists():
            for serial, (when, reason) in json.loads(path.read_text()).items():
                status.revoked[int(serial, 16)] = (dt.datetime.fromisoformat(when), reason)
        return status

    def revoke(self, serial: int, when: dt.datetime, reason: str) -> bool:
        """Record a revocation; False if it was already recorded (the first time stands)."""
        with self.lock:
            if serial in self.revoked:
                return False
            self.revoked[serial] = (when, reason)
            data = {f"{s:x}": [w.isoformat(), r] for s, (w, r) in self.revoked.items()}
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(data, indent=1))
            temporary.replace(self.path)
            return True

    def issued_by_us(self, name_hash: bytes, key_hash: bytes, algorithm: str) -> bool:
        digest = _HASHES.get(algorithm)
        if digest is None:
            return False
        public = self.certificate.public_key()
        assert isinstance(public, ec.EllipticCurvePublicKey)
        point = public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        ours_name = digest(self.certificate.subject.public_bytes()).digest()
        ours_key = digest(point).digest()
        return hmac.compare_digest(ours_name, name_hash) and hmac.compare_digest(ours_key, key_hash)

    def ocsp_response(self, request: ocsp.OCSPRequest, now: dt.datetime) -> ocsp.OCSPResponse:
        algorithm = request.hash_algorithm
        if not self.issued_by_us(request.issuer_name_hash, request.issuer_key_hash, algorithm.name):
            return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
        revoked = self.revoked.get(request.serial_number)
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash,
            issuer_key_hash=request.issuer_key_hash,
            serial_number=request.serial_number,
            algorithm=algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
            this_update=now,
            next_update=now + VALIDITY,
            revocation_time=revoked[0] if revoked else None,
            revocation_reason=x509.ReasonFlags.unspecified if revoked else None,
        )
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, self.responder).certificates([self.responder])
        try:
            nonce = request.extensions.get_extension_for_class(x509.OCSPNonce).value
            builder = builder.add_extension(nonce, critical=False)
        except x509.ExtensionNotFound:
            pass
        return builder.sign(self.responder_key, hashes.SHA256())

    def crl(self, now: dt.datetime) -> x509.CertificateRevocationList:
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.certificate.subject)
            .last_update(now)
            .next_update(now + VALIDITY)
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
        )
        for serial, (when, _reason) in sorted(self.revoked.items()):
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
            )
        return builder.sign(self.key, hashes.SHA256())


def _answer(start_response: StartResponse, status: HTTPStatus, body: bytes, content_type: str) -> list[bytes]:
    start_response(
        f"{status.value} {status.phrase}", [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    )
    return [body]


def _error(start_response: StartResponse, status: HTTPStatus, message: str) -> list[bytes]:
    body = json.dumps({"error": {"code": status.phrase.lower().replace(" ", "_"), "message": message}}).encode()
    return _answer(start_response, status, body, "application/json")


def _body(environ: dict[str, Any]) -> bytes | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_BODY_BYTES:
        return None
    body: bytes = environ["wsgi.input"].read(length)
    return body


def make_app(status: CaStatus, key: str) -> WSGIApp:
    def revocation(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        given = environ.get("HTTP_AUTHORIZATION", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {key}".encode()):
            return _error(start_response, HTTPStatus.UNAUTHORIZED, "a bearer key is required")
        body = _body(environ)
        try:
            data = json.loads(body or b"")
            serial = int(str(data["serial"]), 16)
            when = dt.datetime.fromisoformat(str(data["revoked_at"]))
            reason = str(data.get("reason", ""))[:200]
            if when.tzinfo is None:
                raise ValueError("revoked_at needs a time zone")
        except (ValueError, KeyError, TypeError) as exc:
            return _error(start_response, HTTPStatus.BAD_REQUEST, f"not a revocation: {exc}")
        created = status.revoke(serial, when, reason)
        body_out = json.dumps({"serial": f"{serial:x}", "recorded": created}).encode()
        return _answer(start_response, HTTPStatus.CREATED if created else HTTPStatus.OK, body_out, "application/json")

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        if path == "/health":
            return _answer(start_response, HTTPStatus.OK, b'{"status": "ok"}', "application/json")
        if path == "/crl" and method == "GET":
            crl = status.crl(now).public_bytes(serialization.Encoding.DER)
            return _answer(start_response, HTTPStatus.OK, crl, CRL_TYPE)
        if path == "/revocations" and method == "POST":
            return revocation(environ, start_response)
        if path != "/":
            return _error(start_response, HTTPStatus.NOT_FOUND, f"no such endpoint: {path}")
        return _ocsp(status, environ, start_response, method=method, now=now)

    return app


def _ocsp(
    status: CaStatus, environ: dict[str, Any], start_response: StartResponse, *, method: str, now: dt.datetime
) -> list[bytes]:
    """An OCSP request POSTed as RFC 6960 Appendix A.1 says; a malformed one answered as OCSP answers it."""
    if method != "POST":
        return _error(start_response, HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not allowed; POST a request")
    if environ.get("CONTENT_TYPE", "").split(";")[0].strip() != REQUEST_TYPE:
        return _error(start_response, HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"send {REQUEST_TYPE}")
    body = _body(environ)
    if body is None:
        return _error(start_response, HTTPStatus.BAD_REQUEST, f"a request is 1 to {MAX_BODY_BYTES} bytes")
    try:
        request = ocsp.load_der_ocsp_request(body)
    except ValueError:
        malformed = ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        return _answer(start_response, HTTPStatus.OK, malformed.public_bytes(serialization.Encoding.DER), RESPONSE_TYPE)
    response = status.ocsp_response(request, now)
    return _answer(start_response, HTTPStatus.OK, response.public_bytes(serialization.Encoding.DER), RESPONSE_TYPE)
