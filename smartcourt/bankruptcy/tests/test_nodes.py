"""Node work through the actions: the state machine (every transition, allowed and refused), parallel nodes,
required outputs, court confirmation, conversion, and a liquidation driven from N01 to N17."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import product
from typing import TYPE_CHECKING

import pytest
from django.utils import translation

from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.actions import (
    complete_node,
    confirm_node,
    convert_procedure,
    extend_deadline,
    open_proceeding,
    provide_output,
    record_appointment,
    return_node,
    set_anchor_date,
    start_node,
)
from smartcourt.bankruptcy.actions._common import _change
from smartcourt.bankruptcy.choices import NODE_TRANSITIONS, NodeStatus, ProceedingStatus
from smartcourt.bankruptcy.models import NodeOutput, NodeRecord, NodeTransition, Proceeding
from smartcourt.bankruptcy.tests.conftest import (
    ACCEPTED,
    DATES,
    drive,
    open_liquidation,
    pdf_upload,
    provide_all,
    record,
    statuses,
)
from smartcourt.cases.actions import create_case
from smartcourt.cases.choices import CaseType
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.dossier.models import DossierEntry

if TYPE_CHECKING:
    from conftest import Personas


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """These tests read the actions' messages in English (the pages show them in Chinese)."""
    with translation.override("en"):
        yield


def counts() -> tuple[int, int, int, int, int]:
    return (
        NodeRecord.objects.count(),
        NodeTransition.objects.count(),
        NodeOutput.objects.count(),
        AuditEvent.objects.count(),
        DossierEntry.objects.count(),
    )


# --- opening -----------------------------------------------------------------------------------------------


def test_opening_records_acceptance_and_appointment_and_opens_the_parallel_nodes(
    personas: Personas, proceeding: Proceeding
) -> None:
    assert proceeding.procedure == proceeding.branch == "liquidation"
    assert proceeding.anchor_dates == {"accepted_on": "2026-09-10"}
    assert statuses(personas) == {
        "N01": "completed",
        "N02": "completed",
        "N03": "pending",
        "N04": "pending",
        "N05": "pending",
        **{f"N{n:02d}": "blocked" for n in range(6, 18)},
    }
    n01 = record(personas, "N01")
    assert list(n01.transitions.values_list("from_status", "to_status", "action")) == [
        ("", "pending", "open"),
        ("pending", "completed", "record"),
    ]
    n02 = record(personas, "N02")
    assert n02.completed_by == personas.judge
    assert n02.outputs.get().data == {
        "value": "江苏甲律师事务所（9144030071526726XG）",
        "organisation_id": str(personas.firm_a.pk),
        "appointed_on": "2026-09-10",
    }
    assert list(record(personas, "N03").transitions.values_list("action", flat=True)) == ["open", "unblock"]
    actions = list(AuditEvent.objects.filter(case_id=personas.case.pk).values_list("action", flat=True))
    assert "bankruptcy.proceeding_opened" in actions
    titles = list(DossierEntry.objects.filter(case=personas.case).values_list("title", flat=True))
    assert titles == ["N01 受理：记录完成", "程序开始：破产清算（受理日期2026-09-10）", "N02 指定管理人：记录完成"]


def test_a_case_opens_once(personas: Personas, proceeding: Proceeding) -> None:
    before = counts()
    with pytest.raises(Conflict, match="already has a proceeding"):
        open_proceeding(actor=personas.judge, case=personas.case, procedure="liquidation", accepted_on=ACCEPTED)
    assert counts() == before


def test_opening_checks_procedure_case_type_and_actor(personas: Personas) -> None:
    before = counts()
    with pytest.raises(DomainError, match="unknown procedure"):
        open_proceeding(actor=personas.judge, case=personas.case, procedure="winding_up", accepted_on=ACCEPTED)
    with pytest.raises(DomainError, match="runs in liquidation cases"):
        open_proceeding(
            actor=personas.judge, case=personas.case, procedure="compulsory_liquidation", accepted_on=ACCEPTED
        )
    for actor in (personas.clerk, personas.administrator, personas.assistant):
        with pytest.raises(PermissionDenied):
            open_proceeding(actor=actor, case=personas.case, procedure="liquidation", accepted_on=ACCEPTED)
    assert counts() == before


