"""In chromium, through the pages only, against the sandbox payment service: a lawyer files a civil case on a
390 px wide phone screen, the filing clerk requests a correction, the lawyer corrects and sends again, the
clerk dockets it (case number, fee, sealed notices), the lawyer pays on the payment service's own page, and
the case is on the judge's list. Screenshots go to /tmp/shots/filing_*.png."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import TEST_PASSWORD
from smartcourt.fees.models import LitigationFee
from smartcourt.fees.testing import Payments
from smartcourt.filing.models import Filing
from smartcourt.filing.tests.helpers import lawyer

if TYPE_CHECKING:
    from conftest import Personas

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SMARTCOURT_SHOTS_DIR", "/tmp/shots"))  # noqa: S108 - screenshots for people
PHONE = {"width": 390, "height": 844}
IOU = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sign_in(chromium: Any, base_url: str, username: str, viewport: dict[str, int] | None = None) -> Any:
    context = chromium.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_file_correct_docket_pay_on_a_phone(
    live_server: Any, personas: Personas, chromium: Any, payment_service: Payments
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    payment_service.notify_to(f"{base}/api/v1/fees/notifications")
    lawyer("lawyer", "马俊")

    phone = sign_in(chromium, base, "lawyer", PHONE)
    phone.goto(f"{base}/filing/new/")
    # No horizontal scrolling on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.select_option("select[name=court]", label="如东县人民法院")
    phone.select_option("select[name=cause_code]", label="借款合同纠纷")
    phone.fill("input[name=practice_number]", "13206202010123456")
    phone.fill("input[name=p0_name]", "马某某")
    phone.fill("input[name=p0_id_number]", "320623198507120019")
    phone.select_option("select[name=p1_kind]", "organisation")
    phone.fill("input[name=p1_name]", "如东某某建设有限公司")
    phone.fill("input[name=p1_credit_code]", "914403001922038210")  # wrong check character
    phone.fill("textarea[name=claims]", "1. 判令被告偿还借款本金100,000元；\n2. 诉讼费用由被告负担。")
    phone.fill("input[name=amount]", "100000.00")
    phone.fill("textarea[name=facts]", "被告于2025年3月1日借款100,000元，到期未还。")
    phone.check("input[name=consent_online]")
    phone.get_by_test_id("send-filing").click()
    expect(phone.get_by_test_id("form-error")).to_contain_text("统一社会信用代码 914403001922038210：校验码为 0")
    shoot(phone, "filing_1_phone_error.png")
    assert Filing.objects.count() == 0
    phone.fill("input[name=p1_credit_code]", "914403001922038216")
    phone.get_by_test_id("send-filing").click()
    expect(phone).to_have_url(re.compile(r"/filing/[0-9a-f-]{36}/$"))
    expect(phone.get_by_test_id("filing-status")).to_have_text("法院已收到，待审查")
    shoot(phone, "filing_2_phone_received.png")
    filing = Filing.objects.get()

    clerk = sign_in(chromium, base, "clerk")
    clerk.goto(f"{base}/filing/queue/")
    expect(clerk.get_by_test_id("queue-row")).to_have_count(1)
    expect(clerk.get_by_test_id("colour-green")).to_be_visible()
    shoot(clerk, "filing_3_clerk_queue.png")
    clerk.get_by_role("link", name="借款合同纠纷").click()
    clerk.get_by_test_id("start-review").click()
    expect(clerk.get_by_test_id("filing-status")).to_have_text("审查中")
    clerk.fill("textarea[name=items]", "补充借条复印件\n补充转账凭证")
    clerk.get_by_test_id("request-correction").click()
    expect(clerk.get_by_test_id("filing-status")).to_have_text("需补正材料")

    phone.reload()
    expect(phone.get_by_test_id("correction-items")).to_contain_text("补充借条复印件")
    expect(phone.get_by_test_id("correction-items")).to_contain_text("补充转账凭证")
    shoot(phone, "filing_4_phone_correction.png")
    # The IOU as evidence: a PDF, kept with its SHA-256, filed into the dossier on docketing.
    phone.select_option("select[name=kind]", "evidence")
    phone.fill("input[name=title]", "借条")
    phone.set_input_files(
        "input[name=file]", files=[{"name": "借条.pdf", "mimeType": "application/pdf", "buffer": IOU}]
    )
    phone.get_by_test_id("attach").click()
    expect(phone.get_by_test_id("material")).to_contain_text("证据：借条")
    phone.get_by_test_id("correct").click()
    phone.fill("textarea[name=facts]", "被告于2025年3月1日借款100,000元，到期未还。借条与转账凭证见证据一、二。")
    phone.get_by_test_id("send-filing").click()
    expect(phone.get_by_test_id("filing-status")).to_have_text("法院已收到，待审查")

    clerk.goto(f"{base}/filing/{filing.pk}/")
    # The presiding judge by the court's draw (张明 is its only judge), recorded and checked on the page.
    clerk.get_by_test_id("docket").click()
    expect(clerk.get_by_test_id("filing-status")).to_have_text("已立案")
    expect(clerk.get_by_test_id("assignment")).to_contain_text("随机抽签：张明")
    expect(clerk.get_by_test_id("assignment-check")).to_contain_text("已复核")
    expect(clerk.get_by_test_id("case-number")).to_contain_text("苏0623民初")
    shoot(clerk, "filing_5_clerk_docketed.png")

    phone.reload()
    expect(phone.get_by_test_id("fee-amount")).to_have_text("2,300.00")
    expect(phone.get_by_test_id("fee-status")).to_have_text("待交费")
    shoot(phone, "filing_6_phone_fee.png")
    phone.get_by_test_id("pay").click()
    phone.get_by_test_id("go-pay").click()
    expect(phone).to_have_url(re.compile(r"/pay/\d+$"))
    expect(phone.get_by_test_id("amount")).to_have_text("2,300.00")
    shoot(phone, "filing_7_payment_page.png")
    phone.get_by_role("button", name="确认支付").click()
    expect(phone.get_by_test_id("paid")).to_be_visible()
    shoot(phone, "filing_8_paid.png")
    phone.get_by_test_id("return").click()
    expect(phone.get_by_test_id("fee-status")).to_have_text("已交费")
    shoot(phone, "filing_9_phone_paid.png")
    fee = LitigationFee.objects.get()
    assert (fee.status, fee.paid_fen) == ("paid", 2300_00)

    filing.refresh_from_db()
    assert filing.case is not None
    judge = sign_in(chromium, base, "judge")
    judge.goto(f"{base}/cases/")
    expect(judge.get_by_text(filing.case.number)).to_be_visible()
    shoot(judge, "filing_10_judge_cases.png")
    # The case page links to its fee (the judge is staff of the court), and the fee page back to the case.
    judge.get_by_text(filing.case.number).click()
    judge.get_by_test_id("fee-link").click()
    expect(judge.get_by_test_id("fee-status")).to_have_text("已交费")
    expect(judge.get_by_test_id("case-link")).to_have_text(filing.case.number)
    shoot(judge, "filing_11_judge_fee.png")
