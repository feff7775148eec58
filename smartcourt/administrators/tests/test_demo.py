"""The demo roster: firms of every grade, one inactive, and seeding twice changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartcourt.administrators.demo import seed_roster
from smartcourt.administrators.models import RosterEntry
from smartcourt.audit.models import AuditEvent
from smartcourt.core.identifiers import credit_code_problem

if TYPE_CHECKING:
    from conftest import Personas


def test_the_demo_roster_is_seeded_once(personas: Personas) -> None:
    p = personas
    entries = seed_roster(court=p.rudong, court_admin=p.court_admin, firms=[p.firm_a, p.firm_b])
    assert [(e.position, e.grade) for e in entries][:3] == [(1, "first"), (2, "second"), (3, "first")]
    assert len(entries) == 10
    assert {e.grade for e in entries} == {"first", "second", "third"}
    assert [e.firm.name for e in entries if not e.active] == ["江苏启海律师事务所"]
    assert all(credit_code_problem(e.firm.credit_code) is None for e in entries if e.firm.credit_code)
    events = AuditEvent.objects.count()
    again = seed_roster(court=p.rudong, court_admin=p.court_admin, firms=[p.firm_a, p.firm_b])
    assert [e.pk for e in again] == [e.pk for e in entries]
    assert (RosterEntry.objects.count(), AuditEvent.objects.count()) == (10, events)
