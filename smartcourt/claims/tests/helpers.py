"""A proceeding on the personas' case and a declared claim, for the claims tests."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.models import Proceeding
from smartcourt.claims.actions import Declaration, declare_claim
from smartcourt.claims.models import Claim, ClaimReview, ClaimTransition, Creditor, Objection
from smartcourt.dossier.models import DossierEntry

if TYPE_CHECKING:
    from conftest import Personas

ACCEPTED_ON = dt.date(2026, 3, 9)
PERIOD_ENDS_ON = dt.date(2026, 5, 5)
CREDITOR_A_ID = "11010519491231002X"
# 2026-04-01 09:00 in Shanghai: inside the declaration period.
IN_PERIOD = dt.datetime(2026, 4, 1, 1, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2026, 5, 6, 1, 0, tzinfo=dt.UTC)


def open_proceeding(p: Personas) -> Proceeding:
    return Proceeding.objects.create(
        case=p.case,
        procedure="liquidation",
        branch="liquidation",
        opened_on=ACCEPTED_ON,
        anchor_dates={
            "accepted_on": ACCEPTED_ON.isoformat(),
            "announced_on": "2026-03-17",
            "claims_period_ends_on": PERIOD_ENDS_ON.isoformat(),
        },
    )


def declaration(**overrides: Any) -> Declaration:
    fields: dict[str, Any] = {
        "creditor_kind": "natural_person",
        "creditor_name": "刘债权",
        "identifier": CREDITOR_A_ID,
        "phone": "13800138000",
        "nature": "ordinary",
        "principal": "100000.00",
        "penalties": "500.00",
        "costs": "1000.00",
        "interest_from": dt.date(2025, 3, 9),
        "interest_rate_percent": "3.65",
        "basis": "借款合同",
    }
    fields.update(overrides)
    return Declaration(**fields)


def declare(p: Personas, *, now: dt.datetime = IN_PERIOD, **overrides: Any) -> Claim:
    return declare_claim(actor=p.creditor_a, case_id=p.case.pk, declaration=declaration(**overrides), now=now)


def counts() -> dict[str, int]:
    return {
        "claims": Claim.objects.count(),
        "creditors": Creditor.objects.count(),
        "reviews": ClaimReview.objects.count(),
        "transitions": ClaimTransition.objects.count(),
        "objections": Objection.objects.count(),
        "entries": DossierEntry.objects.count(),
        "events": AuditEvent.objects.count(),
    }
