"""Dashboards on a constructed court with known answers; who sees which cases; the xlsx export."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone

from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.analytics.facts import refresh_facts
from smartcourt.analytics.models import CaseFact, NodeFact, Refresh
from smartcourt.analytics.selectors import Filters, dashboard
from smartcourt.audit.actions import record_event
from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.choices import NodeStatus, Procedure
from smartcourt.bankruptcy.models import NodeRecord, Proceeding
from smartcourt.cases.actions import add_member, change_case_status, create_case
from smartcourt.cases.choices import CaseStatus, CaseType, MemberRole
from smartcourt.claims.models import Claim, Creditor
from smartcourt.distributions.models import BatchLine, DistributionPlan, PaymentBatch
from smartcourt.funds.models import SupervisedAccount
from smartcourt.testing import client_for

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 6, 20)
ALL = [
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
SEE = {"judge", "clerk", "court_admin", "outsider"}


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)


def stand_in(label: str) -> Any:
    return SimpleNamespace(_meta=SimpleNamespace(label=label), pk=uuid.uuid4())


def emit(case: Any, action: str, after: dict[str, Any] | None = None) -> None:
    with transaction.atomic():
        record_event(actor=None, action=action, case_id=case.pk, obj=stand_in("funds.Thing"), after=after)


@pytest.fixture
def court(personas: Any) -> SimpleNamespace:
    """Rudong: the personas' 破 case (judge 张明, firm A) plus a closed 破申 case of his and a 强清 case of
    another judge; Haimen: the outsider's court with its civil case."""
    p = personas
    judge2 = create_user(
        actor=None,
        username="judge2",
        password="x",
        role=Role.JUDGE,
        full_name="孙法官",
        organisation=p.rudong,
        check_password_strength=False,
    )
    review = create_case(
        actor=p.clerk,
        court=p.rudong,
        case_type=CaseType.BANKRUPTCY_APPLICATION,
        title="破产申请审查",
        filed_on=dt.date(2026, 1, 15),
        presiding_judge=p.judge,
    )
    change_case_status(actor=p.judge, case_id=review.pk, to_status=CaseStatus.OPEN, on=dt.date(2026, 1, 20))
    change_case_status(actor=p.judge, case_id=review.pk, to_status=CaseStatus.CLOSED, on=dt.date(2026, 2, 10))
    liquidation = create_case(
        actor=p.clerk,
        court=p.rudong,
        case_type=CaseType.LIQUIDATION,
        title="强制清算",
        filed_on=dt.date(2026, 3, 5),
        presiding_judge=judge2,
    )
    add_member(actor=judge2, case=liquidation, role=MemberRole.ADMINISTRATOR, organisation=p.firm_b)
    # The 破 case: N04 took 10 days; N05 open, due 1 June (19 days overdue on 20 June); N06 open, no deadline.
    proc = Proceeding.objects.create(
        case=p.case, procedure=Procedure.LIQUIDATION, branch=Procedure.LIQUIDATION, opened_on=dt.date(2026, 3, 9)
    )

    def node(key: str, position: int, status: str, **kw: Any) -> None:
        NodeRecord.objects.create(
            proceeding=proc, node_key=key, procedure=Procedure.LIQUIDATION, position=position, status=status, **kw
        )

    node("N04", 4, NodeStatus.COMPLETED, started_at=at(dt.date(2026, 3, 10)), completed_at=at(dt.date(2026, 3, 20)))
    node("N05", 5, NodeStatus.IN_PROGRESS, due_on=dt.date(2026, 6, 1), started_at=at(dt.date(2026, 3, 21)))
    node("N06", 6, NodeStatus.PENDING)
    node("N07", 7, NodeStatus.BLOCKED, due_on=dt.date(2026, 5, 1))
    # Claims of the 破 case: 1,000.00 declared and 800.00 confirmed; 500.00 declared, not yet reviewed.
    creditor = Creditor.objects.create(
        case=p.case, kind="natural_person", name="刘债权", identifier="11010519491231002X", source="self_declared"
    )
    for number, principal, confirmed in ((1, 100000, 80000), (2, 50000, 0)):
        Claim.objects.create(
            case=p.case,
            creditor=creditor,
            number=number,
            nature="ordinary",
            principal_fen=principal,
            declared_at=timezone.now(),
            declared_by=p.creditor_a,
            confirmed_principal_fen=confirmed,
        )
    # Money of the 破 case: a supervised account whose bank balance is 800,000.00; a distribution batch
    # with two lines of 50,000.00 paid and one escrowed (not paid).
    SupervisedAccount.objects.create(
        case=p.case,
        bank_partner="sandbox",
        bank_name="工商银行如东支行",
        account_number="6222000011112222",
        account_name="如东某某建设有限公司管理人",
        origin="opened",
        balance_fen=80_000_000,
        opened_by=p.administrator,
    )
    plan = DistributionPlan.objects.create(
        case=p.case,
        number=1,
        kind="final",
        available_fen=15_000_000,
        available_basis="测试",
        created_by=p.administrator,
    )
    batch = PaymentBatch.objects.create(
        plan=plan,
        source="generated",
        status="completed",
        filename="b.xlsx",
        content_sha256="0" * 64,
        uploaded_by=p.administrator,
        paying_account="6222000011112222",
        paying_bank_name="工商银行",
    )
    for row, status in ((2, "paid"), (3, "paid"), (4, "escrowed")):
        BatchLine.objects.create(batch=batch, row=row, amount_fen=5_000_000, status=status)
    # One creditors' meeting with three sign-ins.
    emit(p.case, "meetings.closed")
    for _ in range(3):
        emit(p.case, "meetings.signed_in")
    refresh_facts(today=TODAY)
    return SimpleNamespace(judge2=judge2, review=review, liquidation=liquidation)


