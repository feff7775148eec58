"""The transparency and evidence API: public checkpoints and proofs, deposits and receipts, witnesses' posts."""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from partnerproto import merkle, note
from smartcourt.accounts.tokens import issue_api_token
from smartcourt.audit.models import AuditEvent
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.evidence.actions import add_witness, publish_checkpoint, set_witness_active, sync_log
from smartcourt.evidence.keys import log_verifier_key
from smartcourt.evidence.models import Deposit, Leaf
from smartcourt.evidence.tests.helpers import witness_key
from smartcourt.evidence.verify import verify_receipt
from smartcourt.testing import client_for, database_state

if TYPE_CHECKING:
    from conftest import Personas

PDF = b"%PDF-1.7\n%%EOF\n"


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    return body["error"]


@pytest.mark.django_db
def test_the_latest_checkpoint_is_public_and_verifies_with_the_published_key(personas: Personas) -> None:
    anonymous = client_for(None, language="en")
    response = anonymous.get("/api/v1/transparency/checkpoint")
    assert (response.status_code, error(response)["code"]) == (404, "not_found")
    checkpoint = publish_checkpoint()
    body = anonymous.get("/api/v1/transparency/checkpoint").json()
    assert body["tree_size"] == checkpoint.tree_size
    assert base64.b64decode(body["root_hash"]) == bytes(checkpoint.root_hash)
    key = anonymous.get("/api/v1/transparency/key").json()
    assert key["public_key"] == log_verifier_key().encode()
    assert note.load_public_key_pem(key["public_key_pem"].encode()) is not None
    parsed = note.parse_note(body["note"])
    note.verify(parsed, note.parse_verifier_key(key["public_key"]))
    assert note.parse_checkpoint(parsed.text).size == body["tree_size"]
    assert body["cosignatures"] == []


@pytest.mark.django_db
def test_inclusion_and_consistency_proofs_in_rfc_9162_form(personas: Personas) -> None:
    old = publish_checkpoint()
    file_entry(actor=personas.judge, case=personas.case, kind=EntryKind.NOTICE, title="公告")
    new = publish_checkpoint()
    leaf = Leaf.objects.get(index=5)
    anonymous = client_for(None, language="en")
    body = anonymous.get(
        "/api/v1/transparency/proof/inclusion",
        {"leaf_hash": bytes(leaf.leaf_hash).hex(), "tree_size": str(new.tree_size)},
    ).json()
    assert set(body) == {"leaf_index", "tree_size", "inclusion_path"}
    assert (body["leaf_index"], body["tree_size"]) == (5, new.tree_size)
    path = [base64.b64decode(h) for h in body["inclusion_path"]]
    merkle.verify_inclusion(5, new.tree_size, bytes(leaf.leaf_hash), path, bytes(new.root_hash))

    body = anonymous.get(
        "/api/v1/transparency/proof/consistency", {"first": old.tree_size, "second": new.tree_size}
    ).json()
    assert (body["first"], body["second"]) == (old.tree_size, new.tree_size)
    path = [base64.b64decode(h) for h in body["consistency_path"]]
    merkle.verify_consistency(old.tree_size, new.tree_size, bytes(old.root_hash), bytes(new.root_hash), path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "params", "field", "status"),
    [
        ("inclusion", {"leaf_hash": "00" * 32}, "tree_size", 422),
        ("inclusion", {"leaf_hash": "00" * 32, "tree_size": "many"}, "tree_size", 422),
        ("inclusion", {"leaf_hash": "zz", "tree_size": 3}, "leaf_hash", 422),
        ("inclusion", {"leaf_hash": "ab" * 31, "tree_size": 3}, "leaf_hash", 422),
        ("inclusion", {"leaf_hash": "LEAF", "tree_size": 0}, "tree_size", 422),
        ("inclusion", {"leaf_hash": "00" * 32, "tree_size": 3}, None, 404),
        ("consistency", {"first": 1}, "second", 422),
        ("consistency", {"first": 0, "second": 3}, "first", 422),
        ("consistency", {"first": 4, "second": 3}, "first", 422),
        ("consistency", {"first": 2, "second": 100000}, "second", 422),
    ],
)
def test_bad_proof_requests_get_the_common_error_shape(
    personas: Personas, url: str, params: dict[str, Any], field: str | None, status: int
) -> None:
    sync_log()
    if params.get("leaf_hash") == "LEAF":
        params["leaf_hash"] = bytes(Leaf.objects.get(index=0).leaf_hash).hex()
    response = client_for(None, language="en").get(f"/api/v1/transparency/proof/{url}", params)
    assert response.status_code == status
    assert error(response)["field"] == field


