"""In chromium: the administrator signs in, works a node with uploads on the node page; the judge sees the case
on the supervision board, opens it and confirms a node the court must confirm. Screenshots of the board,
the node page and the rule pack go to var/screenshots/."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings

from smartcourt.bankruptcy.actions import complete_node, start_node
from smartcourt.bankruptcy.tests.conftest import PDF, drive, open_liquidation, provide_all, record

if TYPE_CHECKING:
    from conftest import Personas

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


def sign_in(browser: Any, base: str, username: str) -> Any:
    from conftest import TEST_PASSWORD

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_administrator_works_a_node_and_the_judge_confirms_one(
    live_server: Any, personas: Personas, chromium: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    open_liquidation(personas)
    case = personas.case
    nodes_url = f"{live_server.url}/bankruptcy/cases/{case.pk}/"

    # The administrator starts N04, uploads its two files and completes it.
    page = sign_in(chromium, live_server.url, "administrator")
    page.goto(nodes_url)
    n04 = page.locator("#node-N04")
    expect(n04).to_have_attribute("data-status", "pending")
    expect(n04).to_contain_text("接管")
    n04.locator("form[action$='/nodes/N04/start/'] button").click()
    expect(page.locator("#node-N04")).to_have_attribute("data-status", "in_progress")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#node-N04").screenshot(path=str(SCREENSHOTS / "engine-node-in-progress.png"))
    for key in ("takeover_notice", "takeover_inventory"):
        sample = tmp_path / f"{key}.pdf"
        sample.write_bytes(PDF)
        form = page.locator("#node-N04 form[action$='/nodes/N04/outputs/']", has=page.locator(f"input[value={key}]"))
        form.locator("input[type=file]").set_input_files(str(sample))
        form.locator("button").click()
        expect(page.locator("#node-N04")).to_contain_text(f"{key}.pdf")
    page.locator("#node-N04 form[action$='/nodes/N04/complete/'] button").click()
    expect(page.locator("#node-N04")).to_have_attribute("data-status", "completed")
    page.screenshot(path=str(SCREENSHOTS / "engine-administrator-nodes.png"), full_page=True)
    page.context.close()

    # N09 (audit) needs the court's confirmation: the administrator sends it, the judge confirms it.
    drive(personas, "N05")
    start_node(actor=personas.administrator, case_id=case.pk, node_key="N09")
    provide_all(personas, "N09")
    complete_node(actor=personas.administrator, case_id=case.pk, node_key="N09")

    page = sign_in(chromium, live_server.url, "judge")
    page.goto(f"{live_server.url}/bankruptcy/board/")
    row = page.locator(f"tr[data-case='{case.number}']")
    expect(row).to_be_visible()
    expect(row.locator("[data-node=N09]")).to_be_visible()
    expect(page.get_by_test_id("statistics")).to_contain_text("如东县人民法院")
    page.screenshot(path=str(SCREENSHOTS / "engine-board.png"), full_page=True)
    row.get_by_role("link", name=case.number).click()
    expect(page).to_have_url(re.compile(rf"/bankruptcy/cases/{case.pk}/"))
    n09 = page.locator("#node-N09")
    expect(n09).to_have_attribute("data-status", "awaiting_confirmation")
    n09.locator("form[action$='/nodes/N09/confirm/'] button").click()
    expect(page.locator("#node-N09")).to_have_attribute("data-status", "completed")
    assert record(personas, "N09").completed_by == personas.judge
    page.screenshot(path=str(SCREENSHOTS / "engine-judge-nodes.png"), full_page=True)

    page.goto(f"{live_server.url}/bankruptcy/rulepack/")
    expect(page.get_by_test_id("procedure-reorganisation")).to_contain_text("提交重整计划草案")
    page.screenshot(path=str(SCREENSHOTS / "engine-rulepack.png"))
    page.context.close()