def table(panels: list[Any], key: str) -> list[list[Any]]:
    return next(panel for panel in panels if panel.key == key).rows


def test_court_admin_sees_the_whole_court(personas: Any, court: Any) -> None:
    panels = dashboard(personas.court_admin, Filters())
    # Received per month by type (破申, 破, 强清申, 强清) and closed.
    assert table(panels, "months") == [
        ["2026-01", 1, 0, 0, 0, 0],
        ["2026-02", 0, 0, 0, 0, 1],
        ["2026-03", 0, 1, 0, 1, 0],
    ]
    # The earliest open node of the 破 case is N05; N04 completed in 10 days; N05 overdue.
    assert table(panels, "nodes") == [
        ["N04", 0, 0, 1, Decimal("10.0")],
        ["N05", 1, 1, 0, Decimal("0")],
        ["N06", 0, 0, 0, Decimal("0")],
    ]
    assert table(panels, "judges") == [["张明", 1, 1, 19]]
    assert table(panels, "firms") == [[personas.firm_a.name, 1, 1, 19]]
    assert sorted(table(panels, "money")) == sorted(
        [
            [personas.firm_a.name, Decimal("800000.00"), 2, Decimal("100000.00")],
            [personas.firm_b.name, Decimal("0.00"), 0, Decimal("0.00")],
        ]
    )
    assert table(panels, "claims") == [
        ["破", 2, Decimal("1500.00"), 1, Decimal("800.00"), 1, 3, Decimal("3.0")],
        ["破申", 0, Decimal("0.00"), 0, Decimal("0.00"), 0, 0, Decimal("0")],
        ["强清", 0, Decimal("0.00"), 0, Decimal("0.00"), 0, 0, Decimal("0")],
    ]


def test_judge_sees_only_his_cases(personas: Any, court: Any) -> None:
    mine = dashboard(personas.judge, Filters())
    assert table(mine, "months") == [["2026-01", 1, 0, 0, 0, 0], ["2026-02", 0, 0, 0, 0, 1], ["2026-03", 0, 1, 0, 0, 0]]
    theirs = dashboard(court.judge2, Filters())
    assert table(theirs, "months") == [["2026-03", 0, 0, 0, 1, 0]]
    assert table(theirs, "nodes") == [] and table(theirs, "judges") == []


def test_filters(personas: Any, court: Any) -> None:
    only_review = dashboard(personas.court_admin, Filters(case_type=CaseType.BANKRUPTCY_APPLICATION))
    assert table(only_review, "months") == [["2026-01", 1, 0], ["2026-02", 0, 1]]
    assert table(dashboard(personas.court_admin, Filters(year=2025)), "months") == []
    other_court = dashboard(personas.court_admin, Filters(court_id=personas.haimen.pk))
    assert table(other_court, "months") == []