@pytest.mark.django_db
def test_a_party_deposits_a_file_and_its_receipt_verifies_offline(personas: Personas) -> None:
    content = "买卖合同扫描件".encode() * 100
    response = client_for(personas.creditor_a, language="en").post(
        "/api/v1/evidence/deposits",
        {"file": SimpleUploadedFile("合同.pdf", content, "application/pdf"), "title": "买卖合同"},
    )
    assert response.status_code == 201, response.content
    receipt = response.json()
    digest = hashlib.sha256(content).hexdigest()
    deposit = Deposit.objects.get()
    assert receipt["subject"]["sha256"] == digest == deposit.sha256
    assert (deposit.file_name, deposit.size, deposit.title) == ("合同.pdf", len(content), "买卖合同")
    assert receipt["verify_url"] == "http://testserver/evidence/verify/"
    report = verify_receipt(receipt, file_sha256=digest, public_key=log_verifier_key())
    assert report.ok, report.as_dict()
    assert verify_receipt(receipt, file_sha256=hashlib.sha256(b"other").hexdigest()).ok is False


@pytest.mark.django_db
def test_a_partner_platform_deposits_a_hash_with_its_token(personas: Personas) -> None:
    _, token = issue_api_token(actor=personas.bank_operator, user=personas.bank_operator, name="版权登记平台")
    digest = hashlib.sha256(b"work").hexdigest()
    response = Client().post(
        "/api/v1/evidence/deposits", {"sha256": digest}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201
    assert verify_receipt(response.json(), file_sha256=digest).ok
    listing = Client().get("/api/v1/evidence/deposits", headers={"Authorization": f"Bearer {token}"}).json()
    assert [item["sha256"] for item in listing] == [digest]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({}, 422, "file"),
        ({"sha256": "xyz"}, 422, "sha256"),
        ({"sha256": "a" * 64, "title": "t" * 201}, 422, "title"),
        ({"sha256": "a" * 64, "file": "MATCH"}, 422, "sha256"),
        ({"file": "EMPTY"}, 422, "file"),
    ],
)
def test_bad_deposits_are_refused_and_change_nothing(
    personas: Personas, data: dict[str, Any], status: int, field: str
) -> None:
    if data.get("file") == "MATCH":
        data["file"] = SimpleUploadedFile("a.txt", b"not the hash given")
    elif data.get("file") == "EMPTY":
        data["file"] = SimpleUploadedFile("a.txt", b"")
    before = database_state()
    response = client_for(personas.creditor_a, language="en").post("/api/v1/evidence/deposits", data)
    assert response.status_code == status
    assert error(response)["field"] == field
    assert database_state() == before


@pytest.mark.django_db
def test_deposits_need_a_signed_in_user_and_a_size_limit(personas: Personas, settings: Any) -> None:
    before = database_state()
    response = Client().post("/api/v1/evidence/deposits", {"sha256": "a" * 64})
    assert (response.status_code, error(response)["code"]) == (401, "unauthenticated")
    settings.EVIDENCE_MAX_BYTES = 10
    response = client_for(personas.creditor_a, language="en").post(
        "/api/v1/evidence/deposits", {"file": SimpleUploadedFile("a.bin", b"x" * 11)}
    )
    assert (response.status_code, error(response)["code"]) == (413, "too_large")
    assert database_state() == before


