"""The evidence pages: the public verification page, deposits with their PDF receipts, the court
administrators' log page; and who may open what."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from smartcourt.audit.models import AuditEvent
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.evidence.actions import deposit_evidence, publish_checkpoint
from smartcourt.evidence.models import Checkpoint, Deposit, Witness
from smartcourt.evidence.receipts import deposit_receipt
from smartcourt.evidence.tests.helpers import witness_key
from smartcourt.testing import client_for

if TYPE_CHECKING:
    from conftest import Personas

CONTENT = b"%PDF-1.7\nevidence\n%%EOF\n"
ROOT = Path(__file__).resolve().parents[3]


def checks_of(response: Any) -> dict[str, str]:
    """check name -> "1"/"0", as the page marks them."""
    html = response.content.decode()
    found = {}
    for part in html.split('data-check="')[1:]:
        name, _, rest = part.partition('"')
        found[name] = rest.split('data-ok="', 1)[1][0]
    return found


def a_receipt(personas: Personas) -> dict[str, Any]:
    deposit, checkpoint = deposit_evidence(
        actor=personas.creditor_a, sha256=hashlib.sha256(CONTENT).hexdigest(), file_name="e.pdf", title="证据"
    )
    return deposit_receipt(deposit, checkpoint=checkpoint, verify_url="http://testserver/evidence/verify/")


@pytest.mark.django_db
def test_anyone_verifies_a_receipt_and_its_file_on_the_public_page(personas: Personas) -> None:
    receipt = a_receipt(personas)
    anonymous = client_for(None, language="en")
    page = anonymous.get("/evidence/verify/?leaf=" + receipt["leaf"]["hash"])
    assert page.status_code == 200
    assert receipt["leaf"]["hash"] in page.content.decode()
    response = anonymous.post(
        "/evidence/verify/",
        {
            "receipt": SimpleUploadedFile("receipt.json", json.dumps(receipt).encode()),
            "file": SimpleUploadedFile("e.pdf", CONTENT),
        },
    )
    assert response.status_code == 200
    assert "The receipt is verified." in response.content.decode()
    assert checks_of(response) == {
        "leaf commits to the subject": "1",
        "leaf hash": "1",
        "file": "1",
        "checkpoint signature": "1",
        "checkpoint origin": "1",
        "inclusion proof": "1",
        "consistent with the log today": "1",
    }
    wrong = anonymous.post(
        "/evidence/verify/",
        {
            "receipt": SimpleUploadedFile("receipt.json", json.dumps(receipt).encode()),
            "file": SimpleUploadedFile("e.pdf", CONTENT + b"changed"),
        },
    )
    assert "The receipt does NOT verify." in wrong.content.decode()
    assert checks_of(wrong)["file"] == "0"


@pytest.mark.django_db
def test_the_page_shows_the_checks_in_chinese(personas: Personas) -> None:
    receipt = a_receipt(personas)
    response = client_for(None, language="zh-hans").post(
        "/evidence/verify/", {"receipt": SimpleUploadedFile("receipt.json", json.dumps(receipt).encode())}
    )
    html = response.content.decode()
    assert "回执核验通过" in html
    assert "包含证明" in html


@pytest.mark.django_db
def test_a_receipt_of_a_forked_log_is_not_consistent_with_the_log_today(personas: Personas) -> None:
    """Split view, caught by the verification page: the receipt's checkpoint is not a past of today's log."""
    from partnerproto import note
    from smartcourt.evidence.keys import log_signing_key
    from smartcourt.evidence.tests.conftest import ORIGIN

    receipt = a_receipt(personas)
    parsed = note.parse_note(receipt["checkpoint"])
    real = note.parse_checkpoint(parsed.text)
    # The court's key signed a tree that contains the leaf at a root the platform's log does not have.
    forked = note.Checkpoint(ORIGIN, real.size, b"\x01" * 32, real.timestamp).text()
    receipt["checkpoint"] = note.Note(forked, (note.sign(forked, ORIGIN, log_signing_key()),)).encode()
    response = client_for(None, language="en").post(
        "/evidence/verify/", {"receipt": SimpleUploadedFile("receipt.json", json.dumps(receipt).encode())}
    )
    checks = checks_of(response)
    assert checks["checkpoint signature"] == "1"
    assert checks["inclusion proof"] == "0"
    assert checks["consistent with the log today"] == "0"


@pytest.mark.django_db
def test_bad_uploads_on_the_verification_page(personas: Personas) -> None:
    anonymous = client_for(None, language="en")
    response = anonymous.post("/evidence/verify/", {"receipt": SimpleUploadedFile("r.json", b"{nope")})
    assert response.status_code == 422
    assert "not JSON" in response.content.decode()
    response = anonymous.post("/evidence/verify/", {"receipt": SimpleUploadedFile("r.pdf", CONTENT)})
    assert response.status_code == 422
    assert "receipt.json" in response.content.decode()
    assert anonymous.post("/evidence/verify/", {}).status_code == 422


@pytest.mark.django_db
def test_a_depositor_deposits_on_the_page_and_prints_a_pdf_receipt_that_verifies(personas: Personas) -> None:
    client = client_for(personas.creditor_a, language="en")
    assert client.get("/evidence/deposits/").status_code == 200
    response = client.post(
        "/evidence/deposits/", {"file": SimpleUploadedFile("借条.jpg", b"\xff\xd8\xffjpeg"), "title": "借条照片"}
    )
    deposit = Deposit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/evidence/deposits/#deposit-{deposit.pk}"
    assert deposit.title == "借条照片" and deposit.file_name == "借条.jpg"
    page = client.get("/evidence/deposits/").content.decode()
    assert deposit.sha256 in page

    pdf = client.get(f"/evidence/deposits/{deposit.pk}/receipt?format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "存证编号" in text and deposit.sha256 in text.replace("\n", "")
    attached = json.loads(reader.attachments["receipt.json"][0])
    assert attached["subject"]["id"] == str(deposit.pk)
    # The PDF itself goes back into the verification page.
    response = client_for(None, language="en").post(
        "/evidence/verify/",
        {
            "receipt": SimpleUploadedFile("receipt.pdf", pdf.content),
            "file": SimpleUploadedFile("借条.jpg", b"\xff\xd8\xffjpeg"),
        },
    )
    assert "The receipt is verified." in response.content.decode()

    json_receipt = client.get(f"/evidence/deposits/{deposit.pk}/receipt")
    assert json_receipt.json()["leaf"]["index"] == deposit.leaf_index
    # Private to the depositor while no case of a court holds it: court staff do not read it either.
    for other in (personas.creditor_b, personas.judge, personas.outsider):
        assert client_for(other, language="en").get(f"/evidence/deposits/{deposit.pk}/receipt").status_code == 404


@pytest.mark.django_db
def test_deposit_page_errors_change_nothing(personas: Personas) -> None:
    before = (Deposit.objects.count(), AuditEvent.objects.count())
    client = client_for(personas.creditor_a, language="en")
    assert client.post("/evidence/deposits/", {"title": "nothing"}).status_code == 422
    response = client.post("/evidence/deposits/", {"sha256": "1234"})
    assert response.status_code == 422
    assert "64 hexadecimal" in response.content.decode()
    assert (Deposit.objects.count(), AuditEvent.objects.count()) == before
    assert Client().get("/evidence/deposits/").status_code == 302


@pytest.mark.django_db
def test_dossier_entry_receipts_as_pdf(personas: Personas) -> None:
    entry = file_entry(
        actor=personas.judge,
        case=personas.case,
        kind=EntryKind.RULING,
        title="宣告破产裁定书",
        content=CONTENT,
        filename="r.pdf",
    )
    response = client_for(personas.judge, language="en").get(f"/evidence/dossier/{entry.pk}/receipt?format=pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert personas.case.number in text and "宣告破产裁定书" in text
    assert (
        client_for(personas.creditor_a, language="en").get(f"/evidence/dossier/{entry.pk}/receipt").status_code == 404
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["judge", "assistant", "clerk", "administrator", "creditor_a", "bank_operator", "outsider"]
)
def test_only_court_administrators_open_the_log_page(personas: Personas, name: str) -> None:
    client = client_for(getattr(personas, name), language="en")
    _, key = witness_key()
    before = (Checkpoint.objects.count(), Witness.objects.count(), AuditEvent.objects.count())
    assert client.get("/evidence/log/").status_code == 404
    assert client.post("/evidence/log/sign").status_code == 404
    assert client.post("/evidence/log/witnesses", {"public_key": key.encode()}).status_code == 404
    assert (Checkpoint.objects.count(), Witness.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_a_court_administrator_signs_and_manages_witnesses_on_the_log_page(personas: Personas) -> None:
    client = client_for(personas.court_admin, language="en")
    publish_checkpoint()
    page = client.get("/evidence/log/").content.decode()
    assert "No witness has raised an alarm." in page
    assert client.post("/evidence/log/sign").status_code == 302
    _, key = witness_key("witness.bank.example/7")
    assert client.post("/evidence/log/witnesses", {"public_key": key.encode()}).status_code == 302
    witness = Witness.objects.get()
    assert witness.name == "witness.bank.example/7" and witness.active
    assert client.post(f"/evidence/log/witnesses/{witness.pk}/active", {"active": "0"}).status_code == 302
    witness.refresh_from_db()
    assert not witness.active
    actions = list(AuditEvent.objects.order_by("-seq").values_list("action", flat=True)[:3])
    assert actions == ["evidence.witness_deactivated", "evidence.witness_added", "evidence.checkpoint_requested"]
    page = client.get("/evidence/log/").content.decode()
    assert "witness.bank.example/7" in page and "inactive" in page


@pytest.mark.django_db
def test_court_administrators_see_the_alarms_on_the_log_page(personas: Personas) -> None:
    import base64

    from partnerproto import note
    from smartcourt.evidence.actions import record_alarm

    private, key = witness_key()
    client = client_for(personas.court_admin, language="en")
    client.post("/evidence/log/witnesses", {"public_key": key.encode()})
    message = "the log shrank to 3 leaves"
    alarm: dict[str, object] = {
        "witness": key.name,
        "kind": "rollback",
        "message": message,
        "evidence": {},
        "timestamp": 1,
    }
    signature = base64.b64encode(private.sign(note.alarm_message(alarm))).decode()
    record_alarm(witness_name=key.name, kind="rollback", message=message, evidence={}, timestamp=1, signature=signature)
    page = client.get("/evidence/log/").content.decode()
    assert 'data-testid="alarms"' in page and "the log shrank to 3 leaves" in page
    assert "The log became smaller" in page
