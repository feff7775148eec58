"""The cases API: who sees which case, filters, pages, masking and the two ways to sign in."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from conftest import DEBTOR_CREDIT_CODE, Personas
from smartcourt.accounts import twofactor
from smartcourt.accounts.models import User
from smartcourt.accounts.tokens import issue_api_token, revoke_api_token
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.actions import change_case_status, create_case
from smartcourt.cases.choices import CaseStatus, CaseType
from smartcourt.cases.models import Case, Party
from smartcourt.testing import client_for, database_state

LIST_URL = "/api/v1/cases"
CREDITOR_ID_NUMBER = "11010519491231002X"

PERSONAS = [
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
# Who sees the Rudong bankruptcy case ("case") and the Haimen civil case ("other").
VISIBLE = {
    "judge": {"case"},
    "assistant": {"case"},
    "clerk": {"case"},
    "court_admin": {"case"},
    "administrator": {"case"},  # through firm A's appointment
    "other_administrator": set(),
    "creditor_a": {"case"},
    "creditor_b": set(),
    "bank_operator": {"case"},  # through the bank's membership
    "outsider": {"other"},  # a Haimen filing clerk sees Haimen's cases, never Rudong's
}


def _body(response: Any) -> Any:
    return json.loads(response.content)


def _numbers(response: Any) -> list[str]:
    return [item["number"] for item in _body(response)["items"]]


def _case_numbers(personas: Personas, keys: set[str]) -> set[str]:
    by_key = {"case": personas.case.number, "other": personas.other_court_case.number}
    return {by_key[key] for key in keys}


# --- permission matrix --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_shows_exactly_the_cases_the_persona_may_see(personas: Personas, persona: str) -> None:
    before = database_state()
    response = client_for(getattr(personas, persona), second_factor_done=True).get(LIST_URL)
    assert response.status_code == 200
    assert set(_numbers(response)) == _case_numbers(personas, VISIBLE[persona])
    assert _body(response)["count"] == len(VISIBLE[persona])
    assert database_state() == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("which", ["case", "other"])
def test_case_detail_is_shown_or_not_found(personas: Personas, persona: str, which: str) -> None:
    case = personas.case if which == "case" else personas.other_court_case
    before = database_state()
    response = client_for(getattr(personas, persona), second_factor_done=True).get(f"{LIST_URL}/{case.pk}")
    if which in VISIBLE[persona]:
        assert response.status_code == 200
        assert _body(response)["number"] == case.number
    else:
        assert response.status_code == 404
        assert _body(response) == {"error": {"code": "not_found", "message": "没有这个案件", "field": None}}
    assert database_state() == before


@pytest.mark.parametrize("persona", ["outsider", "creditor_b", "other_administrator"])
def test_hidden_missing_and_malformed_ids_answer_identically(personas: Personas, persona: str) -> None:
    client = client_for(getattr(personas, persona), second_factor_done=True)
    before = database_state()
    hidden = client.get(f"{LIST_URL}/{personas.case.pk}")
    missing = client.get(f"{LIST_URL}/00000000-0000-4000-8000-000000000000")
    malformed = client.get(f"{LIST_URL}/not-a-uuid")
    too_long = client.get(f"{LIST_URL}/{'a' * 500}")
    for response in (hidden, missing, malformed, too_long):
        assert response.status_code == 404
        assert response.content == hidden.content
        assert response["Content-Type"] == "application/json; charset=utf-8"
    assert database_state() == before


# --- authentication -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [LIST_URL, "/api/v1/cases/{id}"])
def test_anonymous_gets_401_and_nothing_changes(personas: Personas, path: str) -> None:
    before = database_state()
    response = Client().get(path.format(id=personas.case.pk))
    assert response.status_code == 401
    assert _body(response) == {
        "error": {"code": "unauthenticated", "message": "请登录，或提供有效的 API 令牌", "field": None}
    }
    assert database_state() == before


def _owing_second_factor(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[twofactor.PENDING_KEY] = True
    session.save()
    return client


def test_session_still_owing_the_second_factor_is_refused(personas: Personas) -> None:
    client = _owing_second_factor(personas.judge)
    before = database_state()
    for path in (LIST_URL, f"{LIST_URL}/{personas.case.pk}"):
        response = client.get(path)
        assert response.status_code == 401
        assert set(_body(response)["error"]) == {"code", "message", "field"}
    assert database_state() == before


def test_api_auth_refuses_a_half_signed_in_session_without_the_middleware(personas: Personas, settings: Any) -> None:
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TwoFactorMiddleware")]
    response = _owing_second_factor(personas.judge).get(LIST_URL)
    assert response.status_code == 401
    assert _body(response)["error"]["code"] == "unauthenticated"


def test_api_auth_refuses_a_session_that_never_gave_the_required_second_factor(
    personas: Personas, settings: Any
) -> None:
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TwoFactorMiddleware")]
    settings.TWO_FACTOR_REQUIRED = True
    client = Client()
    client.force_login(personas.judge)  # signed in some other way, no code given
    assert client.get(LIST_URL).status_code == 401
    # A creditor does not need the second factor.
    creditor = Client()
    creditor.force_login(personas.creditor_a)
    assert _numbers(creditor.get(LIST_URL)) == [personas.case.number]


def test_inactive_user_session_is_refused(personas: Personas) -> None:
    client = client_for(personas.judge, second_factor_done=True)
    User.objects.filter(pk=personas.judge.pk).update(is_active=False)
    assert client.get(LIST_URL).status_code == 401


def test_bearer_token_authenticates_as_its_user(personas: Personas) -> None:
    _, raw = issue_api_token(actor=personas.administrator, user=personas.administrator, name="registry sync")
    before = database_state()
    response = Client().get(LIST_URL, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert _numbers(response) == [personas.case.number]
    detail = Client().get(f"{LIST_URL}/{personas.case.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert detail.status_code == 200
    hidden = Client().get(f"{LIST_URL}/{personas.other_court_case.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert hidden.status_code == 404
    assert database_state() == before


def test_token_beats_a_session_of_someone_else(personas: Personas) -> None:
    _, raw = issue_api_token(actor=personas.outsider, user=personas.outsider, name="haimen sync")
    client = client_for(personas.judge, second_factor_done=True)
    response = client.get(LIST_URL, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert _numbers(response) == [personas.other_court_case.number]


def test_revoked_expired_and_malformed_tokens_get_401(personas: Personas) -> None:
    revoked, revoked_raw = issue_api_token(actor=personas.judge, user=personas.judge, name="old")
    revoke_api_token(actor=personas.judge, token_id=str(revoked.pk))
    _, expiring_raw = issue_api_token(
        actor=personas.judge, user=personas.judge, name="short", expires_at=timezone.now() + dt.timedelta(minutes=5)
    )
    _, good_raw = issue_api_token(actor=personas.judge, user=personas.judge, name="good")
    assert Client().get(LIST_URL, HTTP_AUTHORIZATION=f"Bearer {expiring_raw}").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        expired = Client().get(LIST_URL, HTTP_AUTHORIZATION=f"Bearer {expiring_raw}")
        assert expired.status_code == 401
        assert _body(expired)["error"]["code"] == "unauthenticated"
    _, deactivated_raw = issue_api_token(actor=personas.creditor_b, user=personas.creditor_b, name="left")
    User.objects.filter(pk=personas.creditor_b.pk).update(is_active=False)
    before = database_state()
    for header in (
        f"Bearer {revoked_raw}",
        f"Bearer {deactivated_raw}",
        f"Bearer {good_raw[:-2]}xx",  # wrong secret
        "Bearer sc_nope",
        "Bearer ",
        f"Token {good_raw}",  # not the bearer scheme
    ):
        response = Client().get(LIST_URL, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert _body(response)["error"]["code"] == "unauthenticated"
    assert database_state() == before


# --- filters and pages --------------------------------------------------------------------------------------


@pytest.fixture
def rudong_docket(personas: Personas) -> dict[str, Case]:
    """Five more Rudong cases, so that filters and pages have something to choose from."""
    clerk, rudong, judge = personas.clerk, personas.rudong, personas.judge

    def case(case_type: str, title: str, filed_on: dt.date, **kw: Any) -> Case:
        return create_case(actor=clerk, court=rudong, case_type=case_type, title=title, filed_on=filed_on, **kw)

    docket = {
        "review_2025": case(CaseType.BANKRUPTCY_APPLICATION, "南通甲公司破产申请审查案", dt.date(2025, 11, 20)),
        "civil_1": case(CaseType.CIVIL_FIRST_INSTANCE, "张三诉李四民间借贷纠纷", dt.date(2026, 4, 1)),
        "civil_2": case(CaseType.CIVIL_FIRST_INSTANCE, "王五诉赵六买卖合同纠纷", dt.date(2026, 4, 1)),
        "enforcement": case(CaseType.ENFORCEMENT, "申请执行人某银行执行案", dt.date(2026, 4, 1), presiding_judge=judge),
        "liquidation": case(CaseType.LIQUIDATION, "如东乙公司强制清算案", dt.date(2026, 1, 15)),
    }
    change_case_status(
        actor=judge, case_id=docket["review_2025"].pk, to_status=CaseStatus.CLOSED, on=dt.date(2026, 2, 1)
    )
    docket["case"] = personas.case
    return docket


def _list(client: Client, **params: Any) -> Any:
    return client.get(LIST_URL, params)


def test_list_order_is_newest_filing_first_then_case_number(personas: Personas, rudong_docket: dict[str, Case]) -> None:
    response = _list(client_for(personas.clerk, second_factor_done=True))
    assert _numbers(response) == [
        "(2026)苏0623民初1号",
        "(2026)苏0623民初2号",
        "(2026)苏0623执1号",  # all filed on 1 April
        "(2026)苏0623破1号",  # 2 March
        "(2026)苏0623强清1号",  # 15 January
        "(2025)苏0623破申1号",  # 20 November 2025
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "bankruptcy"}, {"case"}),
        ({"type": "civil_first_instance"}, {"civil_1", "civil_2"}),
        ({"type": "liquidation_application"}, set()),
        ({"status": "open"}, {"case"}),
        ({"status": "closed"}, {"review_2025"}),
        ({"status": "pending"}, {"civil_1", "civil_2", "enforcement", "liquidation"}),
        ({"court": "苏0623"}, {"review_2025", "civil_1", "civil_2", "enforcement", "liquidation", "case"}),
        ({"court": "苏0684"}, set()),  # Haimen's case exists but the Rudong clerk does not see it
        ({"year": 2025}, {"review_2025"}),
        ({"year": 2026, "type": "civil_first_instance", "status": "pending"}, {"civil_1", "civil_2"}),
        ({"q": "买卖合同"}, {"civil_2"}),
        ({"q": "刘债权"}, {"case"}),  # a party's name
        ({"q": "(2026)苏0623民初2号"}, {"civil_2"}),  # an exact case number
        ({"q": "（2026）苏0623民初2号"}, {"civil_2"}),  # typed with full-width brackets
        ({"q": "民初"}, {"civil_1", "civil_2"}),
        (
            {"type": "", "status": "", "court": "", "year": "", "q": ""},
            {"review_2025", "civil_1", "civil_2", "enforcement", "liquidation", "case"},
        ),
    ],
)
def test_filters(
    personas: Personas, rudong_docket: dict[str, Case], params: dict[str, Any], expected: set[str]
) -> None:
    response = _list(client_for(personas.clerk, second_factor_done=True), **params)
    assert response.status_code == 200
    assert set(_numbers(response)) == {rudong_docket[key].number for key in expected}
    assert _body(response)["count"] == len(expected)


def test_filters_never_widen_what_a_user_sees(personas: Personas, rudong_docket: dict[str, Case]) -> None:
    client = client_for(personas.outsider, second_factor_done=True)
    assert _numbers(_list(client, court="苏0623")) == []
    assert _numbers(_list(client, q=personas.case.number)) == []
    assert _numbers(_list(client, q="刘债权")) == []


def test_pages(personas: Personas, rudong_docket: dict[str, Case]) -> None:
    client = client_for(personas.clerk, second_factor_done=True)
    everything = _numbers(_list(client))
    assert len(everything) == 6

    first = _body(_list(client, page_size=4))
    assert first["count"] == 6 and first["page"] == 1 and first["page_size"] == 4 and first["pages"] == 2
    assert [item["number"] for item in first["items"]] == everything[:4]

    second = _body(_list(client, page_size=4, page=2))
    assert [item["number"] for item in second["items"]] == everything[4:]
    assert second["page"] == 2

    beyond = _body(_list(client, page_size=4, page=3))
    assert beyond == {"items": [], "count": 6, "page": 3, "page_size": 4, "pages": 2}

    default = _body(_list(client))
    assert default["page_size"] == 25 and default["pages"] == 1

    nothing = _body(_list(client, year=1999))
    assert nothing == {"items": [], "count": 0, "page": 1, "page_size": 25, "pages": 0}


def test_list_item_shape(personas: Personas) -> None:
    response = _list(client_for(personas.judge, second_factor_done=True))
    assert _body(response)["items"] == [
        {
            "id": str(personas.case.pk),
            "number": "(2026)苏0623破1号",
            "title": "如东某某建设有限公司破产清算案",
            "case_type": "bankruptcy",
            "case_type_code": "破",
            "status": "open",
            "court": {"id": str(personas.rudong.pk), "name": "如东县人民法院", "court_code": "苏0623"},
            "year": 2026,
            "sequence": 1,
            "filed_on": "2026-03-02",
            "accepted_on": "2026-03-09",
            "closed_on": None,
            "presiding_judge": {"id": str(personas.judge.pk), "full_name": "张明"},
        }
    ]


def test_list_query_count_does_not_grow_with_the_page(
    personas: Personas, rudong_docket: dict[str, Case], django_assert_max_num_queries: Any
) -> None:
    client = client_for(personas.clerk, second_factor_done=True)
    client.get(LIST_URL)  # warm the session and user caches
    with django_assert_max_num_queries(6):
        assert len(_numbers(client.get(LIST_URL))) == 6


# --- validation ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "bankrupt"}, "type"),
        ({"type": "破"}, "type"),
        ({"status": "archived"}, "status"),
        ({"year": 1989}, "year"),
        ({"year": 2101}, "year"),
        ({"year": "二〇二六"}, "year"),
        ({"year": "9" * 40}, "year"),
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page": 10_001}, "page"),
        ({"page": "x"}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 101}, "page_size"),
        ({"q": "破" * 101}, "q"),
        ({"court": "苏" * 17}, "court"),
    ],
)
def test_invalid_filters_get_422_naming_the_field(personas: Personas, params: dict[str, Any], field: str) -> None:
    before = database_state()
    response = _list(client_for(personas.clerk, second_factor_done=True), **params)
    assert response.status_code == 422
    error = _body(response)["error"]
    assert error["code"] == "invalid"
    assert error["field"] == field
    assert error["message"].startswith(f"{field}: ")
    assert len(error["message"]) > len(field) + 2
    assert database_state() == before


# --- the case page ------------------------------------------------------------------------------------------


def _detail(client: Client, case: Case) -> Any:
    response = client.get(f"{LIST_URL}/{case.pk}")
    assert response.status_code == 200
    return _body(response)


def _party_ids(detail: Any) -> dict[str, tuple[str, str]]:
    return {party["name"]: (party["id_number"], party["credit_code"]) for party in detail["parties"]}


def _creditor_party(personas: Personas) -> Party:
    return personas.case.parties.get(name="刘债权")


@pytest.mark.parametrize("persona", ["judge", "assistant", "clerk", "court_admin"])
def test_court_staff_reveal_an_identity_number_and_the_reveal_is_audited(personas: Personas, persona: str) -> None:
    user = getattr(personas, persona)
    client = client_for(user, second_factor_done=True)
    party = _creditor_party(personas)
    events = AuditEvent.objects.count()
    response = client.post(f"{LIST_URL}/{personas.case.pk}/parties/{party.pk}/identity-number")
    assert response.status_code == 200
    assert _body(response) == {"party_id": str(party.pk), "id_number": CREDITOR_ID_NUMBER}
    event = AuditEvent.objects.get(seq=events + 1)
    assert (event.action, event.actor_id, event.case_id, event.object_id) == (
        "cases.identity_number_viewed",
        user.pk,
        personas.case.pk,
        str(party.pk),
    )
    assert CREDITOR_ID_NUMBER not in json.dumps([event.before, event.after], ensure_ascii=False)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("administrator", 403), ("creditor_a", 403), ("bank_operator", 403), ("creditor_b", 404), ("outsider", 404)],
)
def test_nobody_else_can_reveal_an_identity_number(personas: Personas, persona: str, status: int) -> None:
    party = _creditor_party(personas)
    before = database_state()
    response = client_for(getattr(personas, persona), second_factor_done=True).post(
        f"{LIST_URL}/{personas.case.pk}/parties/{party.pk}/identity-number"
    )
    assert response.status_code == status
    assert CREDITOR_ID_NUMBER.encode() not in response.content
    assert database_state() == before


@pytest.mark.parametrize(
    "persona", ["judge", "assistant", "clerk", "court_admin", "administrator", "creditor_a", "bank_operator"]
)
def test_everybody_sees_identity_numbers_masked_and_credit_codes_in_full(personas: Personas, persona: str) -> None:
    detail = _detail(client_for(getattr(personas, persona), second_factor_done=True), personas.case)
    assert _party_ids(detail) == {
        "如东某某建设有限公司": ("", DEBTOR_CREDIT_CODE),
        "刘债权": ("110105********002X", ""),
    }
    assert (
        CREDITOR_ID_NUMBER.encode()
        not in client_for(getattr(personas, persona), second_factor_done=True)
        .get(f"{LIST_URL}/{personas.case.pk}")
        .content
    )


def test_case_detail_shape(personas: Personas) -> None:
    review = create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.BANKRUPTCY_APPLICATION,
        title="如东某某建设有限公司破产申请审查",
        filed_on=dt.date(2026, 2, 1),
    )
    successor = create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.BANKRUPTCY,
        title="后续破产案",
        filed_on=dt.date(2026, 3, 10),
        origin=review,
        presiding_judge=personas.judge,
    )
    detail = _detail(client_for(personas.clerk, second_factor_done=True), successor)
    assert detail["origin"] == {"id": str(review.pk), "number": "(2026)苏0623破申1号"}
    assert detail["number"] == "(2026)苏0623破2号"

    detail = _detail(client_for(personas.judge, second_factor_done=True), personas.case)
    assert detail["origin"] is None
    assert detail["cause"] == "破产清算"
    assert detail["case_type_code"] == "破"
    assert detail["court"]["court_code"] == "苏0623"
    parties = {party["name"]: party for party in detail["parties"]}
    assert parties["刘债权"]["role"] == "creditor" and parties["刘债权"]["kind"] == "natural_person"
    assert parties["如东某某建设有限公司"]["role"] == "debtor"
    assert parties["如东某某建设有限公司"]["kind"] == "organisation"
    members = sorted(
        (
            member["role"],
            member["user"]["full_name"] if member["user"] else None,
            (member["organisation"]["name"], member["organisation"]["kind"]) if member["organisation"] else None,
        )
        for member in detail["members"]
    )
    assert members == sorted(
        [
            ("presiding_judge", "张明", None),
            ("judge_assistant", "李静", None),
            ("administrator", None, ("江苏甲律师事务所", "administrator_firm")),
            ("creditor", "刘债权", None),
            ("bank", None, ("中国工商银行如东支行", "bank")),
        ]
    )
    judge_member = next(member for member in detail["members"] if member["role"] == "presiding_judge")
    assert judge_member["user"] == {"id": str(personas.judge.pk), "full_name": "张明"}
    assert judge_member["organisation"] is None


def test_chinese_is_returned_unescaped(personas: Personas) -> None:
    client = client_for(personas.judge, second_factor_done=True)
    for response in (client.get(LIST_URL), client.get(f"{LIST_URL}/{personas.case.pk}")):
        assert response.status_code == 200
        assert "苏0623".encode() in response.content
        assert b"\\u" not in response.content
