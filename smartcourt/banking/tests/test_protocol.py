"""The pure protocol modules: digests, signatures, envelopes and approval tokens, each failure by its reason."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from partnerproto import approval, envelope, signatures
from partnerproto.digest import DigestError, content_digest, verify_content_digest
from partnerproto.signatures import MemoryNonceStore, Message, SignatureError, SigningKey

NOW = 1_780_000_000
URL = "https://bank.example/v1/transfers"
BODY = b'{"amount_fen":123456}'


# --- Content-Digest -----------------------------------------------------------------------------------------


def test_digest_is_sha256_of_the_exact_body():
    expected = base64.b64encode(hashlib.sha256(BODY).digest()).decode()
    assert content_digest(BODY) == f"sha-256=:{expected}:"
    assert verify_content_digest(content_digest(BODY), BODY) == "sha-256"


def test_digest_accepts_sha512_and_checks_every_known_member():
    assert verify_content_digest(content_digest(BODY, "sha-512"), BODY) == "sha-512"
    both = f"{content_digest(BODY, 'sha-512')}, {content_digest(b'other')}"
    with pytest.raises(DigestError) as caught:
        verify_content_digest(both, BODY)
    assert caught.value.reason == "digest_mismatch"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "digest_missing"),
        ("", "digest_missing"),
        ("sha-256=abc", "digest_malformed"),
        ("sha-256=:not base64!:", "digest_malformed"),
        ("md5=:AAAA:", "digest_unsupported"),
    ],
)
def test_digest_problems_are_named(header, reason):
    with pytest.raises(DigestError) as caught:
        verify_content_digest(header, BODY)
    assert caught.value.reason == reason


def test_digest_mismatch_on_one_changed_byte():
    with pytest.raises(DigestError) as caught:
        verify_content_digest(content_digest(BODY), BODY.replace(b"6", b"7"))
    assert caught.value.reason == "digest_mismatch"


# --- signatures ---------------------------------------------------------------------------------------------


def signed_request(key: SigningKey, *, body: bytes = BODY, created: int = NOW, nonce: str | None = None):
    headers = {"content-type": "application/json", "content-digest": content_digest(body)}
    headers.update(
        {
            k.lower(): v
            for k, v in signatures.sign(
                Message("POST", URL, headers=headers), key, created=created, nonce=nonce
            ).items()
        }
    )
    return Message("POST", URL, headers=headers)


def verify(message: Message, key: SigningKey, *, body: bytes = BODY, nonces=None, now: int = NOW):
    return signatures.verify(
        message, body, keys={key.keyid: key.public_key()}.get, nonces=nonces or MemoryNonceStore(), now=now
    )


@pytest.mark.parametrize("alg", [signatures.ED25519, signatures.SM2_SM3])
def test_sign_and_verify_roundtrip(alg):
    key = SigningKey.generate("k-1", alg)
    message = signed_request(key, nonce="n-1")
    verified = verify(message, key)
    assert (verified.keyid, verified.alg, verified.created, verified.nonce) == ("k-1", alg, NOW, "n-1")
    assert message.headers["signature-input"] == (
        'sig1=("@method" "@target-uri" "content-digest" "content-type")'
        f';created={NOW};nonce="n-1";keyid="k-1";alg="{alg}"'
    )


def test_signature_base_follows_rfc_9421():
    key = SigningKey.generate("k-1")
    message = signed_request(key, nonce="n-1")
    components = [signatures.Component(n) for n in ("@method", "@target-uri", "content-digest", "content-type")]
    params = message.headers["signature-input"].removeprefix("sig1=")
    base = signatures.signature_base(message, components, params).decode()
    assert base.split("\n") == [
        '"@method": POST',
        f'"@target-uri": {URL}',
        f'"content-digest": {content_digest(BODY)}',
        '"content-type": application/json',
        f'"@signature-params": {params}',
    ]
    signature = base64.b64decode(message.headers["signature"].removeprefix("sig1=:").removesuffix(":"))
    assert key.public_key().verify(signature, base.encode())


def test_sm2_signature_is_der_encoded_r_s():
    key = SigningKey.generate("sm2", signatures.SM2_SM3)
    signature = key.sign(b"message")
    assert signature[0] == 0x30 and signature[1] == len(signature) - 2  # SEQUENCE { INTEGER r, INTEGER s }
    assert signature[2] == 0x02
    assert key.public_key().verify(signature, b"message")
    assert not key.public_key().verify(signature, b"messagE")


def _with(message: Message, **changes: str) -> Message:
    headers = dict(message.headers)
    headers.update(changes)
    return Message(message.method, message.target_uri, headers=headers)


def test_each_failure_has_its_reason():
    key = SigningKey.generate("k-1")
    good = signed_request(key)
    cases = {
        "missing_signature": (Message("POST", URL, headers={"content-digest": content_digest(BODY)}), BODY, NOW),
        "unknown_key": (signed_request(SigningKey.generate("k-2")), BODY, NOW),
        "bad_signature": (Message("PUT", URL, headers=good.headers), BODY, NOW),
        "digest_mismatch": (good, BODY + b" ", NOW),
        "expired": (good, BODY, NOW + 301),
        "created_in_future": (good, BODY, NOW - 31),
        "malformed_signature": (_with(good, signature="sig1=:%%%:"), BODY, NOW),
    }
    for reason, (message, body, now) in cases.items():
        with pytest.raises(SignatureError) as caught:
            verify(message, key, body=body, now=now)
        assert caught.value.reason == reason, reason
    assert verify(good, key, now=NOW + 300).created == NOW  # exactly 300 s old is still accepted


def test_tampered_target_or_header_is_a_bad_signature():
    key = SigningKey.generate("k-1")
    good = signed_request(key)
    moved = Message("POST", URL.replace("transfers", "batches"), headers=good.headers)
    retyped = _with(good, **{"content-type": "text/plain"})
    for message in (moved, retyped):
        with pytest.raises(SignatureError) as caught:
            verify(message, key)
        assert caught.value.reason == "bad_signature"


def test_uncovered_required_component_is_refused():
    key = SigningKey.generate("k-1")
    headers = {"content-digest": content_digest(BODY)}
    components = [signatures.Component("@method"), signatures.Component("content-digest")]
    params = signatures.signature_params(components, {"created": NOW, "nonce": "n", "keyid": "k-1", "alg": "ed25519"})
    signature = key.sign(signatures.signature_base(Message("POST", URL, headers=headers), components, params))
    headers["signature-input"] = f"sig1={params}"
    headers["signature"] = f"sig1=:{base64.b64encode(signature).decode()}:"
    with pytest.raises(SignatureError) as caught:
        verify(Message("POST", URL, headers=headers), key)
    assert caught.value.reason == "missing_component"


def test_algorithm_must_match_the_key():
    key = SigningKey.generate("k-1")
    message = signed_request(key)
    forged = _with(message, **{"signature-input": message.headers["signature-input"].replace("ed25519", "sm2-sm3")})
    with pytest.raises(SignatureError) as caught:
        verify(forged, key)
    assert caught.value.reason == "algorithm_mismatch"


def test_replayed_nonce_is_refused_and_failures_burn_no_nonce():
    key = SigningKey.generate("k-1")
    store = MemoryNonceStore()
    message = signed_request(key, nonce="once")
    with pytest.raises(SignatureError):
        verify(message, key, body=b"tampered", nonces=store)  # refused before the nonce is remembered
    verify(message, key, nonces=store)
    with pytest.raises(SignatureError) as caught:
        verify(message, key, nonces=store)
    assert caught.value.reason == "replayed_nonce"


def test_response_is_bound_to_its_request():
    key = SigningKey.generate("bank")
    request = signed_request(SigningKey.generate("platform"))
    other = signed_request(SigningKey.generate("platform"))
    headers = {"content-type": "application/json", "content-digest": content_digest(b"{}")}
    headers.update(
        {k.lower(): v for k, v in signatures.sign(Message(status=200, headers=headers, request=request), key).items()}
    )
    answer = Message(status=200, headers=headers, request=request)
    assert signatures.verify(answer, b"{}", keys={"bank": key.public_key()}.get, nonces=None)
    for forged in (
        Message(status=200, headers=headers, request=other),  # the same answer for another request
        Message(status=201, headers=headers, request=request),
    ):
        with pytest.raises(SignatureError) as caught:
            signatures.verify(forged, b"{}", keys={"bank": key.public_key()}.get, nonces=None)
        assert caught.value.reason == "bad_signature"
    unbound = Message(status=200, headers=headers, request=None)
    with pytest.raises(SignatureError):
        signatures.verify(unbound, b"{}", keys={"bank": key.public_key()}.get, nonces=None)


def test_structured_field_parser():
    parsed = signatures.parse_dictionary('sig1=("@method" "x";req;key="a b");created=5;alg="ed25519", b=:AAE=:, c')
    assert parsed["sig1"] == ([("@method", {}), ("x", {"req": True, "key": "a b"})], {"created": 5, "alg": "ed25519"})
    assert parsed["b"] == (b"\x00\x01", {})
    assert parsed["c"] == (True, {})
    for bad in ('sig1=("a"', 'sig1="unterminated', "Sig1=1", "sig1=1 x"):
        with pytest.raises(SignatureError):
            signatures.parse_dictionary(bad)


# --- envelopes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("enc", [envelope.AES_256_GCM, envelope.SM4_GCM])
def test_envelope_roundtrip_and_tamper(enc):
    keyring = envelope.Keyring.of(envelope.EnvelopeKey.generate("e-1", enc))
    sealed = envelope.encrypt(keyring, "账号 6222".encode(), method="POST", target_uri=URL)
    data = json.loads(sealed)
    assert data["enc"] == enc and data["kid"] == "e-1" and len(base64.b64decode(data["iv"])) == 12
    assert b"6222" not in sealed
    assert envelope.decrypt(keyring, sealed, method="POST", target_uri=URL) == "账号 6222".encode()
    assert envelope.encrypt(keyring, b"x", method="POST", target_uri=URL) != envelope.encrypt(
        keyring, b"x", method="POST", target_uri=URL
    )  # a fresh IV each time

    flipped = bytearray(base64.b64decode(data["ct"]))
    flipped[0] ^= 1
    failures = {
        "envelope_decrypt_failed": [
            (json.dumps({**data, "ct": base64.b64encode(bytes(flipped)).decode()}).encode(), "POST", URL, "request"),
            (sealed, "POST", URL.replace("transfers", "batches"), "request"),
            (sealed, "GET", URL, "request"),
            (sealed, "POST", URL, "response"),
        ],
        "envelope_unknown_key": [(json.dumps({**data, "kid": "e-2"}).encode(), "POST", URL, "request")],
        "envelope_algorithm_mismatch": [
            (json.dumps({**data, "enc": "SM4GCM" if enc == "A256GCM" else "A256GCM"}).encode(), "POST", URL, "request")
        ],
        "envelope_malformed": [
            (b"not json", "POST", URL, "request"),
            (json.dumps({**data, "iv": "AAAA"}).encode(), "POST", URL, "request"),
            (json.dumps({**data, "v": 2}).encode(), "POST", URL, "request"),
        ],
    }
    for reason, attempts in failures.items():
        for body, method, target, direction in attempts:
            with pytest.raises(envelope.EnvelopeError) as caught:
                envelope.decrypt(keyring, body, method=method, target_uri=target, direction=direction)
            assert caught.value.reason == reason


def test_envelope_rotation_accepts_every_key_and_sends_with_the_current():
    old, new = envelope.EnvelopeKey.generate("old"), envelope.EnvelopeKey.generate("new")
    before = envelope.Keyring.of(old)
    overlap = envelope.Keyring.of(old, new, current="new")
    after = envelope.Keyring.of(new)
    from_old = envelope.encrypt(before, b"a", method="POST", target_uri=URL)
    from_new = envelope.encrypt(overlap, b"b", method="POST", target_uri=URL)
    assert json.loads(from_new)["kid"] == "new"
    assert envelope.decrypt(overlap, from_old, method="POST", target_uri=URL) == b"a"
    assert envelope.decrypt(after, from_new, method="POST", target_uri=URL) == b"b"
    with pytest.raises(envelope.EnvelopeError) as caught:
        envelope.decrypt(after, from_old, method="POST", target_uri=URL)
    assert caught.value.reason == "envelope_unknown_key"


def test_envelope_key_sizes_are_checked():
    with pytest.raises(ValueError):
        envelope.EnvelopeKey(kid="k", enc=envelope.SM4_GCM, secret=b"\0" * 32)
    with pytest.raises(ValueError):
        envelope.EnvelopeKey(kid="k", enc="A128CBC", secret=b"\0" * 16)


# --- approval tokens ----------------------------------------------------------------------------------------

COURT = SigningKey.generate("court-1")
TRANSFER: dict[str, Any] = {
    "case_reference": "(2026)苏0623破1号",
    "account_number": "3206010188000000001",
    "payee_account": "6222000011112222",
    "amount_fen": 12_345_600,
    "idempotency_key": "pay-42",
}


def transfer_token(**overrides) -> str:
    fields = {**TRANSFER, "issued_at": NOW, "expires_at": NOW + 3600, **overrides}
    return approval.issue_transfer_approval(COURT, **fields)


def verify_transfer(token: str, **overrides):
    fields = {**TRANSFER, **overrides}
    return approval.verify_transfer_approval(token, keys={"court-1": COURT.public_key()}, now=NOW + 10, **fields)


def test_transfer_token_verifies_and_is_a_compact_jws():
    token = transfer_token()
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "EdDSA", "kid": "court-1", "typ": "sc-approval+jws"}
    claims = verify_transfer(token).claims
    assert claims["amt"] == 12_345_600 and claims["idem"] == "pay-42" and claims["exp"] == NOW + 3600


@pytest.mark.parametrize(
    ("name", "value", "claim"),
    [
        ("case_reference", "(2026)苏0623破2号", "case"),
        ("account_number", "3206010188000000002", "acct"),
        ("payee_account", "6222000011113333", "payee"),
        ("amount_fen", 12_345_601, "amt"),
        ("idempotency_key", "pay-43", "idem"),
    ],
)
def test_every_bound_field_is_checked(name, value, claim):
    with pytest.raises(approval.ApprovalError) as caught:
        verify_transfer(transfer_token(), **{name: value})
    assert (caught.value.reason, caught.value.field) == ("mismatch", claim)


def test_expired_unknown_key_bad_signature_malformed():
    with pytest.raises(approval.ApprovalError) as caught:
        verify_transfer(transfer_token(expires_at=NOW + 10))
    assert caught.value.reason == "expired"
    stranger = SigningKey.generate("court-2")
    with pytest.raises(approval.ApprovalError) as caught:
        verify_transfer(approval.issue_transfer_approval(stranger, issued_at=NOW, expires_at=NOW + 60, **TRANSFER))
    assert caught.value.reason == "unknown_key"
    header, payload, signature = transfer_token().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged = base64.urlsafe_b64encode(json.dumps({**claims, "amt": 99}).encode()).rstrip(b"=").decode()
    with pytest.raises(approval.ApprovalError) as caught:
        verify_transfer(f"{header}.{forged}.{signature}", amount_fen=99)
    assert caught.value.reason == "bad_signature"
    impostor = SigningKey.generate("court-1")  # same key id, other key
    with pytest.raises(approval.ApprovalError) as caught:
        verify_transfer(approval.issue_transfer_approval(impostor, issued_at=NOW, expires_at=NOW + 60, **TRANSFER))
    assert caught.value.reason == "bad_signature"
    for junk in ("", "a.b", "a.b.c", f"{header}.{payload}"):
        with pytest.raises(approval.ApprovalError) as caught:
            verify_transfer(junk)
        assert caught.value.reason == "malformed"


def test_batch_token_binds_the_instruction_list():
    items = [("k-1", "6222000011112222", 100), ("k-2", "6222000011113333", 200)]
    token = approval.issue_batch_approval(
        COURT,
        case_reference="c",
        account_number="a",
        batch_id="b-1",
        instructions=items,
        issued_at=NOW,
        expires_at=NOW + 60,
    )
    keys = {"court-1": COURT.public_key()}
    common: dict[str, Any] = {"keys": keys, "now": NOW, "case_reference": "c", "account_number": "a", "batch_id": "b-1"}
    assert approval.verify_batch_approval(token, instructions=items, **common).claims["total"] == 300
    assert (
        approval.batch_digest(items)
        == hashlib.sha256(b'[["k-1","6222000011112222",100],["k-2","6222000011113333",200]]').hexdigest()
    )
    for changed in (items[::-1], [items[0]], [items[0], ("k-2", "6222000011113333", 201)]):
        with pytest.raises(approval.ApprovalError) as caught:
            approval.verify_batch_approval(token, instructions=changed, **common)
        assert caught.value.reason == "mismatch"
    with pytest.raises(approval.ApprovalError) as caught:
        approval.verify_batch_approval(token, instructions=items, **{**common, "batch_id": "b-2"})
    assert caught.value.field == "batch"
    transfer = transfer_token()
    with pytest.raises(approval.ApprovalError) as caught:
        approval.verify_batch_approval(transfer, instructions=items, **common)
    assert caught.value.field == "typ"


def test_the_protocol_and_the_sandboxes_import_no_django_and_nothing_of_smartcourt():
    import subprocess
    import sys

    code = (
        "import sys; import partnerproto.wire, partnerproto.approval, partnerproto.note, partnerproto.merkle;"
        "import sandbox.bank.app, sandbox.witness.witness, sandbox.registry.data;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'smartcourt')];"
        " print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stdout + result.stderr


def test_structured_fields_are_ascii_only():
    for bad in ("sig1=١٢", "sig1=é", "é=1", 'sig1=("a");créé=1'):
        with pytest.raises(SignatureError):
            signatures.parse_dictionary(bad)
