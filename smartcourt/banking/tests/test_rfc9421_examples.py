"""RFC 9421 §2 (every kind of component) and Appendix B (the RFC's own signed examples, with its test keys):
the signature base the partner protocol builds is the RFC's byte for byte, and the RFC's signatures verify
over it. Also RFC 9530 digests with parameters and RFC 9162 consistency proofs from the empty tree."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from partnerproto import merkle, structured
from partnerproto.digest import DigestError, verify_content_digest
from partnerproto.signatures import Component, Message, SignatureError, parse_dictionary, signature_base

# --- Appendix B.1: the RFC's test keys (public, for interoperability tests only) ------------------------------

RSA_PSS_PUBLIC = b"""-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr4tmm3r20Wd/PbqvP1s2
+QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct+Lh1GH45x28Rw3Ry53mm+
oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHq
gDsznjPFmTOtCEcN2Z1FpWgchwuYLPL+Wokqltd11nqqzi+bJ9cvSKADYdUAAN5W
Utzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4
aOT9v6d+nb4bnNkQVklLQ3fVAvJm+xdDOp9LCNCN48V2pnDOkFV6+U9nV5oyc6XI
2wIDAQAB
-----END PUBLIC KEY-----
"""
P256_PUBLIC = b"""-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqIVYZVLCrPZHGHjP17CTW0/+D9Lf
w0EkjqF7xB4FivAxzic30tMM4GF+hR6Dxh71Z50VGGdldkkDXZCnTNnoXQ==
-----END PUBLIC KEY-----
"""
ED25519_PRIVATE = base64.urlsafe_b64decode("n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU=")
ED25519_PUBLIC = base64.b64decode("JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=")
SHARED_SECRET = base64.b64decode(
    "uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ=="
)

# --- Appendix B.2: the test request and response ---------------------------------------------------------------

DIGEST_512 = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
RESPONSE_DIGEST = "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:"

REQUEST = Message(
    method="POST",
    target_uri="https://example.com/foo?param=Value&Pet=dog",
    headers={
        "host": "example.com",
        "date": "Tue, 20 Apr 2021 02:07:55 GMT",
        "content-type": "application/json",
        "content-digest": DIGEST_512,
        "content-length": "18",
    },
)
REQUEST_BODY = b'{"hello": "world"}\n'
RESPONSE = Message(
    status=200,
    headers={
        "date": "Tue, 20 Apr 2021 02:07:56 GMT",
        "content-type": "application/json",
        "content-digest": RESPONSE_DIGEST,
        "content-length": "23",
    },
    request=REQUEST,
)
RESPONSE_BODY = b'{"message": "good dog"}\n'
CLIENT_CERT = (
    ":MIIBqDCCAU6gAwIBAgIBBzAKBggqhkjOPQQDAjA6MRswGQYDVQQKDBJMZXQncyBBdXRoZW50aWNhdGUxGzAZBgNVBAMMEkxBIEludGVyb"
    "WVkaWF0ZSBDQTAeFw0yMDAxMTQyMjU1MzNaFw0yMTAxMjMyMjU1MzNaMA0xCzAJBgNVBAMMAkJDMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQ"
    "cDQgAE8YnXXfaUgmnMtOXU/IncWalRhebrXmckC8vdgJ1p5Be5F/3YC8OthxM4+k1M6aEAEFcGzkJiNy6J84y7uzo9M6NyMHAwCQYDVR0T"
    "BAIwADAfBgNVHSMEGDAWgBRm3WjLa38lbEYCuiCPct0ZaSED2DAOBgNVHQ8BAf8EBAMCBsAwEwYDVR0lBAwwCgYIKwYBBQUHAwIwHQYDVR0R"
    "AQH/BBMwEYEPYmRjQGV4YW1wbGUuY29tMAoGCCqGSM49BAMCA0gAMEUCIBHda/r1vaL6G3VliL4/Di6YK0Q6bMjeSkC3dFCOOB8TAiEAx/"
    "kHSB4urmiZ0NX5r5XarmPk0wmuydBVoU4hBVZ1yhk=:"
)
PROXIED = Message(
    method="POST",
    target_uri="https://service.internal.example/foo?param=Value&Pet=dog",
    headers={
        "host": "service.internal.example",
        "date": "Tue, 20 Apr 2021 02:07:55 GMT",
        "content-type": "application/json",
        "content-length": "18",
        "client-cert": CLIENT_CERT,
    },
)

# (label, message, Signature-Input, Signature, algorithm, expected signature base lines)
VECTORS = [
    (
        "B.2.1",
        REQUEST,
        'sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"',
        "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsck"
        "zXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+"
        "O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhd"
        "xO5Nyt8C8ssinQ98Xw9Q==:",
        "rsa-pss-sha512",
        ['"@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"'],
    ),
    (
        "B.2.2",
        REQUEST,
        'sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473'
        ';keyid="test-key-rsa-pss";tag="header-example"',
        "sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB"
        "4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7C"
        "l+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/Xa"
        "Ve4bXTugEjHSw==:",
        "rsa-pss-sha512",
        [
            '"@authority": example.com',
            f'"content-digest": {DIGEST_512}',
            '"@query-param";name="Pet": dog',
            '"@signature-params": ("@authority" "content-digest" "@query-param";name="Pet");created=1618884473'
            ';keyid="test-key-rsa-pss";tag="header-example"',
        ],
    ),
    (
        "B.2.3",
        REQUEST,
        'sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length")'
        ';created=1618884473;keyid="test-key-rsa-pss"',
        "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768Zr"
        "CUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CC"
        "oC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5f"
        "TIztsDZKEgM4cUA==:",
        "rsa-pss-sha512",
        [
            '"date": Tue, 20 Apr 2021 02:07:55 GMT',
            '"@method": POST',
            '"@path": /foo',
            '"@query": ?param=Value&Pet=dog',
            '"@authority": example.com',
            '"content-type": application/json',
            f'"content-digest": {DIGEST_512}',
            '"content-length": 18',
            '"@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest"'
            ' "content-length");created=1618884473;keyid="test-key-rsa-pss"',
        ],
    ),
    (
        "B.2.4",
        RESPONSE,
        'sig-b24=("@status" "content-type" "content-digest" "content-length");created=1618884473'
        ';keyid="test-key-ecc-p256"',
        "sig-b24=:wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw==:",
        "ecdsa-p256-sha256",
        [
            '"@status": 200',
            '"content-type": application/json',
            f'"content-digest": {RESPONSE_DIGEST}',
            '"content-length": 23',
            '"@signature-params": ("@status" "content-type" "content-digest" "content-length");created=1618884473'
            ';keyid="test-key-ecc-p256"',
        ],
    ),
    (
        "B.2.5",
        REQUEST,
        'sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
        "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:",
        "hmac-sha256",
        [
            '"date": Tue, 20 Apr 2021 02:07:55 GMT',
            '"@authority": example.com',
            '"content-type": application/json',
            '"@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
        ],
    ),
    (
        "B.2.6",
        REQUEST,
        'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473'
        ';keyid="test-key-ed25519"',
        "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:",
        "ed25519",
        [
            '"date": Tue, 20 Apr 2021 02:07:55 GMT',
            '"@method": POST',
            '"@path": /foo',
            '"@authority": example.com',
            '"content-type": application/json',
            '"content-length": 18',
            '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length")'
            ';created=1618884473;keyid="test-key-ed25519"',
        ],
    ),
    (
        "B.3",
        PROXIED,
        'ttrp=("@path" "@query" "@method" "@authority" "client-cert");created=1618884473;keyid="test-key-ecc-p256"',
        "ttrp=:xVMHVpawaAC/0SbHrKRs9i8I3eOs5RtTMGCWXm/9nvZzoHsIg6Mce9315T6xoklyy0yzhD9ah4JHRwMLOgmizw==:",
        "ecdsa-p256-sha256",
        [
            '"@path": /foo',
            '"@query": ?param=Value&Pet=dog',
            '"@method": POST',
            '"@authority": service.internal.example',
            f'"client-cert": {CLIENT_CERT}',
            '"@signature-params": ("@path" "@query" "@method" "@authority" "client-cert");created=1618884473'
            ';keyid="test-key-ecc-p256"',
        ],
    ),
]


def base_of(message: Message, signature_input: str) -> tuple[str, bytes]:
    """The label and signature base for a Signature-Input value, as a verifier rebuilds it."""
    ((label, (covered, params)),) = parse_dictionary(signature_input).items()
    assert isinstance(covered, list)
    components = [Component(str(name), tuple(p.items())) for name, p in covered]
    value = structured.serialize_inner_list(covered, params)
    return label, signature_base(message, components, value)


def verifies(algorithm: str, base: bytes, signature: bytes) -> bool:
    try:
        if algorithm == "rsa-pss-sha512":
            key = serialization.load_pem_public_key(RSA_PSS_PUBLIC)
            assert isinstance(key, rsa.RSAPublicKey)
            key.verify(signature, base, padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64), hashes.SHA512())
        elif algorithm == "ecdsa-p256-sha256":
            key = serialization.load_pem_public_key(P256_PUBLIC)
            assert isinstance(key, ec.EllipticCurvePublicKey)
            r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            key.verify(encode_dss_signature(r, s), base, ec.ECDSA(hashes.SHA256()))
        elif algorithm == "hmac-sha256":
            return hmac.compare_digest(hmac.new(SHARED_SECRET, base, hashlib.sha256).digest(), signature)
        else:
            Ed25519PrivateKey.from_private_bytes(ED25519_PRIVATE).public_key().verify(signature, base)
    except InvalidSignature:
        return False
    return True


@pytest.mark.parametrize(("name", "message", "signature_input", "signature", "algorithm", "expected"), VECTORS)
def test_appendix_b_signature_bases_and_signatures(
    name: str, message: Message, signature_input: str, signature: str, algorithm: str, expected: list[str]
) -> None:
    label, base = base_of(message, signature_input)
    assert base.decode() == "\n".join(expected)
    (signed_label, (value, _params)), *_ = parse_dictionary(signature).items()
    assert signed_label == label and isinstance(value, bytes)
    assert verifies(algorithm, base, value)
    # One changed byte of the base, and the RFC's signature no longer verifies.
    assert not verifies(algorithm, base.replace(b"example", b"exampl3", 1) + b" ", value)


def test_deterministic_signatures_are_reproduced_exactly() -> None:
    """Ed25519 (B.2.6) and HMAC (B.2.5) are deterministic: our base signed with the RFC key is the RFC's value."""
    _, base = base_of(REQUEST, VECTORS[5][2])
    assert Ed25519PrivateKey.from_private_bytes(ED25519_PRIVATE).sign(base) == base64.b64decode(
        "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw=="
    )
    assert Ed25519PrivateKey.from_private_bytes(ED25519_PRIVATE).public_key().public_bytes_raw() == ED25519_PUBLIC
    _, base = base_of(REQUEST, VECTORS[4][2])
    assert hmac.new(SHARED_SECRET, base, hashlib.sha256).digest() == base64.b64decode(
        "pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8="
    )


