"""The platform's certificate authority for seal certificates.

A demo or development install generates its own CA on first use (ECDSA P-256, in VAR_DIR/documents_ca/);
production configures a PKCS#12 file (settings.DOCUMENTS_CA_PKCS12 and DOCUMENTS_CA_PASSWORD) holding the CA
key and certificate. Seal keys are kept encrypted under a key derived from SECRET_KEY."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from django.conf import settings

CA_NAME = "SmartCourt Development Seal CA"


@dataclass(frozen=True)
class CertificateAuthority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _new_ca() -> CertificateAuthority:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME), x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - dt.timedelta(days=1))
        .not_valid_after(_now() + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CertificateAuthority(key=key, certificate=certificate)


def _dev_ca(directory: Path) -> CertificateAuthority:
    key_path, cert_path = directory / "ca.key", directory / "ca.pem"
    if not key_path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        ca = _new_ca()
        key_pem = ca.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Written to a temporary name and renamed: a second process starting at the same moment sees either
        # no CA or a whole one; if it lost the race it reads the winner's.
        for path, data in ((cert_path, ca.certificate.public_bytes(serialization.Encoding.PEM)), (key_path, key_pem)):
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(data)
            temporary.chmod(0o600)
            if not path.exists():
                temporary.replace(path)
            else:
                temporary.unlink()
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise RuntimeError(f"{key_path} is not an EC key")
    return CertificateAuthority(key=key, certificate=x509.load_pem_x509_certificate(cert_path.read_bytes()))


@functools.cache
def certificate_authority() -> CertificateAuthority:
    configured = getattr(settings, "DOCUMENTS_CA_PKCS12", None)
    if configured:
        password = getattr(settings, "DOCUMENTS_CA_PASSWORD", None)
        key, certificate, _chain = pkcs12.load_key_and_certificates(
            Path(configured).read_bytes(), password.encode() if password else None
        )
        if not isinstance(key, ec.EllipticCurvePrivateKey) or certificate is None:
            raise RuntimeError("the configured CA PKCS#12 must hold an EC key and its certificate")
        return CertificateAuthority(key=key, certificate=certificate)
    return _dev_ca(Path(settings.VAR_DIR) / "documents_ca")


def _key_password() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), b"smartcourt.documents.seal-key", hashlib.sha256).hexdigest().encode()


def issue_seal_certificate(common_name: str, organisation: str) -> tuple[str, str, str]:
    """A new key and certificate for a seal: (certificate PEM, encrypted key PEM, SHA-256 fingerprint)."""
    ca = certificate_authority()
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - dt.timedelta(days=1))
        .not_valid_after(_now() + dt.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    status_url = getattr(settings, "DOCUMENTS_OCSP_URL", None)
    if status_url:
        # Where a relying party asks whether the seal is still good (RFC 6960 OCSP, RFC 5280 CRL): the answers
        # are what a long-term signature (PAdES B-LT) embeds in the document security store.
        base = status_url.rstrip("/")
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(base + "/"))]
            ),
            critical=False,
        ).add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(base + "/crl")],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
    certificate = builder.sign(ca.key, hashes.SHA256())
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_key_password()),
    ).decode()
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
    return certificate.public_bytes(serialization.Encoding.PEM).decode(), key_pem, fingerprint


def load_seal_key(key_pem: str) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(key_pem.encode(), password=_key_password())
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise RuntimeError("a seal key is an EC key")
    return key
