"""Distribution plans from the claims table: statutory order, collateral (art. 109-110), held shares
(art. 117-119), interim then final, the way through the meeting and the court; who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import Personas
from smartcourt.claims.choices import ClaimNature, ClaimStatus
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.distributions import actions
from smartcourt.distributions.choices import LineClass, PlanStatus, ReserveReason
from smartcourt.distributions.models import DistributionPlan
from smartcourt.distributions.planning import Expense
from smartcourt.distributions.selectors import amounts_for_creditor, fee_cap, payees_of, plan_classes, plan_lines

from .helpers import counts, make_claim, plan_input, ruled_plan

pytestmark = pytest.mark.django_db


def _lines(plan: DistributionPlan) -> list[tuple[str, str, int, int, int, str]]:
    return [
        (ln.label, ln.line_class, ln.owed_fen, ln.share_fen, ln.paid_fen, ln.reserve_reason) for ln in plan_lines(plan)
    ]


def test_plan_by_the_statutory_order(personas: Personas) -> None:
    p = personas
    bank = make_claim(
        p, name="如东农商行", identifier="91320623000000001A", nature=ClaimNature.SECURED, amount_fen=500_000
    )
    worker = make_claim(
        p, name="王工人", identifier="320623198001010011", nature=ClaimNature.EMPLOYEE, amount_fen=30_000
    )
    tax = make_claim(
        p,
        name="如东县税务局",
        identifier="11320623000000002B",
        nature=ClaimNature.SOCIAL_INSURANCE_TAX,
        amount_fen=20_000,
    )
    make_claim(p, name="甲供应商", identifier="91320623000000003C", amount_fen=100_000)
    make_claim(p, name="乙供应商", identifier="91320623000000004D", amount_fen=200_000)
    make_claim(p, name="丙未确认", identifier="91320623000000005E", amount_fen=50_000, status=ClaimStatus.NOT_CONFIRMED)
    make_claim(p, name="丁审查中", identifier="91320623000000006F", amount_fen=50_000, status=ClaimStatus.UNDER_REVIEW)
    plan = actions.create_plan(
        actor=p.administrator,
        case_id=p.case.pk,
        plan_input=plan_input(
            100_000,
            collateral_proceeds={str(bank.pk): 400_000},
            expenses=[
                Expense("管理人报酬", LineClass.EXPENSES, 10_000),
                Expense("继续营业职工工资", LineClass.COMMON_BENEFIT, 5_000),
            ],
        ),
    )
    # Collateral 4,000 yuan on a 5,000 yuan claim: 4,000 from the collateral, 1,000 joins the ordinary claims.
    # General estate 1,000: expenses 100, common benefit 50, employee 300, tax 200 in full -> 350 left for
    # ordinary claims of 1,000 + 1,000 + 2,000 = 4,000: 87.50, 87.50, 175.00.
    assert _lines(plan) == [
        ("如东农商行", "secured", 500_000, 400_000, 400_000, ""),
        ("管理人报酬", "expenses", 10_000, 10_000, 10_000, ""),
        ("继续营业职工工资", "common_benefit", 5_000, 5_000, 5_000, ""),
        ("王工人", "employee", 30_000, 30_000, 30_000, ""),
        ("如东县税务局", "social_tax", 20_000, 20_000, 20_000, ""),
        ("如东农商行", "ordinary", 100_000, 8_750, 8_750, ""),
        ("甲供应商", "ordinary", 100_000, 8_750, 8_750, ""),
        ("乙供应商", "ordinary", 200_000, 17_500, 17_500, ""),
    ]
    assert (plan.secured_paid_fen, plan.distributed_fen, plan.reserved_fen, plan.undistributed_fen) == (
        400_000,
        100_000,
        0,
        0,
    )
    assert plan.status == PlanStatus.DRAFT and plan.number == 1
    classes = {c.line_class: (c.count, c.owed_fen, c.paid_fen) for c in plan_classes(plan)}
    assert classes["ordinary"] == (3, 400_000, 35_000) and classes["secured"] == (1, 500_000, 400_000)
    # Payees: creditors only (no expenses), each once with all his lines together.
    assert {(x.name, x.amount_fen) for x in payees_of(plan)} == {
        ("如东农商行", 408_750),
        ("王工人", 30_000),
        ("如东县税务局", 20_000),
        ("甲供应商", 8_750),
        ("乙供应商", 17_500),
    }
    assert worker and tax


def test_collateral_surplus_goes_to_the_estate(personas: Personas) -> None:
    p = personas
    bank = make_claim(p, name="银行", identifier="91320623000000001A", nature=ClaimNature.SECURED, amount_fen=1_000)
    make_claim(p, name="甲", identifier="91320623000000003C", amount_fen=1_000)
    plan = actions.create_plan(
        actor=p.administrator, case_id=p.case.pk, plan_input=plan_input(0, collateral_proceeds={str(bank.pk): 1_600})
    )
    assert plan.collateral_surplus_fen == 600
    assert [(ln.line_class, ln.paid_fen) for ln in plan_lines(plan)] == [("secured", 1_000), ("ordinary", 600)]


def test_disputed_and_conditional_shares_are_held(personas: Personas) -> None:
    p = personas
    make_claim(p, name="甲", identifier="91320623000000003C", amount_fen=1_000)
    disputed = make_claim(
        p, name="乙", identifier="91320623000000004D", amount_fen=0, declared_fen=3_000, status=ClaimStatus.DISPUTED
    )
    conditional = make_claim(p, name="丙", identifier="91320623000000005E", amount_fen=1_000)
    plan = actions.create_plan(
        actor=p.administrator,
        case_id=p.case.pk,
        plan_input=plan_input(2_500, conditional_claim_ids=frozenset({str(conditional.pk)})),
    )
    # 2,500 over 1,000 + 3,000 (declared, disputed) + 1,000: 500, 1,500, 500; only 甲's share is paid.
    assert [(ln.label, ln.share_fen, ln.paid_fen, ln.reserved_fen, ln.reserve_reason) for ln in plan_lines(plan)] == [
        ("甲", 500, 500, 0, ""),
        ("乙", 1_500, 0, 1_500, ReserveReason.DISPUTED),
        ("丙", 500, 0, 500, ReserveReason.CONDITIONAL),
    ]
    assert plan.reserved_fen == 2_000 and plan.payable_fen == 500
    assert disputed


def test_a_later_plan_pays_what_is_still_owed(personas: Personas) -> None:
    p = personas
    make_claim(p, name="甲", identifier="91320623000000003C", amount_fen=10_000)
    make_claim(p, name="乙", identifier="91320623000000004D", amount_fen=30_000)
    ruled_plan(p, 4_000, kind="interim")
    final = actions.create_plan(actor=p.administrator, case_id=p.case.pk, plan_input=plan_input(8_000))
    assert final.number == 2
    # Interim: 1,000 and 3,000; still owed 9,000 and 27,000; final 8,000: 2,000 and 6,000.
    assert [(ln.owed_fen, ln.paid_fen) for ln in plan_lines(final)] == [(9_000, 2_000), (27_000, 6_000)]


def test_the_way_through_meeting_and_court(personas: Personas) -> None:
    p = personas
    make_claim(p, name="甲", identifier="91320623000000003C", amount_fen=10_000)
    plan = ruled_plan(p, 4_000)
    assert plan.status == PlanStatus.RULED and plan.ruling_reference == "(2026)苏0623破12号之三"
    assert [t.to_status for t in plan.transitions.order_by("at")] == ["submitted", "approved", "ruled"]
    with pytest.raises(Conflict, match="cannot become"):
        actions.submit_plan(actor=p.administrator, plan_id=plan.pk)


def test_meeting_rejection_ends_the_version(personas: Personas) -> None:
    p = personas
    make_claim(p, name="甲", identifier="91320623000000003C", amount_fen=10_000)
    plan = actions.create_plan(actor=p.administrator, case_id=p.case.pk, plan_input=plan_input(1_000))
    with pytest.raises(Conflict):
        actions.rule_on_plan(
            actor=p.judge, plan_id=plan.pk, approved=True, ruling_reference="x", ruled_on=dt.date(2026, 1, 1)
        )
    actions.submit_plan(actor=p.administrator, plan_id=plan.pk)
    plan = actions.record_meeting_resolution(
        actor=p.judge, plan_id=plan.pk, adopted=False, reference="会议决议", resolved_on=dt.date(2026, 11, 25)
    )
    assert plan.status == PlanStatus.REJECTED
    with pytest.raises(Conflict):
        actions.rule_on_plan(
            actor=p.judge, plan_id=plan.pk, approved=True, ruling_reference="x", ruled_on=dt.date(2026, 1, 1)
        )


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("judge", PermissionDenied),
        ("assistant", PermissionDenied),
        ("clerk", PermissionDenied),
        ("other_administrator", NotFound),
        ("creditor_a", PermissionDenied),
        ("creditor_b", NotFound),
        ("bank_operator", PermissionDenied),
        ("outsider", NotFound),
    ],
)
def test_only_the_administrator_draws_up_a_plan(personas: Personas, who: str, error: type[Exception]) -> None:
    make_claim(personas, name="甲", identifier="91320623000000003C", amount_fen=10_000)
    before = counts()
    with pytest.raises(error):
        actions.create_plan(actor=getattr(personas, who), case_id=personas.case.pk, plan_input=plan_input(1_000))
    assert counts() == before


@pytest.mark.parametrize(
    "who", ["administrator", "assistant", "clerk", "creditor_a", "other_administrator", "outsider"]
)
def test_only_a_judge_of_the_case_records_and_rules(personas: Personas, who: str) -> None:
    p = personas
    make_claim(p, name="甲", identifier="91320623000000003C", amount_fen=10_000)
    plan = actions.create_plan(actor=p.administrator, case_id=p.case.pk, plan_input=plan_input(1_000))
    actions.submit_plan(actor=p.administrator, plan_id=plan.pk)
    before = counts()
    with pytest.raises((PermissionDenied, NotFound)):
        actions.record_meeting_resolution(
            actor=getattr(p, who), plan_id=plan.pk, adopted=True, reference="决议", resolved_on=dt.date(2026, 11, 25)
        )
    assert counts() == before
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "partial"}, "kind"),
        ({"available_basis": "  "}, "available_basis"),
        ({"available_fen": -1}, "available"),
        ({"collateral_proceeds": {"00000000-0000-0000-0000-000000000000": 5}}, "claims"),
        ({"expenses": [Expense("x", LineClass.ORDINARY, 5)]}, "expenses"),
        ({"expenses": [Expense("x", LineClass.EXPENSES, 0)]}, "expenses"),
    ],
)
def test_bad_plan_inputs_change_nothing(personas: Personas, change: dict[str, object], field: str) -> None:
    make_claim(personas, name="甲", identifier="91320623000000003C", amount_fen=10_000)
    fields: dict[str, Any] = {"kind": "final", "available_fen": 1_000, "available_basis": "账户余额", **change}
    before = counts()
    with pytest.raises(DomainError) as refused:
        actions.create_plan(
            actor=personas.administrator, case_id=personas.case.pk, plan_input=actions.PlanInput(**fields)
        )
    assert refused.value.field == field
    assert counts() == before


def test_collateral_only_on_secured_claims(personas: Personas) -> None:
    claim = make_claim(personas, name="甲", identifier="91320623000000003C", amount_fen=10_000)
    with pytest.raises(DomainError, match="not secured"):
        actions.create_plan(
            actor=personas.administrator,
            case_id=personas.case.pk,
            plan_input=plan_input(1_000, collateral_proceeds={str(claim.pk): 5}),
        )


def test_creditor_sees_his_planned_amount(personas: Personas) -> None:
    p = personas
    mine = make_claim(p, name="刘债权", identifier="11010519491231002X", amount_fen=10_000)
    mine.creditor.user = p.creditor_a
    mine.creditor.save()
    make_claim(p, name="乙", identifier="91320623000000004D", amount_fen=30_000)
    ruled_plan(p, 4_000)
    amounts = amounts_for_creditor(p.creditor_a)
    assert list(amounts) == [mine.pk]
    assert (amounts[mine.pk].planned_fen, amounts[mine.pk].paid_fen, amounts[mine.pk].plan_status) == (
        1_000,
        0,
        "ruled",
    )
    assert amounts_for_creditor(p.creditor_b) == {}


def test_fee_cap_on_the_plan(personas: Personas) -> None:
    p = personas
    make_claim(p, name="甲", identifier="91320623000000003C", amount_fen=300_000_000)
    bank = make_claim(
        p, name="银行", identifier="91320623000000001A", nature=ClaimNature.SECURED, amount_fen=50_000_000
    )
    plan = actions.create_plan(
        actor=p.administrator,
        case_id=p.case.pk,
        plan_input=plan_input(
            210_000_000,
            collateral_proceeds={str(bank.pk): 50_000_000},
            expenses=[Expense("审计费", LineClass.EXPENSES, 10_000_000)],
        ),
    )
    # 2,000,000 yuan paid to the ordinary claim (the collateral's 500,000 and the 100,000 of expenses are not
    # counted): 12% of 1M + 10% of 1M = 220,000 yuan.
    assert fee_cap(plan).cap_fen == 22_000_000