def test_the_test_messages_bodies_match_their_digests() -> None:
    assert verify_content_digest(REQUEST.headers["content-digest"], REQUEST_BODY[:-1]) == "sha-512"  # type: ignore[arg-type]
    assert verify_content_digest(RESPONSE.headers["content-digest"], RESPONSE_BODY[:-1]) == "sha-512"  # type: ignore[arg-type]


# --- Appendix B.4: transformations ---------------------------------------------------------------------------

B4_INPUT = 'transform=("@method" "@path" "@authority" "accept");created=1618884473;keyid="test-key-ed25519"'
B4_SIGNATURE = base64.b64decode(
    "ZT1kooQsEHpZ0I1IjCqtQppOmIqlJPeo7DHR3SoMn0s5JZ1eRGS0A+vyYP9t/LXlh5QMFFQ6cpLt2m0pmj3NDA=="
)
B4_ORIGINAL = Message(
    method="GET",
    target_uri="https://example.org/demo?name1=Value1&Name2=value2",
    headers={"host": "example.org", "date": "Fri, 15 Jul 2022 14:24:55 GMT", "accept": ["application/json", "*/*"]},
)


@pytest.mark.parametrize(
    ("message", "valid"),
    [
        (B4_ORIGINAL, True),
        (
            Message(
                method="GET",
                target_uri="https://example.org/demo?name1=Value1&Name2=value2&param=added",
                headers={
                    "host": "example.org",
                    "date": "Fri, 15 Jul 2022 14:24:55 GMT",
                    "accept": ["application/json", "*/*"],
                    "accept-language": "en-US,en;q=0.5",
                },
            ),
            True,
        ),
        (
            Message(
                method="GET",
                target_uri="https://example.org/demo?name1=Value1&Name2=value2",
                headers={
                    "host": "example.org",
                    "referer": "https://developer.example.org/demo",
                    "accept": "application/json, */*",
                },
            ),
            True,
        ),
        (
            Message(
                method="POST",
                target_uri="https://example.com/demo?name1=Value1&Name2=value2",
                headers={"host": "example.com", "accept": ["application/json", "*/*"]},
            ),
            False,
        ),
        (
            Message(
                method="GET",
                target_uri="https://example.org/demo?name1=Value1&Name2=value2",
                headers={"host": "example.org", "accept": ["*/*", "application/json"]},
            ),
            False,
        ),
    ],
)
def test_appendix_b4_transformations(message: Message, valid: bool) -> None:
    _, base = base_of(message, B4_INPUT)
    if valid:
        assert base.decode().splitlines()[:4] == [
            '"@method": GET',
            '"@path": /demo',
            '"@authority": example.org',
            '"accept": application/json, */*',
        ]
    assert verifies("ed25519", base, B4_SIGNATURE) is valid


