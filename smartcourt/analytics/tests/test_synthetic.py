"""The synthetic court: its events join the audit chain legitimately, and the dashboards read it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from smartcourt.analytics.facts import refresh_facts
from smartcourt.analytics.models import CaseFact, NodeFact
from smartcourt.analytics.selectors import Filters, dashboard
from smartcourt.analytics.synthetic import seed
from smartcourt.audit.actions import ensure_head
from smartcourt.audit.chain_check import verify_chain
from smartcourt.bankruptcy.models import NodeRecord
from smartcourt.cases.models import Case

pytestmark = pytest.mark.django_db


def test_seeded_court_keeps_the_chain_whole_and_feeds_the_dashboards() -> None:
    ensure_head()
    result = seed(cases=300, seed_value=7, today=dt.date(2026, 6, 20))
    assert Case.objects.filter(court=result.court).count() == 300
    assert NodeRecord.objects.count() == result.counts["node records"] > 0
    report = verify_chain()
    assert report.problem is None and report.checked == result.counts["audit events"]
    refresh_facts(today=dt.date(2026, 6, 20))
    assert CaseFact.objects.count() == 300
    panels = {panel.key: panel for panel in dashboard(result.admin, Filters())}
    # Every case received is in the monthly table; the node table counts each open proceeding once.
    assert sum(sum(row[1:5]) for row in panels["months"].rows) == 300
    open_proceedings = CaseFact.objects.exclude(current_node="").count()
    assert sum(row[1] for row in panels["nodes"].rows) == open_proceedings
    assert sum(NodeFact.objects.values_list("current", flat=True)) == open_proceedings
    # A judge sees only his own.
    judge = result.judges[0]
    mine = {panel.key: panel for panel in dashboard(judge, Filters())}
    assert sum(sum(row[1:5]) for row in mine["months"].rows) == Case.objects.filter(presiding_judge=judge).count()
    # The same seed gives the same cases.
    first = list(Case.objects.filter(court=result.court).order_by("number").values_list("number", "filed_on")[:5])
    assert first and all(number.startswith("(") for number, _day in first)


def test_command_refuses_a_second_seed() -> None:
    ensure_head()
    call_command("seed_analytics", "--cases", "20")
    with pytest.raises(CommandError):
        call_command("seed_analytics", "--cases", "20")
    with pytest.raises(CommandError):
        call_command("seed_analytics", "--cases", "0")
