"""Creditors with claims in given states on the personas' case, and a meeting convened over them."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING, Any

from smartcourt.accounts.models import User
from smartcourt.audit.models import AuditEvent
from smartcourt.claims.models import Claim, Creditor
from smartcourt.dossier.models import DossierEntry
from smartcourt.meetings.actions import ItemSpec, convene_meeting
from smartcourt.meetings.models import Ballot, Meeting, Notice, Question, VotingRight

if TYPE_CHECKING:
    from conftest import Personas

# 2026-06-01 09:00 Shanghai: the judge convenes.
CONVENED_AT = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC)
# The meeting: 2026-06-16 09:00 Shanghai, 15 days later; voting until 2026-06-18 17:00.
SCHEDULED_AT = dt.datetime(2026, 6, 16, 1, 0, tzinfo=dt.UTC)
CLOSES_AT = dt.datetime(2026, 6, 18, 9, 0, tzinfo=dt.UTC)
DURING = dt.datetime(2026, 6, 17, 2, 0, tzinfo=dt.UTC)
AFTER = CLOSES_AT + dt.timedelta(minutes=1)

_numbers = itertools.count(1)
# Valid unified social credit codes are not needed: rows are made directly, as the claims app left them.
_ids = itertools.count(100000000000000000)


def creditor(
    p: Personas, name: str, *claims: tuple[str, str, int], user: User | None = None, phone: str = ""
) -> Creditor:
    """A creditor of ``p.case`` with claims given as (nature, status, confirmed fen)."""
    row = Creditor.objects.create(
        case=p.case,
        kind="organisation",
        name=name,
        identifier=str(next(_ids)),
        phone=phone,
        user=user,
        source="self_declared",
    )
    for nature, status, fen in claims:
        Claim.objects.create(
            case=p.case,
            creditor=row,
            number=next(_numbers),
            nature=nature,
            principal_fen=fen or 100,
            declared_at=CONVENED_AT,
            declared_by=user or p.administrator,
            status=status,
            confirmed_nature=nature if status in {"confirmed", "partly_confirmed", "court_confirmed"} else "",
            confirmed_principal_fen=fen if status in {"confirmed", "partly_confirmed", "court_confirmed"} else 0,
        )
    return row


GENERAL_ITEMS = [
    ItemSpec("report", "管理人执行职务的工作报告"),
    ItemSpec("management_plan", "债务人财产管理方案"),
    ItemSpec("distribution_plan", "破产财产分配方案"),
]


def convene(p: Personas, items: list[ItemSpec] | None = None, **overrides: Any) -> Meeting:
    fields: dict[str, Any] = {
        "actor": p.judge,
        "case_id": p.case.pk,
        "kind": "first",
        "title": "第一次债权人会议",
        "scheduled_at": SCHEDULED_AT,
        "voting_opens_at": SCHEDULED_AT,
        "voting_closes_at": CLOSES_AT,
        "items": items or GENERAL_ITEMS,
        "now": CONVENED_AT,
    }
    fields.update(overrides)
    return convene_meeting(**fields)


def counts() -> dict[str, int]:
    return {
        "meetings": Meeting.objects.count(),
        "rights": VotingRight.objects.count(),
        "ballots": Ballot.objects.count(),
        "questions": Question.objects.count(),
        "notices": Notice.objects.count(),
        "entries": DossierEntry.objects.count(),
        "events": AuditEvent.objects.count(),
    }