# --- Section 2: every kind of component ------------------------------------------------------------------------

FIELDS = Message(
    method="GET",
    target_uri="https://www.example.com/",
    headers={
        "host": "www.example.com",
        "date": "Tue, 20 Apr 2021 02:07:56 GMT",
        "x-ows-header": "   Leading and trailing whitespace.   ",
        "x-obs-fold-header": "Obsolete\r\n    line folding.",
        "cache-control": ["max-age=60", "   must-revalidate"],
        "example-dict": " a=1,    b=2;x=1;y=2,   c=(a   b   c)",
        "x-empty-header": "",
    },
    structured_types={"example-dict": "dictionary"},
)


def line(message: Message, identifier: str) -> str:
    """The signature-base line of one component identifier (as it appears in a Signature-Input)."""
    ((_, (covered, _params)),) = parse_dictionary(f"x=({identifier})").items()
    assert isinstance(covered, list)
    ((name, params),) = covered
    return signature_base(message, [Component(str(name), tuple(params.items()))], "()").decode().split("\n")[0]


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ('"host"', '"host": www.example.com'),
        ('"date"', '"date": Tue, 20 Apr 2021 02:07:56 GMT'),
        ('"x-ows-header"', '"x-ows-header": Leading and trailing whitespace.'),
        ('"x-obs-fold-header"', '"x-obs-fold-header": Obsolete line folding.'),
        ('"cache-control"', '"cache-control": max-age=60, must-revalidate'),
        ('"example-dict"', '"example-dict": a=1,    b=2;x=1;y=2,   c=(a   b   c)'),
        ('"x-empty-header"', '"x-empty-header": '),
        # §2.1.1: strict serialisation of a structured field.
        ('"example-dict";sf', '"example-dict";sf: a=1, b=2;x=1;y=2, c=(a b c)'),
    ],
)
def test_section_2_1_fields(identifier: str, expected: str) -> None:
    assert line(FIELDS, identifier) == expected


