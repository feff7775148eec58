"""Issue 15.20, merged bankruptcy (合并破产): a consolidated debtor's own bankruptcy case is taken over by the lead
case. SPC Minutes 法〔2018〕53号 para. 36: the members' creditors are paid from one estate in one proceeding, so
the creditors and claims of the member's case move into the lead case unchanged, each claim keeping the debtor
that owed it and its old number, and the member's case ends (its proceeding closed, the case closed)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.choices import ProceedingStatus
from smartcourt.bankruptcy.models import ConsolidatedDebtor, Consolidation, Proceeding
from smartcourt.cases.actions import add_member, add_party, change_case_status, create_case
from smartcourt.cases.choices import CaseStatus, CaseType, MemberRole, PartyKind, PartyRole
from smartcourt.cases.demo import credit_code
from smartcourt.cases.models import Case, CaseStatusChange
from smartcourt.claims.actions import declare_claim, import_creditor_list, take_over_member_claims
from smartcourt.claims.export import claims_table_xlsx
from smartcourt.claims.models import Claim, Creditor
from smartcourt.claims.tests.helpers import IN_PERIOD, declaration, declare, open_proceeding
from smartcourt.claims.tests.test_api_lists import debtor_list
from smartcourt.core.errors import Conflict
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.testing import client_as, permission_matrix, unchanged_database

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db

HONGFA = credit_code("91320623MA1HF0006")  # 南通宏发投资有限公司, consolidated into the personas' case
ZHANG = "320623198507120019"  # a valid identity number (claims/tests/test_api_lists.py)


def member_case(p: Personas) -> Case:
    """南通宏发's own liquidation case in the same court, with its own proceeding, administrator and creditor."""
    case = create_case(
        actor=p.clerk,
        court=p.rudong,
        case_type=CaseType.BANKRUPTCY,
        title="南通宏发投资有限公司破产清算",
        filed_on=dt.date(2026, 3, 1),
        presiding_judge=p.judge,
    )
    change_case_status(actor=p.judge, case_id=case.pk, to_status=CaseStatus.OPEN, on=dt.date(2026, 3, 9))
    add_party(
        actor=p.clerk, case=case, role=PartyRole.DEBTOR, kind=PartyKind.ORGANISATION, name="南通宏发投资有限公司",
        credit_code=HONGFA,
    )  # fmt: skip
    add_member(actor=p.judge, case=case, role=MemberRole.ADMINISTRATOR, organisation=p.firm_a)
    add_member(actor=p.judge, case=case, role=MemberRole.CREDITOR, user=p.creditor_a)
    add_member(actor=p.judge, case=case, role=MemberRole.CREDITOR, user=p.creditor_b)
    lead_proceeding = Proceeding.objects.get(case=p.case)
    Proceeding.objects.create(
        case=case,
        procedure="liquidation",
        branch="liquidation",
        opened_on=lead_proceeding.opened_on,
        anchor_dates=lead_proceeding.anchor_dates,
    )
    return case


def consolidate(p: Personas, own: Case) -> ConsolidatedDebtor:
    ruling = file_entry(actor=p.judge, case=p.case, kind=EntryKind.RULING, title="实质合并审理裁定")
    consolidation = Consolidation.objects.create(
        case=p.case, ruled_on=dt.date(2026, 3, 20), reasons="人格高度混同", ruled_by=p.judge, ruling_entry=ruling
    )
    ConsolidatedDebtor.objects.create(
        consolidation=consolidation, position=1, name="如东县宏达纺织有限公司", credit_code="x", registry_entry=ruling
    )
    return ConsolidatedDebtor.objects.create(
        consolidation=consolidation,
        position=2,
        name="南通宏发投资有限公司",
        credit_code=HONGFA,
        registry_entry=ruling,
        merged_case=own,
    )


@pytest.fixture
def world(personas: Personas) -> tuple[Case, ConsolidatedDebtor]:
    open_proceeding(personas)
    own = member_case(personas)
    return own, consolidate(personas, own)


def _declare_in(p: Personas, case: Case, actor: Any, **overrides: Any) -> Claim:
    return declare_claim(actor=actor, case_id=case.pk, declaration=declaration(**overrides), now=IN_PERIOD)


