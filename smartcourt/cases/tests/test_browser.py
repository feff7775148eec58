"""The demo judge signs in through the real sign-in form in chromium, opens a case and sees its timeline."""

from __future__ import annotations

import os
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# The demo seeds fund supervision and distributions through the sandbox bank.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("bank")]

DEMO_CASE = "(2026)苏0623破1号"
SCREENSHOT = Path(django_settings.BASE_DIR) / "var" / "screenshots" / "judge-case.png"


@pytest.fixture
def demo(db: None) -> None:
    call_command("seed_demo", stdout=StringIO())


def test_demo_judge_signs_in_and_opens_a_case(live_server: Any, demo: None, chromium: Any) -> None:
    from playwright.sync_api import expect

    from smartcourt.cases.demo import DEMO_PASSWORD, LIU_YANG_ID

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("input[name=username]", "judge")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("current-user")).to_contain_text("张明")
    expect(page.locator("h1")).to_contain_text("您好，张明")

    page.get_by_role("link", name="案件", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/cases/")
    # The search box narrows the list through HTMX, without reloading the page.
    page.fill("#id_q", DEMO_CASE)
    expect(page.get_by_test_id("result-count")).to_contain_text("共 1 件")
    expect(page).to_have_url(re.compile(r"/cases/\?q="))
    page.get_by_role("link", name=DEMO_CASE).click()

    expect(page.get_by_test_id("case-number")).to_have_text(DEMO_CASE)
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_be_visible()
    # A bankruptcy case has a long history: the page shows the latest events and links to all of them.
    expect(timeline.locator("li")).to_have_count(30)
    page.get_by_role("link", name="显示全部").click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator("li").first).to_contain_text("立案登记")
    expect(timeline).to_contain_text("王芳 · 立案员")

    # Identity numbers are masked; the judge reveals one (an audited action) and it appears in place.
    identifier = page.locator("tr", has_text="刘洋").get_by_test_id("party-identifier")
    expect(identifier).to_contain_text("320623********0019")
    identifier.get_by_role("button").click()
    expect(identifier).to_contain_text(LIU_YANG_ID)

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
    context.close()