DICT = Message(
    headers={"example-dict": "a=1, b=2;x=1;y=2, c=(a b c), d"}, structured_types={"example-dict": "dictionary"}
)


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ('"example-dict";key="a"', '"example-dict";key="a": 1'),
        ('"example-dict";key="d"', '"example-dict";key="d": ?1'),
        ('"example-dict";key="b"', '"example-dict";key="b": 2;x=1;y=2'),
        # A member whose value is an inner list (refused before).
        ('"example-dict";key="c"', '"example-dict";key="c": (a b c)'),
    ],
)
def test_section_2_1_2_dictionary_members(identifier: str, expected: str) -> None:
    assert line(DICT, identifier) == expected


def test_section_2_1_3_binary_wrapped_fields() -> None:
    multiple = Message(headers={"example-header": ["value, with, lots", "of, commas"]})
    assert line(multiple, '"example-header"') == '"example-header": value, with, lots, of, commas'
    assert (
        line(multiple, '"example-header";bs') == '"example-header";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:'
    )
    single = Message(headers={"example-header": "value, with, lots, of, commas"})
    encoded = base64.b64encode(b"value, with, lots, of, commas").decode()
    assert line(single, '"example-header";bs') == f'"example-header";bs: :{encoded}:'


def test_section_2_1_4_trailers() -> None:
    response = Message(status=200, headers={"trailer": "Expires"}, trailers={"expires": "Wed, 9 Nov 2022 07:28:00 GMT"})
    assert line(response, '"expires";tr') == '"expires";tr: Wed, 9 Nov 2022 07:28:00 GMT'
    with pytest.raises(SignatureError):
        line(response, '"expires"')  # a header by that name there is not