def test_the_judge_moves_the_members_claims_into_the_lead_case_and_closes_its_case(
    personas: Personas, world: tuple[Case, ConsolidatedDebtor]
) -> None:
    p = personas
    own, member = world
    lead_claim = declare(p)  # No. 1 of the lead case, owed by the lead debtor
    # In the member's case: creditor A (known in the lead case too) and creditor B (only there).
    a_there = _declare_in(p, own, p.creditor_a, principal="2000.00")
    b_there = _declare_in(p, own, p.creditor_b, creditor_name="张三", identifier=ZHANG, principal="3000.00")
    b_creditor = b_there.creditor

    done = take_over_member_claims(actor=p.judge, case_id=p.case.pk, member_case_id=own.pk)

    assert (done.claims, done.creditors) == (2, 2)
    rows = list(Claim.objects.filter(case=p.case).order_by("number").values_list("pk", "number", "original_number"))
    assert rows == [(lead_claim.pk, 1, None), (a_there.pk, 2, 1), (b_there.pk, 3, 2)]
    assert Claim.objects.filter(case=own).count() == 0
    a_there.refresh_from_db()
    b_there.refresh_from_db()
    # Unchanged but for where they are: amounts, status, the debtor that owed them.
    assert (a_there.owed_by, a_there.principal_fen, a_there.status) == (member, 200_000, "declared")
    # Creditor A's claim joins his record in the lead case; creditor B's record moves with his claim.
    assert a_there.creditor == lead_claim.creditor
    b_creditor.refresh_from_db()
    assert b_there.creditor == b_creditor and b_creditor.case == p.case
    assert p.case.members.filter(user=p.creditor_b, role=MemberRole.CREDITOR).exists()  # he follows his claim
    # The member's case ends: its proceeding, then the case, each with its record.
    own.refresh_from_db()
    assert (own.status, own.closed_on) == (CaseStatus.CLOSED, timezone.localdate())
    assert Proceeding.objects.get(case=own).status == ProceedingStatus.CLOSED
    change = CaseStatusChange.objects.get(case=own, to_status=CaseStatus.CLOSED)
    assert p.case.number in change.reason and "第36条" in change.reason
    member.refresh_from_db()
    assert member.claims_taken_over_on == timezone.localdate()
    event = AuditEvent.objects.get(action="bankruptcy.member_case_taken_over")
    assert event.case_id == p.case.pk
    assert event.after is not None
    assert (event.after["merged_case"], event.after["claims"], event.after["creditors"]) == (own.number, 2, 2)
    closed = AuditEvent.objects.get(action="bankruptcy.proceeding_closed", case_id=own.pk)
    assert closed.after is not None and closed.after["taken_over_by"] == p.case.number
    # Once only: a second take-over is refused and changes nothing.
    with unchanged_database(), pytest.raises(Conflict) as again:
        take_over_member_claims(actor=p.judge, case_id=p.case.pk, member_case_id=own.pk)
    assert again.value.code == "taken_over_already"


def test_the_combined_table_names_the_debtor_of_each_claim(
    personas: Personas, world: tuple[Case, ConsolidatedDebtor]
) -> None:
    p = personas
    own, _member = world
    declare(p)
    _declare_in(p, own, p.creditor_b, creditor_name="张三", identifier=ZHANG, principal="3000.00")
    take_over_member_claims(actor=p.judge, case_id=p.case.pk, member_case_id=own.pk)
    page = client_as(p, "creditor_a").get(f"/cases/{p.case.pk}/claims/table/").content.decode()
    assert "债务人</th>" in page
    owed = page.split('data-testid="owed-by">')[1:]
    assert [cell.split("</td>")[0].split(" <span")[0] for cell in owed] == [
        "如东县宏达纺织有限公司",
        "南通宏发投资有限公司",
    ]
    assert f"（原{own.number}第1号）" in owed[1]
    with zipfile.ZipFile(io.BytesIO(claims_table_xlsx(p.case))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "原案登记号" in sheet and "南通宏发投资有限公司" in sheet
    listed = client_as(p, "judge").get(f"/api/v1/claims/cases/{p.case.pk}/claims").json()
    assert [(c["number"], c["owed_by"], c["original_number"]) for c in listed] == [
        (1, None, None),
        (2, "南通宏发投资有限公司", 1),
    ]


def test_a_table_of_an_unconsolidated_case_has_no_debtor_column(personas: Personas) -> None:
    open_proceeding(personas)
    declare(personas)
    page = client_as(personas, "creditor_a").get(f"/cases/{personas.case.pk}/claims/table/").content.decode()
    assert 'data-testid="owed-by"' not in page and "债务人</th>" not in page


def test_who_may_take_over_a_members_case(personas: Personas, world: tuple[Case, ConsolidatedDebtor]) -> None:
    p = personas
    own, _member = world
    _declare_in(p, own, p.creditor_b, creditor_name="张三", identifier=ZHANG)
    url = f"/api/v1/claims/cases/{p.case.pk}/take-overs/{own.pk}"
    permission_matrix(
        p,
        lambda client: client.post(url),
        # Only a judge sitting on the lead case; who sees the case but may not is told so.
        expect={
            "judge": 200,
            **dict.fromkeys(["assistant", "clerk", "court_admin", "administrator", "creditor_a", "bank_operator"], 403),
        },
        anonymous=401,
    )
    assert Claim.objects.get().case == p.case


def test_lists_naming_one_creditor_twice_with_amounts_are_refused(
    personas: Personas, world: tuple[Case, ConsolidatedDebtor]
) -> None:
    p = personas
    own, _member = world
    for case in (p.case, own):
        import_creditor_list(actor=p.administrator, case_id=case.pk, uploaded_file=debtor_list(), source="debtor_list")
    with unchanged_database(), pytest.raises(Conflict) as refused:
        take_over_member_claims(actor=p.judge, case_id=p.case.pk, member_case_id=own.pk)
    assert refused.value.code == "listed_twice"
    assert Creditor.objects.filter(case=own).count() == 2


def test_the_page_offers_the_take_over_to_the_judge_only(
    personas: Personas, world: tuple[Case, ConsolidatedDebtor]
) -> None:
    p = personas
    own, _member = world
    action = f"/cases/{p.case.pk}/claims/take-over/{own.pk}/"
    assert action in client_as(p, "judge").get(f"/bankruptcy/cases/{p.case.pk}/").content.decode()
    assert action not in client_as(p, "administrator").get(f"/bankruptcy/cases/{p.case.pk}/").content.decode()
    response = client_as(p, "judge").post(action)
    assert response.status_code == 302 and response["Location"].endswith("#consolidation")
    own.refresh_from_db()
    assert own.status == CaseStatus.CLOSED
    page = client_as(p, "judge").get(f"/bankruptcy/cases/{p.case.pk}/").content.decode()
    assert 'data-testid="taken-over"' in page and action not in page