def test_appointment_must_be_of_a_firm_on_the_case(personas: Personas) -> None:
    open_proceeding(actor=personas.judge, case=personas.case, procedure="liquidation", accepted_on=ACCEPTED)
    before = counts()
    with pytest.raises(DomainError, match="is not appointed on"):
        record_appointment(actor=personas.judge, case=personas.case, firm=personas.firm_b, appointed_on=ACCEPTED)
    with pytest.raises(DomainError, match="is not an administrator firm"):
        record_appointment(actor=personas.judge, case=personas.case, firm=personas.bank, appointed_on=ACCEPTED)
    with pytest.raises(PermissionDenied):
        record_appointment(
            actor=personas.administrator, case=personas.case, firm=personas.firm_a, appointed_on=ACCEPTED
        )
    assert counts() == before
    record_appointment(actor=personas.judge, case=personas.case, firm=personas.firm_a, appointed_on=ACCEPTED)
    with pytest.raises(Conflict, match="cannot be recorded"):
        record_appointment(actor=personas.judge, case=personas.case, firm=personas.firm_a, appointed_on=ACCEPTED)


# --- the transition table ----------------------------------------------------------------------------------

ALL_STATUSES = list(NodeStatus.values)


@pytest.mark.parametrize(("from_status", "to_status"), list(product(ALL_STATUSES, ALL_STATUSES)))
def test_every_pair_of_statuses_follows_the_table(
    personas: Personas, proceeding: Proceeding, from_status: str, to_status: str
) -> None:
    target = record(personas, "N11")
    NodeRecord.objects.filter(pk=target.pk).update(status=from_status)
    target.refresh_from_db()
    before = counts()
    if to_status in NODE_TRANSITIONS[from_status]:
        _change(target, case=personas.case, actor=personas.judge, to_status=to_status, action="record", file=False)
        target.refresh_from_db()
        assert target.status == to_status
        assert target.version == 2
        assert counts()[:2] == (before[0], before[1] + 1)
    else:
        with pytest.raises(Conflict, match="cannot become"):
            _change(target, case=personas.case, actor=personas.judge, to_status=to_status, action="record")
        target.refresh_from_db()
        assert (target.status, target.version) == (from_status, 1)
        assert counts() == before


def test_the_table_is_the_documented_state_machine() -> None:
    assert {
        "blocked": {"pending", "cancelled"},
        "pending": {"in_progress", "completed", "cancelled"},
        "in_progress": {"awaiting_confirmation", "completed", "cancelled"},
        "awaiting_confirmation": {"completed", "returned", "cancelled"},
        "returned": {"in_progress", "cancelled"},
        "completed": set(),
        "cancelled": set(),
    } == NODE_TRANSITIONS


# --- through the actions -----------------------------------------------------------------------------------


def test_start_moves_a_ready_node_to_in_progress(personas: Personas, proceeding: Proceeding) -> None:
    started = start_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N04")
    assert (started.status, started.started_by, started.version) == ("in_progress", personas.administrator, 3)
    assert started.transitions.last().action == "start"  # type: ignore[union-attr]
    assert DossierEntry.objects.filter(case=personas.case).last().title == "N04 接管：开始办理"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("key", "setup", "message"),
    [
        ("N06", None, "N06 waits for N03 to be completed"),
        ("N04", "start", "cannot become In progress"),
        ("N01", None, "cannot become In progress"),
    ],
)
def test_start_is_refused_out_of_order(
    personas: Personas, proceeding: Proceeding, key: str, setup: str | None, message: str
) -> None:
    actor = personas.judge if key == "N01" else personas.administrator
    if setup == "start":
        start_node(actor=actor, case_id=personas.case.pk, node_key=key)
    before = counts()
    with pytest.raises(Conflict, match=message):
        start_node(actor=actor, case_id=personas.case.pk, node_key=key)
    assert counts() == before