DERIVED = Message(method="POST", target_uri="https://www.example.com/path?param=value", headers={})


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ('"@method"', '"@method": POST'),
        ('"@target-uri"', '"@target-uri": https://www.example.com/path?param=value'),
        ('"@authority"', '"@authority": www.example.com'),
        ('"@scheme"', '"@scheme": https'),
        ('"@request-target"', '"@request-target": /path?param=value'),
        ('"@path"', '"@path": /path'),
        ('"@query"', '"@query": ?param=value'),
    ],
)
def test_section_2_2_derived_components(identifier: str, expected: str) -> None:
    assert line(DERIVED, identifier) == expected


def test_section_2_2_details() -> None:
    # §2.2.3: the authority is lower-cased and carries a port only when it is not the default.
    assert line(Message(method="GET", target_uri="https://WWW.Example.com:443/"), '"@authority"') == (
        '"@authority": www.example.com'
    )
    assert line(Message(method="GET", target_uri="http://www.example.com:8080/"), '"@authority"') == (
        '"@authority": www.example.com:8080'
    )
    # §2.2.7: a query as sent, or "?" when there is none.
    query = Message(method="POST", target_uri="https://www.example.com/path?param=value&foo=bar&baz=bat%2Dman")
    assert line(query, '"@query"') == '"@query": ?param=value&foo=bar&baz=bat%2Dman'
    assert line(Message(method="GET", target_uri="https://www.example.com/path?queryString"), '"@query"') == (
        '"@query": ?queryString'
    )
    assert line(Message(method="GET", target_uri="https://www.example.com/path"), '"@query"') == '"@query": ?'
    # §2.2.5: the request target of another form, as the request line had it.
    options = Message(method="OPTIONS", target_uri="https://www.example.com/", request_target="*")
    assert line(options, '"@request-target"') == '"@request-target": *'
    # §2.2.9: the status code, only on a response.
    assert line(Message(status=200), '"@status"') == '"@status": 200'
    with pytest.raises(SignatureError):
        line(DERIVED, '"@status"')


QUERY = Message(
    method="GET",
    target_uri="https://www.example.com/parameters?var=this%20is%20a%20big%0Amultiline%20value"
    "&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something&baz=batman&qux=",
)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("var", "this%20is%20a%20big%0Amultiline%20value"),
        ("bar", "with%20plus%20whitespace"),
        ("fa%C3%A7ade%22%3A%20", "something"),
        ("baz", "batman"),
        ("qux", ""),
    ],
)
def test_section_2_2_8_query_parameters(name: str, value: str) -> None:
    assert line(QUERY, f'"@query-param";name="{name}"') == f'"@query-param";name="{name}": {value}'


def test_section_2_2_8_a_missing_or_repeated_parameter_is_refused() -> None:
    with pytest.raises(SignatureError, match="no query parameter"):
        line(QUERY, '"@query-param";name="nope"')
    repeated = Message(method="GET", target_uri="https://example.com/path?param=value&%70aram=value")
    with pytest.raises(SignatureError, match="occurs 2 times"):
        line(repeated, '"@query-param";name="param"')


