"""In chromium, through the pages only: creditor A declares a claim with interest and evidence, the
appointed administrator confirms part of it with a reason, and the creditor sees the decision and its notice.
Screenshots go to var/screenshots/."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings

from conftest import TEST_PASSWORD
from smartcourt.claims.models import Claim
from smartcourt.claims.tests.helpers import open_proceeding
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


def test_declaration_and_partial_confirmation(live_server: Any, personas: Personas, chromium: Any) -> None:
    from playwright.sync_api import expect

    open_proceeding(personas)
    base = live_server.url
    case_id = personas.case.pk

    creditor = sign_in(chromium, base, "creditor_a")
    creditor.goto(f"{base}/cases/{case_id}/claims/")
    creditor.get_by_test_id("declare").click()
    form = creditor.get_by_test_id("declare-form")
    form.locator("select[name=creditor_kind]").select_option("natural_person")
    creditor.fill("input[name=creditor_name]", "刘债权")
    creditor.fill("input[name=identifier]", "11010519491231002X")
    creditor.fill("input[name=principal]", "100000")
    creditor.fill("input[name=interest_from]", "2025-03-09")
    creditor.fill("input[name=interest_rate_percent]", "3.65")
    creditor.fill("input[name=penalties]", "500")
    creditor.set_input_files(
        "input[name=attachments]",
        files=[{"name": "借款合同.pdf", "mimeType": "application/pdf", "buffer": sample_pdf("借款合同")}],
    )
    shoot(creditor, "claims-1-declare.png")
    form.locator("button[type=submit]").click()
    expect(creditor).to_have_url(re.compile(r"/claims/[0-9a-f-]{36}/$"))
    expect(creditor.get_by_test_id("interest-lines")).to_contain_text("3,650.00")
    expect(creditor.get_by_test_id("declared-total")).to_have_text("104,150.00")
    expect(creditor.get_by_test_id("documents")).to_contain_text("债权申报回执（第1号）")
    claim_url = creditor.url

    admin = sign_in(chromium, base, "administrator")
    admin.goto(claim_url)
    review = admin.get_by_test_id("review-form")
    review.locator("select[name=result]").select_option("partly_confirmed")
    admin.fill("input[name=penalties]", "0")
    admin.fill("input[name=reason_penalties]", "合同未约定违约金")
    shoot(admin, "claims-2-review.png")
    review.locator("button[type=submit]").click()
    expect(admin.get_by_test_id("confirmed-total")).to_have_text("103,650.00")
    expect(admin.get_by_test_id("review-form")).to_have_count(0)

    creditor.reload()
    expect(creditor.get_by_test_id("confirmed-total")).to_have_text("103,650.00")
    expect(creditor.get_by_test_id("documents")).to_contain_text("债权审查结论通知书（第1号）")
    expect(creditor.get_by_test_id("objection-form")).to_have_count(1)
    shoot(creditor, "claims-3-decision.png")
    claim = Claim.objects.get()
    assert (claim.status, claim.confirmed_total_fen) == ("partly_confirmed", 10_365_000)
