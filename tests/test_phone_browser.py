"""The main pages of every role on a phone (390 px wide, issue 16.9): nothing wider than the screen, and the
long tables (fund movements, the supervision board) become labelled cards instead of columns one character
wide. Screenshots land in var/screenshots/phone-*.png for a person to look at."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from smartcourt.cases.models import Case

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("bank")]

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}


def _pages(hongda: Case) -> dict[str, list[str]]:
    case, funds = f"/cases/{hongda.pk}/", f"/funds/cases/{hongda.pk}/"
    return {
        "judge": ["/", "/cases/", case, "/bankruptcy/board/", funds, f"/bankruptcy/cases/{hongda.pk}/", "/analytics/"],
        "admin_a": ["/", case, f"/cases/{hongda.pk}/claims/"],
        "clerk": ["/", "/bankruptcy/intake/"],
        "creditor_a": ["/", "/claims/mine/", "/claims/portal/", "/meetings/mine/"],
        "bank": ["/", funds],
    }


@pytest.fixture
def demo(db: None) -> None:
    # Seeded before chromium starts: Playwright's event loop would refuse the signing code's asyncio.run.
    call_command("seed_demo", stdout=StringIO())


def test_main_pages_fit_a_phone(live_server: Any, demo: None, chromium: Any) -> None:
    from smartcourt.cases.demo import DEMO_PASSWORD

    hongda = Case.objects.get(title="如东县宏达纺织有限公司破产清算案")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide: list[str] = []
    for username, paths in _pages(hongda).items():
        context = chromium.new_context(viewport=PHONE, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("form[action='/accounts/login/'] button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for index, path in enumerate(paths):
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, (username, path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append(f"{username} {path}: {width}px")
            page.screenshot(path=str(SCREENSHOTS / f"phone-{username}-{index}.png"), full_page=True)
            if path.startswith("/funds/"):
                # Movements are cards: each amount carries its column's name beside it.
                cell = page.locator("[data-testid=movements] td[data-label]").first
                assert cell.evaluate("e => getComputedStyle(e).display") == "block"
        context.close()
    assert too_wide == []
