"""The demo seed leaves the 宏达纺织 case with the issue's story: a partly confirmed claim under objection,
a claim confirmed by ruling, and a claims table that matches the decisions exactly; seeding twice changes
nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from smartcourt.claims.models import Claim, ClaimDocument, Creditor, SignedTable
from smartcourt.claims.selectors import claims_table

# The demo seeds fund supervision and distributions through the sandbox bank.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank")]


def test_demo_claims() -> None:
    call_command("seed_demo", stdout=StringIO())
    # Other demo cases (creditors' meetings, distributions) have claims of their own.
    hongda = Claim.objects.filter(case__title="如东县宏达纺织有限公司破产清算案")
    claims = {claim.creditor.name: claim for claim in hongda.select_related("creditor", "case")}
    assert set(claims) == {"刘洋", "孙丽"}
    liu, sun = claims["刘洋"], claims["孙丽"]
    assert liu.status == "disputed" and liu.interest_fen > 0
    assert liu.confirmed_total_fen == liu.principal_fen + liu.interest_fen + liu.costs_fen
    assert sun.status == "court_confirmed" and sun.confirmed_total_fen == 5_000_000
    assert Creditor.objects.filter(case=liu.case).count() == 3
    table = claims_table(liu.case)
    assert table.confirmed_fen == liu.confirmed_total_fen + sun.confirmed_total_fen
    assert table.declared_fen == liu.declared_total_fen + sun.declared_total_fen
    signed = SignedTable.objects.get(case=liu.case)
    assert (signed.claims, signed.confirmed_fen) == (2, table.confirmed_fen)
    notices = ClaimDocument.objects.filter(claim__case=liu.case, kind="review_notice", served_to_creditor=True)
    assert notices.count() == 2
    everything = (Claim.objects.count(), SignedTable.objects.count(), ClaimDocument.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert hongda.count() == 2
    assert (Claim.objects.count(), SignedTable.objects.count(), ClaimDocument.objects.count()) == everything
