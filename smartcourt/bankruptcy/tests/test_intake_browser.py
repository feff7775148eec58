"""The filing clerk's intake screen in chromium: typing the company's name brings up its registry data, its
shareholders and "在执案件 99+" without a page load; the clerk registers the application. Screenshots go to
var/screenshots/."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings

from conftest import TEST_PASSWORD
from smartcourt.bankruptcy.tests.test_intake import (
    HONGDA,
    HUASHENG,
    _merged_catalogue,
    against_hongda,
    chinese,
)
from smartcourt.cases.choices import CaseType
from smartcourt.registry.testing import RegistryServer, registry, registry_server

if TYPE_CHECKING:
    from conftest import Personas

__all__ = ["_merged_catalogue", "chinese", "registry", "registry_server"]

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


def test_the_clerk_looks_up_a_company_and_registers_an_application(
    live_server: Any, personas: Personas, registry: RegistryServer, chinese: None, chromium: Any
) -> None:
    from playwright.sync_api import expect

    p = personas
    against_hongda(p, CaseType.ENFORCEMENT, 120)
    against_hongda(p, CaseType.CIVIL_FIRST_INSTANCE, 12)

    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/bankruptcy/intake/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form[action^='/accounts/login/'] button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/bankruptcy/intake/")
    expect(page.locator("h1")).to_have_text("破产及强制清算申请")

    # Typing is enough: HTMX asks after a pause, no button and no page load.
    page.locator("#id_q").press_sequentially("宏达纺织", delay=60)
    expect(page.get_by_test_id("enforcement-count")).to_have_text("99+")
    expect(page.get_by_test_id("pending-count")).to_have_text("12")
    company = page.get_by_test_id("company")
    expect(company).to_contain_text("如东县宏达纺织有限公司")
    expect(company).to_contain_text(HONGDA)
    expect(page.get_by_test_id("shareholders")).to_contain_text("南通宏发投资有限公司")
    expect(page.get_by_text("在执案件", exact=True)).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "intake.png"), full_page=True)

    page.locator("#applicant-creditor").check()
    page.fill("#id_applicant_name", "南通华盛建材有限公司")
    page.fill("#id_applicant_credit_code", HUASHENG)
    page.get_by_role("button", name="登记申请").click()
    expect(page).to_have_url(re.compile(r"/bankruptcy/intake/review/[0-9a-f-]{36}/$"))
    expect(page.get_by_test_id("case-number")).to_have_text("(2026)苏0623破申1号")
    expect(page.get_by_test_id("review-deadline")).to_contain_text("通知债务人")
    page.screenshot(path=str(SCREENSHOTS / "intake-registered.png"), full_page=True)
    assert (SCREENSHOTS / "intake.png").stat().st_size > 20_000
    context.close()


def test_the_judge_accepts_and_appoints_by_a_recorded_draw(
    live_server: Any, personas: Personas, registry: RegistryServer, chinese: None, chromium: Any
) -> None:
    from playwright.sync_api import expect

    from smartcourt.administrators.demo import seed_roster
    from smartcourt.bankruptcy.acceptance import register_application

    p = personas
    seed_roster(court=p.rudong, court_admin=p.court_admin, firms=[p.firm_a, p.firm_b])
    review = register_application(
        actor=p.clerk,
        procedure="liquidation",
        credit_code=HONGDA,
        applicant_type="debtor",
        filed_on=review_filed_on(),
        presiding_judge_id=p.judge.pk,
    )

    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/bankruptcy/intake/review/{review.pk}/")
    page.fill("input[name=username]", "judge")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form[action^='/accounts/login/'] button[type=submit]")
    expect(page.get_by_test_id("case-number")).to_have_text("(2026)苏0623破申1号")

    page.locator("#decision-accept").check()
    page.fill("#id_reasons", "债务人不能清偿到期债务，并且资产不足以清偿全部债务")
    page.get_by_role("button", name="记录裁定").click()
    expect(page).to_have_url(re.compile(r"/bankruptcy/intake/cases/[0-9a-f-]{36}/appoint/$"))
    expect(page.locator(".alert-success")).to_contain_text("已裁定受理：(2026)苏0623破2号 已立案")

    page.locator("#method-random_draw").check()
    page.select_option("#id_grade", "second")
    page.fill("#id_seed", "2026年11月28日 如东法院公开摇号 07 19 23")
    page.get_by_role("button", name="指定", exact=True).click()
    expect(page).to_have_url(re.compile(r"/administrators/appointments/[0-9a-f-]{36}/$"))
    expect(page.get_by_test_id("method")).to_have_text("随机抽签")
    expect(page.get_by_test_id("draw-check")).to_contain_text("已重新计算")
    expect(page.get_by_test_id("seed")).to_have_text("2026年11月28日 如东法院公开摇号 07 19 23")
    page.screenshot(path=str(SCREENSHOTS / "appointment-draw.png"), full_page=True)
    context.close()


def review_filed_on() -> Any:
    from django.utils import timezone

    return timezone.localdate()