@pytest.mark.django_db
def test_a_receipt_is_for_the_depositor_and_the_staff_of_the_court_where_it_is_filed(personas: Personas) -> None:
    p = personas
    digest = hashlib.sha256(PDF).hexdigest()
    response = client_for(p.creditor_a, language="en").post("/api/v1/evidence/deposits", {"sha256": digest})
    deposit_id = response.json()["subject"]["id"]
    url = f"/api/v1/evidence/deposits/{deposit_id}/receipt"
    before = database_state()
    # A private deposit: court staff of any court do not see it until it is filed in a case of their court.
    assert client_for(p.creditor_a, language="en").get(url).status_code == 200
    for user in (p.judge, p.court_admin, p.outsider, p.creditor_b, p.administrator, p.bank_operator):
        response = client_for(user, language="en").get(url)
        assert (response.status_code, error(response)["code"]) == (404, "not_found")
    assert database_state() == before
    # Filed in the Rudong case: Rudong's staff check its receipt; Haimen's clerk still does not see it.
    file_entry(actor=p.administrator, case=p.case, kind=EntryKind.REPORT, title="证据", content=PDF, filename="e.pdf")
    for user in (p.creditor_a, p.judge, p.court_admin):
        assert client_for(user, language="en").get(url).status_code == 200
    before = database_state()
    for user in (p.outsider, p.creditor_b, p.administrator, p.bank_operator):
        response = client_for(user, language="en").get(url)
        assert (response.status_code, error(response)["code"]) == (404, "not_found")
    assert database_state() == before
    assert client_for(p.creditor_b, language="en").get("/api/v1/evidence/deposits").json() == []


@pytest.mark.django_db
def test_every_filed_dossier_entry_has_a_receipt_for_those_who_read_the_dossier(personas: Personas) -> None:
    p = personas
    entry = file_entry(
        actor=p.administrator, case=p.case, kind=EntryKind.REPORT, title="财产调查报告", content=PDF, filename="r.pdf"
    )
    url = f"/api/v1/evidence/dossier-entries/{entry.pk}/receipt"
    assert client_for(p.judge, language="en").get(url).status_code == 200
    response = client_for(p.administrator, language="en").get(url)
    assert response.status_code == 200
    receipt = response.json()
    assert receipt["subject"]["case_number"] == p.case.number
    assert receipt["subject"]["entry_number"] == entry.number
    assert verify_receipt(receipt, file_sha256=hashlib.sha256(PDF).hexdigest(), public_key=log_verifier_key()).ok
    before = database_state()
    # Creditors do not read the dossier (smartcourt.dossier.policies): to them the entry does not exist.
    for user in (p.creditor_a, p.creditor_b, p.other_administrator, p.outsider):
        response = client_for(user, language="en").get(url)
        assert (response.status_code, error(response)["code"]) == (404, "not_found")
    assert database_state() == before


@pytest.mark.django_db
def test_court_administrators_manage_witnesses_and_sign_on_demand(personas: Personas) -> None:
    p = personas
    _, key = witness_key("witness.notary.example/1")
    before = database_state()
    for user in (p.judge, p.clerk, p.creditor_a):
        client = client_for(user, language="en")
        response = client.post("/api/v1/transparency/witnesses", {"public_key": key.encode()}, "application/json")
        assert (response.status_code, error(response)["code"]) == (403, "forbidden")
        assert client.get("/api/v1/transparency/witnesses").status_code == 403
        assert client.get("/api/v1/transparency/alarms").status_code == 403
        assert client.post("/api/v1/transparency/checkpoints").status_code == 403
    assert database_state() == before
    admin = client_for(p.court_admin, language="en")
    response = admin.post("/api/v1/transparency/witnesses", {"public_key": key.encode()}, "application/json")
    assert response.status_code == 201
    assert response.json()["name"] == "witness.notary.example/1"
    again = admin.post("/api/v1/transparency/witnesses", {"public_key": key.encode()}, "application/json")
    assert (again.status_code, error(again)["code"]) == (409, "conflict")
    log_key = admin.post(
        "/api/v1/transparency/witnesses", {"public_key": log_verifier_key().encode()}, "application/json"
    )
    assert (log_key.status_code, error(log_key)["field"]) == (422, "public_key")
    assert [w["name"] for w in admin.get("/api/v1/transparency/witnesses").json()] == ["witness.notary.example/1"]
    response = admin.post("/api/v1/transparency/checkpoints")
    assert response.status_code == 201
    assert response.json()["tree_size"] == Leaf.objects.count()


