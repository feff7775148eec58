"""Constructed histories for the evaluation tests: audit events written directly with record_event at
chosen moments, and node records with chosen deadlines, so every figure has a known answer."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.db import transaction

from smartcourt.accounts.models import User
from smartcourt.administrators.actions import add_to_roster
from smartcourt.administrators.choices import Grade
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.choices import NodeStatus, Procedure
from smartcourt.bankruptcy.models import NodeRecord, Proceeding
from smartcourt.cases.models import Case

SHANGHAI = ZoneInfo("Asia/Shanghai")
# "Today" in the constructed histories.
NOW = dt.datetime(2026, 6, 20, 12, 0, tzinfo=SHANGHAI)


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def stand_in(label: str) -> Any:
    """An object as record_event sees it (label and pk), for the funds and meetings rows of issues 5 and 7,
    which record events with these action names."""
    return SimpleNamespace(_meta=SimpleNamespace(label=label), pk=uuid.uuid4())


def event(
    when: dt.datetime, *, actor: User | None, action: str, case: Case, obj: Any, after: dict[str, Any] | None = None
) -> int:
    with time_machine.travel(when, tick=False), transaction.atomic():
        return record_event(actor=actor, action=action, case_id=case.pk, obj=obj, after=after).seq


def proceeding(case: Case) -> Proceeding:
    return Proceeding.objects.create(
        case=case, procedure=Procedure.LIQUIDATION, branch=Procedure.LIQUIDATION, opened_on=dt.date(2026, 3, 9)
    )


def node(proc: Proceeding, key: str, position: int, *, status: str, due_on: dt.date | None) -> NodeRecord:
    return NodeRecord.objects.create(
        proceeding=proc, node_key=key, procedure=Procedure.LIQUIDATION, position=position, status=status, due_on=due_on
    )


def roster(court_admin: User, *firms: Any) -> None:
    court = court_admin.organisation
    assert court is not None
    for firm in firms:
        add_to_roster(
            actor=court_admin,
            court=court,
            firm=firm,
            grade=Grade.SECOND,
            listed_on=dt.date(2025, 1, 1),
        )


__all__ = ["NOW", "NodeStatus", "at", "event", "node", "proceeding", "roster", "stand_in"]
