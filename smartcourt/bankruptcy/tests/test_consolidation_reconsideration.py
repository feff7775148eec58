"""Issue 15.20: reconsideration of a ruling to consolidate. SPC Minutes 法〔2018〕53号 para. 34: an interested
party who disagrees with the ruling may, within 15 days of its service, apply to the court at the next level up
for reconsideration. The ruling says so and names that court; the judge records the service (the period's last
day follows, moved past rest days), each application (marked late after the 15 days) and the higher court's
decision; a revoked ruling stops the take-over of member cases."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
import time_machine

from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.consolidation import (
    reconsideration_notice,
    record_reconsideration_application,
    record_reconsideration_decision,
    record_ruling_service,
)
from smartcourt.bankruptcy.models import ConsolidatedDebtor, Consolidation
from smartcourt.claims.actions import take_over_member_claims
from smartcourt.claims.tests.helpers import open_proceeding
from smartcourt.claims.tests.test_take_over import consolidate, member_case
from smartcourt.core.errors import Conflict, DomainError
from smartcourt.testing import client_as, permission_matrix, unchanged_database

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 4, 10, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
SEE_CASE = ["assistant", "clerk", "court_admin", "administrator", "creditor_a", "bank_operator"]


@pytest.fixture
def member(personas: Personas) -> ConsolidatedDebtor:
    open_proceeding(personas)
    with time_machine.travel(TODAY, tick=False):
        return consolidate(personas, member_case(personas))


def test_the_ruling_names_the_right_and_the_higher_court(personas: Personas) -> None:
    assert reconsideration_notice(personas.case) == (
        "相关利害关系人对本裁定不服的，可以自裁定书送达之日起十五日内向南通市中级人民法院申请复议"
        "（《全国法院破产审判工作会议纪要》（法〔2018〕53号）第34条）。"
    )


def test_service_starts_the_15_days_moved_past_rest_days(personas: Personas, member: ConsolidatedDebtor) -> None:
    p = personas
    with time_machine.travel(TODAY, tick=False):
        # Served on Friday 2026-03-27: day 15 is Saturday 2026-04-11, so the period ends on Monday 2026-04-13.
        consolidation = record_ruling_service(actor=p.judge, case_id=p.case.pk, served_on=dt.date(2026, 3, 27))
        assert (consolidation.served_on, consolidation.reconsideration_ends_on) == (
            dt.date(2026, 3, 27),
            dt.date(2026, 4, 13),
        )
        event = AuditEvent.objects.get(action="bankruptcy.consolidation_served")
        assert event.after is not None and event.after["reconsideration_ends_on"] == "2026-04-13"
        with unchanged_database(), pytest.raises(Conflict):
            record_ruling_service(actor=p.judge, case_id=p.case.pk, served_on=dt.date(2026, 3, 30))
        page = client_as(p, "administrator").get(f"/bankruptcy/cases/{p.case.pk}/").content.decode()
    assert "2026-04-13" in page and 'data-testid="reconsideration-period"' in page


@pytest.mark.parametrize("served_on", [dt.date(2026, 3, 19), dt.date(2026, 4, 11)])  # before the ruling; tomorrow
def test_a_service_date_outside_the_ruling_and_today_is_refused(
    personas: Personas, member: ConsolidatedDebtor, served_on: dt.date
) -> None:
    with time_machine.travel(TODAY, tick=False), unchanged_database(), pytest.raises(DomainError) as refused:
        record_ruling_service(actor=personas.judge, case_id=personas.case.pk, served_on=served_on)
    assert refused.value.field == "served_on"


def test_applications_and_the_higher_courts_decisions(personas: Personas, member: ConsolidatedDebtor) -> None:
    p = personas
    with time_machine.travel(TODAY, tick=False):
        record_ruling_service(actor=p.judge, case_id=p.case.pk, served_on=dt.date(2026, 3, 23))  # ends 2026-04-07
        in_time = record_reconsideration_application(
            actor=p.judge, case_id=p.case.pk, applicant="某银行南通分行", filed_on=dt.date(2026, 4, 7)
        )
        late = record_reconsideration_application(
            actor=p.judge, case_id=p.case.pk, applicant="刘债权", filed_on=dt.date(2026, 4, 8)
        )
        assert (in_time.late, late.late) == (False, True)
        upheld = record_reconsideration_decision(
            actor=p.judge,
            case_id=p.case.pk,
            reconsideration_id=in_time.pk,
            outcome="upheld",
            decided_on=dt.date(2026, 4, 9),
            reference="(2026)苏06破复1号",
        )
        assert (upheld.outcome, upheld.reference) == ("upheld", "(2026)苏06破复1号")
        with unchanged_database(), pytest.raises(Conflict):
            record_reconsideration_decision(
                actor=p.judge,
                case_id=p.case.pk,
                reconsideration_id=in_time.pk,
                outcome="revoked",
                decided_on=dt.date(2026, 4, 9),
                reference="(2026)苏06破复2号",
            )
        assert not Consolidation.objects.get(case=p.case).revoked
        record_reconsideration_decision(
            actor=p.judge,
            case_id=p.case.pk,
            reconsideration_id=late.pk,
            outcome="revoked",
            decided_on=dt.date(2026, 4, 10),
            reference="(2026)苏06破复2号",
        )
        assert Consolidation.objects.get(case=p.case).revoked
        # A revoked consolidation takes over no member case.
        assert member.merged_case is not None
        with unchanged_database(), pytest.raises(Conflict) as refused:
            take_over_member_claims(actor=p.judge, case_id=p.case.pk, member_case_id=member.merged_case.pk)
        assert refused.value.code == "consolidation_revoked"
        page = client_as(p, "judge").get(f"/bankruptcy/cases/{p.case.pk}/").content.decode()
    assert 'data-testid="consolidation-revoked"' in page and 'data-testid="take-over-form"' not in page
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="bankruptcy.reconsideration_")] == [
        "bankruptcy.reconsideration_applied",
        "bankruptcy.reconsideration_applied",
        "bankruptcy.reconsideration_decided",
        "bankruptcy.reconsideration_decided",
    ]


def test_who_records_the_service(personas: Personas, member: ConsolidatedDebtor) -> None:
    p = personas
    with time_machine.travel(TODAY, tick=False):
        permission_matrix(
            p,
            lambda client: client.post(
                f"/api/v1/bankruptcy/cases/{p.case.pk}/consolidation/service",
                {"served_on": "2026-03-23"},
                content_type="application/json",
            ),
            expect={"judge": 200, **dict.fromkeys(SEE_CASE, 403)},
            anonymous=401,
        )
        body = client_as(p, "judge").get(f"/api/v1/bankruptcy/cases/{p.case.pk}/consolidation").json()
    assert (body["served_on"], body["reconsideration_ends_on"], body["revoked"]) == ("2026-03-23", "2026-04-07", False)


def test_the_judge_records_through_the_page(personas: Personas, member: ConsolidatedDebtor) -> None:
    p = personas
    judge = client_as(p, "judge")
    with time_machine.travel(TODAY, tick=False):
        page = judge.get(f"/bankruptcy/cases/{p.case.pk}/").content.decode()
        assert 'data-testid="service-form"' in page and 'data-testid="reconsideration-form"' in page
        admin_page = client_as(p, "administrator").get(f"/bankruptcy/cases/{p.case.pk}/").content.decode()
        assert 'data-testid="service-form"' not in admin_page
        served = judge.post(f"/bankruptcy/cases/{p.case.pk}/consolidation/service/", {"served_on": "2026-03-23"})
        assert served.status_code == 302
        applied = judge.post(
            f"/bankruptcy/cases/{p.case.pk}/consolidation/reconsiderations/",
            {"applicant": "某银行南通分行", "filed_on": "2026-04-01"},
        )
        assert applied.status_code == 302
        page = judge.get(f"/bankruptcy/cases/{p.case.pk}/").content.decode()
    assert "2026-04-07" in page and 'data-testid="reconsideration-pending"' in page and "某银行南通分行" in page