def test_section_2_4_request_components_on_a_response() -> None:
    request = Message(
        method="POST",
        target_uri="https://example.com/foo?param=Value&Pet=dog",
        headers={"signature": "sig1=:AAAA:, other=:BBBB:"},
    )
    response = Message(status=503, headers={"content-type": "application/json"}, request=request)
    components = [
        '"@status"',
        '"content-type"',
        '"@authority";req',
        '"@method";req',
        '"@path";req',
        '"@query-param";req;name="Pet"',
        '"signature";req;key="sig1"',
    ]
    assert [line(response, c) for c in components] == [
        '"@status": 503',
        '"content-type": application/json',
        '"@authority";req: example.com',
        '"@method";req: POST',
        '"@path";req: /foo',
        '"@query-param";req;name="Pet": dog',
        '"signature";req;key="sig1": :AAAA:',
    ]
    with pytest.raises(SignatureError):
        line(response, '"@method"')  # a request component on a response needs req


@pytest.mark.parametrize(
    "identifier",
    [
        '"example-dict";key="zz"',
        '"example-dict";bs;sf',
        '"example-dict";bs;key="a"',
        '"example-dict";unknown',
        '"@unknown"',
        '"Example-Dict"',
        '"@query-param"',
        '"@signature-params"',
    ],
)
def test_what_cannot_be_built_is_refused(identifier: str) -> None:
    with pytest.raises(SignatureError):
        line(DICT, identifier)


def test_a_component_covered_twice_is_refused() -> None:
    with pytest.raises(SignatureError, match="twice"):
        signature_base(DERIVED, [Component("@method"), Component("@method")], "()")


# --- RFC 9530: digests are structured dictionaries -------------------------------------------------------------

BODY = b'{"hello": "world"}'
SHA256 = base64.b64encode(hashlib.sha256(BODY).digest()).decode()


@pytest.mark.parametrize(
    "header",
    [
        f"sha-256=:{SHA256}:",
        f"sha-256=:{SHA256}:;foo=bar",  # parameters are valid structured-field syntax (ignored)
        f"sha-256=:{SHA256}:;a=1;b=?0, unixsum=:AAAA:",  # and unknown algorithms beside a known one
        f"  sha-256=:{SHA256}:  ",
    ],
)
def test_rfc9530_digests_with_parameters_are_accepted(header: str) -> None:
    assert verify_content_digest(header, BODY) == "sha-256"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (f"sha-256=:{SHA256}:,", "digest_malformed"),  # a trailing comma
        ("sha-256=abc", "digest_malformed"),  # a token, not a byte sequence
        (f"sha-256=(:{SHA256}:)", "digest_malformed"),  # an inner list
        ("sha-256=:not base64!:", "digest_malformed"),
        ("unixsum=:AAAA:", "digest_unsupported"),
        ("sha-256=:" + base64.b64encode(b"x" * 32).decode() + ":;foo=bar", "digest_mismatch"),
    ],
)
def test_rfc9530_malformed_digests_are_refused(header: str, reason: str) -> None:
    with pytest.raises(DigestError) as refused:
        verify_content_digest(header, BODY)
    assert refused.value.reason == reason


# --- RFC 9162: consistency from the empty tree -------------------------------------------------------------------

LEAVES = [merkle.leaf_hash(bytes([i])) for i in range(5)]


def test_rfc9162_consistency_from_the_empty_tree() -> None:
    root = merkle.root_hash(5, merkle.memory_fetcher(LEAVES))
    merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, root, [])
    merkle.verify_consistency(0, 0, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, [])
    with pytest.raises(merkle.ProofError, match="must be empty"):
        merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, root, [LEAVES[0]])
    with pytest.raises(merkle.ProofError, match="empty tree"):
        merkle.verify_consistency(0, 5, LEAVES[0], root, [])
    with pytest.raises(merkle.ProofError, match="empty tree"):
        merkle.verify_consistency(0, 0, merkle.EMPTY_ROOT, LEAVES[0], [])
