"""Application intake (破申 / 强清申): the clerk looks the company up (registry data, shareholders, pending and
enforcement cases counted as "99+"), registers the application; the judge rules on acceptance within the
statutory period (EBL art. 10); acceptance opens the 破 case and its proceeding; the judge appoints the
administrator from the roster. Against the real sandbox registry process."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.administrators.actions import add_to_roster
from smartcourt.administrators.choices import Grade
from smartcourt.administrators.draw import verify_draw
from smartcourt.administrators.models import Appointment
from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.acceptance import (
    CaseCount,
    application_of,
    company_cases,
    intake_lookup,
    register_application,
    review_deadline,
    rule_on_application,
)
from smartcourt.bankruptcy.models import NodeRecord, Proceeding
from smartcourt.cases.actions import add_party, change_case_status, create_case
from smartcourt.cases.choices import CaseStatus, CaseType, MemberRole, PartyKind, PartyRole
from smartcourt.cases.demo import credit_code
from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.dossier.models import DossierEntry
from smartcourt.registry.client import RegistryUnavailable
from smartcourt.registry.testing import RegistryServer, registry, registry_server, unreachable_registry
from smartcourt.testing import client_for, database_state

if TYPE_CHECKING:
    from conftest import Personas

__all__ = ["registry", "registry_server", "unreachable_registry"]  # fixtures, until the root conftest registers them

HONGDA = credit_code("91320623MA1HD0001")
HONGDA_NAME = "如东县宏达纺织有限公司"
HAILIAN = credit_code("91320623MA1HL0002")
HUASHENG = credit_code("91320600MA1HC0003")
DEREGISTERED = credit_code("91320623MA1HD0011")  # 如东县宏达印染有限公司, 注销
TODAY = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
FILED = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


LOCALE = Path(django_settings.BASE_DIR) / "smartcourt" / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
)


@pytest.fixture(scope="session")
def _merged_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Chinese catalogue with every translation written in parallel work (*.po.part) merged in, compiled
    into a directory of its own: what scripts/update-translations.sh gives, without touching django.po."""
    root = tmp_path_factory.mktemp("locale")
    target = root / "zh_Hans" / "LC_MESSAGES"
    target.mkdir(parents=True)
    parts = []
    for part in sorted(LOCALE.glob("*.po.part")):
        text = part.read_text()
        merged = root / f"{part.name}.po"
        merged.write_text(text if 'msgid ""' in text and "charset" in text else PO_HEADER + text)
        parts.append(str(merged))
    po = target / "django.po"
    subprocess.run(["msgcat", "--use-first", *parts, str(LOCALE / "django.po"), "-o", str(po)], check=True)  # noqa: S603,S607
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(po)], check=True)  # noqa: S603,S607
    return root


@pytest.fixture
def chinese(_merged_catalogue: Path, settings: Any) -> None:
    """Pages in Chinese with this work's translations, whether or not the shared catalogue has them yet."""
    if shutil.which("msgcat") is None:
        pytest.skip("gettext is not installed")
    settings.LOCALE_PATHS = [_merged_catalogue, *settings.LOCALE_PATHS]


def creditor_application(p: Personas, *, procedure: str = "liquidation", filed_on: dt.date = FILED) -> Case:
    return register_application(
        actor=p.clerk,
        procedure=procedure,
        credit_code=HONGDA,
        applicant_type="creditor",
        applicant_kind=PartyKind.ORGANISATION,
        applicant_name="南通华盛建材有限公司",
        applicant_credit_code=HUASHENG,
        filed_on=filed_on,
        presiding_judge_id=p.judge.pk,
    )


