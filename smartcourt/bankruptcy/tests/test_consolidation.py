"""Issue 15.20: merged bankruptcy (合并破产, substantive consolidation). The judge of the lead case rules, with
reasons, that related debtors are administered in its one proceeding (SPC Minutes 法〔2018〕53号 paras. 32-37):
each debtor's registry record is fetched and filed, each becomes a debtor of the lead case (so its claims table
and distributions are the combined ones), a member's own open bankruptcy case is linked, and each debtor's
deregistration is recorded. Against the sandbox registry."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.acceptance import register_application, rule_on_application
from smartcourt.bankruptcy.consolidation import record_deregistration, rule_consolidation, underegistered
from smartcourt.bankruptcy.models import ConsolidatedDebtor, Consolidation
from smartcourt.bankruptcy.tests.test_intake import (
    FILED,
    HAILIAN,
    HONGDA,
    _today,
    creditor_application,
)
from smartcourt.cases.actions import add_member
from smartcourt.cases.choices import MemberRole, PartyRole
from smartcourt.cases.demo import credit_code
from smartcourt.cases.models import Case, Party
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.dossier.models import DossierEntry
from smartcourt.registry.testing import RegistryServer, registry, registry_server

if TYPE_CHECKING:
    from conftest import Personas

__all__ = ["_today", "registry", "registry_server"]
pytestmark = pytest.mark.django_db

HONGFA = credit_code("91320623MA1HF0006")  # 南通宏发投资有限公司, 宏达纺织's shareholder
DEREGISTERED = credit_code("91320623MA1HD0011")
REASONS = "两公司财务账册混同，资金统一调度，区分各自财产成本过高，分别清偿将严重损害债权人公平受偿利益"
RULED = dt.date(2026, 11, 25)


def accepted(p: Personas, code: str = HONGDA) -> Case:
    review = (
        creditor_application(p)
        if code == HONGDA
        else register_application(
            actor=p.clerk,
            procedure="liquidation",
            credit_code=code,
            applicant_type="debtor",
            filed_on=FILED,
            presiding_judge_id=p.judge.pk,
        )
    )
    ruling = rule_on_application(
        actor=p.judge, case_id=review.pk, decision="accept", reasons="", ruled_on=dt.date(2026, 11, 20)
    )
    assert ruling.accepted is not None
    return ruling.accepted


def state() -> tuple[int, ...]:
    return (
        Consolidation.objects.count(),
        ConsolidatedDebtor.objects.count(),
        Party.objects.count(),
        DossierEntry.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_judge_consolidates_a_related_debtor_into_the_lead_proceeding(
    personas: Personas, registry: RegistryServer
) -> None:
    p = personas
    lead = accepted(p)
    consolidation = rule_consolidation(
        actor=p.judge, case_id=lead.pk, credit_codes=[HONGFA], reasons=REASONS, ruled_on=RULED
    )
    debtors = list(consolidation.debtors.order_by("position"))
    assert [(d.position, d.name, d.credit_code) for d in debtors] == [
        (1, "如东县宏达纺织有限公司", HONGDA),
        (2, "南通宏发投资有限公司", HONGFA),
    ]
    # Each debtor's registry record, as fetched at the ruling, is in the lead case's dossier.
    for debtor in debtors:
        text = debtor.registry_entry.file.read().decode()
        assert f"企业名称：{debtor.name}\n统一社会信用代码：{debtor.credit_code}\n" in text
        assert debtor.registry_entry.case_id == lead.pk
    assert debtors[1].registration_authority != ""
    # The related debtor is a debtor of the lead case: one proceeding, one claims table, one distribution.
    assert set(lead.parties.filter(role=PartyRole.DEBTOR).values_list("credit_code", flat=True)) == {HONGDA, HONGFA}
    ruling = consolidation.ruling_entry.file.read().decode()
    assert f"理由：{REASONS}\n" in ruling and "第32至37条" in ruling
    event = AuditEvent.objects.get(action="bankruptcy.consolidated")
    assert event.after is not None and event.after["reasons"] == REASONS
    assert [d["name"] for d in event.after["debtors"]] == ["如东县宏达纺织有限公司", "南通宏发投资有限公司"]
    with pytest.raises(Conflict):
        rule_consolidation(actor=p.judge, case_id=lead.pk, credit_codes=[HAILIAN], reasons=REASONS, ruled_on=RULED)


def test_a_members_own_bankruptcy_case_is_linked(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    lead = accepted(p)
    own = accepted(p, HAILIAN)
    consolidation = rule_consolidation(
        actor=p.judge, case_id=lead.pk, credit_codes=[HAILIAN], reasons=REASONS, ruled_on=RULED
    )
    member = consolidation.debtors.get(position=2)
    assert member.merged_case == own


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reasons": "  "}, "reasons"),
        ({"credit_codes": []}, "credit_codes"),
        ({"credit_codes": [HONGDA]}, "credit_codes"),
        ({"credit_codes": [HONGFA, HONGFA]}, "credit_codes"),
        ({"credit_codes": [DEREGISTERED]}, "credit_codes"),
        ({"credit_codes": [credit_code("91320623MA1XX9999")]}, "credit_codes"),
        ({"ruled_on": dt.date(2026, 11, 29)}, "ruled_on"),
    ],
)
def test_a_bad_ruling_is_refused_and_changes_nothing(
    personas: Personas, registry: RegistryServer, changes: dict[str, Any], field: str
) -> None:
    p = personas
    lead = accepted(p)
    before = state()
    arguments: dict[str, Any] = {"credit_codes": [HONGFA], "reasons": REASONS, "ruled_on": RULED, **changes}
    with pytest.raises(DomainError) as info:
        rule_consolidation(actor=p.judge, case_id=lead.pk, **arguments)
    assert info.value.field == field
    assert state() == before


@pytest.mark.parametrize(("who", "error"), [("assistant", PermissionDenied), ("administrator", NotFound)])
def test_only_a_judge_of_the_case_consolidates(
    personas: Personas, registry: RegistryServer, who: str, error: type[Exception]
) -> None:
    p = personas
    lead = accepted(p)
    add_member(actor=p.judge, case=lead, role=MemberRole.JUDGE_ASSISTANT, user=p.assistant)
    before = state()
    with pytest.raises(error):
        rule_consolidation(
            actor=getattr(p, who), case_id=lead.pk, credit_codes=[HONGFA], reasons=REASONS, ruled_on=RULED
        )
    assert state() == before


def test_each_debtors_deregistration_is_recorded(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    lead = accepted(p)
    add_member(actor=p.judge, case=lead, role=MemberRole.ADMINISTRATOR, organisation=p.firm_a)
    rule_consolidation(actor=p.judge, case_id=lead.pk, credit_codes=[HONGFA], reasons=REASONS, ruled_on=RULED)
    assert underegistered(lead) == ["如东县宏达纺织有限公司", "南通宏发投资有限公司"]
    proof = SimpleUploadedFile("注销通知书.pdf", b"%PDF-1.4\n% deregistered\n", content_type="application/pdf")
    before = state()
    with pytest.raises(PermissionDenied):
        record_deregistration(
            actor=p.judge, case_id=lead.pk, credit_code=HONGFA, deregistered_on=dt.date(2026, 11, 27), upload=proof
        )
    assert state() == before
    debtor = record_deregistration(
        actor=p.administrator, case_id=lead.pk, credit_code=HONGFA, deregistered_on=dt.date(2026, 11, 27), upload=proof
    )
    assert debtor.deregistered_on == dt.date(2026, 11, 27)
    assert (
        debtor.deregistration_entry is not None
        and debtor.deregistration_entry.title == "注销登记证明：南通宏发投资有限公司"
    )
    assert underegistered(lead) == ["如东县宏达纺织有限公司"]
    with pytest.raises(Conflict):
        record_deregistration(
            actor=p.administrator,
            case_id=lead.pk,
            credit_code=HONGFA,
            deregistered_on=dt.date(2026, 11, 27),
            upload=proof,
        )


def test_over_the_api(personas: Personas, registry: RegistryServer) -> None:
    import json

    from django.test import Client

    p = personas
    lead = accepted(p)
    add_member(actor=p.judge, case=lead, role=MemberRole.ADMINISTRATOR, organisation=p.firm_a)
    judge = Client()
    judge.force_login(p.judge)
    base = f"/api/v1/bankruptcy/cases/{lead.pk}/consolidation"
    assert judge.get(base).status_code == 404
    body = {"credit_codes": [HONGFA], "reasons": REASONS, "ruled_on": RULED.isoformat()}
    created = judge.post(base, json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    assert [d["name"] for d in created.json()["debtors"]] == ["如东县宏达纺织有限公司", "南通宏发投资有限公司"]
    assert judge.post(base, json.dumps(body), content_type="application/json").status_code == 409
    admin = Client()
    admin.force_login(p.administrator)
    proof = SimpleUploadedFile("注销通知书.pdf", b"%PDF-1.4\n% deregistered\n", content_type="application/pdf")
    answer = admin.post(
        f"{base}/deregistrations", {"credit_code": HONGFA, "deregistered_on": "2026-11-27", "file": proof}
    )
    assert answer.status_code == 200, answer.content
    assert [d["deregistered_on"] for d in answer.json()["debtors"]] == [None, "2026-11-27"]
    assert admin.get(base).json()["reasons"] == REASONS


def test_on_the_case_page(personas: Personas, registry: RegistryServer) -> None:
    from django.test import Client
    from django.urls import reverse

    p = personas
    lead = accepted(p)
    judge = Client()
    judge.force_login(p.judge)
    judge.cookies["django_language"] = "zh-hans"
    page = judge.get(reverse("bankruptcy:case_nodes", args=[lead.pk])).content.decode()
    assert 'data-testid="consolidation-form"' in page
    before = state()
    refused = judge.post(
        reverse("bankruptcy:consolidate", args=[lead.pk]),
        {"credit_codes": HONGFA, "reasons": "  ", "ruled_on": RULED.isoformat()},
    )
    assert refused.status_code == 422
    assert state() == before
    done = judge.post(
        reverse("bankruptcy:consolidate", args=[lead.pk]),
        {"credit_codes": f"{HONGFA}", "reasons": REASONS, "ruled_on": RULED.isoformat()},
    )
    assert done.status_code == 302
    page = judge.get(reverse("bankruptcy:case_nodes", args=[lead.pk])).content.decode()
    assert "南通宏发投资有限公司" in page and "尚未注销" in page
    assert 'data-testid="consolidation-form"' not in page
    # The administrator sees it, without the form.
    admin = Client()
    admin.force_login(p.administrator)
    add_member(actor=p.judge, case=lead, role=MemberRole.ADMINISTRATOR, organisation=p.firm_a)
    page = admin.get(reverse("bankruptcy:case_nodes", args=[lead.pk])).content.decode()
    assert 'data-testid="consolidated-debtors"' in page and 'data-testid="consolidation-form"' not in page


def test_deregistration_node_waits_for_every_consolidated_debtor(personas: Personas) -> None:
    """N16 (deregistration) completes only once each consolidated debtor's deregistration is recorded."""
    from smartcourt.bankruptcy.actions import complete_node, start_node
    from smartcourt.bankruptcy.tests.conftest import drive, open_liquidation, provide_all
    from smartcourt.dossier.actions import file_entry
    from smartcourt.dossier.choices import EntryKind

    p = personas
    open_liquidation(p)
    for key in ("N03", "N04", "N05", "N06", "N07", "N08", "N09", "N10", "N11", "N12", "N13", "N14", "N15"):
        drive(p, key)
    ruling = file_entry(actor=p.judge, case=p.case, kind=EntryKind.RULING, title="实质合并审理裁定")
    consolidation = Consolidation.objects.create(
        case=p.case, ruled_on=dt.date(2026, 10, 1), reasons=REASONS, ruled_by=p.judge, ruling_entry=ruling
    )
    for position, (name, code) in enumerate(((p.debtor_company.name, "x1"), ("南通宏发投资有限公司", HONGFA)), 1):
        ConsolidatedDebtor.objects.create(
            consolidation=consolidation, position=position, name=name, credit_code=code, registry_entry=ruling
        )
    start_node(actor=p.administrator, case_id=p.case.pk, node_key="N16")
    provide_all(p, "N16")
    with pytest.raises(DomainError) as info:
        complete_node(actor=p.administrator, case_id=p.case.pk, node_key="N16")
    assert info.value.code == "debtors_not_deregistered"
    assert p.debtor_company.name in info.value.message and "南通宏发投资有限公司" in info.value.message
    from smartcourt.bankruptcy.models import NodeRecord

    assert NodeRecord.objects.get(proceeding__case=p.case, node_key="N16").status == "in_progress"
    ConsolidatedDebtor.objects.filter(consolidation=consolidation).update(deregistered_on=dt.date(2027, 6, 15))
    assert complete_node(actor=p.administrator, case_id=p.case.pk, node_key="N16").status == "completed"
