"""The funds pages over every persona: the judge's live page, opening the account, the administrator's request
form, the court's queue and a request with its review and approval forms; 404 for those who may not see the
money, 403 for those who may see it but not act, and nothing changed on any refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from smartcourt.funds.models import PaymentRequest, SupervisedAccount
from smartcourt.funds.tests.fakes import FakeBank
from smartcourt.funds.tests.helpers import ask, open_case_account
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
# The bank that holds the account sees the account page (balance, limits, movements), not the requests.
SEE_ACCOUNT = SEE_FUNDS | {"bank_operator"}
MANAGE = {"judge", "court_admin"}
FORM = {
    "payee_name": "南通某某会计师事务所",
    "payee_account": "6217001234567890",
    "payee_bank": "中国银行南通分行",
    "amount": "80000.00",
    "purpose": "bankruptcy_expense",
    "description": "审计费用",
}


@pytest.fixture
def funded(personas: Personas, fake_bank: FakeBank) -> Any:
    account = open_case_account(personas)
    fake_bank.book(account.account_number, 100_000_000, counterparty="某某拍卖有限公司")
    return account


@pytest.mark.parametrize("who", ALL)
def test_the_overview_and_a_request(personas: Personas, funded: Any, who: str) -> None:
    payment = ask(personas)
    client = client_for(getattr(personas, who))
    base = f"/funds/cases/{personas.case.pk}/"
    for url in [base, f"{base}live/"]:
        assert client.get(url).status_code == (200 if who in SEE_ACCOUNT else 404), url
    detail = client.get(f"{base}payments/{payment.pk}/")
    assert detail.status_code == (200 if who in SEE_FUNDS else 404)
    text = client.get(base).content.decode()
    if who in SEE_FUNDS:
        assert "1,000,000.00" in text and "南通某某会计师事务所" in text
    elif who in SEE_ACCOUNT:
        # The bank: the balance of the account it holds, not the administrator's requests.
        assert "1,000,000.00" in text and 'data-testid="movements"' in text
        assert "南通某某会计师事务所" not in text and 'data-testid="payments"' not in text


@pytest.mark.parametrize("who", ALL)
def test_opening_the_account(personas: Personas, fake_bank: FakeBank, who: str) -> None:
    client = client_for(getattr(personas, who))
    url = f"/funds/cases/{personas.case.pk}/account/"
    data = {
        "mode": "open",
        "bank_partner": "sandbox",
        "bank_name": "中国工商银行如东支行",
        "account_name": "某某公司管理人",
        "per_transaction": "50000",
        "daily": "100000",
        "cumulative": "",
    }
    before = database_state()
    response = client.post(url, data)
    if who in MANAGE:
        assert response.status_code == 302
        account = SupervisedAccount.objects.get(case=personas.case)
        assert (account.per_transaction_limit_fen, account.daily_limit_fen, account.cumulative_limit_fen) == (
            5_000_000,
            10_000_000,
            None,
        )
        return
    assert response.status_code == (403 if who in SEE_FUNDS else 404)
    assert client.get(url).status_code == (403 if who in SEE_FUNDS else 404)
    assert database_state() == before and fake_bank.accounts == {}


def test_a_bad_limit_is_shown_on_the_field(personas: Personas, fake_bank: FakeBank) -> None:
    response = client_for(personas.judge).post(
        f"/funds/cases/{personas.case.pk}/account/",
        {"mode": "open", "bank_partner": "sandbox", "bank_name": "x", "account_name": "x", "per_transaction": "-1"},
    )
    assert response.status_code == 200 and 'data-testid="field-error"' in response.content.decode()
    assert not SupervisedAccount.objects.exists()


@pytest.mark.parametrize("who", ALL)
def test_requesting_a_payment(personas: Personas, funded: Any, who: str) -> None:
    client = client_for(getattr(personas, who))
    url = f"/funds/cases/{personas.case.pk}/payments/new/"
    before = database_state()
    response = client.post(url, FORM)
    if who == "administrator":
        payment = PaymentRequest.objects.get()
        assert response.status_code == 302 and response["Location"].endswith(f"/payments/{payment.pk}/")
        assert payment.status == "submitted"
        return
    assert response.status_code == (403 if who in SEE_FUNDS else 404)
    assert database_state() == before


def test_an_attachment_that_is_not_what_it_says_is_refused(personas: Personas, funded: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = database_state()
    fake = SimpleUploadedFile("发票.pdf", b"this is not a pdf", content_type="application/pdf")
    response = client_for(personas.administrator).post(
        f"/funds/cases/{personas.case.pk}/payments/new/", {**FORM, "attachments": [fake]}
    )
    assert response.status_code == 200 and "发票.pdf" in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize("who", ALL)
def test_review_and_approval_buttons(personas: Personas, funded: Any, who: str) -> None:
    payment = ask(personas, amount="80000.00")
    client = client_for(getattr(personas, who))
    url = f"/funds/cases/{personas.case.pk}/payments/{payment.pk}/decide/"
    before = database_state()
    response = client.post(url, {"step": "review", "decision": "forward", "version": payment.version})
    payment.refresh_from_db()
    if who == "assistant":
        assert response.status_code == 302 and payment.status == "reviewed"
        return
    assert response.status_code == (403 if who in SEE_FUNDS else 404)
    assert database_state() == before


@pytest.mark.parametrize("who", ALL)
def test_the_queue(personas: Personas, funded: Any, who: str) -> None:
    payment = ask(personas, amount="80000.00")
    response = client_for(getattr(personas, who)).get("/funds/queue/")
    court = who in {"judge", "assistant", "clerk", "court_admin", "outsider"}
    assert response.status_code == (200 if court else 403)
    if court:
        listed = f"/payments/{payment.pk}/" in response.content.decode()
        assert listed == (who == "assistant")
    # Once reviewed it waits for the judge; the case is heard by a collegial panel (the default), so it also
    # stays in the assistant's queue, who records the panel's decision (issue 15.15). Nobody else's.
    from smartcourt.funds.actions import review_payment

    review_payment(actor=personas.assistant, payment_id=payment.pk, decision="forward")
    response = client_for(getattr(personas, who)).get("/funds/queue/")
    if court:
        assert (f"/payments/{payment.pk}/" in response.content.decode()) == (who in {"judge", "assistant"})


@pytest.mark.parametrize("who", ALL)
def test_dealing_with_an_alert(personas: Personas, funded: Any, fake_bank: FakeBank, who: str) -> None:
    from smartcourt.funds.models import FundAlert

    fake_bank.book(funded.account_number, -3_500, counterparty="银行手续费")
    alert = FundAlert.objects.get(kind="unexpected_debit")
    before = database_state()
    response = client_for(getattr(personas, who)).post(f"/funds/cases/{personas.case.pk}/alerts/{alert.pk}/resolve/")
    alert.refresh_from_db()
    if who in {"judge", "court_admin", "assistant"}:
        assert response.status_code == 302 and alert.resolved_at is not None
        return
    assert response.status_code == (403 if who in SEE_FUNDS else 404)
    assert alert.resolved_at is None and database_state() == before


def test_the_statement_pull_task(personas: Personas, funded: Any, fake_bank: FakeBank) -> None:
    """The periodic task books what notifications did not bring, for every supervised account."""
    from smartcourt.funds.models import BankMovement
    from smartcourt.funds.tasks import pull_statements

    fake_bank.book(funded.account_number, 700_000, counterparty="某某", push=False)
    assert pull_statements.call_local() == 1
    assert pull_statements.call_local() == 0
    assert BankMovement.objects.filter(account=funded, source="statement").count() == 1
    fake_bank.down = True
    assert pull_statements.call_local() == 0  # an unreachable bank is logged, not raised