def test_complete_refuses_without_every_required_output_and_names_them(
    personas: Personas, proceeding: Proceeding
) -> None:
    start_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N04")
    provide_output(
        actor=personas.administrator,
        case_id=personas.case.pk,
        node_key="N04",
        output_key="takeover_notice",
        upload=pdf_upload("接管通知.pdf"),
    )
    before = counts()
    with pytest.raises(DomainError) as refused:
        complete_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N04")
    assert refused.value.code == "missing_outputs"
    assert refused.value.message == (
        "N04 cannot be completed without: Inventory of property, seals, books (takeover_inventory)"
    )
    assert counts() == before
    assert record(personas, "N04").status == "in_progress"


def test_complete_pending_node_is_refused(personas: Personas, proceeding: Proceeding) -> None:
    before = counts()
    with pytest.raises(Conflict, match="only a node in progress can be completed"):
        complete_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N04")
    assert counts() == before


def test_outputs_only_while_in_progress(personas: Personas, proceeding: Proceeding) -> None:
    before = counts()
    with pytest.raises(Conflict, match="outputs are provided while it is in progress"):
        provide_output(
            actor=personas.administrator,
            case_id=personas.case.pk,
            node_key="N04",
            output_key="takeover_notice",
            upload=pdf_upload(),
        )
    assert counts() == before


def test_an_upload_is_filed_into_the_dossier_and_bad_files_are_refused(
    personas: Personas, proceeding: Proceeding
) -> None:
    start_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N05")
    provided = provide_output(
        actor=personas.administrator,
        case_id=personas.case.pk,
        node_key="N05",
        output_key="property_report",
        upload=pdf_upload("财产状况报告.pdf"),
    )
    entry = provided.dossier_entry
    assert entry is not None
    assert (entry.kind, entry.title, entry.file_name) == (
        "document",
        "N05 财产调查：债务人财产状况报告",
        "财产状况报告.pdf",
    )
    assert entry.file.read() == b"%PDF-1.4\n% test document\n"
    before = counts()
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DomainError, match="the name says PDF but the content is"):
        provide_output(
            actor=personas.administrator,
            case_id=personas.case.pk,
            node_key="N05",
            output_key="property_report",
            upload=SimpleUploadedFile("报告.pdf", b"\x00\x01 binary", content_type="application/pdf"),
        )
    with pytest.raises(DomainError, match="is a file: upload it"):
        provide_output(
            actor=personas.administrator,
            case_id=personas.case.pk,
            node_key="N05",
            output_key="property_report",
            value="text",
        )
    with pytest.raises(DomainError, match="has no output 'bogus'"):
        provide_output(
            actor=personas.administrator, case_id=personas.case.pk, node_key="N05", output_key="bogus", value="x"
        )
    assert counts() == before


def test_parallel_nodes_run_side_by_side_and_audit_waits_for_both(personas: Personas, proceeding: Proceeding) -> None:
    for key in ("N03", "N04", "N05"):
        start_node(
            actor=personas.judge if key == "N03" else personas.administrator, case_id=personas.case.pk, node_key=key
        )
    assert {key: statuses(personas)[key] for key in ("N03", "N04", "N05")} == dict.fromkeys(
        ("N03", "N04", "N05"), "in_progress"
    )
    drive_rest = [("N04", personas.administrator)]
    for key, actor in drive_rest:
        provide_all(personas, key, actor)
        complete_node(actor=actor, case_id=personas.case.pk, node_key=key)
    assert statuses(personas)["N09"] == "blocked"
    provide_all(personas, "N05")
    complete_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N05")
    assert statuses(personas)["N09"] == "pending"
    assert statuses(personas)["N06"] == "blocked"  # waits for the announcement (N03)


