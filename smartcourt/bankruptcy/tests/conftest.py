"""Fixtures of the bankruptcy engine tests: the personas' Rudong case opened as a liquidation on 2026-09-10,
with firm A appointed, and helpers that drive nodes through their work."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcourt.accounts.models import User
from smartcourt.bankruptcy.actions import (
    complete_node,
    confirm_node,
    open_proceeding,
    provide_output,
    record_appointment,
    start_node,
)
from smartcourt.bankruptcy.choices import NodeStatus, OutputKind
from smartcourt.bankruptcy.models import NodeRecord, Proceeding
from smartcourt.bankruptcy.rulepack import get_procedure

if TYPE_CHECKING:
    from conftest import Personas

ACCEPTED = dt.date(2026, 9, 10)
# Dates a node's data outputs are given in the tests, in an order the statute allows.
DATES = {
    "announced_on": "2026-09-18",
    "claims_period_ends_on": "2026-11-18",
    "meeting_on": "2026-11-30",
    "declared_bankrupt_on": "2027-01-11",
    "plan_submitted_on": "2027-02-01",
    "plan_adopted_on": "2027-02-20",
    "plan_approval_requested_on": "2027-02-25",
    "termination_requested_on": "2027-06-01",
    "terminated_on": "2027-06-10",
}
PDF = b"%PDF-1.4\n% test document\n"


def pdf_upload(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def open_liquidation(p: Personas, *, accepted_on: dt.date = ACCEPTED, procedure: str = "liquidation") -> Proceeding:
    proceeding = open_proceeding(actor=p.judge, case=p.case, procedure=procedure, accepted_on=accepted_on)
    record_appointment(actor=p.judge, case=p.case, firm=p.firm_a, appointed_on=accepted_on)
    proceeding.refresh_from_db()
    return proceeding


@pytest.fixture
def proceeding(personas: Personas) -> Proceeding:
    return open_liquidation(personas)


def record(p: Personas, key: str) -> NodeRecord:
    return NodeRecord.objects.get(proceeding__case=p.case, node_key=key)


def operator_of(p: Personas, key: str) -> User:
    proc = get_procedure(record(p, key).procedure)
    return p.judge if proc.node(key).operator == "court" else p.administrator


def provide_all(p: Personas, key: str, actor: User | None = None) -> None:
    node = get_procedure(record(p, key).procedure).node(key)
    actor = actor or operator_of(p, key)
    for output in node.required_outputs:
        if output.kind == OutputKind.DATA:
            value = DATES.get(output.key, "2026-10-01") if output.value_type == "date" else f"{output.name_zh}：已完成"
            provide_output(actor=actor, case_id=p.case.pk, node_key=key, output_key=output.key, value=value)
        else:
            provide_output(actor=actor, case_id=p.case.pk, node_key=key, output_key=output.key, upload=pdf_upload())


def drive(p: Personas, key: str) -> NodeRecord:
    """Start, provide every required output, complete and, when the court must confirm, confirm."""
    actor = operator_of(p, key)
    start_node(actor=actor, case_id=p.case.pk, node_key=key)
    provide_all(p, key, actor)
    done = complete_node(actor=actor, case_id=p.case.pk, node_key=key)
    if done.status == NodeStatus.AWAITING_CONFIRMATION:
        done = confirm_node(actor=p.judge, case_id=p.case.pk, node_key=key)
    return done


def statuses(p: Personas) -> dict[str, str]:
    return dict(NodeRecord.objects.filter(proceeding__case=p.case).values_list("node_key", "status"))
