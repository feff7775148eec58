"""Demo data: two Nantong courts, their people, two administrator firms, a bank, companies and cases of
every type. Everything is created through the actions, so the audit log of the demo is real.

Idempotent: each record is looked up by its natural key (court code, credit code, username, case title)
before it is created, so running the seed twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from smartcourt.accounts.actions import create_organisation, create_user
from smartcourt.accounts.choices import OrganisationKind, Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.cases.actions import add_member, add_party, change_case_status, create_case
from smartcourt.cases.choices import CaseStatus, CaseType, MemberRole, PartyKind, PartyRole
from smartcourt.cases.models import Case
from smartcourt.core.identifiers import credit_code_check_char

DEMO_PASSWORD = "SmartCourt-2026"  # noqa: S105 - published demo sign-in, only for seeded demo users


def credit_code(stem: str) -> str:
    """Complete a 17-character stem with its check character (the demo companies are fictitious)."""
    return stem + credit_code_check_char(stem)


@dataclass(frozen=True)
class DemoSignIn:
    username: str
    role: str
    full_name: str
    organisation: str


def _organisation(kind: str, name: str, **fields: object) -> Organisation:
    existing = Organisation.objects.filter(kind=kind, name=name).first()
    if existing is not None:
        return existing
    return create_organisation(actor=None, kind=kind, name=name, **fields)  # type: ignore[arg-type]


def _user(username: str, role: str, full_name: str, organisation: Organisation | None, phone: str = "") -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return create_user(
        actor=None,
        username=username,
        password=DEMO_PASSWORD,
        role=role,
        full_name=full_name,
        organisation=organisation,
        email=f"{username}@example.com",
        phone=phone,
    )


@dataclass
class _Cast:
    nantong: Organisation
    rudong: Organisation
    firm_a: Organisation
    firm_b: Organisation
    bank: Organisation
    companies: dict[str, Organisation]
    users: dict[str, User]


def _cast() -> _Cast:
    # The provincial high court: the court an appeal from a ruling of 南通中院 goes to (EBL art. 12).
    jiangsu = _organisation(OrganisationKind.COURT, "江苏省高级人民法院", short_name="江苏高院", court_code="苏")
    nantong = _organisation(
        OrganisationKind.COURT, "南通市中级人民法院", short_name="南通中院", court_code="苏06", parent=jiangsu
    )
    rudong = _organisation(
        OrganisationKind.COURT, "如东县人民法院", short_name="如东法院", court_code="苏0623", parent=nantong
    )
    firm_a = _organisation(
        OrganisationKind.ADMINISTRATOR_FIRM,
        "江苏通达律师事务所",
        short_name="通达律所",
        credit_code=credit_code("31320000MD0123456"),
    )
    firm_b = _organisation(
        OrganisationKind.ADMINISTRATOR_FIRM,
        "南通正信会计师事务所有限公司",
        short_name="正信会计",
        credit_code=credit_code("91320600MA1N2P3Q4"),
    )
    bank = _organisation(
        OrganisationKind.BANK,
        "中国工商银行股份有限公司如东支行",
        short_name="工行如东支行",
        credit_code=credit_code("91320623MA1B7C8D9"),
    )
    companies = {
        name: _organisation(OrganisationKind.COMPANY, name, credit_code=credit_code(stem))
        for name, stem in [
            ("如东县宏达纺织有限公司", "91320623MA1HD0001"),
            ("江苏海联船舶重工有限公司", "91320623MA1HL0002"),
            ("南通华盛建材有限公司", "91320600MA1HC0003"),
            ("如东县金桥置业有限公司", "91320623MA1JQ0004"),
            ("南通远洋物流有限公司", "91320600MA1YY0005"),
        ]
    }
    users = {
        "judge": _user("judge", Role.JUDGE, "张明", rudong, "13862700001"),
        "judge2": _user("judge2", Role.JUDGE, "黄海燕", nantong, "13862700002"),
        "assistant": _user("assistant", Role.JUDGE_ASSISTANT, "李静", rudong, "13862700003"),
        "clerk": _user("clerk", Role.FILING_CLERK, "王芳", rudong, "13862700004"),
        "courtadmin": _user("courtadmin", Role.COURT_ADMIN, "赵强", rudong, "13862700005"),
        "ntadmin": _user("ntadmin", Role.COURT_ADMIN, "徐磊", nantong, "13862700006"),
        "admin_a": _user("admin_a", Role.ADMINISTRATOR, "陈立", firm_a, "13962800001"),
        "admin_b": _user("admin_b", Role.ADMINISTRATOR, "周敏", firm_b, "13962800002"),
        "creditor_a": _user("creditor_a", Role.CREDITOR, "刘洋", None, "13505130001"),
        "creditor_b": _user("creditor_b", Role.CREDITOR, "孙丽", None, "13505130002"),
        "lawyer": _user("lawyer", Role.PARTY, "马俊", None, "13505130003"),
        "bank": _user("bank", Role.BANK_OPERATOR, "吴倩", bank, "13705130001"),
    }
    return _Cast(nantong, rudong, firm_a, firm_b, bank, companies, users)


def _case(
    cast: _Cast,
    *,
    court: Organisation,
    case_type: str,
    title: str,
    cause: str,
    filed_on: dt.date,
    judge: str | None,
    accepted_on: dt.date | None = None,
    closed_on: dt.date | None = None,
    origin: Case | None = None,
) -> tuple[Case, bool]:
    existing = Case.objects.filter(court=court, title=title).first()
    if existing is not None:
        return existing, False
    clerk = cast.users["clerk"] if court == cast.rudong else cast.users["judge2"]
    presiding = cast.users[judge] if judge else None
    case = create_case(
        actor=clerk,
        court=court,
        case_type=case_type,
        title=title,
        cause=cause,
        filed_on=filed_on,
        presiding_judge=presiding,
        origin=origin,
    )
    ruling_by = presiding or clerk
    if accepted_on is not None:
        change_case_status(actor=ruling_by, case_id=case.pk, to_status=CaseStatus.OPEN, on=accepted_on)
    if closed_on is not None:
        change_case_status(actor=ruling_by, case_id=case.pk, to_status=CaseStatus.CLOSED, on=closed_on)
    return case, True


def _company_party(cast: _Cast, case: Case, role: str, name: str) -> None:
    company = cast.companies[name]
    add_party(
        actor=cast.users["clerk"], case=case, role=role, kind=PartyKind.ORGANISATION, name=name, organisation=company
    )


def _person_party(cast: _Cast, case: Case, role: str, name: str, id_number: str, phone: str = "") -> None:
    add_party(
        actor=cast.users["clerk"],
        case=case,
        role=role,
        kind=PartyKind.NATURAL_PERSON,
        name=name,
        id_number=id_number,
        phone=phone,
    )


# Fictitious identity numbers with correct GB 11643 check digits (Rudong region code 320623).
LIU_YANG_ID = "320623198507120019"
SUN_LI_ID = "320602199011230022"
MA_JUN_ID = "320623197803050030"


# 宏达纺织 was accepted 66 days before the seeding day: its first meeting (day 65 of the story the demo seed
# tells, smartcourt/demo/world.py) is open today.
HONGDA_ACCEPTED_DAYS_AGO = 66


def _bankruptcy_cases(cast: _Cast) -> None:
    users = cast.users
    hongda_accepted = timezone.localdate() - dt.timedelta(days=HONGDA_ACCEPTED_DAYS_AGO)
    review, created = _case(
        cast,
        court=cast.rudong,
        case_type=CaseType.BANKRUPTCY_APPLICATION,
        title="如东县宏达纺织有限公司破产清算申请审查案",
        cause="申请破产清算",
        filed_on=hongda_accepted - dt.timedelta(days=7),
        judge="judge",
        accepted_on=hongda_accepted - dt.timedelta(days=7),
        closed_on=hongda_accepted,
    )
    if created:
        _company_party(cast, review, PartyRole.APPLICANT, "南通华盛建材有限公司")
        _company_party(cast, review, PartyRole.RESPONDENT, "如东县宏达纺织有限公司")
    case, created = _case(
        cast,
        court=cast.rudong,
        case_type=CaseType.BANKRUPTCY,
        title="如东县宏达纺织有限公司破产清算案",
        cause="破产清算",
        filed_on=hongda_accepted,
        judge="judge",
        accepted_on=hongda_accepted,
        origin=review,
    )
    if created:
        _company_party(cast, case, PartyRole.DEBTOR, "如东县宏达纺织有限公司")
        _company_party(cast, case, PartyRole.CREDITOR, "南通华盛建材有限公司")
        _person_party(cast, case, PartyRole.CREDITOR, "刘洋", LIU_YANG_ID, "13505130001")
        _person_party(cast, case, PartyRole.CREDITOR, "孙丽", SUN_LI_ID, "13505130002")
        add_member(actor=users["judge"], case=case, role=MemberRole.JUDGE_ASSISTANT, user=users["assistant"])
        add_member(actor=users["judge"], case=case, role=MemberRole.CREDITOR, user=users["creditor_a"])
        add_member(actor=users["judge"], case=case, role=MemberRole.CREDITOR, user=users["creditor_b"])
        add_member(actor=users["judge"], case=case, role=MemberRole.BANK, organisation=cast.bank)

    application, created = _case(
        cast,
        court=cast.rudong,
        case_type=CaseType.LIQUIDATION_APPLICATION,
        title="江苏海联船舶重工有限公司强制清算申请审查案",
        cause="申请公司强制清算",
        filed_on=dt.date(2026, 10, 20),
        judge="judge",
    )
    if created:
        _person_party(cast, application, PartyRole.APPLICANT, "马俊", MA_JUN_ID)
        _company_party(cast, application, PartyRole.RESPONDENT, "江苏海联船舶重工有限公司")
    liquidation, created = _case(
        cast,
        court=cast.rudong,
        case_type=CaseType.LIQUIDATION,
        title="如东县金桥置业有限公司强制清算案",
        cause="公司强制清算",
        filed_on=dt.date(2025, 11, 4),
        judge="judge",
        accepted_on=dt.date(2025, 11, 14),
    )
    if created:
        _company_party(cast, liquidation, PartyRole.DEBTOR, "如东县金桥置业有限公司")
        add_member(actor=users["judge"], case=liquidation, role=MemberRole.JUDGE_ASSISTANT, user=users["assistant"])

    second_review, created = _case(
        cast,
        court=cast.rudong,
        case_type=CaseType.BANKRUPTCY_APPLICATION,
        title="江苏海联船舶重工有限公司破产清算申请审查案",
        cause="申请破产清算",
        filed_on=dt.date(2026, 11, 16),
        judge="judge",
    )
    if created:
        _person_party(cast, second_review, PartyRole.APPLICANT, "刘洋", LIU_YANG_ID)
        _company_party(cast, second_review, PartyRole.RESPONDENT, "江苏海联船舶重工有限公司")
        add_member(actor=users["judge"], case=second_review, role=MemberRole.PARTY, user=users["creditor_a"])

    intermediate, created = _case(
        cast,
        court=cast.nantong,
        case_type=CaseType.BANKRUPTCY,
        title="南通远洋物流有限公司重整案",
        cause="破产重整",
        filed_on=dt.date(2026, 6, 1),
        judge="judge2",
        accepted_on=dt.date(2026, 6, 12),
    )
    if created:
        _company_party(cast, intermediate, PartyRole.DEBTOR, "南通远洋物流有限公司")


_CIVIL_CAUSES = ["买卖合同纠纷", "民间借贷纠纷", "劳动争议", "建设工程施工合同纠纷", "租赁合同纠纷", "金融借款合同纠纷"]
_PLAINTIFFS = ["南通华盛建材有限公司", "南通远洋物流有限公司", "如东县金桥置业有限公司"]


def _civil_and_enforcement_cases(cast: _Cast) -> None:
    users = cast.users
    for index in range(1, 31):
        cause = _CIVIL_CAUSES[index % len(_CIVIL_CAUSES)]
        plaintiff = _PLAINTIFFS[index % len(_PLAINTIFFS)]
        year = 2025 if index <= 10 else 2026
        # Months 1-10 only: the demo must not hold cases filed after the day it is first run (late 2026).
        filed = dt.date(year, 1 + index % 10, 1 + (index * 7) % 27)
        closed = filed + dt.timedelta(days=75) if index % 3 == 0 else None
        case, created = _case(
            cast,
            court=cast.rudong,
            case_type=CaseType.CIVIL_FIRST_INSTANCE,
            title=f"{plaintiff}与如东县宏达纺织有限公司{cause}（{index}）",
            cause=cause,
            filed_on=filed,
            judge="judge" if index % 2 else None,
            accepted_on=filed + dt.timedelta(days=5),
            closed_on=closed,
        )
        if created:
            _company_party(cast, case, PartyRole.PLAINTIFF, plaintiff)
            _company_party(cast, case, PartyRole.DEFENDANT, "如东县宏达纺织有限公司")
    for index, applicant in enumerate(_PLAINTIFFS, start=1):
        case, created = _case(
            cast,
            court=cast.rudong,
            case_type=CaseType.ENFORCEMENT,
            title=f"{applicant}申请执行如东县宏达纺织有限公司",
            cause="申请执行",
            filed_on=dt.date(2026, 2, index * 3),
            judge="judge",
            accepted_on=dt.date(2026, 2, index * 3 + 1),
        )
        if created:
            _company_party(cast, case, PartyRole.ENFORCEMENT_APPLICANT, applicant)
            _company_party(cast, case, PartyRole.ENFORCEMENT_RESPONDENT, "如东县宏达纺织有限公司")
            add_member(actor=users["judge"], case=case, role=MemberRole.AGENT, user=users["lawyer"])


def seed_world() -> list[DemoSignIn]:
    """Create (or find) the demo world and return the sign-ins to print."""
    with transaction.atomic():
        cast = _cast()
        _bankruptcy_cases(cast)
        _civil_and_enforcement_cases(cast)
    return [
        DemoSignIn(
            user.username, user.get_role_display(), user.full_name, user.organisation.name if user.organisation else ""
        )
        for user in cast.users.values()
    ]
