"""In chromium: the court administrator edits a template with the live preview (a wrong placeholder is named
with its line), the judge generates the acceptance ruling, seals it and serves it, the creditor finds it in
the inbox, and anyone verifies it on the public page. Screenshots go to var/screenshots/."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings

from conftest import TEST_PASSWORD
from smartcourt.documents.models import Document

if TYPE_CHECKING:
    from conftest import Personas

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


def sign_in(chromium: Any, base_url: str, username: str) -> Any:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
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


def test_template_preview_generate_sign_serve_verify(
    live_server: Any, personas: Personas, chromium: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    admin = sign_in(chromium, base, "courtadmin")
    admin.goto(f"{base}/documents/templates/acceptance_ruling/")
    frame = admin.frame_locator("[data-testid=preview] iframe")
    expect(frame.locator("body")).to_contain_text("如东某某建设有限公司")
    admin.fill("textarea[name=body]", "<p>{{ debtor_name }}</p>\n<p>{{ debtor_nmae }}</p>")
    # Chinese or English, whichever the catalogue has: the line and the name are what matter.
    expect(admin.get_by_test_id("preview-problem")).to_contain_text("2")
    expect(admin.get_by_test_id("preview-problem")).to_contain_text("debtor_nmae")
    shoot(admin, "documents-1-template-error.png")

    judge = sign_in(chromium, base, "judge")
    judge.goto(f"{base}/documents/cases/{personas.case.pk}/")
    judge.select_option("#template-select", "acceptance_ruling")
    # A ruling is always sealed: the judge asks for a draft to read first, then seals it (issue 15.19).
    judge.check("#generate-draft")
    judge.get_by_test_id("generate-form").locator("button[type=submit]").click()
    expect(judge.get_by_test_id("documents")).to_contain_text("受理破产申请民事裁定书")
    judge.get_by_role("button", name=re.compile("盖章签名")).click()
    expect(judge.get_by_test_id("serve-form")).to_have_count(1)
    judge.get_by_test_id("serve-form").locator("button[type=submit]").click()
    expect(judge.get_by_test_id("deliveries")).to_contain_text("刘债权")
    shoot(judge, "documents-2-signed-and-served.png")

    creditor = sign_in(chromium, base, "creditor_a")
    creditor.goto(f"{base}/documents/inbox/")
    expect(creditor.get_by_test_id("inbox")).to_contain_text("受理破产申请民事裁定书")
    shoot(creditor, "documents-3-inbox.png")

    document = Document.objects.get()
    signed = tmp_path / "signed.pdf"
    with document.signed_pdf.open("rb") as handle:
        signed.write_bytes(handle.read())
    public = chromium.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/documents/verify/")
    public.set_input_files("input[name=file]", str(signed))
    public.get_by_test_id("verify-form").locator("button[type=submit]").click()
    expect(public.get_by_test_id("verdict")).to_have_class(re.compile("alert-success"))
    shoot(public, "documents-4-verified.png")
