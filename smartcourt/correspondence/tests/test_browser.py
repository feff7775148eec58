"""In chromium, through the pages only: the administrator submits a request with an attachment, the judge
approves it, and both the thread and the dossier show it. Screenshots go to var/screenshots/."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings

from conftest import TEST_PASSWORD
from smartcourt.correspondence.choices import ThreadStatus
from smartcourt.correspondence.models import Thread
from smartcourt.dossier.models import DossierEntry
from smartcourt.dossier.tests.helpers import sample_pdf

if TYPE_CHECKING:
    from conftest import Personas

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


def sign_in(chromium: Any, base_url: str, username: str) -> Any:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def test_an_administrator_request_is_approved_by_the_judge(live_server: Any, personas: Personas, chromium: Any) -> None:
    from playwright.sync_api import expect

    case_id = personas.case.pk
    base = live_server.url

    # The administrator submits a request with a PDF attachment.
    admin = sign_in(chromium, base, "administrator")
    admin.goto(f"{base}/cases/{case_id}/correspondence/")
    admin.get_by_test_id("new-request").click()
    expect(admin).to_have_url(re.compile(r"/correspondence/new/\?kind=request$"))
    expect(admin.locator("input[name=kind][value=request]")).to_be_checked()
    admin.fill("input[name=subject]", "关于变卖债务人机器设备的请示")
    admin.fill("textarea[name=body]", "拟通过网络司法拍卖平台变卖机器设备一批，起拍价为评估价 120 万元。\n请批示。")
    admin.set_input_files(
        "input[name=attachments]",
        files=[{"name": "资产评估报告.pdf", "mimeType": "application/pdf", "buffer": sample_pdf("资产评估报告")}],
    )
    shoot(admin, "correspondence-1-new-request.png")
    admin.get_by_test_id("thread-form").locator("button[type=submit]").click()
    expect(admin).to_have_url(re.compile(r"/correspondence/[0-9a-f-]{36}/$"))
    expect(admin.get_by_test_id("thread-subject")).to_have_text("关于变卖债务人机器设备的请示")
    expect(admin.get_by_test_id("attachment")).to_have_text(re.compile("资产评估报告.pdf"))
    expect(admin.get_by_test_id("answer-form")).to_have_count(0)
    shoot(admin, "correspondence-2-submitted.png")
    thread_url = admin.url

    # The judge finds it in the case's list and approves it with a reason.
    judge = sign_in(chromium, base, "judge")
    judge.goto(f"{base}/cases/{case_id}/correspondence/")
    judge.get_by_test_id("thread-list").get_by_role("link", name=re.compile("关于变卖债务人机器设备的请示")).click()
    expect(judge).to_have_url(thread_url)
    form = judge.get_by_test_id("answer-form")
    form.locator("input[name=decision][value=approve]").check()
    form.locator("textarea[name=reasons]").fill("同意按评估价起拍。")
    form.locator("button[type=submit]").click()
    expect(judge.get_by_test_id("thread-messages").locator(":scope > li")).to_have_count(2)
    expect(judge.get_by_test_id("thread-messages")).to_contain_text("同意按评估价起拍。")
    expect(judge.get_by_test_id("answer-form")).to_have_count(0)
    shoot(judge, "correspondence-3-approved.png")

    # The dossier holds the request, its attachment and the reply, in that order.
    judge.goto(f"{base}/cases/{case_id}/dossier/")
    rows = judge.get_by_test_id("dossier-catalogue").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("请示：关于变卖债务人机器设备的请示")
    expect(rows.nth(1)).to_contain_text("附件1：资产评估报告.pdf")
    expect(rows.nth(2)).to_contain_text("批复（同意）：关于变卖债务人机器设备的请示")
    shoot(judge, "dossier-catalogue.png")

    # The administrator sees the answer on the same thread.
    admin.reload()
    expect(admin.get_by_test_id("thread-messages")).to_contain_text("同意按评估价起拍。")

    thread = Thread.objects.get()
    assert (thread.status, thread.version) == (ThreadStatus.APPROVED, 2)
    assert list(DossierEntry.objects.filter(case_id=case_id).values_list("number", "kind")) == [
        (1, "request"),
        (2, "attachment"),
        (3, "approval"),
    ]
    admin.context.close()
    judge.context.close()