def test_refresh_is_idempotent(personas: Any, court: Any) -> None:
    before = sorted(CaseFact.objects.values_list("case_id", "overdue_days", "funds_fen"))
    nodes = sorted(NodeFact.objects.values_list("node_key", "current", "completed", "completed_days", "overdue"))
    refresh_facts(today=TODAY)
    assert sorted(CaseFact.objects.values_list("case_id", "overdue_days", "funds_fen")) == before
    assert (
        sorted(NodeFact.objects.values_list("node_key", "current", "completed", "completed_days", "overdue")) == nodes
    )
    assert Refresh.objects.count() == 2


@pytest.mark.parametrize("who", ALL)
def test_page_and_export_permissions(personas: Any, court: Any, who: str) -> None:
    events = AuditEvent.objects.count()
    facts = CaseFact.objects.count()
    client = client_for(getattr(personas, who), language="en")
    page = client.get("/analytics/")
    export = client.get("/analytics/export/judges.xlsx")
    if who in SEE:
        assert page.status_code == export.status_code == 200
        body = page.content.decode()
        assert 'id="chart-data"' in body and "vendor/echarts/echarts.min.js" in body
        # Rudong's overdue judge is on Rudong's pages only.
        assert ("张明" in body) is (who != "outsider")
    else:
        assert page.status_code == export.status_code == 403
    assert AuditEvent.objects.count() == events and CaseFact.objects.count() == facts


def test_unknown_panel_and_foreign_court(personas: Any, court: Any) -> None:
    client = client_for(personas.court_admin, language="en")
    assert client.get("/analytics/export/nothing.xlsx").status_code == 404
    assert client.get(f"/analytics/?court={personas.haimen.pk}").status_code == 404
    assert client.get("/analytics/?court=not-a-uuid").status_code == 404
    assert client.get(f"/analytics/?court={personas.rudong.pk}&year=2026&type=bankruptcy").status_code == 200


def test_xlsx_holds_the_table(personas: Any, court: Any) -> None:
    from python_calamine import CalamineWorkbook

    response = client_for(personas.court_admin, language="en").get("/analytics/export/money.xlsx?year=2026")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Funds under supervision and distributions paid"
    assert "2026" in str(rows[1][0])
    assert rows[3] == [
        "Administrator firm",
        "Funds under supervision (yuan)",
        "Distributions paid",
        "Distributions paid (yuan)",
    ]
    assert sorted(rows[4:]) == sorted(
        [[personas.firm_a.name, 800000.0, 2.0, 100000.0], [personas.firm_b.name, 0.0, 0.0, 0.0]]
    )


@pytest.mark.parametrize("who", ["court_admin", "clerk", "judge", "outsider"])
def test_scope_is_what_the_user_may_see(personas: Any, court: Any, who: str) -> None:
    """The dashboards count exactly the cases cases_visible_to gives (a judge: those he presides over)."""
    from smartcourt.analytics.selectors import _scope
    from smartcourt.cases.selectors import cases_visible_to

    user = getattr(personas, who)
    facts, _nodes = _scope(user)
    visible = cases_visible_to(user)
    if who == "judge":
        visible = visible.filter(presiding_judge=user)
    assert set(facts.values_list("case_id", flat=True)) == set(visible.values_list("pk", flat=True))
    assert facts.exists()


@pytest.mark.parametrize("who", ALL)
def test_api_panel(personas: Any, court: Any, who: str) -> None:
    response = client_for(getattr(personas, who), language="en").get("/api/v1/analytics/panels/money?year=2026")
    if who in SEE:
        assert response.status_code == 200
        rows = response.json()["rows"]
        if who == "outsider":
            assert rows == []
        else:
            assert [personas.firm_a.name, "800000.00", 2, "100000.00"] in rows
    else:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


def test_api_refuses_bad_filters(personas: Any, court: Any) -> None:
    client = client_for(personas.court_admin, language="en")
    assert client.get("/api/v1/analytics/panels/nothing").status_code == 404
    assert client.get("/api/v1/analytics/panels/months?year=99999").status_code == 422
    assert client.get("/api/v1/analytics/panels/months?type=civil_first_instance").status_code == 422
    assert client.get(f"/api/v1/analytics/panels/months?court={personas.haimen.pk}").status_code == 404
