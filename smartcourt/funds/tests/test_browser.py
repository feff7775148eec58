"""In chromium, through the pages only, against the sandbox bank: the administrator asks for a payment over the
per-transaction limit, the judge assistant reviews it, the judge approves it, and the bank executes it with the
court's approval token; the judge's page then shows the movement the bank pushed. Screenshots go to
/tmp/shots/funds_*.png."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import TEST_PASSWORD
from smartcourt.banking.testing import Bank
from smartcourt.funds.models import PaymentRequest
from smartcourt.funds.tests.helpers import open_case_account

if TYPE_CHECKING:
    from conftest import Personas

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SMARTCOURT_SHOTS_DIR", "/tmp/shots"))  # noqa: S108 - screenshots for people


def sign_in(chromium: Any, base_url: str, username: str) -> Any:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_over_limit_payment_from_request_to_execution(
    live_server: Any, personas: Personas, chromium: Any, bank: Bank
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    case_id = personas.case.pk
    bank.notify_to(f"{base}/api/v1/banking/notifications")

    judge = sign_in(chromium, base, "judge")
    judge.goto(f"{base}/funds/cases/{case_id}/account/")
    shoot(judge, "funds_1_open_account.png")
    account = open_case_account(personas)
    bank.credit(
        account.account_number, 100_000_000, counterparty_name="南通市公共资源交易中心", description="拍卖变价款"
    )
    bank.push_now()

    administrator = sign_in(chromium, base, "administrator")
    administrator.goto(f"{base}/funds/cases/{case_id}/")
    expect(administrator.get_by_test_id("balance")).to_have_text("1,000,000.00")
    administrator.get_by_test_id("new-payment").click()
    administrator.fill("input[name=payee_name]", "南通拍卖行有限公司")
    administrator.fill("input[name=payee_account]", "6228480402564890018")
    administrator.fill("input[name=payee_bank]", "中国农业银行如东支行")
    administrator.fill("input[name=amount]", "80000.00")
    administrator.locator("select[name=purpose]").select_option("bankruptcy_expense")
    administrator.fill("textarea[name=description]", "拍卖佣金")
    shoot(administrator, "funds_2_payment_form.png")
    administrator.get_by_test_id("submit-payment").click()
    expect(administrator).to_have_url(re.compile(r"/payments/[0-9a-f-]{36}/$"))
    expect(administrator.get_by_test_id("payment-status")).to_have_attribute("data-status", "submitted")
    expect(administrator.get_by_test_id("over-limits")).to_have_attribute("data-limits", "per_transaction")
    payment = PaymentRequest.objects.get()
    assert payment.status == "submitted"

    assistant = sign_in(chromium, base, "assistant")
    assistant.goto(f"{base}/funds/queue/")
    shoot(assistant, "funds_3_queue.png")
    assistant.get_by_test_id("queue-item").click()
    assistant.fill("#review-note", "合同齐全")
    assistant.get_by_test_id("forward").click()
    expect(assistant.get_by_test_id("payment-status")).to_have_attribute("data-status", "reviewed")

    judge.goto(f"{base}/funds/cases/{case_id}/payments/{payment.pk}/")
    expect(judge.get_by_test_id("approval-form")).to_be_visible()
    shoot(judge, "funds_4_approval.png")
    judge.get_by_test_id("approve").click()
    expect(judge.get_by_test_id("payment-status")).to_have_attribute("data-status", "executed")
    payment.refresh_from_db()
    assert payment.status == "executed" and payment.approval_token
    assert bank.balance(account.account_number) == 100_000_000 - 8_000_000
    shoot(judge, "funds_5_executed.png")

    # The judge watches the account: the bank's notification lands and the page refreshes itself (htmx poll).
    judge.goto(f"{base}/funds/cases/{case_id}/")
    expect(judge.get_by_test_id("balance")).to_have_text("1,000,000.00")
    bank.push_now()
    expect(judge.get_by_test_id("balance")).to_have_text("920,000.00", timeout=15_000)
    expect(judge.get_by_test_id("movements")).to_contain_text("-80,000.00")
    shoot(judge, "funds_6_overview.png")