def test_court_confirmation_return_and_resume(personas: Personas, proceeding: Proceeding) -> None:
    drive(personas, "N04")
    drive(personas, "N05")
    start_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N09")
    provide_all(personas, "N09")
    submitted = complete_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N09")
    assert (submitted.status, submitted.submitted_by) == ("awaiting_confirmation", personas.administrator)

    before = counts()
    with pytest.raises(DomainError, match="a return needs the reasons"):
        return_node(actor=personas.judge, case_id=personas.case.pk, node_key="N09", reasons="  ")
    with pytest.raises(PermissionDenied, match="Only a judge sitting on the case"):
        confirm_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N09")
    with pytest.raises(PermissionDenied):
        confirm_node(actor=personas.assistant, case_id=personas.case.pk, node_key="N09")
    with pytest.raises(Conflict, match="only a node in progress can be completed"):
        complete_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N09")
    assert counts() == before

    returned = return_node(
        actor=personas.judge, case_id=personas.case.pk, node_key="N09", reasons="评估机构未经法院许可，请补充许可材料"
    )
    assert returned.status == "returned"
    assert returned.transitions.last().reason == "评估机构未经法院许可，请补充许可材料"  # type: ignore[union-attr]
    entry = DossierEntry.objects.filter(case=personas.case).last()
    assert entry is not None and (entry.title, entry.note) == (
        "N09 审计评估：法院退回",
        "评估机构未经法院许可，请补充许可材料",
    )

    with pytest.raises(Conflict, match="nothing to confirm"):
        confirm_node(actor=personas.judge, case_id=personas.case.pk, node_key="N09")
    with pytest.raises(Conflict, match="outputs are provided while it is in progress"):
        provide_all(personas, "N09")

    resumed = start_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N09")
    assert resumed.status == "in_progress"
    assert DossierEntry.objects.filter(case=personas.case).last().title == "N09 审计评估：重新办理"  # type: ignore[union-attr]
    complete_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N09")
    confirmed = confirm_node(actor=personas.judge, case_id=personas.case.pk, node_key="N09")
    assert (confirmed.status, confirmed.completed_by) == ("completed", personas.judge)
    assert list(confirmed.transitions.values_list("action", flat=True)) == [
        "open",
        "unblock",
        "start",
        "submit",
        "return",
        "start",
        "submit",
        "confirm",
    ]
    with pytest.raises(Conflict):
        return_node(actor=personas.judge, case_id=personas.case.pk, node_key="N09", reasons="再退回")


def test_the_judge_does_not_work_the_administrators_nodes(personas: Personas, proceeding: Proceeding) -> None:
    before = counts()
    with pytest.raises(PermissionDenied, match="N04 Takeover is worked by the appointed administrator"):
        start_node(actor=personas.judge, case_id=personas.case.pk, node_key="N04")
    with pytest.raises(PermissionDenied, match="N03 Notice to creditors and announcement is worked by the court"):
        start_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N03")
    assert counts() == before


def test_a_stale_version_is_a_conflict(personas: Personas, proceeding: Proceeding) -> None:
    current = record(personas, "N04").version
    before = counts()
    with pytest.raises(Conflict, match="changed by someone else"):
        start_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N04", expected_version=current - 1)
    assert counts() == before
    assert (
        start_node(
            actor=personas.administrator, case_id=personas.case.pk, node_key="N04", expected_version=current
        ).status
        == "in_progress"
    )


def test_liquidation_driven_from_acceptance_to_the_end_of_duties(personas: Personas, proceeding: Proceeding) -> None:
    for key in ("N03", "N04", "N05", "N06", "N07", "N08", "N09", "N10", "N11", "N12", "N13", "N14", "N15", "N16"):
        assert drive(personas, key).status == "completed", key
        assert Proceeding.objects.get(pk=proceeding.pk).status == "open"
    drive(personas, "N17")
    proceeding.refresh_from_db()
    assert (proceeding.status, proceeding.closed_on is not None) == (ProceedingStatus.CLOSED, True)
    assert set(statuses(personas).values()) == {"completed"}
    assert proceeding.anchor_dates == {
        "accepted_on": "2026-09-10",
        **{
            k: DATES[k]
            for k in (
                "announced_on",
                "claims_period_ends_on",
                "meeting_on",
                "declared_bankrupt_on",
                "termination_requested_on",
                "terminated_on",
            )
        },
    }
    before = counts()
    with pytest.raises(Conflict, match="the proceeding is closed"):
        start_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N17")
    assert counts() == before


