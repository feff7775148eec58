"""The web shell: role home pages, case list and case page, seen by every persona (DESIGN.md §4.12)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from smartcourt.audit.models import AuditEvent
from smartcourt.cases.actions import add_member, add_party, change_case_status, create_case
from smartcourt.cases.choices import CaseStatus, CaseType, MemberRole, PartyKind, PartyRole
from smartcourt.cases.models import Case, Party
from smartcourt.testing import client_for

if TYPE_CHECKING:
    from conftest import Personas

CASE_LINK = re.compile(r'<a href="/cases/[0-9a-f-]{36}/"[^>]*>([^<]+)</a>')
# Fixed "now" for the home pages that count the current year's cases.
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

ALL_PERSONAS = [
    "judge",
    "assistant",
    "clerk",
    "court_admin",
    "administrator",
    "other_administrator",
    "creditor_a",
    "creditor_b",
    "bank_operator",
    "outsider",
]
SEES_CASE = {"judge", "assistant", "clerk", "court_admin", "administrator", "creditor_a", "bank_operator"}


@pytest.fixture(autouse=True, scope="session")
def _compiled_messages() -> None:
    # The Chinese assertions need the compiled catalogue; `make test` compiles it, a bare pytest may not have.
    mo = Path(settings.BASE_DIR) / "smartcourt/locale/zh_Hans/LC_MESSAGES/django.mo"
    po = mo.with_suffix(".po")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        call_command("compilemessages", locale=["zh_Hans"], verbosity=0)


def case_numbers(html: str) -> list[str]:
    return CASE_LINK.findall(html)


def visible_numbers(p: Personas, name: str) -> list[str]:
    if name in SEES_CASE:
        return [p.case.number]
    if name == "outsider":
        return [p.other_court_case.number]
    return []


# --- permission matrix -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_case_list_shows_exactly_the_cases_the_persona_may_see(personas: Personas, name: str) -> None:
    response = client_for(getattr(personas, name)).get(reverse("cases:list"))
    assert response.status_code == 200
    assert case_numbers(response.content.decode()) == visible_numbers(personas, name)


@pytest.mark.parametrize("name", ALL_PERSONAS)
@time_machine.travel(NOW, tick=False)
def test_home_lists_the_personas_own_cases(personas: Personas, name: str) -> None:
    response = client_for(getattr(personas, name)).get(reverse("home"))
    assert response.status_code == 200
    role = getattr(personas, name).role
    assert response.templates[0].name == f"cases/home/{role}.html"
    expected = visible_numbers(personas, name)
    if name == "clerk":
        expected = []  # the clerk's home lists cases pending acceptance; the Rudong case is already open
    assert case_numbers(response.content.decode()) == expected


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_case_page_opens_only_for_those_who_may_see_it(personas: Personas, name: str) -> None:
    events = AuditEvent.objects.count()
    cases = Case.objects.count()
    for case in (personas.case, personas.other_court_case):
        response = client_for(getattr(personas, name)).get(reverse("cases:detail", args=[case.pk]))
        allowed = case.number in visible_numbers(personas, name)
        assert response.status_code == (200 if allowed else 404)
        body = response.content.decode()
        assert (case.number in body) is allowed
        assert (case.title in body) is allowed
    assert AuditEvent.objects.count() == events
    assert Case.objects.count() == cases


def test_missing_case_looks_like_forbidden_case(personas: Personas) -> None:
    client = client_for(personas.outsider)
    forbidden = client.get(reverse("cases:detail", args=[personas.case.pk]))
    missing = client.get("/cases/00000000-0000-0000-0000-000000000000/")
    assert forbidden.status_code == missing.status_code == 404
    # The 404 page is in the site's layout, which carries CSRF tokens that Django masks afresh on every
    # response (BREACH) and the address asked for (the language switch returns to it): apart from those the
    # two pages are byte for byte the same.
    assert _variable_parts_removed(forbidden.content) == _variable_parts_removed(missing.content)
    assert b"X-CSRFToken" in forbidden.content


def _variable_parts_removed(content: bytes) -> bytes:
    content = re.sub(rb'"X-CSRFToken": "[A-Za-z0-9]+"', b'"X-CSRFToken": ""', content)
    content = re.sub(
        rb'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"', b'name="csrfmiddlewaretoken" value=""', content
    )
    return re.sub(rb'name="next" value="/cases/[0-9a-f-]+/"', b'name="next" value=""', content)


@pytest.mark.parametrize("url", ["/", "/cases/", "/cases/00000000-0000-0000-0000-000000000000/"])
def test_anonymous_visitors_are_sent_to_sign_in(personas: Personas, url: str) -> None:
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_anonymous_visitor_cannot_open_a_case_by_its_address(personas: Personas) -> None:
    response = client_for(None).get(reverse("cases:detail", args=[personas.case.pk]))
    assert response.status_code == 302
    assert personas.case.number not in response.content.decode()


# --- home pages --------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_judge_home_counts_his_cases_by_status_and_type(personas: Personas) -> None:
    response = client_for(personas.judge).get(reverse("home"))
    by_status = {t.query: t.count for t in response.context["by_status"]}
    assert by_status == {"status=pending": 0, "status=open": 1, "status=closed": 0}
    by_type = {t.code: t.count for t in response.context["by_type"]}
    assert by_type == {"破申": 0, "破": 1, "强清申": 0, "强清": 0, "民初": 0, "执": 0}
    assert [c.number for c in response.context["presiding"]] == [personas.case.number]
    assert list(response.context["panel"]) == []


@time_machine.travel(NOW, tick=False)
def test_clerk_home_shows_pending_cases_and_this_years_counts_by_type(personas: Personas) -> None:
    p = personas
    pending = create_case(
        actor=p.clerk,
        court=p.rudong,
        case_type=CaseType.BANKRUPTCY_APPLICATION,
        title="如东某某公司破产申请审查案",
        filed_on=dt.date(2026, 11, 20),
    )
    create_case(
        actor=p.clerk,
        court=p.rudong,
        case_type=CaseType.ENFORCEMENT,
        title="去年的执行案",
        filed_on=dt.date(2025, 12, 30),
    )
    response = client_for(p.clerk).get(reverse("home"))
    assert [c.number for c in response.context["pending"]] == [pending.number, "(2025)苏0623执1号"]
    assert response.context["pending_count"] == 2
    by_type = {t.code: t.count for t in response.context["by_type"]}
    assert by_type == {"破申": 1, "破": 1, "强清申": 0, "强清": 0, "民初": 0, "执": 0}
    body = response.content.decode()
    assert "待受理（2件）" in body
    assert "2026年收案（按类型）" in body


# --- case list: search, filters, pagination, HTMX ---------------------------------------------------------


@pytest.fixture
def many_cases(personas: Personas) -> list[Case]:
    """30 more Rudong bankruptcy cases of 2026 and two 2025 civil cases, all visible to the Rudong clerk."""
    p = personas
    made = [
        create_case(
            actor=p.clerk,
            court=p.rudong,
            case_type=CaseType.BANKRUPTCY,
            title=f"如东第{i}公司破产清算案",
            filed_on=dt.date(2026, 1, 1) + dt.timedelta(days=i),
        )
        for i in range(30)
    ]
    civil = [
        create_case(
            actor=p.clerk,
            court=p.rudong,
            case_type=CaseType.CIVIL_FIRST_INSTANCE,
            title=f"借款合同纠纷{i}",
            filed_on=dt.date(2025, 6, 1 + i),
        )
        for i in range(2)
    ]
    change_case_status(actor=p.clerk, case_id=civil[0].pk, to_status=CaseStatus.CLOSED, on=dt.date(2025, 9, 1))
    add_party(actor=p.clerk, case=civil[1], role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL_PERSON, name="马原告")
    return made + civil


def list_numbers(client: Client, **params: str) -> list[str]:
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return case_numbers(response.content.decode())


def test_search_by_case_number_title_and_party(personas: Personas, many_cases: list[Case]) -> None:
    client = client_for(personas.clerk)
    assert list_numbers(client, q="(2026)苏0623破7号") == ["(2026)苏0623破7号"]
    assert list_numbers(client, q="（2026）苏0623破7号") == ["(2026)苏0623破7号"]
    assert list_numbers(client, q="第12公司") == ["(2026)苏0623破14号"]
    assert list_numbers(client, q="马原告") == ["(2025)苏0623民初2号"]
    assert list_numbers(client, q="刘债权") == [personas.case.number]
    assert list_numbers(client, q="没有这个案件") == []


def test_search_never_reaches_beyond_the_visible_cases(personas: Personas, many_cases: list[Case]) -> None:
    assert list_numbers(client_for(personas.outsider), q="如东") == []
    assert list_numbers(client_for(personas.creditor_a), q="如东") == [personas.case.number]


def test_filters_by_type_status_year_and_court(personas: Personas, many_cases: list[Case]) -> None:
    client = client_for(personas.clerk)
    assert list_numbers(client, type=CaseType.CIVIL_FIRST_INSTANCE) == ["(2025)苏0623民初2号", "(2025)苏0623民初1号"]
    assert list_numbers(client, status=CaseStatus.CLOSED) == ["(2025)苏0623民初1号"]
    assert list_numbers(client, year="2025", status=CaseStatus.PENDING) == ["(2025)苏0623民初2号"]
    assert list_numbers(client, status=CaseStatus.OPEN) == [personas.case.number]
    assert len(list_numbers(client, court="苏0623", year="2026")) == 25
    assert len(list_numbers(client, court="苏0684")) == 25  # not a court of the clerk's cases: ignored
    assert len(list_numbers(client, court="苏0684", year="2025")) == 2


def test_filter_choices_offer_only_the_courts_and_years_of_visible_cases(
    personas: Personas, many_cases: list[Case]
) -> None:
    form = client_for(personas.clerk).get(reverse("cases:list")).context["form"]
    assert list(form.fields["court"].choices)[1:] == [("苏0623", "如东县人民法院")]
    assert [value for value, _ in form.fields["year"].choices][1:] == [2026, 2025]
    outsider_form = client_for(personas.outsider).get(reverse("cases:list")).context["form"]
    assert list(outsider_form.fields["court"].choices)[1:] == [("苏0684", "海门市人民法院")]


def test_pagination_25_per_page_newest_first_and_sortable(personas: Personas, many_cases: list[Case]) -> None:
    client = client_for(personas.clerk)
    page1 = list_numbers(client, type=CaseType.BANKRUPTCY)
    page2 = list_numbers(client, type=CaseType.BANKRUPTCY, page="2")
    # 31 bankruptcy cases: the personas' case (filed 2 March, number 1) among the 30 filed 1-30 January.
    newest_first = sorted(
        Case.objects.filter(case_type=CaseType.BANKRUPTCY), key=lambda c: (c.filed_on, c.sequence), reverse=True
    )
    assert page1 == [c.number for c in newest_first[:25]]
    assert page2 == [c.number for c in newest_first[25:]]
    assert page1[0] == personas.case.number
    oldest_first = list_numbers(client, type=CaseType.BANKRUPTCY, sort="filed")
    assert oldest_first == [c.number for c in reversed(newest_first)][:25]
    assert list_numbers(client, type=CaseType.BANKRUPTCY, page="99") == page2  # past the end: the last page


def test_page_links_keep_the_filters(personas: Personas, many_cases: list[Case]) -> None:
    body = client_for(personas.clerk).get(reverse("cases:list"), {"type": "bankruptcy", "q": ""}).content.decode()
    assert 'href="?type=bankruptcy&amp;page=2"' in body


def test_htmx_request_gets_only_the_results_fragment(personas: Personas, many_cases: list[Case]) -> None:
    client = client_for(personas.clerk)
    params = {"q": "", "type": "civil_first_instance", "status": "", "court": "", "year": "", "sort": "-filed"}
    response = client.get(reverse("cases:list"), params, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="case-results"')
    assert "<html" not in body and "navbar" not in body and "<form" not in body
    assert case_numbers(body) == ["(2025)苏0623民初2号", "(2025)苏0623民初1号"]
    assert response["HX-Push-Url"] == "/cases/?type=civil_first_instance"
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("cases:list"), params)
    assert "<html" in full.content.decode() and case_numbers(full.content.decode()) == case_numbers(body)


def test_htmx_history_restore_gets_the_whole_page(personas: Personas) -> None:
    response = client_for(personas.clerk).get(
        reverse("cases:list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_empty_list_says_so(personas: Personas) -> None:
    body = client_for(personas.creditor_b).get(reverse("cases:list")).content.decode()
    assert "您还没有可查看的案件。" in body
    body = client_for(personas.clerk).get(reverse("cases:list"), {"q": "无此案"}).content.decode()
    assert "没有符合条件的案件。" in body


# --- case page ---------------------------------------------------------------------------------------------


FULL_ID = "11010519491231002X"
MASKED_ID = "110105********002X"


def creditor_party(p: Personas) -> Party:
    return p.case.parties.get(name="刘债权")


def reveal_url(p: Personas) -> str:
    return reverse("cases:reveal_identity", args=[p.case.pk, creditor_party(p).pk])


@pytest.mark.parametrize("name", sorted(SEES_CASE))
def test_identity_numbers_are_masked_for_everyone_and_only_court_staff_may_reveal(
    personas: Personas, name: str
) -> None:
    body = client_for(getattr(personas, name)).get(reverse("cases:detail", args=[personas.case.pk])).content.decode()
    assert MASKED_ID in body
    assert FULL_ID not in body
    assert "914403001922038216" in body  # credit codes are public registry data
    court_staff = name in {"judge", "assistant", "clerk", "court_admin"}
    assert (f'action="{reveal_url(personas)}"' in body) is court_staff


@pytest.mark.parametrize("name", ["judge", "clerk"])
def test_court_staff_reveal_an_identity_number_and_the_log_records_it(personas: Personas, name: str) -> None:
    events = AuditEvent.objects.count()
    client = client_for(getattr(personas, name))
    response = client.post(reveal_url(personas), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert FULL_ID in response.content.decode() and "<html" not in response.content.decode()
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.actor_id, event.case_id) == (
        "cases.identity_number_viewed",
        getattr(personas, name).pk,
        personas.case.pk,
    )
    # The log keeps who looked at whose number, not the number itself; the timeline shows it.
    assert FULL_ID not in str(event.after)
    page = client.get(reverse("cases:detail", args=[personas.case.pk])).content.decode()
    assert "查看完整身份证号码" in page and FULL_ID not in page


def test_reveal_without_javascript_returns_the_page_with_that_number(personas: Personas) -> None:
    response = client_for(personas.judge).post(reveal_url(personas))
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert FULL_ID in body and personas.case.number in body


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("administrator", 403),
        ("creditor_a", 403),
        ("bank_operator", 403),
        ("other_administrator", 404),
        ("creditor_b", 404),
        ("outsider", 404),
    ],
)
def test_nobody_else_can_reveal_an_identity_number(personas: Personas, name: str, status: int) -> None:
    events = AuditEvent.objects.count()
    response = client_for(getattr(personas, name)).post(reveal_url(personas), HTTP_HX_REQUEST="true")
    assert response.status_code == status
    assert FULL_ID not in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_reveal_needs_a_post_and_a_signed_in_user(personas: Personas) -> None:
    events = AuditEvent.objects.count()
    assert client_for(personas.judge).get(reveal_url(personas)).status_code == 405
    anonymous = client_for(None).post(reveal_url(personas))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.count() == events


def test_case_page_header_parties_and_people(personas: Personas) -> None:
    body = client_for(personas.judge).get(reverse("cases:detail", args=[personas.case.pk])).content.decode()
    for text in [
        "(2026)苏0623破1号",
        "如东某某建设有限公司破产清算案",
        "如东县人民法院",
        "张明",
        "2026-03-02",
        "2026-03-09",
        "在办",
        "破产",
        "债务人",
        "债权人",
        "如东某某建设有限公司",
        "刘债权",
        "李静",
        "江苏甲律师事务所",
        "中国工商银行如东支行",
        "监管银行",
        "管理人",
        "审判长",
    ]:
        assert text in body, text


def test_origin_case_is_linked_only_when_visible(personas: Personas) -> None:
    p = personas
    review = p.case
    follow_up = create_case(
        actor=p.clerk,
        court=p.rudong,
        case_type=CaseType.ENFORCEMENT,
        title="后续执行案",
        filed_on=dt.date(2026, 6, 1),
        origin=review,
    )
    add_member(actor=p.judge, case=follow_up, role=MemberRole.CREDITOR, user=p.creditor_b)
    link = f'<a href="/cases/{review.pk}/">{review.number}</a>'
    clerk_body = client_for(p.clerk).get(reverse("cases:detail", args=[follow_up.pk])).content.decode()
    assert link in clerk_body
    # Creditor B is on the follow-up case only: the origin's number is shown, but not as a link to a 404.
    creditor_body = client_for(p.creditor_b).get(reverse("cases:detail", args=[follow_up.pk])).content.decode()
    assert review.number in creditor_body and link not in creditor_body


def test_timeline_lists_every_event_of_the_case_in_order(personas: Personas) -> None:
    response = client_for(personas.judge).get(reverse("cases:detail", args=[personas.case.pk]))
    body = response.content.decode()
    expected = list(
        AuditEvent.objects.filter(case_id=personas.case.pk).order_by("seq").values_list("action", flat=True)
    )
    assert expected == [
        "cases.case_created",
        "cases.member_added",
        "cases.status_changed",
        "cases.party_added",
        "cases.party_added",
        "cases.member_added",
        "cases.member_added",
        "cases.member_added",
        "cases.member_added",
    ]
    assert re.findall(r'data-action="([^"]+)"', body) == expected
    assert body.index("立案登记") < body.index("变更案件状态") < body.index("添加当事人")
    assert "王芳 · 立案员" in body and "张明 · 法官" in body
    assert "待受理</span> → 在办" in body
    # Times are shown in Beijing time.
    first = AuditEvent.objects.filter(case_id=personas.case.pk).order_by("seq").first()
    assert first is not None
    local = first.occurred_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert local.strftime("%Y-%m-%d %H:%M") in body
    # Nothing about other cases.
    assert personas.other_court_case.number not in body


def test_unknown_actions_show_their_code(personas: Personas) -> None:
    from smartcourt.cases.templatetags.case_tags import action_phrase

    assert action_phrase("evidence.something_new") == "evidence.something_new"


# --- languages ---------------------------------------------------------------------------------------------


def test_chinese_is_the_default_and_english_is_one_click_away(personas: Personas) -> None:
    client = client_for(personas.judge)
    url = reverse("cases:detail", args=[personas.case.pk])
    body = client.get(url).content.decode()
    assert '<html lang="zh-hans">' in body
    assert "智慧法院平台" in body and "时间线" in body and "立案登记" in body and "退出" in body
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    body = client.get(url).content.decode()
    assert '<html lang="en">' in body
    assert "SmartCourt" in body and "Timeline" in body and "Case registered" in body and "Sign out" in body
    assert "Pending acceptance</span> → Open" in body
    assert "立案登记" not in body
    client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    assert "立案登记" in client.get(url).content.decode()


def test_the_timeline_shows_readable_fields_only(personas: Personas) -> None:
    from smartcourt.audit.models import AuditEvent
    from smartcourt.cases.templatetags.case_tags import event_changes

    event = AuditEvent(
        action="bankruptcy.output_provided",
        before=None,
        after={
            "node": "N03",
            "node_name": "通知与公告",
            "output_name": "通知书",
            "file_name": "通知书.pdf",
            "sha256": "e5a6" * 16,
            "size": 193,
            "dossier_entry": 6,
        },
    )
    assert [(change.label, change.after) for change in event_changes(event)] == [
        ("节点", "N03 通知与公告"),
        ("材料", "通知书"),
        ("文件", "通知书.pdf"),
    ]


def test_a_long_timeline_shows_the_latest_events_and_links_to_all(personas: Personas) -> None:
    from smartcourt.cases.actions import add_party
    from smartcourt.cases.choices import PartyKind, PartyRole

    for index in range(40):
        add_party(
            actor=personas.clerk,
            case=personas.case,
            role=PartyRole.CREDITOR,
            kind=PartyKind.ORGANISATION,
            name=f"债权人{index}",
        )
    client = client_for(personas.judge)
    url = reverse("cases:detail", args=[personas.case.pk])
    total = AuditEvent.objects.filter(case_id=personas.case.pk).count()
    body = client.get(url).content.decode()
    assert body.count('class="sc-timeline-item"') == 30
    assert f"显示最近 30 条，共 {total} 条。" in body
    timeline = body.split('data-testid="timeline"', 1)[1]
    assert "债权人39" in timeline and "债权人0<" not in timeline
    assert client.get(url + "?timeline=all").content.decode().count('class="sc-timeline-item"') == total
