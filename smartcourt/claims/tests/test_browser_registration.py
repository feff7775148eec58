"""In chromium, through the pages only: a person registers as a creditor (identity number, phone confirmed by
the SMS code), finds the case open for declaration in his portal and declares; the administrator confirms
the claim and signs the claims table; the creditor sees the sealed notice and downloads the signed table.
Screenshots go to /tmp/shots/claims_*.png."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from smartcourt.claims.models import Claim, CreditorIdentity, SignedTable
from smartcourt.claims.tests.helpers import open_proceeding
from smartcourt.claims.tests.test_browser import sign_in
from smartcourt.dossier.tests.helpers import sample_pdf

if TYPE_CHECKING:
    from conftest import Personas

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "shots"
SENT: list[tuple[str, str]] = []


class RecordingSms:
    """The SMS gateway of this test: what the person would read on his phone."""

    def send(self, phone: str, text: str) -> None:
        SENT.append((phone, text))


@pytest.fixture(autouse=True)
def _sms(settings: Any) -> None:
    settings.DOCUMENTS_SMS_ADAPTER = f"{__name__}.RecordingSms"
    SENT.clear()


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_registration_then_declaration_then_sealed_documents(
    live_server: Any, personas: Personas, chromium: Any
) -> None:
    from playwright.sync_api import expect

    open_proceeding(personas)
    base = live_server.url
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)

    page.goto(f"{base}/claims/register/")
    page.fill("input[name=phone]", "139 1234 5678")
    page.get_by_test_id("send-code").click()
    expect(page.get_by_test_id("register-form")).to_be_visible()
    phone, text = SENT[-1]
    assert phone == "13912345678"
    match = re.search(r"验证码为(\d{6})", text)
    assert match is not None
    form = page.get_by_test_id("register-form")
    form.locator("select[name=kind]").select_option("natural_person")
    page.fill("input[name=identifier]", "320623198001011238")  # one digit wrong: refused, names the check digit
    page.fill("input[name=full_name]", "王登记")
    page.fill("input[name=code]", match.group(1))
    page.fill("input[name=username]", "wang")
    page.fill("input[name=password]", "Correct-Horse-Battery-9")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("320623198001011238")
    shoot(page, "claims_register_error.png")
    page.fill("input[name=identifier]", "320623198001011237")
    page.fill("input[name=password]", "Correct-Horse-Battery-9")
    page.get_by_test_id("register-form").locator("button[type=submit]").click()
    expect(page).to_have_url(f"{base}/claims/portal/")
    expect(page.get_by_test_id("open-cases")).to_contain_text(personas.case.number)
    shoot(page, "claims_portal.png")
    assert CreditorIdentity.objects.get().identifier == "320623198001011237"

    page.get_by_test_id(f"join-{personas.case.pk}").click()
    expect(page).to_have_url(f"{base}/cases/{personas.case.pk}/claims/declare/")
    declare = page.get_by_test_id("declare-form")
    declare.locator("select[name=creditor_kind]").select_option("natural_person")
    page.fill("input[name=creditor_name]", "王登记")
    page.fill("input[name=identifier]", "320623198001011237")
    page.fill("input[name=principal]", "50000")
    page.set_input_files(
        "input[name=attachments]",
        files=[{"name": "货款欠条.pdf", "mimeType": "application/pdf", "buffer": sample_pdf("欠条")}],
    )
    shoot(page, "claims_declare.png")
    declare.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/claims/[0-9a-f-]{36}/$"))
    expect(page.get_by_test_id("declared-total")).to_have_text("50,000.00")
    claim_url = page.url

    admin = sign_in(chromium, base, "administrator")
    admin.goto(claim_url)
    review = admin.get_by_test_id("review-form")
    review.locator("select[name=result]").select_option("confirmed")
    review.locator("button[type=submit]").click()
    expect(admin.get_by_test_id("confirmed-total")).to_have_text("50,000.00")
    admin.goto(f"{base}/cases/{personas.case.pk}/claims/table/")
    admin.get_by_test_id("sign-table").click()
    expect(admin.get_by_test_id("signed-tables")).to_contain_text("债权表")
    shoot(admin, "claims_table_signed.png")

    page.goto(f"{base}/claims/mine/")
    expect(page.get_by_test_id("tracker-claim")).to_contain_text("债权审查结论通知书（第1号）")
    shoot(page, "claims_tracker_notice.png")
    assert any("债权审查结论通知书" in text for _phone, text in SENT)
    page.goto(f"{base}/cases/{personas.case.pk}/claims/table/")
    with page.expect_download() as download:
        page.get_by_test_id("signed-tables").locator("a").first.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    download.value.save_as(str(SHOTS / "claims_table_signed.pdf"))
    assert Claim.objects.get().confirmed_total_fen == SignedTable.objects.get().confirmed_fen == 5_000_000
