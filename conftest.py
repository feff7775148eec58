"""Shared test fixtures: the personas every test suite uses (DESIGN.md §4.12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from smartcourt.accounts.models import Organisation, User
    from smartcourt.cases.models import Case

# The shared test base (clients per persona, nothing-changed, permission matrix, media in tmp_path), and the
# sandbox processes (registry, bank, payment service), started once per test session for the tests that ask.
pytest_plugins = [
    "smartcourt.testing",
    "smartcourt.registry.testing",
    "smartcourt.banking.testing",
    "smartcourt.fees.testing",
]

TEST_PASSWORD = "Correct-Horse-Battery-9"

# Real, valid identifiers (check digits verified by the validators' own tests).
DEBTOR_CREDIT_CODE = "914403001922038216"
FIRM_A_CREDIT_CODE = "9144030071526726XG"
BANK_CREDIT_CODE = "91330100799655058B"


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    """Settings every test starts from (pytest-django loads Django before this file, so these are set
    per test, not through the environment):

    - Argon2 is slow by design: tests that are not about hashing use a fast hasher, and a test about
      hashing sets ``settings.PASSWORD_HASHERS`` back to the production list;
    - the second factor is off; tests about it switch it on;
    - static files are served unhashed, so no ``collectstatic`` manifest is needed;
    - the demo seed's signing sandboxes take free ports.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The demo seed starts its timestamp authority and CA status service on free ports, not on make run's.
    settings.DEMO_SANDBOX_PORTS = (0, 0)
    settings.TWO_FACTOR_REQUIRED = False
    settings.LOGIN_SLOWDOWN_MAX_SECONDS = 0  # the slow-down is asserted through slowdown_seconds, never waited for
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the site's default language (Chinese) and leaves it so.

    A request through the test client activates the language it asks for in the running thread and Django
    does not switch it back afterwards, so a test that asked for English pages made the next test in the
    same worker read English messages: order-dependent failures that only showed under pytest-xdist."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class Personas:
    """Two courts and the people around one bankruptcy case in Rudong."""

    nantong: Organisation
    rudong: Organisation
    haimen: Organisation
    firm_a: Organisation
    firm_b: Organisation
    bank: Organisation
    debtor_company: Organisation
    judge: User
    assistant: User
    clerk: User
    court_admin: User
    administrator: User
    other_administrator: User
    creditor_a: User
    creditor_b: User
    bank_operator: User
    outsider: User
    case: Case
    other_court_case: Case


@pytest.fixture
def personas(db: None) -> Personas:
    from smartcourt.accounts.actions import create_organisation, create_user
    from smartcourt.accounts.choices import OrganisationKind, Role
    from smartcourt.cases.actions import add_member, add_party, change_case_status, create_case
    from smartcourt.cases.choices import CaseStatus, CaseType, MemberRole, PartyKind, PartyRole

    def org(kind: str, name: str, **kw: Any) -> Organisation:
        return create_organisation(actor=None, kind=kind, name=name, **kw)

    def user(username: str, role: str, name: str, organisation: Organisation | None) -> User:
        return create_user(
            actor=None,
            username=username,
            password=TEST_PASSWORD,
            role=role,
            full_name=name,
            organisation=organisation,
            check_password_strength=False,
        )

    nantong = org(OrganisationKind.COURT, "南通市中级人民法院", court_code="苏06")
    rudong = org(OrganisationKind.COURT, "如东县人民法院", court_code="苏0623", parent=nantong)
    haimen = org(OrganisationKind.COURT, "海门市人民法院", court_code="苏0684", parent=nantong)
    firm_a = org(OrganisationKind.ADMINISTRATOR_FIRM, "江苏甲律师事务所", credit_code=FIRM_A_CREDIT_CODE)
    firm_b = org(OrganisationKind.ADMINISTRATOR_FIRM, "江苏乙会计师事务所")
    bank = org(OrganisationKind.BANK, "中国工商银行如东支行", credit_code=BANK_CREDIT_CODE)
    debtor_company = org(OrganisationKind.COMPANY, "如东某某建设有限公司", credit_code=DEBTOR_CREDIT_CODE)

    judge = user("judge", Role.JUDGE, "张明", rudong)
    assistant = user("assistant", Role.JUDGE_ASSISTANT, "李静", rudong)
    clerk = user("clerk", Role.FILING_CLERK, "王芳", rudong)
    court_admin = user("courtadmin", Role.COURT_ADMIN, "赵强", rudong)
    administrator = user("administrator", Role.ADMINISTRATOR, "陈律师", firm_a)
    other_administrator = user("administrator_b", Role.ADMINISTRATOR, "周会计", firm_b)
    creditor_a = user("creditor_a", Role.CREDITOR, "刘债权", None)
    creditor_b = user("creditor_b", Role.CREDITOR, "孙债权", None)
    bank_operator = user("bank", Role.BANK_OPERATOR, "吴柜员", bank)
    outsider = user("outsider", Role.FILING_CLERK, "郑外人", haimen)

    case = create_case(
        actor=clerk,
        court=rudong,
        case_type=CaseType.BANKRUPTCY,
        title="如东某某建设有限公司破产清算案",
        cause="破产清算",
        filed_on=dt.date(2026, 3, 2),
        presiding_judge=judge,
    )
    change_case_status(actor=judge, case_id=case.pk, to_status=CaseStatus.OPEN, on=dt.date(2026, 3, 9))
    add_party(
        actor=clerk,
        case=case,
        role=PartyRole.DEBTOR,
        kind=PartyKind.ORGANISATION,
        name=debtor_company.name,
        organisation=debtor_company,
    )
    add_party(
        actor=clerk,
        case=case,
        role=PartyRole.CREDITOR,
        kind=PartyKind.NATURAL_PERSON,
        name="刘债权",
        id_number="11010519491231002X",
    )
    add_member(actor=clerk, case=case, role=MemberRole.JUDGE_ASSISTANT, user=assistant)
    add_member(actor=judge, case=case, role=MemberRole.ADMINISTRATOR, organisation=firm_a)
    add_member(actor=judge, case=case, role=MemberRole.CREDITOR, user=creditor_a)
    add_member(actor=judge, case=case, role=MemberRole.BANK, organisation=bank)

    other_clerk = user("haimen_clerk", Role.FILING_CLERK, "钱书记", haimen)
    other_court_case = create_case(
        actor=other_clerk,
        court=haimen,
        case_type=CaseType.CIVIL_FIRST_INSTANCE,
        title="某某买卖合同纠纷",
        filed_on=dt.date(2026, 5, 6),
    )
    return Personas(
        nantong=nantong,
        rudong=rudong,
        haimen=haimen,
        firm_a=firm_a,
        firm_b=firm_b,
        bank=bank,
        debtor_company=debtor_company,
        judge=judge,
        assistant=assistant,
        clerk=clerk,
        court_admin=court_admin,
        administrator=administrator,
        other_administrator=other_administrator,
        creditor_a=creditor_a,
        creditor_b=creditor_b,
        bank_operator=bank_operator,
        outsider=outsider,
        case=case,
        other_court_case=other_court_case,
    )


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Without these, chromium keeps calling Google's services, which this closed network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def chromium() -> Iterator[Any]:
    """Debian's chromium driven by Playwright, headless. Skipped where chromium is missing, unless
    SMARTCOURT_REQUIRE_BROWSER=1 (CI), where a missing browser fails the test instead."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        message = f"Debian chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("SMARTCOURT_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls around it stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
