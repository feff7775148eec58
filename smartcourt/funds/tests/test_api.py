"""The funds API over every persona: the money of a case is visible to its court and its administrator only
(404 for everyone else, as if it did not exist), only the maker requests, only the assistant reviews, only the
judge decides (403 for the others who see it), and nothing changes on any refusal. Idempotency-Key semantics.
The bank's notification endpoint refuses anything unsigned with 401 and changes nothing."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.utils import timezone

from smartcourt.funds.schemas import PaymentIn
from smartcourt.funds.tests.fakes import FakeBank
from smartcourt.funds.tests.helpers import ask, open_case_account
from smartcourt.services.idempotency import CLIENT_KEY_LEASE, body_digest, claim_client_key
from smartcourt.services.models import ClientKey
from smartcourt.testing import client_for, database_state

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db

ALL = [
    "judge",
    "assistant",
    "clerk",
    "court_admin",
    "administrator",
    "other_administrator",
    "creditor_a",
    "creditor_b",
    "bank_operator",
    "outsider",
]
SEE_FUNDS = {"judge", "assistant", "clerk", "court_admin", "administrator"}
BODY = {
    "payee_name": "南通某某会计师事务所",
    "payee_account": "6217001234567890",
    "payee_bank": "中国银行南通分行",
    "amount": "80000.00",
    "purpose": "bankruptcy_expense",
    "description": "审计费用",
}


def post(client: Client, url: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


@pytest.fixture
def funded(personas: Personas, fake_bank: FakeBank) -> Any:
    account = open_case_account(personas)
    fake_bank.book(account.account_number, 100_000_000, counterparty="某某拍卖有限公司")
    return account


@pytest.mark.parametrize("who", ALL)
def test_reading_the_account_and_the_payments(personas: Personas, funded: Any, who: str) -> None:
    ask(personas, amount="80000.00")
    client = client_for(getattr(personas, who), language="en")
    account = client.get(f"/api/v1/funds/cases/{personas.case.pk}/account")
    payments = client.get(f"/api/v1/funds/cases/{personas.case.pk}/payments")
    if who in SEE_FUNDS:
        assert account.status_code == 200 and payments.status_code == 200
        data = account.json()
        assert data["balance"] == "1000000.00"
        assert data["per_transaction"] == {"limit": "50000.00", "used": "0.00"}
        assert data["movements"][0]["amount"] == "1000000.00"
        assert [a["kind"] for a in data["alerts"]] == ["limit_breach_attempted"]
        assert [(p["number"], p["status"], p["amount"]) for p in payments.json()] == [(1, "submitted", "80000.00")]
    else:
        assert account.status_code == 404 and payments.status_code == 404
        assert account.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("who", ALL)
def test_requesting_a_payment(personas: Personas, funded: Any, fake_bank: FakeBank, who: str) -> None:
    before = database_state()
    response = post(
        client_for(getattr(personas, who), language="en"), f"/api/v1/funds/cases/{personas.case.pk}/payments", BODY
    )
    if who == "administrator":
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["status"] == "submitted" and data["over_limits"] == ["per_transaction"]
        assert [t["to_status"] for t in data["transitions"]] == ["submitted"]
        return
    assert response.status_code == (403 if who in SEE_FUNDS else 404)
    assert database_state() == before


def test_idempotency_key(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(personas.administrator, language="en")
    url = f"/api/v1/funds/cases/{personas.case.pk}/payments"
    body = {**BODY, "amount": "100.00"}
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, url, body, **{"Idempotency-Key": "pay-1"})
    again = post(client, url, body, **{"Idempotency-Key": "pay-1"})
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["status"] == "executed"
    before = database_state()
    other = post(client, url, {**body, "amount": "200.00"}, **{"Idempotency-Key": "pay-1"})
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert database_state() == before
    assert len(fake_bank.transfers_sent) == 1


def test_a_key_whose_first_request_is_still_in_flight_gets_409(
    personas: Personas, funded: Any, fake_bank: FakeBank
) -> None:
    client = client_for(personas.administrator, language="en")
    url = f"/api/v1/funds/cases/{personas.case.pk}/payments"
    body = {**BODY, "amount": "100.00"}
    digest = body_digest({"case_id": str(personas.case.pk), **PaymentIn.model_validate(body).dict()})
    # The first request with the key has claimed it and is being handled by another worker.
    claim_client_key(actor=personas.administrator, key="pay-2", body_sha256=digest)
    before = database_state()
    answer = post(client, url, body, **{"Idempotency-Key": "pay-2"})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "idempotency_key_in_flight"
    assert database_state() == before and fake_bank.transfers_sent == []
    # A claim left behind by a worker that died is taken over once its lease has run out.
    ClientKey.objects.filter(key="pay-2").update(claimed_at=timezone.now() - CLIENT_KEY_LEASE)
    taken_over = post(client, url, body, **{"Idempotency-Key": "pay-2"})
    assert taken_over.status_code == 201
    assert ClientKey.objects.get(key="pay-2").done


def test_a_refused_request_releases_its_key(personas: Personas, funded: Any) -> None:
    client = client_for(personas.administrator, language="en")
    url = f"/api/v1/funds/cases/{personas.case.pk}/payments"
    before = database_state()
    refused = post(client, url, {**BODY, "payee_account": "62-17"}, **{"Idempotency-Key": "pay-3"})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "payee_account"
    assert database_state() == before
    assert not ClientKey.objects.filter(key="pay-3").exists()


@pytest.mark.parametrize(
    "body",
    [
        {**BODY, "amount": 80000.5},
        {**BODY, "amount": "1e3"},
        {**BODY, "purpose": "gift"},
        {**BODY, "payee_name": ""},
        {k: v for k, v in BODY.items() if k != "payee_account"},
    ],
)
def test_invalid_bodies_are_422_and_change_nothing(personas: Personas, funded: Any, body: dict[str, Any]) -> None:
    before = database_state()
    response = post(
        client_for(personas.administrator, language="en"), f"/api/v1/funds/cases/{personas.case.pk}/payments", body
    )
    assert response.status_code == 422
    assert set(response.json()["error"]) == {"code", "message", "field"}
    assert database_state() == before


@pytest.mark.parametrize("who", ALL)
def test_review_and_decision(
    personas: Personas, funded: Any, fake_bank: FakeBank, who: str, django_capture_on_commit_callbacks: Any
) -> None:
    payment = ask(personas, amount="80000.00")
    client = client_for(getattr(personas, who), language="en")
    before = database_state()
    reviewed = post(client, f"/api/v1/funds/payments/{payment.pk}/review", {"decision": "forward", "version": 1})
    if who == "assistant":
        assert reviewed.status_code == 200 and reviewed.json()["status"] == "reviewed"
    else:
        assert reviewed.status_code == (403 if who in SEE_FUNDS else 404)
        assert database_state() == before
        post(
            client_for(personas.assistant, language="en"),
            f"/api/v1/funds/payments/{payment.pk}/review",
            {"decision": "forward"},
        )
    before = database_state()
    with django_capture_on_commit_callbacks(execute=True):
        decided = post(client, f"/api/v1/funds/payments/{payment.pk}/decision", {"decision": "approve"})
    if who == "judge":
        assert decided.status_code == 200
        data = decided.json()
        assert data["status"] == "sent_to_bank"  # answered before the bank is called, after commit
        assert [(a["step"], a["decision"], a["current"]) for a in data["approvals"]] == [
            ("review", "forward", True),
            ("approval", "approve", True),
        ]
        payment.refresh_from_db()
        assert payment.status == "executed"
    else:
        assert decided.status_code == (403 if who in SEE_FUNDS else 404)
        assert database_state() == before


def test_a_stale_version_is_409(personas: Personas, funded: Any) -> None:
    payment = ask(personas, amount="80000.00")
    before = database_state()
    response = post(
        client_for(personas.assistant, language="en"),
        f"/api/v1/funds/payments/{payment.pk}/review",
        {"decision": "forward", "version": 7},
    )
    assert response.status_code == 409 and database_state() == before


def test_an_unsigned_notification_is_401_and_changes_nothing(personas: Personas, funded: Any) -> None:
    before = database_state()
    body = {
        "type": "movements",
        "movements": [
            {
                "account_number": funded.account_number,
                "sequence": 2,
                "bank_reference": "FAKE",
                "booked_at": "2026-06-01T10:00:00+08:00",
                "amount_fen": -100,
                "balance_after_fen": 0,
                "counterparty_name": "x",
                "counterparty_account": "1",
                "description": "x",
            }
        ],
    }
    response = Client().post("/api/v1/banking/notifications", json.dumps(body), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert database_state() == before