# --- dates -------------------------------------------------------------------------------------------------


def test_claims_period_must_end_within_the_statutory_bounds(personas: Personas, proceeding: Proceeding) -> None:
    start_node(actor=personas.judge, case_id=personas.case.pk, node_key="N03")
    provide_output(
        actor=personas.judge, case_id=personas.case.pk, node_key="N03", output_key="announced_on", value="2026-09-18"
    )
    before = counts()
    for bad in ("2026-10-17", "2026-12-19"):
        with pytest.raises(DomainError, match="must be between 2026-10-18 and 2026-12-18"):
            provide_output(
                actor=personas.judge,
                case_id=personas.case.pk,
                node_key="N03",
                output_key="claims_period_ends_on",
                value=bad,
            )
    with pytest.raises(DomainError, match="is not a date written YYYY-MM-DD"):
        provide_output(
            actor=personas.judge, case_id=personas.case.pk, node_key="N03", output_key="announced_on", value="18/9/2026"
        )
    with pytest.raises(DomainError, match=r"announced_on \(2026-09-01\) is before accepted_on"):
        provide_output(
            actor=personas.judge,
            case_id=personas.case.pk,
            node_key="N03",
            output_key="announced_on",
            value="2026-09-01",
        )
    assert counts() == before


def test_setting_a_date_moves_the_open_deadlines(personas: Personas, proceeding: Proceeding) -> None:
    assert record(personas, "N06").due_on is None
    set_anchor_date(actor=personas.judge, case_id=personas.case.pk, name="announced_on", value=dt.date(2026, 9, 18))
    assert record(personas, "N06").due_on == dt.date(2026, 12, 18)
    set_anchor_date(actor=personas.assistant, case_id=personas.case.pk, name="announced_on", value=dt.date(2026, 9, 30))
    assert record(personas, "N06").due_on == dt.date(2026, 12, 30)
    before = counts()
    with pytest.raises(PermissionDenied, match="Only the court enters"):
        set_anchor_date(
            actor=personas.administrator, case_id=personas.case.pk, name="announced_on", value=dt.date(2026, 9, 20)
        )
    with pytest.raises(DomainError, match="unknown date 'opened_on'"):
        set_anchor_date(actor=personas.judge, case_id=personas.case.pk, name="opened_on", value=dt.date(2026, 9, 20))
    assert counts() == before


# --- conversion --------------------------------------------------------------------------------------------


def test_reorganisation_opens_its_branch_and_converts_to_the_declaration(personas: Personas) -> None:
    proceeding = open_liquidation(personas, procedure="reorganisation")
    assert proceeding.anchor_dates == {"accepted_on": "2026-09-10", "reorganisation_ruled_on": "2026-09-10"}
    opened = statuses(personas)
    assert {key: opened[key] for key in ("R1", "N01", "R2", "N02", "R3", "R4")} == {
        "R1": "completed",
        "N01": "completed",
        "R2": "completed",
        "N02": "completed",
        "R3": "pending",
        "R4": "blocked",
    }
    assert "R7" not in opened and "N10" not in opened
    r4 = record(personas, "R4")
    assert r4.due_on == dt.date(2027, 3, 10)  # 6 months from the ruling (art. 79), a Wednesday
    extended = extend_deadline(
        actor=personas.judge, case_id=personas.case.pk, node_key="R4", reason="重大资产处置尚未完成，管理人申请延期"
    )
    assert (extended.extended, extended.due_on, extended.deadline_key) == (
        True,
        dt.date(2027, 6, 10),
        "reorganisation_plan_extended",
    )
    drive(personas, "R3")
    before = counts()
    with pytest.raises(PermissionDenied):
        convert_procedure(
            actor=personas.administrator, case_id=personas.case.pk, declared_on=dt.date(2027, 1, 11), reason="x"
        )
    with pytest.raises(DomainError, match="needs its grounds"):
        convert_procedure(actor=personas.judge, case_id=personas.case.pk, declared_on=dt.date(2027, 1, 11), reason=" ")
    assert counts() == before

    converted = convert_procedure(
        actor=personas.judge,
        case_id=personas.case.pk,
        declared_on=dt.date(2027, 1, 11),
        reason="债务人不能执行重整计划（第九十三条）",
    )
    assert (converted.procedure, converted.branch, converted.converted_on) == (
        "reorganisation",
        "liquidation",
        dt.date(2027, 1, 11),
    )
    after = statuses(personas)
    assert after["R3"] == "completed"
    assert {after[key] for key in ("R4",)} == {"cancelled"}
    assert after["R7"] == "completed"
    assert after["N03"] == "pending"  # shared nodes go on
    assert after["N10"] == "pending"
    assert {after[f"N{n}"] for n in range(11, 18)} == {"blocked"}
    n10 = record(personas, "N10")
    assert (n10.procedure, n10.due_on) == ("liquidation", dt.date(2027, 1, 21))
    assert n10.holiday_data is False  # 2027: no published holiday data
    with pytest.raises(Conflict, match="does not convert"):
        convert_procedure(actor=personas.judge, case_id=personas.case.pk, declared_on=dt.date(2027, 1, 12), reason="x")