def against_hongda(p: Personas, case_type: str, count: int, *, court: Any = None, closed: bool = False) -> None:
    """``count`` cases of ``case_type`` with 宏达纺织 as a party (by credit code or, every third, by name only)."""
    court = court or p.rudong
    clerk = p.clerk if court == p.rudong else p.outsider
    for index in range(count):
        case = create_case(
            actor=clerk,
            court=court,
            case_type=case_type,
            title=f"申请执行宏达纺织（{index}）",
            filed_on=dt.date(2026, 1, 5),
        )
        add_party(
            actor=clerk,
            case=case,
            role=PartyRole.ENFORCEMENT_RESPONDENT if case_type == CaseType.ENFORCEMENT else PartyRole.DEFENDANT,
            kind=PartyKind.ORGANISATION,
            name=HONGDA_NAME,
            credit_code="" if index % 3 == 0 else HONGDA,
        )
        if closed:
            change_case_status(actor=clerk, case_id=case.pk, to_status=CaseStatus.CLOSED, on=dt.date(2026, 2, 1))


# --- counting like the real platform --------------------------------------------------------------------


@pytest.mark.parametrize(("count", "label"), [(0, "0"), (7, "7"), (99, "99"), (100, "99+"), (120, "99+")])
def test_counts_are_exact_up_to_99_then_99_plus(count: int, label: str) -> None:
    assert CaseCount(count).label == label


def test_120_enforcement_cases_show_as_99_plus(personas: Personas) -> None:
    p = personas
    against_hongda(p, CaseType.ENFORCEMENT, 120)
    against_hongda(p, CaseType.ENFORCEMENT, 4, closed=True)  # concluded: not 在执
    against_hongda(p, CaseType.CIVIL_FIRST_INSTANCE, 5)
    against_hongda(p, CaseType.ENFORCEMENT, 2, court=p.haimen)  # another court's cases count too
    found = company_cases(p.clerk, credit_code=HONGDA, name=HONGDA_NAME)
    assert (found.enforcement.count, found.enforcement.label) == (122, "99+")
    assert (found.pending.count, found.pending.label) == (5, "5")
    assert len(found.latest) == 10
    # Haimen's cases are counted but not linked for a Rudong clerk.
    assert {item.visible for item in found.latest if item.case.court == p.haimen} <= {False}


