"""The case page links to the case's fee for exactly those the fee page lets in (fees.policies.can_open_fee),
and the fee page links back to the case for those who may open the case."""

from __future__ import annotations

from conftest import Personas
from smartcourt.cases import actions as case_actions
from smartcourt.cases.choices import MemberRole
from smartcourt.fees.models import LitigationFee
from smartcourt.filing import actions as filing_actions
from smartcourt.filing.tests.helpers import filed, lawyer
from smartcourt.testing import client_for


def test_case_page_links_to_the_fee_only_for_those_who_may_open_it(personas: Personas) -> None:
    payer = lawyer()
    filing = filing_actions.docket(
        actor=personas.clerk, filing_id=filed(personas, payer).pk, presiding_judge_id=personas.judge.pk
    )
    assert filing.case is not None
    fee = LitigationFee.objects.get(case=filing.case)
    # A second lawyer on the case sees the case but does not pay the fee: no link, and the fee page is 404.
    colleague = lawyer("colleague", "同所律师")
    case_actions.add_member(actor=personas.clerk, case=filing.case, role=MemberRole.AGENT, user=colleague)
    case_url, fee_url = f"/cases/{filing.case.pk}/", f"/fees/{fee.pk}/"
    link = f'href="{fee_url}" data-testid="fee-link"'
    for who, sees_link in [(payer, True), (personas.clerk, True), (personas.judge, True), (colleague, False)]:
        page = client_for(who).get(case_url)
        assert page.status_code == 200, who
        assert (link in page.content.decode()) is sees_link, who
        assert client_for(who).get(fee_url).status_code == (200 if sees_link else 404), who
    assert "案件受理费" in client_for(payer).get(case_url).content.decode()
    back = f'href="{case_url}" data-testid="case-link"'
    for who in (payer, personas.clerk, personas.judge):
        assert back in client_for(who).get(fee_url).content.decode(), who


def test_staff_of_another_court_see_neither_page(personas: Personas, nothing_changed) -> None:
    filing = filing_actions.docket(
        actor=personas.clerk, filing_id=filed(personas, lawyer()).pk, presiding_judge_id=personas.judge.pk
    )
    assert filing.case is not None
    fee = LitigationFee.objects.get(case=filing.case)
    outsider = client_for(personas.outsider)
    with nothing_changed():
        assert outsider.get(f"/fees/{fee.pk}/").status_code == 404
        assert outsider.get(f"/cases/{filing.case.pk}/").status_code == 404
