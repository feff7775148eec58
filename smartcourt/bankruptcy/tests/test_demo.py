"""The demo helper drives a proceeding to any node through the real actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from smartcourt.bankruptcy.demo import drive_to, work_node
from smartcourt.bankruptcy.models import Proceeding
from smartcourt.bankruptcy.tests.conftest import statuses

if TYPE_CHECKING:
    from conftest import Personas


@pytest.mark.parametrize("target", ["N06", "N10", "N13"])
def test_drive_to_leaves_the_target_ready_and_its_ancestors_completed(
    personas: Personas, proceeding: Proceeding, target: str
) -> None:
    record = drive_to(case=personas.case, target=target, judge=personas.judge, administrator=personas.administrator)
    assert record.status == "pending"
    got = statuses(personas)
    if target == "N06":
        assert (got["N03"], got["N04"], got["N05"]) == ("completed", "pending", "pending")


def test_the_demo_can_finish_a_proceeding(personas: Personas, proceeding: Proceeding) -> None:
    drive_to(case=personas.case, target="N17", judge=personas.judge, administrator=personas.administrator)
    work_node(case=personas.case, key="N17", judge=personas.judge, administrator=personas.administrator)
    proceeding.refresh_from_db()
    assert proceeding.status == "closed"
