"""The share of first-instance civil cases filed online, per court and month (issue 17): cases docketed from
an online filing over every 民初 case received, scoped like every panel (the court's staff their court, a judge
the cases he presides over)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from smartcourt.analytics.facts import refresh_facts
from smartcourt.analytics.selectors import Filters, dashboard
from smartcourt.cases import actions as case_actions
from smartcourt.cases.choices import CaseType
from smartcourt.filing import actions as filing_actions
from smartcourt.filing.tests.helpers import filed, lawyer
from smartcourt.testing import client_for

MARCH = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def _online_rows(user: Any, filters: Filters | None = None) -> list[list[Any]]:
    return next(p for p in dashboard(user, filters or Filters()) if p.key == "online").rows


def test_share_filed_online_per_court_and_month(personas: Any, time_machine: Any) -> None:
    time_machine.move_to(MARCH, tick=False)
    user = lawyer()
    for name in ("马某某", "马某甲", "马某乙"):
        filing = filed(personas, user, parties=[{**_plaintiff(), "name": name}, _defendant()])
        filing_actions.docket(actor=personas.clerk, filing_id=filing.pk)
    # One brought in at the counter: received, not filed online.
    case_actions.create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.CIVIL_FIRST_INSTANCE,
        title="窗口立案",
        filed_on=dt.date(2026, 3, 2),
        cause="买卖合同纠纷",
        presiding_judge=None,
    )
    refresh_facts(today=dt.date(2026, 3, 31))
    assert _online_rows(personas.court_admin) == [["2026-03", "如东县人民法院", 3, 4, Decimal("75.0")]]
    # The judge presides over the three drawn to him (the court's only judge); the counter case has none.
    assert _online_rows(personas.judge) == [["2026-03", "如东县人民法院", 3, 3, Decimal("100.0")]]
    assert _online_rows(personas.court_admin, Filters(year=2025)) == []
    assert _online_rows(personas.court_admin, Filters(case_type=CaseType.BANKRUPTCY)) == []
    page = client_for(personas.court_admin).get("/analytics/").content.decode()
    assert 'data-testid="panel-online"' in page and "民事一审案件网上立案率" in page and "75.00" in page


def _plaintiff() -> dict[str, str]:
    from smartcourt.filing.tests.helpers import PLAINTIFF

    return dict(PLAINTIFF)


def _defendant() -> dict[str, str]:
    from smartcourt.filing.tests.helpers import DEFENDANT

    return dict(DEFENDANT)