@pytest.mark.django_db
def test_witnesses_post_cosignatures_checked_against_their_registered_keys(personas: Personas) -> None:
    private, key = witness_key()
    witness = add_witness(actor=personas.court_admin, public_key=key.encode())
    checkpoint = publish_checkpoint()
    body = checkpoint.text + "\n" + checkpoint.signature
    line = note.cosign(checkpoint.text, key.name, private, 1_764_300_000).line()
    anonymous = client_for(None, language="en")

    forged_private, _ = witness_key()
    forged = note.cosign(checkpoint.text, key.name, forged_private, 1_764_300_000).line()
    impostor_private, impostor = witness_key("witness.impostor/1")
    unknown = note.cosign(checkpoint.text, impostor.name, impostor_private, 1_764_300_000).line()
    other_text = checkpoint.text.replace("timestamp ", "timestamp 1")
    unsigned = note.cosign(other_text, key.name, private, 1_764_300_000).line()
    before = database_state()
    for checkpoint_note, cosignature, status in (
        (body, forged, 403),
        (body, unknown, 403),
        (other_text, unsigned, 404),
        (body, "not a signature line", 422),
    ):
        response = anonymous.post(
            "/api/v1/transparency/cosignatures",
            {"checkpoint": checkpoint_note, "cosignature": cosignature},
            "application/json",
        )
        assert response.status_code == status, response.content
    assert database_state() == before

    for _ in range(2):  # a witness that retries is answered the same
        response = anonymous.post(
            "/api/v1/transparency/cosignatures", {"checkpoint": body, "cosignature": line}, "application/json"
        )
        assert response.status_code == 201
        assert response.json() == {"witness": key.name, "tree_size": checkpoint.tree_size, "timestamp": 1_764_300_000}
    published = anonymous.get("/api/v1/transparency/checkpoint").json()
    assert published["cosignatures"] == [{"witness": key.name, "timestamp": 1_764_300_000, "line": line}]
    assert note.verify_cosignature(note.parse_note(published["note"]), key) == 1_764_300_000

    set_witness_active(actor=personas.court_admin, witness_id=witness.pk, active=False)
    response = anonymous.post(
        "/api/v1/transparency/cosignatures", {"checkpoint": body, "cosignature": line}, "application/json"
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_signed_alarm_is_kept_audited_and_shown_to_court_administrators(personas: Personas) -> None:
    private, key = witness_key()
    add_witness(actor=personas.court_admin, public_key=key.encode())
    alarm = {
        "witness": key.name,
        "kind": "split_view",
        "message": "two checkpoints of 7 leaves",
        "evidence": {"checkpoint": "a", "seen": "b"},
        "timestamp": 1_764_300_000,
    }
    signature = base64.b64encode(private.sign(note.alarm_message(alarm))).decode()
    anonymous = client_for(None, language="en")
    before = database_state()
    forged = anonymous.post(
        "/api/v1/transparency/alarms", {**alarm, "message": "changed", "signature": signature}, "application/json"
    )
    assert (forged.status_code, error(forged)["code"]) == (403, "forbidden")
    assert database_state() == before
    response = anonymous.post("/api/v1/transparency/alarms", {**alarm, "signature": signature}, "application/json")
    assert response.status_code == 201
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.action == "evidence.alarm_received"
    listed = client_for(personas.court_admin, language="en").get("/api/v1/transparency/alarms").json()
    assert [(a["witness"], a["kind"]) for a in listed] == [(key.name, "split_view")]