def test_the_intake_screen_shows_registry_data_shareholders_and_99_plus(
    personas: Personas, registry: RegistryServer
) -> None:
    p = personas
    against_hongda(p, CaseType.ENFORCEMENT, 120)
    against_hongda(p, CaseType.CIVIL_FIRST_INSTANCE, 3)
    response = client_for(p.clerk, language="en").get(
        reverse("intake:intake"), {"q": "宏达纺织"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="intake-result"' in html and "<html" not in html  # the fragment only
    assert HONGDA_NAME in html and HONGDA in html and "周建华" in html
    assert "50,000,000.00" in html  # registered capital
    assert "南通宏发投资有限公司" in html and "15.00%" in html
    assert 'data-testid="enforcement-count">99+</div>' in html
    assert 'data-testid="pending-count">3</div>' in html
    assert "Register an application against this company" in html


def test_several_matches_are_listed_to_choose_from(personas: Personas, registry: RegistryServer) -> None:
    html = client_for(personas.clerk, language="en").get(reverse("intake:intake"), {"q": "宏达"}).content.decode()
    assert 'data-testid="matches"' in html
    assert html.count('href="/bankruptcy/intake/?q=') == 3
    assert "Register an application" not in html


def test_a_credit_code_finds_the_company(personas: Personas, registry: RegistryServer) -> None:
    result = intake_lookup(personas.clerk, HONGDA.lower())
    assert result.company is not None and result.company.name == HONGDA_NAME


def test_an_unknown_company_says_so(personas: Personas, registry: RegistryServer) -> None:
    html = (
        client_for(personas.clerk, language="en").get(reverse("intake:intake"), {"q": "不存在的公司"}).content.decode()
    )
    assert 'data-testid="not-found"' in html


def test_an_unreachable_registry_is_shown_not_a_500(personas: Personas, unreachable_registry: str) -> None:
    p = personas
    against_hongda(p, CaseType.ENFORCEMENT, 3)
    response = client_for(p.clerk, language="en").get(reverse("intake:intake"), {"q": HONGDA})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The enterprise registry is temporarily unavailable" in html
    # The cases are in our own database: a credit code still finds those that record it (not the one that
    # names the company only, which needs the registered name).
    assert 'data-testid="enforcement-count">2</div>' in html
    assert "Register an application" not in html


def test_the_unavailable_message_is_chinese_by_default(
    personas: Personas, unreachable_registry: str, chinese: None
) -> None:
    client = Client()
    client.force_login(personas.clerk)
    html = client.get(reverse("intake:intake"), {"q": "宏达"}).content.decode()
    assert "工商登记系统暂时无法访问" in html


def test_registering_while_the_registry_is_down_changes_nothing(personas: Personas, unreachable_registry: str) -> None:
    before = database_state()
    with pytest.raises(RegistryUnavailable):
        creditor_application(personas)
    assert database_state() == before


@pytest.mark.parametrize("who", ["judge", "assistant", "court_admin", "administrator", "creditor_a", "bank_operator"])
def test_only_court_staff_use_the_intake_screen(personas: Personas, registry: RegistryServer, who: str) -> None:
    response = client_for(getattr(personas, who), language="en").get(reverse("intake:intake"), {"q": "宏达纺织"})
    assert response.status_code == (200 if who in {"judge", "assistant", "court_admin"} else 404)


# --- registering ---------------------------------------------------------------------------------------


def test_the_clerk_registers_a_creditors_application(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    case = creditor_application(p)
    assert (case.number, case.case_type, case.status, case.cause, case.filed_on, case.accepted_on) == (
        "(2026)苏0623破申1号",
        CaseType.BANKRUPTCY_APPLICATION,
        CaseStatus.OPEN,
        "申请破产清算",
        FILED,
        FILED,
    )
    assert case.title == "如东县宏达纺织有限公司破产清算申请审查案"
    assert case.presiding_judge == p.judge
    parties = {(party.role, party.name, party.credit_code) for party in case.parties.all()}
    assert parties == {
        (PartyRole.APPLICANT, "南通华盛建材有限公司", HUASHENG),
        (PartyRole.RESPONDENT, HONGDA_NAME, HONGDA),
    }
    event = AuditEvent.objects.get(action="bankruptcy.application_registered")
    assert event.after is not None
    assert (event.after["procedure"], event.after["applicant_type"], event.after["registry_status"]) == (
        "liquidation",
        "creditor",
        "存续",
    )
    entry = DossierEntry.objects.get(case=case)
    assert (entry.kind, entry.content_type) == ("application", "text/plain")
    assert "注册资本：50000000.00元" in entry.file.read().decode()
    application = application_of(case)
    assert (application.procedure, application.adversarial, application.applicant is not None) == (
        "liquidation",
        True,
        True,
    )


def test_the_debtor_applies_for_itself(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    case = register_application(
        actor=p.clerk,
        procedure="reorganisation",
        credit_code=HAILIAN,
        applicant_type="debtor",
        filed_on=FILED,
        presiding_judge_id=p.judge.pk,
    )
    assert case.cause == "申请破产重整"
    assert list(case.parties.values_list("role", "name")) == [(PartyRole.APPLICANT, "江苏海联船舶重工有限公司")]
    application = application_of(case)
    assert (application.adversarial, application.applicant) == (False, None)


def test_a_shareholder_applies_for_compulsory_liquidation(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    case = register_application(
        actor=p.clerk,
        procedure="compulsory_liquidation",
        credit_code=HAILIAN,
        applicant_type="shareholder",
        applicant_kind=PartyKind.NATURAL_PERSON,
        applicant_name="马俊",
        applicant_id_number="320623197803050030",
        filed_on=FILED,
        presiding_judge_id=p.judge.pk,
    )
    assert (case.number, case.title) == ("(2026)苏0623强清申1号", "江苏海联船舶重工有限公司强制清算申请审查案")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"procedure": "settlement"}, "applicant_type", "a creditor cannot apply for settlement"),
        ({"credit_code": DEREGISTERED}, "credit_code", "has been deregistered"),
        ({"credit_code": credit_code("91320623MA1XX9999")}, "credit_code", "has no company with credit code"),
        ({"credit_code": "91320623MA1HD00017"}, "credit_code", "check character is 7, expected 6"),
        ({"applicant_name": " "}, "applicant_name", "name the applicant"),
        ({"applicant_credit_code": HONGDA}, "applicant_credit_code", "the company itself is the applicant"),
        ({"filed_on": dt.date(2026, 11, 29)}, "filed_on", "cannot be in the future"),
        ({"procedure": "bankruptcy"}, "procedure", "unknown procedure"),
    ],
)
def test_bad_applications_are_refused_and_change_nothing(
    personas: Personas, registry: RegistryServer, changes: dict[str, Any], field: str, message: str
) -> None:
    p = personas
    arguments: dict[str, Any] = {
        "actor": p.clerk,
        "procedure": "liquidation",
        "credit_code": HONGDA,
        "applicant_type": "creditor",
        "applicant_name": "南通华盛建材有限公司",
        "applicant_credit_code": HUASHENG,
        "filed_on": FILED,
        "presiding_judge_id": p.judge.pk,
        **changes,
    }
    before = database_state()
    with pytest.raises(DomainError, match=message) as raised:
        register_application(**arguments)
    assert raised.value.field == field
    assert database_state() == before


def test_the_presiding_judge_must_be_a_judge_of_the_court(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    haimen_judge = create_user(
        actor=None,
        username="hm_judge",
        password="x",
        role=Role.JUDGE,
        full_name="海门法官",
        organisation=p.haimen,
        check_password_strength=False,
    )
    before = database_state()
    for judge in (haimen_judge, p.assistant):
        with pytest.raises(DomainError, match="choose a judge of this court"):
            register_application(
                actor=p.clerk,
                procedure="liquidation",
                credit_code=HONGDA,
                applicant_type="debtor",
                filed_on=FILED,
                presiding_judge_id=judge.pk,
            )
    assert database_state() == before


@pytest.mark.parametrize("who", ["judge", "assistant", "court_admin", "administrator", "creditor_a", "bank_operator"])
def test_only_a_filing_clerk_registers(personas: Personas, registry: RegistryServer, who: str) -> None:
    p = personas
    before = database_state()
    with pytest.raises(PermissionDenied):
        register_application(
            actor=getattr(p, who),
            procedure="liquidation",
            credit_code=HONGDA,
            applicant_type="debtor",
            filed_on=FILED,
            presiding_judge_id=p.judge.pk,
        )
    response = client_for(getattr(p, who), language="en").post(
        reverse("intake:register"),
        {
            "credit_code": HONGDA,
            "procedure": "liquidation",
            "applicant_type": "debtor",
            "applicant_kind": "organisation",
            "filed_on": "2026-11-02",
            "presiding_judge": str(p.judge.pk),
        },
    )
    assert response.status_code == (403 if who in {"judge", "assistant", "court_admin"} else 404)
    assert database_state() == before


def test_registering_through_the_page(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    response = client_for(p.clerk, language="en").post(
        reverse("intake:register"),
        {
            "credit_code": HONGDA,
            "procedure": "liquidation",
            "applicant_type": "creditor",
            "applicant_kind": "natural_person",
            "applicant_name": "刘洋",
            "applicant_id_number": "320623198507120019",
            "filed_on": "2026-11-02",
            "presiding_judge": str(p.judge.pk),
        },
    )
    case = Case.objects.get(case_type=CaseType.BANKRUPTCY_APPLICATION)
    assert response.status_code == 302 and response["Location"] == reverse("intake:review", args=[case.pk])
    review = client_for(p.judge, language="en").get(response["Location"]).content.decode()
    assert "Ruling on acceptance" in review and 'data-testid="rule-by">2026-11-26</dd>' in review


def test_a_refused_registration_shows_the_reason_on_the_form(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    before = database_state()
    response = client_for(p.clerk, language="en").post(
        reverse("intake:register"),
        {
            "credit_code": HONGDA,
            "procedure": "settlement",
            "applicant_type": "creditor",
            "applicant_kind": "organisation",
            "applicant_name": "南通华盛建材有限公司",
            "filed_on": "2026-11-02",
            "presiding_judge": str(p.judge.pk),
        },
    )
    assert response.status_code == 422
    assert "a creditor cannot apply for settlement" in response.content.decode()
    assert database_state() == before


# --- the review period (EBL art. 10) -------------------------------------------------------------------


def test_the_debtors_application_is_ruled_on_within_15_days_across_national_day(db: None) -> None:
    deadline = review_deadline(received_on=dt.date(2026, 9, 22), adversarial=False)
    # 15 days end on 2026-10-07, inside the National Day holiday: the period ends on 10-08.
    assert [(s.label_en, s.due_on) for s in deadline.steps] == [("Rule on acceptance", dt.date(2026, 10, 8))]
    assert deadline.steps[0].basis.text == "《中华人民共和国企业破产法》第十条"
    assert deadline.holiday_data


def test_a_creditors_application_notifies_waits_for_objections_then_rules(db: None) -> None:
    deadline = review_deadline(received_on=dt.date(2026, 9, 28), adversarial=True)
    assert [(s.label_en, s.due_on) for s in deadline.steps] == [
        ("Notify the debtor", dt.date(2026, 10, 8)),  # 10-03 is a holiday
        ("End of the debtor's objection period", dt.date(2026, 10, 15)),
        ("Rule on acceptance", dt.date(2026, 10, 26)),  # 10-25 is a Sunday
    ]


def test_a_period_in_a_year_without_holiday_data_says_so(db: None) -> None:
    deadline = review_deadline(received_on=dt.date(2031, 12, 20), adversarial=False)
    assert deadline.rule_by == dt.date(2032, 1, 5) and not deadline.holiday_data


# --- the ruling -------------------------------------------------------------------------------------


def test_acceptance_opens_the_bankruptcy_case_and_its_proceeding(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    review = creditor_application(p)
    ruling = rule_on_application(
        actor=p.judge,
        case_id=review.pk,
        decision="accept",
        reasons="债务人不能清偿到期债务且资产不足以清偿全部债务",
        ruled_on=dt.date(2026, 11, 16),
    )
    review.refresh_from_db()
    accepted = ruling.accepted
    assert accepted is not None and not ruling.late
    assert (review.status, review.closed_on) == (CaseStatus.CLOSED, dt.date(2026, 11, 16))
    assert (accepted.number, accepted.case_type, accepted.status, accepted.accepted_on, accepted.origin_id) == (
        "(2026)苏0623破2号",  # the personas' case is 破1号
        CaseType.BANKRUPTCY,
        CaseStatus.OPEN,
        dt.date(2026, 11, 16),
        review.pk,
    )
    assert (accepted.title, accepted.cause, accepted.presiding_judge) == (
        "如东县宏达纺织有限公司破产清算案",
        "破产清算",
        p.judge,
    )
    assert {(party.role, party.name) for party in accepted.parties.all()} == {
        (PartyRole.DEBTOR, HONGDA_NAME),
        (PartyRole.CREDITOR, "南通华盛建材有限公司"),
    }
    proceeding = Proceeding.objects.get(case=accepted)
    assert (proceeding.procedure, proceeding.opened_on) == ("liquidation", dt.date(2026, 11, 16))
    assert NodeRecord.objects.get(proceeding=proceeding, node_key="N01").status == "completed"
    event = AuditEvent.objects.get(action="bankruptcy.application_ruled")
    assert event.after is not None
    assert (event.after["decision"], event.after["accepted_case"], event.after["late"]) == (
        "accept",
        accepted.number,
        False,
    )
    assert DossierEntry.objects.filter(case=review, kind="ruling").count() == 1
    assert DossierEntry.objects.filter(case=accepted, kind="ruling").count() == 1


def test_a_ruling_after_the_period_is_marked_late(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    review = creditor_application(p, filed_on=dt.date(2026, 10, 12))
    ruling = rule_on_application(
        actor=p.judge, case_id=review.pk, decision="accept", reasons="", ruled_on=dt.date(2026, 11, 27)
    )
    assert ruling.late


def test_a_compulsory_liquidation_is_accepted_as_a_qiangqing_case(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    review = register_application(
        actor=p.clerk,
        procedure="compulsory_liquidation",
        credit_code=HAILIAN,
        applicant_type="creditor",
        applicant_name="南通华盛建材有限公司",
        applicant_credit_code=HUASHENG,
        filed_on=FILED,
        presiding_judge_id=p.judge.pk,
    )
    accepted = rule_on_application(
        actor=p.judge, case_id=review.pk, decision="accept", reasons="", ruled_on=dt.date(2026, 11, 20)
    ).accepted
    assert accepted is not None
    assert (accepted.number, accepted.cause) == ("(2026)苏0623强清1号", "公司强制清算")
    assert Proceeding.objects.get(case=accepted).procedure == "compulsory_liquidation"


def test_rejection_closes_the_review_case_with_reasons(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    review = creditor_application(p)
    before_cases = Case.objects.count()
    with pytest.raises(DomainError, match="gives its reasons"):
        rule_on_application(actor=p.judge, case_id=review.pk, decision="reject", reasons=" ", ruled_on=FILED)
    ruling = rule_on_application(
        actor=p.judge,
        case_id=review.pk,
        decision="reject",
        reasons="申请人未提交债权证据",
        ruled_on=dt.date(2026, 11, 10),
    )
    review.refresh_from_db()
    assert (ruling.accepted, review.status, Case.objects.count()) == (None, CaseStatus.CLOSED, before_cases)
    last_change = review.status_changes.last()
    assert last_change is not None and last_change.reason == "裁定不予受理：申请人未提交债权证据"
    assert not Proceeding.objects.exists()
    with pytest.raises(Conflict, match="ruled on already"):
        rule_on_application(actor=p.judge, case_id=review.pk, decision="accept", reasons="", ruled_on=FILED)


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("clerk", PermissionDenied),  # sees every case of the court, does not rule
        ("court_admin", PermissionDenied),
        ("assistant", NotFound),  # not on this review case
        ("other_judge", NotFound),  # a Rudong judge who does not sit on it
        ("outsider", NotFound),
        ("administrator", NotFound),
        ("creditor_a", NotFound),
    ],
)
def test_only_a_judge_of_the_panel_rules(
    personas: Personas, registry: RegistryServer, who: str, error: type[Exception]
) -> None:
    p = personas
    review = creditor_application(p)
    actor = (
        create_user(
            actor=None,
            username="judge_b",
            password="x",
            role=Role.JUDGE,
            full_name="另一法官",
            organisation=p.rudong,
            check_password_strength=False,
        )
        if who == "other_judge"
        else getattr(p, who)
    )
    before = database_state()
    with pytest.raises(error):
        rule_on_application(actor=actor, case_id=review.pk, decision="accept", reasons="", ruled_on=FILED)
    response = client_for(actor, language="en").post(
        reverse("intake:rule", args=[review.pk]), {"decision": "accept", "ruled_on": "2026-11-10"}
    )
    assert response.status_code == (403 if error is PermissionDenied else 404)
    assert database_state() == before


def test_a_panel_judge_rules_too(personas: Personas, registry: RegistryServer) -> None:
    from smartcourt.cases.actions import add_member

    p = personas
    review = creditor_application(p)
    panel = create_user(
        actor=None,
        username="judge_c",
        password="x",
        role=Role.JUDGE,
        full_name="合议庭法官",
        organisation=p.rudong,
        check_password_strength=False,
    )
    add_member(actor=p.judge, case=review, role=MemberRole.PANEL_JUDGE, user=panel)
    accepted = rule_on_application(
        actor=panel, case_id=review.pk, decision="accept", reasons="", ruled_on=dt.date(2026, 11, 16)
    ).accepted
    assert accepted is not None
    assert accepted.members.filter(user=panel, role=MemberRole.PANEL_JUDGE).exists()


def test_ruling_through_the_page_leads_to_the_appointment(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    review = creditor_application(p)
    response = client_for(p.judge, language="en").post(
        reverse("intake:rule", args=[review.pk]), {"decision": "accept", "reasons": "", "ruled_on": "2026-11-16"}
    )
    accepted = Case.objects.get(origin=review)
    assert response.status_code == 302 and response["Location"] == reverse("intake:appoint", args=[accepted.pk])


# --- the appointment of the administrator on the accepted case ------------------------------------------


@pytest.fixture
def accepted(personas: Personas, registry: RegistryServer) -> Case:
    p = personas
    add_to_roster(actor=p.court_admin, court=p.rudong, firm=p.firm_a, grade=Grade.SECOND, listed_on=dt.date(2025, 1, 2))
    add_to_roster(actor=p.court_admin, court=p.rudong, firm=p.firm_b, grade=Grade.SECOND, listed_on=dt.date(2025, 1, 2))
    review = creditor_application(p)
    case = rule_on_application(
        actor=p.judge, case_id=review.pk, decision="accept", reasons="", ruled_on=dt.date(2026, 11, 16)
    ).accepted
    assert case is not None
    return case


def test_the_judge_appoints_by_draw_and_node_n02_is_recorded(personas: Personas, accepted: Case) -> None:
    p = personas
    response = client_for(p.judge, language="en").post(
        reverse("intake:appoint", args=[accepted.pk]),
        {"method": "random_draw", "grade": "second", "seed": "公开摇号 0428", "appointed_on": "2026-11-17"},
    )
    appointment = Appointment.objects.get(case=accepted)
    assert response.status_code == 302
    assert response["Location"] == reverse("administrators:appointment", args=[appointment.pk])
    assert verify_draw(appointment).ok
    assert accepted.members.filter(role=MemberRole.ADMINISTRATOR, organisation=appointment.firm).exists()
    n02 = NodeRecord.objects.get(proceeding__case=accepted, node_key="N02")
    assert n02.status == "completed"
    assert DossierEntry.objects.filter(case=accepted, kind="decision", title__startswith="指定管理人决定").exists()
    # Once appointed, the form leads to the appointment.
    again = client_for(p.judge, language="en").get(reverse("intake:appoint", args=[accepted.pk]))
    assert again.status_code == 302 and again["Location"] == response["Location"]


def test_the_judges_choice_through_the_page(personas: Personas, accepted: Case) -> None:
    p = personas
    client_for(p.judge, language="en").post(
        reverse("intake:appoint", args=[accepted.pk]),
        {"method": "judge_choice", "firm": str(p.firm_b.pk), "appointed_on": "2026-11-17"},
    )
    assert Appointment.objects.get(case=accepted).firm == p.firm_b


@pytest.mark.parametrize("who", ["clerk", "assistant", "administrator", "outsider", "creditor_b"])
def test_only_the_judge_appoints(personas: Personas, accepted: Case, who: str) -> None:
    p = personas
    before = database_state()
    response = client_for(getattr(p, who), language="en").post(
        reverse("intake:appoint", args=[accepted.pk]),
        {"method": "rotation", "grade": "second", "appointed_on": "2026-11-17"},
    )
    assert response.status_code == (403 if who == "clerk" else 404)
    assert database_state() == before


def test_a_refused_appointment_shows_the_reason(personas: Personas, accepted: Case) -> None:
    p = personas
    before = database_state()
    response = client_for(p.judge, language="en").post(
        reverse("intake:appoint", args=[accepted.pk]),
        {"method": "rotation", "grade": "first", "appointed_on": "2026-11-17"},
    )
    assert response.status_code == 422
    assert "no active firm of grade" in response.content.decode()
    assert database_state() == before


def test_long_reasons_are_kept_whole_and_the_status_row_shows_its_shortening(
    personas: Personas, registry: RegistryServer, nothing_changed: Any
) -> None:
    p = personas
    review = creditor_application(p)
    with nothing_changed(), pytest.raises(DomainError) as refused:
        rule_on_application(actor=p.judge, case_id=review.pk, decision="reject", reasons="理" * 2001, ruled_on=FILED)
    assert refused.value.field == "reasons"
    reasons = "理" * 2000
    rule_on_application(actor=p.judge, case_id=review.pk, decision="reject", reasons=reasons, ruled_on=FILED)
    change = review.status_changes.last()
    assert change is not None and change.reason == "裁定不予受理：" + "理" * 492 + "…"
    event = AuditEvent.objects.get(action="bankruptcy.application_ruled")
    assert event.after is not None and event.after["reasons"] == reasons
    entry = DossierEntry.objects.get(case=review, kind="ruling")
    assert f"理由：{reasons}\n" in entry.file.read().decode()
