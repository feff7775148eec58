"""Two people acting on one node at the same moment: one wins, the other gets a Conflict, nothing is written
twice. Real threads on a real database file (committed transactions)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.db import close_old_connections

from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.actions import complete_node, start_node
from smartcourt.bankruptcy.models import NodeOutput, NodeTransition
from smartcourt.bankruptcy.tests.conftest import open_liquidation, provide_all, record, statuses
from smartcourt.core.errors import Conflict
from smartcourt.dossier.models import DossierEntry

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same moment; each result is a value or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_administrators_completing_the_same_node(personas: Personas) -> None:
    from conftest import TEST_PASSWORD

    colleague = create_user(
        actor=None,
        username="administrator2",
        password=TEST_PASSWORD,
        role=Role.ADMINISTRATOR,
        full_name="许律师",
        organisation=personas.firm_a,
        check_password_strength=False,
    )
    open_liquidation(personas)
    case_id = personas.case.pk
    start_node(actor=personas.administrator, case_id=case_id, node_key="N04")
    provide_all(personas, "N04")
    outputs, entries = NodeOutput.objects.count(), DossierEntry.objects.count()

    results = run_together(
        lambda: complete_node(actor=personas.administrator, case_id=case_id, node_key="N04"),
        lambda: complete_node(actor=colleague, case_id=case_id, node_key="N04"),
    )

    winners = [result for result in results if not isinstance(result, Exception)]
    losers = [result for result in results if isinstance(result, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], Conflict)
    assert "only a node in progress can be completed" in losers[0].message
    n04 = record(personas, "N04")
    assert n04.status == "completed"
    assert NodeTransition.objects.filter(record=n04, action="complete").count() == 1
    assert AuditEvent.objects.filter(action="bankruptcy.node_complete").count() == 1
    assert NodeOutput.objects.count() == outputs
    assert DossierEntry.objects.count() == entries + 1


def test_parallel_nodes_completing_together_still_open_the_node_waiting_for_both(personas: Personas) -> None:
    open_liquidation(personas)
    case_id = personas.case.pk
    for key in ("N04", "N05"):
        start_node(actor=personas.administrator, case_id=case_id, node_key=key)
        provide_all(personas, key)

    results = run_together(
        lambda: complete_node(actor=personas.administrator, case_id=case_id, node_key="N04"),
        lambda: complete_node(actor=personas.administrator, case_id=case_id, node_key="N05"),
    )

    assert not [result for result in results if isinstance(result, Exception)], results
    assert statuses(personas)["N09"] == "pending"
    assert NodeTransition.objects.filter(record__node_key="N09", action="unblock").count() == 1
