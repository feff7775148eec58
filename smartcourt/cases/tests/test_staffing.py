"""Issue 15.15: the court staffs a case (presiding judge, collegial panel or sole judge, judge assistant,
clerk) on the case page and over the API, in one audited action; before, nothing in the interface could name
an assistant, so an over-limit payment request on a case registered through intake could never be approved."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.urls import reverse

from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.choices import Composition, MemberRole
from smartcourt.cases.models import Case, CaseMember
from smartcourt.cases.selectors import cases_visible_to
from smartcourt.cases.staffing import staff_case, staffing_of
from smartcourt.core.errors import DomainError, NotFound, PermissionDenied

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db
PASSWORD = "Rudong-court-2026!"


def staff(p: Personas, username: str, role: str, name: str) -> User:
    return create_user(
        actor=None, username=username, password=PASSWORD, role=role, full_name=name, organisation=p.rudong
    )


@pytest.fixture
def bench(personas: Personas) -> dict[str, User]:
    p = personas
    return {
        "judge2": staff(p, "judge2", Role.JUDGE, "陈审"),
        "judge3": staff(p, "judge3", Role.JUDGE, "黄审"),
        "assistant2": staff(p, "assistant2", Role.JUDGE_ASSISTANT, "吴助"),
    }


def state(case: Case) -> tuple[Any, ...]:
    members = sorted((m.role, str(m.user_id or m.organisation_id)) for m in CaseMember.objects.filter(case=case))
    case.refresh_from_db()
    return (tuple(members), case.presiding_judge_id, case.composition, AuditEvent.objects.count())


def test_the_court_administrator_seats_a_collegial_panel(personas: Personas, bench: dict[str, User]) -> None:
    p = personas
    staffing = staff_case(
        actor=p.court_admin,
        case_id=p.case.pk,
        composition=Composition.COLLEGIAL,
        presiding_judge_id=p.judge.pk,
        panel_judge_ids=[bench["judge2"].pk, bench["judge3"].pk],
        assistant_id=bench["assistant2"].pk,
        clerk_id=p.clerk.pk,
    )
    assert staffing.presiding_judge == p.judge
    assert [j.full_name for j in staffing.panel_judges] == ["陈审", "黄审"]
    assert (staffing.assistant, staffing.clerk) == (bench["assistant2"], p.clerk)
    roles = set(CaseMember.objects.filter(case=p.case, user__isnull=False).values_list("role", "user__username"))
    assert {
        (MemberRole.PRESIDING_JUDGE, "judge"),
        (MemberRole.PANEL_JUDGE, "judge2"),
        (MemberRole.PANEL_JUDGE, "judge3"),
        (MemberRole.JUDGE_ASSISTANT, "assistant2"),
        (MemberRole.CLERK, "clerk"),
    } <= roles
    # The assistant named before (李静) is no longer on the case: the whole bench is given each time.
    assert (MemberRole.JUDGE_ASSISTANT, "assistant") not in roles
    assert not cases_visible_to(p.assistant).filter(pk=p.case.pk).exists()
    assert cases_visible_to(bench["assistant2"]).filter(pk=p.case.pk).exists()
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.actor_id, event.case_id) == ("cases.staffed", p.court_admin.pk, p.case.pk)
    assert event.before is not None and event.after is not None
    assert event.before["assistant"] == "李静" and event.after["assistant"] == "吴助"
    assert event.after["panel_judges"] == ["陈审", "黄审"]


def test_a_sole_judge_sits_alone(personas: Personas) -> None:
    p = personas
    staffing = staff_case(
        actor=p.judge,
        case_id=p.case.pk,
        composition=Composition.SOLE,
        presiding_judge_id=p.judge.pk,
        assistant_id=p.assistant.pk,
    )
    assert (staffing.composition, staffing.panel_judges) == (Composition.SOLE, ())
    assert staffing_of(Case.objects.get(pk=p.case.pk)).assistant == p.assistant


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"panel": []}, "panel_judges", "合议庭由3名以上单数法官组成（至多7名）；现列出1名"),
        ({"panel": ["judge2"]}, "panel_judges", "现列出2名"),
        ({"composition": Composition.SOLE}, "panel_judges", "独任审理不设合议庭成员"),
        ({"panel": ["judge2", "judge"]}, "panel_judges", "张明在合议庭中重复列出"),
        ({"assistant": "judge2"}, "assistant", "不能在如东县人民法院担任此职务"),
        ({"presiding": "assistant2"}, "presiding_judge", "不能在如东县人民法院担任此职务"),
        ({"assistant": "outsider"}, "assistant", "不能在如东县人民法院担任此职务"),
        ({"composition": "jury"}, "composition", "未知的审判组织形式'jury'"),
    ],
)
def test_a_bench_the_law_does_not_allow_is_refused_and_changes_nothing(
    personas: Personas, bench: dict[str, User], changes: dict[str, Any], field: str, message: str
) -> None:
    p = personas
    people = {**bench, "judge": p.judge, "outsider": p.outsider, "assistant": p.assistant}
    before = state(p.case)
    with pytest.raises(DomainError) as info:
        staff_case(
            actor=p.court_admin,
            case_id=p.case.pk,
            composition=changes.get("composition", Composition.COLLEGIAL),
            presiding_judge_id=people[changes.get("presiding", "judge")].pk,
            panel_judge_ids=[people[name].pk for name in changes.get("panel", ["judge2", "judge3"])],
            assistant_id=people[changes.get("assistant", "assistant2")].pk,
        )
    assert info.value.field == field and message in info.value.message
    assert state(p.case) == before


@pytest.mark.parametrize("who", ["assistant", "clerk", "administrator", "creditor_a"])
def test_only_the_court_administrator_or_the_presiding_judge_staffs(personas: Personas, who: str) -> None:
    p = personas
    before = state(p.case)
    with pytest.raises((PermissionDenied, NotFound)):
        staff_case(
            actor=getattr(p, who),
            case_id=p.case.pk,
            composition=Composition.SOLE,
            presiding_judge_id=p.judge.pk,
            assistant_id=p.assistant.pk,
        )
    assert state(p.case) == before


def test_another_courts_administrator_cannot_see_the_case(personas: Personas) -> None:
    p = personas
    haimen_admin = create_user(
        actor=None,
        username="haimen_admin",
        password=PASSWORD,
        role=Role.COURT_ADMIN,
        full_name="海门管理",
        organisation=p.haimen,
    )
    before = state(p.case)
    with pytest.raises(NotFound):
        staff_case(
            actor=haimen_admin,
            case_id=p.case.pk,
            composition=Composition.SOLE,
            presiding_judge_id=p.judge.pk,
        )
    assert state(p.case) == before


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_case_page_shows_the_bench_and_its_form(personas: Personas, bench: dict[str, User]) -> None:
    p = personas
    page = client_for(p.court_admin).get(reverse("cases:detail", args=[p.case.pk])).content.decode()
    assert 'data-testid="staffing-form"' in page
    assert '<dd data-testid="staff-assistant">李静</dd>' in page
    answer = client_for(p.court_admin).post(
        reverse("cases:staff", args=[p.case.pk]),
        {
            "composition": "collegial",
            "presiding_judge": str(p.judge.pk),
            "panel_judges": [str(bench["judge2"].pk), str(bench["judge3"].pk)],
            "assistant": str(bench["assistant2"].pk),
            "clerk": str(p.clerk.pk),
        },
    )
    assert answer.status_code == 302
    page = client_for(p.judge).get(reverse("cases:detail", args=[p.case.pk])).content.decode()
    assert '<dd data-testid="staff-assistant">吴助</dd>' in page
    assert '<dd data-testid="staff-panel">陈审、黄审</dd>' in page
    assert '<dd data-testid="composition">Collegial panel</dd>' in page
    # The assistant reads the case but may not change its bench.
    page = client_for(bench["assistant2"]).get(reverse("cases:detail", args=[p.case.pk])).content.decode()
    assert 'data-testid="staffing"' in page and 'data-testid="staffing-form"' not in page


def test_a_refused_bench_on_the_page_says_why_and_changes_nothing(personas: Personas, bench: dict[str, User]) -> None:
    p = personas
    before = state(p.case)
    answer = client_for(p.court_admin).post(
        reverse("cases:staff", args=[p.case.pk]),
        {"composition": "collegial", "presiding_judge": str(p.judge.pk), "panel_judges": [str(bench["judge2"].pk)]},
    )
    assert answer.status_code == 422
    assert "2 named" in answer.content.decode()
    assert state(p.case) == before
    forbidden = client_for(p.assistant).post(
        reverse("cases:staff", args=[p.case.pk]),
        {"composition": "sole", "presiding_judge": str(p.judge.pk)},
    )
    assert forbidden.status_code == 403
    assert state(p.case) == before


def test_the_api_sets_and_shows_the_bench(personas: Personas, bench: dict[str, User]) -> None:
    p = personas
    client = client_for(p.court_admin)
    body = {
        "composition": "sole",
        "presiding_judge_id": str(bench["judge2"].pk),
        "assistant_id": str(p.assistant.pk),
        "clerk_id": str(p.clerk.pk),
    }
    answer = client.put(f"/api/v1/cases/{p.case.pk}/staffing", json.dumps(body), content_type="application/json")
    assert answer.status_code == 200
    assert answer.json()["presiding_judge"]["full_name"] == "陈审"
    detail = client.get(f"/api/v1/cases/{p.case.pk}").json()
    assert detail["staffing"]["composition"] == "sole"
    assert detail["presiding_judge"]["full_name"] == "陈审"
    assert detail["staffing"]["assistant"]["full_name"] == "李静"
    before = state(p.case)
    refused = client_for(p.assistant).put(
        f"/api/v1/cases/{p.case.pk}/staffing", json.dumps(body), content_type="application/json"
    )
    assert refused.status_code == 403
    assert state(p.case) == before
