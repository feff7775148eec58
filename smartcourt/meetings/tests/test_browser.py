"""In chromium, through the pages only: the judge convenes; a creditor signs in, asks, votes and keeps his
receipt; the administrator answers in the open; the window passes and the judge closes; the creditor checks his
receipt on the public page and finds his ballot counted as cast. Screenshots: /tmp/shots/meetings_*.png."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import TEST_PASSWORD
from smartcourt.meetings.models import Ballot, Meeting
from smartcourt.meetings.tests.conftest import World
from smartcourt.meetings.tests.helpers import convene

# The demo seeds fund supervision and distributions through the sandbox bank.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("bank")]

SHOTS = Path(os.environ.get("SMARTCOURT_SHOTS", "/tmp/shots"))  # noqa: S108 - screenshots for people to look at


def _sign_in(chromium: Any, base: str, username: str) -> Any:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"meetings_{name}.png"), full_page=True)


def test_a_creditor_votes_and_checks_his_receipt_after_the_close(live_server: Any, w: World, chromium: Any) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    judge = _sign_in(chromium, base, "judge")
    judge.goto(f"{base}/meetings/case/{w.p.case.pk}/convene/")
    judge.fill("input[name=title]", "第一次债权人会议")
    _shoot(judge, "1_convene")

    now = timezone.now()
    meeting = convene(
        w.p,
        now=now - dt.timedelta(days=20),
        scheduled_at=now - dt.timedelta(hours=2),
        voting_opens_at=now - dt.timedelta(hours=2),
        voting_closes_at=now + dt.timedelta(days=1),
    )
    items = {item.position: item for item in meeting.items.all()}

    creditor = _sign_in(chromium, base, "creditor_a")
    creditor.goto(f"{base}/meetings/mine/")
    creditor.get_by_test_id("my-meetings").get_by_text("第一次债权人会议").click()
    creditor.get_by_test_id("sign-in").click()
    expect(creditor.get_by_test_id("signed-in")).to_be_visible()
    creditor.fill("textarea[name=text]", "财产管理费用预算依据是什么？")
    creditor.get_by_test_id("ask-submit").click()
    expect(creditor.get_by_test_id("question")).to_contain_text("财产管理费用预算")
    creditor.get_by_test_id("vote-2-for").check()
    creditor.get_by_test_id("vote-3-against").check()
    _shoot(creditor, "2_creditor_room")
    creditor.get_by_test_id("vote-submit").click()
    expect(creditor.get_by_test_id("receipt")).to_be_visible()
    commitments = creditor.get_by_test_id("commitment").all_inner_texts()
    assert len(commitments) == 2 and all(re.fullmatch(r"[0-9a-f]{64}", c) for c in commitments)
    _shoot(creditor, "3_receipt")
    stored = Ballot.objects.get(item=items[2], right__user=w.p.creditor_a)
    assert stored.commitment == commitments[0] and stored.vote == "for"

    administrator = _sign_in(chromium, base, "administrator")
    administrator.goto(f"{base}/meetings/{meeting.pk}/")
    administrator.fill("textarea[name=answer]", "依据评估机构报价及看管人员工资标准。")
    administrator.get_by_test_id("answer-submit").click()
    expect(administrator.get_by_test_id("answer")).to_contain_text("评估机构")
    # The administrator sees the turnout, not the vote.
    expect(administrator.get_by_test_id("turnout-2")).to_have_text("1")
    _shoot(administrator, "4_administrator")

    # The voting window passes.
    Meeting.objects.filter(pk=meeting.pk).update(voting_closes_at=timezone.now() - dt.timedelta(seconds=1))
    judge.goto(f"{base}/meetings/{meeting.pk}/")
    judge.get_by_test_id("close").click()
    expect(judge.get_by_test_id("meeting-status")).to_have_text(re.compile("已闭会|Closed"))
    expect(judge.get_by_test_id("court-ruling")).to_be_visible()
    _shoot(judge, "5_results")

    creditor.goto(f"{base}/meetings/verify/")
    creditor.fill("input[name=commitment]", commitments[0])
    creditor.get_by_test_id("verify-submit").click()
    expect(creditor.get_by_test_id("verify-found")).to_be_visible()
    expect(creditor.get_by_test_id("verify-vote")).to_have_text(re.compile("同意|For"))
    _shoot(creditor, "6_receipt_checked")


@pytest.fixture
def demo_meetings(settings: Any, tmp_path: Any) -> None:
    """The demo with its meetings, seeded before chromium starts (the seed runs asyncio itself)."""
    from io import StringIO

    from django.core.management import call_command

    from smartcourt.accounts.models import User
    from smartcourt.cases.models import Case
    from smartcourt.meetings.demo import seed_meetings

    settings.MEDIA_ROOT = str(tmp_path / "demo-media")
    call_command("seed_demo", stdout=StringIO())
    seed_meetings(
        gallery_case=Case.objects.get(title="南通华瑞服饰有限公司破产清算案"),
        reorganisation_case=Case.objects.get(title="南通远洋物流有限公司重整案"),
        reorganisation_judge=User.objects.get(username="judge2"),
        open_case=Case.objects.get(title="如东县宏达纺织有限公司破产清算案"),
        judge=User.objects.get(username="judge"),
        administrator=User.objects.get(username="admin_a"),
    )


def test_the_demo_meetings_show_their_working(demo_meetings: None, live_server: Any, chromium: Any) -> None:
    """The demo as the issue's 'done when' describes it: the art. 64 results of the closed first meeting, the
    art. 84 class tally of the reorganisation plan, the open meeting a creditor can vote in."""
    from playwright.sync_api import expect

    from smartcourt.cases.demo import DEMO_PASSWORD

    base = live_server.url

    def demo_sign_in(username: str) -> Any:
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("form[action='/accounts/login/'] button[type=submit]")
        page.wait_for_url(f"{base}/")
        return page

    # Each case holds several meetings along the demo's timeline: the first meeting, then the plan's vote.
    first = Meeting.objects.get(case__title="南通华瑞服饰有限公司破产清算案", title="第一次债权人会议")
    plan = Meeting.objects.get(case__title="南通远洋物流有限公司重整案", title__contains="重整计划")
    open_meeting = Meeting.objects.get(case__title="如东县宏达纺织有限公司破产清算案")
    creditor = demo_sign_in("creditor_a")
    creditor.goto(f"{base}/meetings/{first.pk}/")
    expect(creditor.get_by_test_id("court-ruling")).to_be_visible()
    _shoot(creditor, "7_demo_first_meeting")
    creditor.goto(f"{base}/meetings/{plan.pk}/")
    expect(creditor.get_by_test_id("result-1")).to_contain_text("小额债权组")
    _shoot(creditor, "8_demo_reorganisation_plan")
    creditor.goto(f"{base}/meetings/{open_meeting.pk}/")
    expect(creditor.get_by_test_id("vote-form")).to_be_visible()
    _shoot(creditor, "9_demo_open_meeting")
