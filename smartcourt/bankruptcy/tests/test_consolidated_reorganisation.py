"""Issue 15.20, a consolidated reorganisation: one plan for the consolidated debtors (SPC Minutes 法〔2018〕53号
para. 36), and at its end the debtors become one enterprise unless the plan keeps one apart under the rules on
division of enterprises (para. 37). The administrator records the plan's structure; the plan's last node (R8)
waits for it and for the deregistration of every debtor merged into the survivor."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.actions import complete_node, start_node
from smartcourt.bankruptcy.choices import NodeStatus
from smartcourt.bankruptcy.consolidation import record_plan_structure
from smartcourt.bankruptcy.models import ConsolidatedDebtor, Consolidation, NodeRecord
from smartcourt.bankruptcy.rulepack import get_procedure
from smartcourt.bankruptcy.tests.conftest import drive, open_liquidation, provide_all
from smartcourt.cases.demo import credit_code
from smartcourt.core.errors import DomainError
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.testing import client_as, permission_matrix, unchanged_database

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db
HONGFA = credit_code("91320623MA1HF0006")
HAILIAN = credit_code("91320623MA1HL0003")
LEAD = "914403001922038216"  # the personas' debtor company (conftest.DEBTOR_CREDIT_CODE)
SEE_CASE = ["assistant", "clerk", "court_admin", "creditor_a", "bank_operator", "judge"]


def consolidated_reorganisation(p: Personas) -> Consolidation:
    open_liquidation(p, procedure="reorganisation")
    ruling = file_entry(actor=p.judge, case=p.case, kind=EntryKind.RULING, title="实质合并审理裁定")
    consolidation = Consolidation.objects.create(
        case=p.case, ruled_on=dt.date(2026, 10, 1), reasons="人格高度混同", ruled_by=p.judge, ruling_entry=ruling
    )
    for position, (name, code) in enumerate(
        ((p.debtor_company.name, LEAD), ("南通宏发投资有限公司", HONGFA), ("南通海联贸易有限公司", HAILIAN)), 1
    ):
        ConsolidatedDebtor.objects.create(
            consolidation=consolidation, position=position, name=name, credit_code=code, registry_entry=ruling
        )
    return consolidation


def _fates() -> dict[str, str]:
    return dict(ConsolidatedDebtor.objects.values_list("credit_code", "plan_fate"))


def test_the_plan_makes_one_enterprise_and_keeps_one_apart(personas: Personas) -> None:
    p = personas
    consolidated_reorganisation(p)
    record_plan_structure(actor=p.administrator, case_id=p.case.pk, survivor=LEAD, separate=[HAILIAN])
    assert _fates() == {LEAD: "survivor", HONGFA: "merged", HAILIAN: "separate"}
    event = AuditEvent.objects.get(action="bankruptcy.plan_structure_recorded")
    assert event.after == {
        "survivor": p.debtor_company.name,
        "merged": "南通宏发投资有限公司",
        "separate": "南通海联贸易有限公司",
    }
    # The plan changes: recorded again, the event keeping what it was.
    record_plan_structure(actor=p.administrator, case_id=p.case.pk, survivor=LEAD, separate=[])
    assert _fates() == {LEAD: "survivor", HONGFA: "merged", HAILIAN: "merged"}
    page = client_as(p, "administrator").get(f"/bankruptcy/cases/{p.case.pk}/").content.decode()
    assert 'data-testid="plan-structure-form"' in page and "并入存续企业并注销" in page


@pytest.mark.parametrize(
    ("survivor", "separate", "field"),
    [("91320623MA1XX9999", [], "survivor"), (LEAD, [LEAD], "separate"), (LEAD, ["91320623MA1XX9999"], "separate")],
)
def test_a_wrong_structure_is_refused(personas: Personas, survivor: str, separate: list[str], field: str) -> None:
    p = personas
    consolidated_reorganisation(p)
    with unchanged_database(), pytest.raises(DomainError) as refused:
        record_plan_structure(actor=p.administrator, case_id=p.case.pk, survivor=survivor, separate=separate)
    assert refused.value.field == field


def test_a_liquidation_has_no_plan_structure(personas: Personas) -> None:
    p = personas
    consolidated_reorganisation(p)
    from smartcourt.bankruptcy.models import Proceeding

    Proceeding.objects.filter(case=p.case).update(branch="liquidation")  # stands in for a conversion
    with unchanged_database(), pytest.raises(DomainError) as refused:
        record_plan_structure(actor=p.administrator, case_id=p.case.pk, survivor=LEAD, separate=[])
    assert refused.value.field == "case"


def test_only_the_administrator_records_it(personas: Personas) -> None:
    p = personas
    consolidated_reorganisation(p)
    permission_matrix(
        p,
        lambda client: client.post(
            f"/api/v1/bankruptcy/cases/{p.case.pk}/consolidation/plan-structure",
            {"survivor": LEAD, "separate": [HAILIAN]},
            content_type="application/json",
        ),
        expect={"administrator": 200, **dict.fromkeys(SEE_CASE, 403)},
        anonymous=401,
    )
    body = client_as(p, "judge").get(f"/api/v1/bankruptcy/cases/{p.case.pk}/consolidation").json()
    assert [d["plan_fate"] for d in body["debtors"]] == ["survivor", "merged", "separate"]


def test_the_plans_last_node_waits_for_the_structure_and_the_merged_debtors_deregistration(
    personas: Personas,
) -> None:
    p = personas
    consolidated_reorganisation(p)
    procedure = get_procedure("reorganisation")
    # Every node before R8, in order (R7 is reached only by a conversion).
    for key in procedure.node_keys:
        node = procedure.node(key)
        if key == "R8" or node.conversion_only or node.optional or node.closes_proceeding:
            continue
        if NodeRecord.objects.get(proceeding__case=p.case, node_key=key).status == NodeStatus.PENDING:
            drive(p, key)
    start_node(actor=p.administrator, case_id=p.case.pk, node_key="R8")
    provide_all(p, "R8")
    with pytest.raises(DomainError) as missing:
        complete_node(actor=p.administrator, case_id=p.case.pk, node_key="R8")
    assert missing.value.code == "plan_structure_missing"
    record_plan_structure(actor=p.administrator, case_id=p.case.pk, survivor=LEAD, separate=[HAILIAN])
    with pytest.raises(DomainError) as pending:
        complete_node(actor=p.administrator, case_id=p.case.pk, node_key="R8")
    # Only the debtor merged away is deregistered: the survivor continues, the separate one stays.
    assert pending.value.code == "debtors_not_deregistered"
    assert "南通宏发投资有限公司" in pending.value.message and "南通海联" not in pending.value.message
    ConsolidatedDebtor.objects.filter(credit_code=HONGFA).update(deregistered_on=dt.date(2026, 11, 1))
    done = complete_node(actor=p.administrator, case_id=p.case.pk, node_key="R8")
    assert done.status in {NodeStatus.AWAITING_CONFIRMATION, NodeStatus.COMPLETED}