def test_settlement_converts_without_a_recorded_node(personas: Personas) -> None:
    open_liquidation(personas, procedure="settlement")
    assert statuses(personas)["S6"] == "pending"
    convert_procedure(
        actor=personas.judge, case_id=personas.case.pk, declared_on=dt.date(2026, 12, 1), reason="和解协议草案未获通过"
    )
    after = statuses(personas)
    assert {after[key] for key in ("S3", "S4", "S5", "S6")} == {"cancelled"}
    assert after["N10"] == "pending"


def test_compulsory_liquidation_runs_in_a_liquidation_case(personas: Personas) -> None:
    case = create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.LIQUIDATION,
        title="如东某某贸易有限公司强制清算案",
        filed_on=dt.date(2026, 9, 1),
        presiding_judge=personas.judge,
    )
    from smartcourt.cases.actions import add_member
    from smartcourt.cases.choices import MemberRole

    add_member(actor=personas.judge, case=case, role=MemberRole.ADMINISTRATOR, organisation=personas.firm_a)
    open_proceeding(actor=personas.judge, case=case, procedure="compulsory_liquidation", accepted_on=ACCEPTED)
    record_appointment(actor=personas.judge, case=case, firm=personas.firm_a, appointed_on=ACCEPTED)
    got = dict(NodeRecord.objects.filter(proceeding__case=case).values_list("node_key", "status"))
    assert {key for key, status in got.items() if status == "pending"} == {"C03", "C04", "C05"}
    assert NodeRecord.objects.filter(proceeding__case=case, due_on__isnull=False).count() == 0


def test_node_work_on_an_unknown_node_or_case(personas: Personas, proceeding: Proceeding) -> None:
    import uuid

    before = counts()
    with pytest.raises(NotFound, match="no node 'N99'"):
        start_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N99")
    with pytest.raises(NotFound, match="No such case"):
        start_node(actor=personas.administrator, case_id=uuid.uuid4(), node_key="N04")
    with pytest.raises(NotFound, match="has no bankruptcy proceeding"):
        start_node(actor=personas.outsider, case_id=personas.other_court_case.pk, node_key="N04")
    assert counts() == before


def test_a_long_text_value_is_kept_whole_and_its_title_shows_the_shortening(
    personas: Personas, proceeding: Proceeding
) -> None:
    start_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N04")
    value = "合" * 1000
    provided = provide_output(
        actor=personas.administrator,
        case_id=personas.case.pk,
        node_key="N04",
        output_key="executory_contracts",
        value=value,
    )
    assert provided.data == {"value": value}
    entry = DossierEntry.objects.filter(case=personas.case).latest("number")
    prefix = "N04 接管：双方均未履行完毕合同的处理决定 "
    assert entry.title == prefix + "合" * (199 - len(prefix)) + "…"
