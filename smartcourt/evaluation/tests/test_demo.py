"""The demo: both demo firms evaluated from the demo's own history, every figure's events listed, the judge's
assessment and the firm's response; the dashboards over the demo data. Seeding twice changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from smartcourt.accounts.models import Organisation, User
from smartcourt.analytics.demo import seed_dashboards
from smartcourt.analytics.models import CaseFact
from smartcourt.analytics.selectors import Filters, dashboard
from smartcourt.evaluation.demo import seed_evaluation
from smartcourt.evaluation.models import Assessment, Evaluation, FirmResponse
from smartcourt.evaluation.selectors import events_behind

# The demo seeds fund supervision and distributions through the sandbox bank.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank")]


def seed() -> None:
    call_command("seed_demo", stdout=StringIO())
    # What world.py will call at its end (the lead wires it in).
    users = {
        user.username: user for user in User.objects.filter(username__in=["judge", "admin_a", "admin_b", "courtadmin"])
    }
    rudong = Organisation.objects.get(kind="court", court_code="苏0623")
    firms = [users["admin_a"].organisation, users["admin_b"].organisation]
    seed_evaluation(court=rudong, judge=users["judge"], firms=firms, firm_a_user=users["admin_a"])  # type: ignore[arg-type]
    seed_dashboards()


def test_demo_evaluations_and_dashboards() -> None:
    seed()
    evaluations = list(Evaluation.objects.select_related("firm"))
    assert len(evaluations) == 2
    for evaluation in evaluations:
        assert evaluation.cases, f"{evaluation.firm} has demo cases at Rudong"
        for measure, data in evaluation.measures.items():
            events, total = events_behind(evaluation, measure)
            assert [event.seq for event in events] == data["events"] and total == len(data["events"])
    assert Assessment.objects.count() == 1 and FirmResponse.objects.count() == 1
    assert CaseFact.objects.count() > 0
    admin = User.objects.get(username="courtadmin")
    months = dashboard(admin, Filters())[0]
    assert (
        sum(sum(row[1:5]) for row in months.rows)
        == CaseFact.objects.filter(
            court=admin.organisation,
            case_type__in=["bankruptcy_application", "bankruptcy", "liquidation_application", "liquidation"],
        ).count()
    )
    seed()
    assert Evaluation.objects.count() == 2 and Assessment.objects.count() == 1
