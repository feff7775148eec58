"""The fee's page: who sees it (payer, court staff; nobody else), the payer's relief application and the
presiding judge's decision through the page."""

from __future__ import annotations

from conftest import Personas
from smartcourt.fees.models import FeeRelief, LitigationFee
from smartcourt.filing import actions as filing_actions
from smartcourt.filing.tests.helpers import filed, lawyer
from smartcourt.testing import client_for


def test_fee_page_permissions_and_relief(personas: Personas) -> None:
    user = lawyer()
    filing = filing_actions.docket(
        actor=personas.clerk, filing_id=filed(personas, user).pk, presiding_judge_id=personas.judge.pk
    )
    fee = LitigationFee.objects.get(case=filing.case)
    url = f"/fees/{fee.pk}/"
    for who, status in [
        (user, 200),
        (personas.clerk, 200),
        (personas.judge, 200),
        (lawyer("other", "别人"), 404),
        (personas.outsider, 404),
        (personas.creditor_a, 404),
    ]:
        assert client_for(who).get(url).status_code == status, who
    page = client_for(user).get(url).content.decode()
    assert "2,300.00" in page and "《诉讼费用交纳办法》第十三条第（一）项" in page
    payer = client_for(user)
    payer.post(f"{url}relief/", {"kind": "waiver", "reasons": ""})
    assert FeeRelief.objects.count() == 0
    payer.post(f"{url}relief/", {"kind": "waiver", "reasons": "原告系特困供养人员。"})
    relief = FeeRelief.objects.get()
    assert client_for(personas.clerk).post(f"{url}relief/{relief.pk}/decide/", {"decision": "grant"}).status_code == 403
    relief.refresh_from_db()
    assert relief.status == "pending"
    client_for(personas.judge).post(f"{url}relief/{relief.pk}/decide/", {"decision": "grant", "note": "准予免交"})
    fee.refresh_from_db()
    assert (fee.status, fee.fee_fen) == ("relieved", 0)
