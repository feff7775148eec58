"""The demo meetings: a closed first meeting with its art. 64 results, a reorganisation plan tallied by class,
an open first meeting; the minutes in the dossier; a creditor's ballot found by its commitment; seeding twice
changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.meetings.demo import seed_meetings
from smartcourt.meetings.models import Ballot, Meeting
from smartcourt.meetings.selectors import check_receipt

# The demo seeds fund supervision and distributions through the sandbox bank.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank")]


def _seed() -> None:
    seed_meetings(
        gallery_case=Case.objects.get(title="南通华瑞服饰有限公司破产清算案"),
        reorganisation_case=Case.objects.get(title="南通远洋物流有限公司重整案"),
        reorganisation_judge=User.objects.get(username="judge2"),
        open_case=Case.objects.get(title="如东县宏达纺织有限公司破产清算案"),
        judge=User.objects.get(username="judge"),
        administrator=User.objects.get(username="admin_a"),
    )


def test_demo_meetings() -> None:
    call_command("seed_demo", stdout=StringIO())
    _seed()
    first = Meeting.objects.get(case__title="南通华瑞服饰有限公司破产清算案")
    assert first.status == "closed" and first.minutes_entry is not None and first.ballot_count == 10
    plan, realisation = first.items.get(position=2), first.items.get(position=3)
    # Management plan: all five present for (孙丽 changed her vote); 1,596,000 of 1,746,000 unsecured yuan
    # (天成物流's disputed 150,000 has no vote).
    only = plan.result["classes"][0]
    assert plan.passed and (only["present_count"], only["for_count"]) == (5, 5)
    assert (only["for_amount"], only["total_amount"]) == ("1596000.00", "1746000.00")
    # Realisation plan: 2 for of 5 present: rejected, for the court's ruling (art. 65).
    assert not realisation.passed and realisation.needs_court_ruling
    # The reorganisation's first meeting heard the report; the later one voted on the plan.
    plan_meeting = Meeting.objects.get(case__title="南通远洋物流有限公司重整案", kind="later")
    classes = {c["class"]: c for c in plan_meeting.items.get().result["classes"]}
    assert set(classes) == {"secured", "employee", "tax", "ordinary", "small_ordinary"}
    assert classes["secured"]["passed"] and classes["employee"]["passed"]
    # Ordinary: 农商行 400,000 and 刘洋 200,000 for, 华盛建材 860,000 against: 2 of 3 heads, but 600,000 of
    # 1,460,000 is short of two-thirds.
    ordinary = classes["ordinary"]
    assert (ordinary["for_count"], ordinary["present_count"], ordinary["for_amount"], ordinary["total_amount"]) == (
        2, 3, "600000.00", "1460000.00",
    )  # fmt: skip
    assert ordinary["headcount_met"] and not ordinary["amount_met"]
    # Small claims (up to 100,000): 孙丽 50,000 for, 宏远纺机 30,000 absent: 50,000 of 80,000 is short of 2/3.
    assert classes["small_ordinary"]["total_amount"] == "80000.00" and not classes["small_ordinary"]["passed"]
    assert classes["tax"]["present_count"] == 0 and not classes["tax"]["passed"]
    open_meeting = Meeting.objects.get(case__title="如东县宏达纺织有限公司破产清算案")
    assert open_meeting.status == "convened"
    liu = open_meeting.rights.get(name="刘洋")
    assert liu.provisional and liu.ordinary_fen == 200_000_00
    commitment = Ballot.objects.filter(item=plan, right__user__username="creditor_a").get().commitment
    assert check_receipt(commitment).found
    before = (Meeting.objects.count(), Ballot.objects.count())
    _seed()
    assert (Meeting.objects.count(), Ballot.objects.count()) == before
