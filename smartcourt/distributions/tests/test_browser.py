"""In chromium: the administrator's plan page, an uploaded file's line-by-line report, the judge's approval
page (batch against plan), and a batch paid by the sandbox bank with one return escrowed. Screenshots go to
/tmp/shots/distributions_*.png (SMARTCOURT_SHOTS_DIR to change)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import TEST_PASSWORD
from smartcourt.banking.testing import Bank
from smartcourt.claims.choices import ClaimNature, CreditorKind
from smartcourt.distributions import actions
from smartcourt.distributions.demo import seed_distributions
from smartcourt.distributions.models import DistributionPlan

from .helpers import PAYING_ACCOUNT, PAYING_BANK, csv_file, make_claim, ruled_plan

if TYPE_CHECKING:
    from conftest import Personas

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SMARTCOURT_SHOTS_DIR", "/tmp/shots"))  # noqa: S108 - where reviewers look


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
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"distributions_{name}.png"), full_page=True)


def test_upload_report_and_approval(live_server: Any, personas: Personas, chromium: Any) -> None:
    from playwright.sync_api import expect

    p = personas
    make_claim(p, name="张三", identifier="320623198001010011", nature=ClaimNature.EMPLOYEE, amount_fen=100_000)
    make_claim(
        p,
        name="甲供应商有限公司",
        identifier="91320623000000003C",
        amount_fen=1_000_000,
        kind=CreditorKind.ORGANISATION,
    )
    make_claim(
        p, name="乙纺织有限公司", identifier="91320623000000004D", amount_fen=600_000, kind=CreditorKind.ORGANISATION
    )
    plan = ruled_plan(p, 400_000)
    base = live_server.url
    admin = sign_in(chromium, base, p.administrator.username)
    admin.goto(f"{base}/distributions/plans/{plan.pk}/upload/")
    bad = [
        ["1", "张叁", "320623198001010011", "6222-0200", "", "", "1000.001"],
        ["2", "甲供应商有限公司", "91320623000000003C", "1000123400056789", "江苏银行南通分行", "", "1874.99"],
        ["3", "甲供应商有限公司", "91320623000000003C", "1000123400056789", "江苏银行南通分行", "", "1875.00"],
    ]
    path = SHOTS / "bad.csv"
    SHOTS.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_file(bad))
    admin.set_input_files("input[name=file]", str(path))
    admin.fill("input[name=paying_account]", PAYING_ACCOUNT)
    admin.fill("input[name=paying_bank_name]", PAYING_BANK)
    admin.click("[data-testid=upload-form] button[type=submit]")
    expect(admin.locator("[data-testid=batch-differs]")).to_be_visible()
    expect(admin.locator("[data-testid=row-2]")).to_contain_text("张叁")
    shoot(admin, "upload_report")

    good = [
        ["1", "张三", "320623198001010011", "6222020000000001", "中国银行如东支行", "104306200021", "1000.00"],
        ["2", "甲供应商有限公司", "91320623000000003C", "1000123400056789", "江苏银行南通分行", "", "1875.00"],
        [
            "3",
            "乙纺织有限公司",
            "91320623000000004D",
            "3206230000001234",
            "如东农村商业银行",
            "314306200015",
            "1125.00",
        ],
    ]
    batch, _ = actions.upload_batch(
        actor=p.administrator,
        plan_id=plan.pk,
        filename="最后分配付款清单.csv",
        content=csv_file(good),
        paying_account=PAYING_ACCOUNT,
        paying_bank_name=PAYING_BANK,
    )
    actions.submit_batch(actor=p.administrator, batch_id=batch.pk)
    judge = sign_in(chromium, base, p.judge.username)
    judge.goto(f"{base}/distributions/batches/{batch.pk}/")
    expect(judge.locator("[data-testid=batch-matches]")).to_be_visible()
    shoot(judge, "approval")
    judge.click("[data-testid=approve-batch]")
    expect(judge.locator("a[href$='pain001.xml']")).to_be_visible()
    batch.refresh_from_db()
    assert batch.status == "approved" and batch.approved_by == p.judge
    shoot(judge, "approved")


def test_paid_batch_and_plan(live_server: Any, personas: Personas, chromium: Any, bank: Bank) -> None:
    from playwright.sync_api import expect

    p = personas
    batch = seed_distributions(case=p.case, judge=p.judge, administrator=p.administrator)
    assert batch is not None
    plan = DistributionPlan.objects.get(case=p.case)
    base = live_server.url
    admin = sign_in(chromium, base, p.administrator.username)
    admin.goto(f"{base}/distributions/plans/{plan.pk}/")
    expect(admin.locator("[data-testid=plan-classes]")).to_be_visible()
    shoot(admin, "plan")
    admin.goto(f"{base}/distributions/cases/{p.case.pk}/")
    shoot(admin, "case_plans")
    judge = sign_in(chromium, base, p.judge.username)
    judge.goto(f"{base}/distributions/batches/{batch.pk}/")
    expect(judge.locator("[data-testid=line-totals]")).to_be_visible()
    shoot(judge, "paid_batch")
