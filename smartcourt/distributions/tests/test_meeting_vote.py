"""The plan's way through a creditors' meeting held on the platform: the closed meeting's vote on the
distribution-plan agenda item decides the version (art. 61(10), 64); an open vote, another kind of item,
another case's meeting or a vote already used are refused and change nothing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.distributions import actions
from smartcourt.distributions.choices import PlanStatus
from smartcourt.distributions.models import DistributionPlan
from smartcourt.meetings.models import AgendaItem, Meeting

from .helpers import counts, make_claim, plan_input

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db


def _item(p: Personas, *, passed: bool | None, kind: str = "distribution_plan", closed: bool = True) -> AgendaItem:
    # The meeting as the meetings app leaves it after its close (tally stored on the item).
    now = timezone.now()
    meeting = Meeting.objects.create(
        case=p.case,
        kind="later",
        title="第二次债权人会议",
        scheduled_at=now - dt.timedelta(days=3),
        voting_opens_at=now - dt.timedelta(days=3),
        voting_closes_at=now - dt.timedelta(days=1),
        status="closed" if closed else "convened",
        closed_at=now - dt.timedelta(days=1) if closed else None,
        convened_by=p.judge,
    )
    return AgendaItem.objects.create(
        meeting=meeting, position=1, kind=kind, title="表决《破产财产分配方案》", passed=passed
    )


def _submitted(p: Personas) -> DistributionPlan:
    make_claim(p, name="甲", identifier="91320623000000003C", amount_fen=10_000)
    plan = actions.create_plan(actor=p.administrator, case_id=p.case.pk, plan_input=plan_input(1_000))
    return actions.submit_plan(actor=p.administrator, plan_id=plan.pk)


def test_adopted_by_the_platform_vote(personas: Personas) -> None:
    plan = _submitted(personas)
    item = _item(personas, passed=True)
    plan = actions.adopt_meeting_vote(actor=personas.administrator, plan_id=plan.pk, agenda_item_id=item.pk)
    assert plan.status == PlanStatus.APPROVED and plan.meeting_item == item
    assert plan.meeting_reference == "第二次债权人会议 第1项：表决《破产财产分配方案》"
    assert actions.meeting_result_for_plan(plan) is True


def test_rejected_by_the_platform_vote(personas: Personas) -> None:
    plan = _submitted(personas)
    item = _item(personas, passed=False)
    plan = actions.adopt_meeting_vote(actor=personas.judge, plan_id=plan.pk, agenda_item_id=item.pk)
    assert plan.status == PlanStatus.REJECTED


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"passed": None, "closed": False}, Conflict),
        ({"passed": True, "kind": "realisation_plan"}, DomainError),
    ],
)
def test_refused_votes_change_nothing(personas: Personas, kwargs: dict[str, object], error: type[Exception]) -> None:
    plan = _submitted(personas)
    item = _item(personas, **kwargs)  # type: ignore[arg-type]
    before = counts()
    with pytest.raises(error):
        actions.adopt_meeting_vote(actor=personas.administrator, plan_id=plan.pk, agenda_item_id=item.pk)
    assert counts() == before


def test_a_vote_decides_one_version_and_only_of_its_case(personas: Personas) -> None:
    p = personas
    plan = _submitted(p)
    item = _item(p, passed=False)
    actions.adopt_meeting_vote(actor=p.administrator, plan_id=plan.pk, agenda_item_id=item.pk)
    second = actions.create_plan(actor=p.administrator, case_id=p.case.pk, plan_input=plan_input(1_000))
    actions.submit_plan(actor=p.administrator, plan_id=second.pk)
    with pytest.raises(Conflict, match="another version"):
        actions.adopt_meeting_vote(actor=p.administrator, plan_id=second.pk, agenda_item_id=item.pk)
    with pytest.raises(NotFound):
        actions.adopt_meeting_vote(
            actor=p.administrator, plan_id=second.pk, agenda_item_id="00000000-0000-0000-0000-000000000000"
        )
    with pytest.raises((PermissionDenied, NotFound)):
        actions.adopt_meeting_vote(actor=p.creditor_a, plan_id=second.pk, agenda_item_id=item.pk)


def test_vote_taken_from_the_plan_page(personas: Personas) -> None:
    from django.test import Client

    plan = _submitted(personas)
    item = _item(personas, passed=True)
    admin = Client()
    admin.force_login(personas.administrator)
    page = admin.get(f"/distributions/plans/{plan.pk}/").content.decode()
    assert 'data-testid="vote-form"' in page and str(item.pk) in page
    admin.post(f"/distributions/plans/{plan.pk}/vote/", {"agenda_item": str(item.pk)})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert 'data-testid="vote-form"' not in admin.get(f"/distributions/plans/{plan.pk}/").content.decode()
