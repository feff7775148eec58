"""Issue 15.17: the rulings on an application say what was applied for and who applied, and send an appeal to
the court at the next level up from the one that ruled (EBL art. 12), from the court hierarchy. Registered and
ruled through the real intake actions against the sandbox registry."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.utils.html import strip_tags

from smartcourt.accounts.actions import create_organisation, create_user
from smartcourt.accounts.choices import OrganisationKind, Role
from smartcourt.bankruptcy.acceptance import register_application, rule_on_application
from smartcourt.cases.choices import PartyKind
from smartcourt.cases.demo import credit_code
from smartcourt.cases.models import Case
from smartcourt.documents.context import document_context
from smartcourt.documents.engine import render_body
from smartcourt.documents.models import DocumentTemplate
from smartcourt.registry.testing import RegistryServer, registry, registry_server

if TYPE_CHECKING:
    from conftest import Personas

__all__ = ["registry", "registry_server"]
pytestmark = pytest.mark.django_db

HONGDA = credit_code("91320623MA1HD0001")
HONGDA_NAME = "如东县宏达纺织有限公司"
HUASHENG = credit_code("91320600MA1HC0003")
TODAY = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
FILED = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def text_of(case: Case, key: str) -> str:
    template = DocumentTemplate.objects.get(key=key)
    assert template.current_version is not None
    html = render_body(template.current_version.body, document_context(case))
    return re.sub(r"\s+", "", strip_tags(html))


def apply(p: Personas, procedure: str, applicant_type: str, *, clerk: Any = None, judge: Any = None) -> Case:
    extra: dict[str, Any] = {}
    if applicant_type != "debtor":
        extra = {
            "applicant_kind": PartyKind.ORGANISATION,
            "applicant_name": "南通华盛建材有限公司",
            "applicant_credit_code": HUASHENG,
        }
    return register_application(
        actor=clerk or p.clerk,
        procedure=procedure,
        credit_code=HONGDA,
        applicant_type=applicant_type,
        filed_on=FILED,
        presiding_judge_id=(judge or p.judge).pk,
        **extra,
    )


def nantong_staff(p: Personas) -> tuple[Any, Any]:
    """A filing clerk and a judge of 南通中院, so that the intermediate court rules on an application itself."""
    staff = [
        create_user(
            actor=None,
            username=username,
            password="Nantong-court-2026!",
            role=role,
            full_name=name,
            organisation=p.nantong,
        )
        for username, role, name in (("ntclerk", Role.FILING_CLERK, "钱立"), ("ntjudge", Role.JUDGE, "孙正"))
    ]
    return staff[0], staff[1]


def accept(p: Personas, review: Case, judge: Any = None) -> Case:
    ruling = rule_on_application(
        actor=judge or p.judge, case_id=review.pk, decision="accept", reasons="", ruled_on=dt.date(2026, 11, 20)
    )
    assert ruling.accepted is not None
    return ruling.accepted


# (procedure, applicant, what the ruling must say, what it must not say)
ACCEPTANCES = [
    (
        "liquidation",
        "creditor",
        [
            "申请人：南通华盛建材有限公司。被申请人（债务人）：如东县宏达纺织有限公司",
            "申请人南通华盛建材有限公司以被申请人如东县宏达纺织有限公司不能清偿到期债务为由",
            "第二条第一款、第七条第二款、第十条第一款",
            "受理申请人南通华盛建材有限公司对被申请人如东县宏达纺织有限公司的破产清算申请。",
        ],
        ["重整", "和解"],
    ),
    (
        "liquidation",
        "debtor",
        [
            "申请人（债务人）：如东县宏达纺织有限公司",
            "申请人如东县宏达纺织有限公司以其不能清偿到期债务",
            "第二条第一款、第七条第一款、第十条第二款",
            "受理如东县宏达纺织有限公司的破产清算申请。",
        ],
        ["被申请人", "申请人如东县宏达纺织有限公司以被申请人如东县宏达纺织有限公司"],
    ),
    (
        "liquidation",
        "liquidator",
        [
            "作为依法负有清算责任的人",
            "已解散但未清算完毕，资产不足以清偿债务",
            "第二条第一款、第七条第三款、第十条第二款",
        ],
        ["重整"],
    ),
    (
        "reorganisation",
        "creditor",
        [
            "向本院申请对如东县宏达纺织有限公司进行重整",
            "第二条、第七条第二款、第十条第一款、第七十条第一款、第七十一条",
            "一、受理申请人南通华盛建材有限公司对被申请人如东县宏达纺织有限公司的重整申请；",
            "二、对如东县宏达纺织有限公司进行重整。",
        ],
        ["破产清算"],
    ),
    (
        "reorganisation",
        "debtor",
        [
            "申请人（债务人）：如东县宏达纺织有限公司",
            "向本院申请重整",
            "第二条、第七条第一款、第十条第二款、第七十条第一款、第七十一条",
            "二、对如东县宏达纺织有限公司进行重整。",
        ],
        ["被申请人", "破产清算"],
    ),
    (
        "settlement",
        "debtor",
        [
            "向本院申请和解，并提交了和解协议草案",
            "第九十五条第一款、第九十六条第一款",
            "一、受理如东县宏达纺织有限公司的和解申请；",
            "二、对如东县宏达纺织有限公司进行和解。",
        ],
        ["被申请人", "破产清算", "重整"],
    ),
    (
        "compulsory_liquidation",
        "creditor",
        [
            "被申请人：如东县宏达纺织有限公司",
            "逾期不成立清算组进行清算为由，向本院申请指定清算组对如东县宏达纺织有限公司进行清算",
            "《中华人民共和国公司法》第二百三十三条",
            "受理申请人南通华盛建材有限公司对被申请人如东县宏达纺织有限公司的强制清算申请。",
        ],
        ["企业破产法", "被申请人（债务人）"],
    ),
]


@pytest.mark.parametrize(("procedure", "applicant", "says", "never"), ACCEPTANCES)
def test_the_acceptance_ruling_fits_the_procedure_and_the_applicant(
    personas: Personas,
    registry: RegistryServer,
    procedure: str,
    applicant: str,
    says: list[str],
    never: list[str],
) -> None:
    accepted = accept(personas, apply(personas, procedure, applicant))
    text = text_of(accepted, "acceptance_ruling")
    for phrase in says:
        assert phrase in text
    for phrase in never:
        assert phrase not in text


def test_a_rejection_by_a_basic_court_is_appealed_to_its_intermediate_court(
    personas: Personas, registry: RegistryServer
) -> None:
    review = apply(personas, "reorganisation", "creditor")
    rule_on_application(
        actor=personas.judge,
        case_id=review.pk,
        decision="reject",
        reasons="申请人未能证明被申请人具有重整价值",
        ruled_on=dt.date(2026, 11, 20),
    )
    text = text_of(review, "rejection_ruling")
    assert "本院经审查认为，申请人未能证明被申请人具有重整价值。" in text
    assert "对申请人南通华盛建材有限公司的重整申请，不予受理。" in text
    assert text.endswith("上诉于南通市中级人民法院。")
    assert "被申请人（债务人）：如东县宏达纺织有限公司" in text


def test_a_rejection_by_the_intermediate_court_is_appealed_to_the_high_court(
    personas: Personas, registry: RegistryServer
) -> None:
    p = personas
    high = create_organisation(actor=None, kind=OrganisationKind.COURT, name="江苏省高级人民法院", court_code="苏")
    p.nantong.parent = high
    p.nantong.save(update_fields=["parent"])
    clerk, judge = nantong_staff(p)
    review = apply(p, "liquidation", "debtor", clerk=clerk, judge=judge)
    rule_on_application(
        actor=judge, case_id=review.pk, decision="reject", reasons="申请材料不全", ruled_on=dt.date(2026, 11, 20)
    )
    text = text_of(review, "rejection_ruling")
    assert text.endswith("上诉于江苏省高级人民法院。")
    assert "南通市中级人民法院" not in text
    assert "对如东县宏达纺织有限公司的破产清算申请，不予受理。" in text
    assert "申请人（债务人）：如东县宏达纺织有限公司" in text


def test_a_court_without_a_recorded_upper_court_names_the_next_level_up_generically(
    personas: Personas, registry: RegistryServer
) -> None:
    p = personas
    clerk, judge = nantong_staff(p)
    review = apply(p, "liquidation", "creditor", clerk=clerk, judge=judge)
    rule_on_application(
        actor=judge, case_id=review.pk, decision="reject", reasons="债权存在争议", ruled_on=dt.date(2026, 11, 20)
    )
    text = text_of(review, "rejection_ruling")
    assert text.endswith("上诉于上一级人民法院。")
    assert "南通市中级人民法院。" not in text
