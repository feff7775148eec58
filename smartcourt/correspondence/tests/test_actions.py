"""Requests, reports and answers: every transition, who may do what, filing into the dossier, and two judges
answering at once."""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection
from pypdf import PdfReader

from conftest import TEST_PASSWORD
from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.actions import add_member, change_case_status
from smartcourt.cases.choices import CaseStatus, MemberRole
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.uploads import checked_upload
from smartcourt.correspondence.actions import answer_thread, resubmit, submit_report, submit_request
from smartcourt.correspondence.choices import ThreadStatus
from smartcourt.correspondence.models import Thread
from smartcourt.dossier.models import DossierEntry
from smartcourt.dossier.tests.helpers import sample_pdf, sample_png, upload
from smartcourt.testing import database_state

if TYPE_CHECKING:
    from conftest import Personas
    from smartcourt.accounts.models import User


def panel_judge(p: Personas) -> User:
    judge = create_user(
        actor=None,
        username="judge2",
        password=TEST_PASSWORD,
        role=Role.JUDGE,
        full_name="王审判",
        organisation=p.rudong,
        check_password_strength=False,
    )
    add_member(actor=p.judge, case=p.case, role=MemberRole.PANEL_JUDGE, user=judge)
    return judge


def a_request(p: Personas, **kwargs: Any) -> Thread:
    arguments: dict[str, Any] = {
        "subject": "关于变卖债务人机器设备的请示",
        "body": "拟通过网络拍卖平台变卖债务人机器设备一批，评估价 120 万元。",
        **kwargs,
    }
    return submit_request(actor=p.administrator, case_id=p.case.pk, **arguments)


@pytest.mark.django_db
def test_a_request_is_filed_with_its_attachments_at_once(personas: Personas) -> None:
    p = personas
    files = [
        checked_upload(upload("评估报告.pdf", sample_pdf("资产评估报告"))),
        checked_upload(upload("设备照片.png", sample_png())),
    ]
    events = AuditEvent.objects.count()
    thread = a_request(p, attachments=files)
    assert (thread.status, thread.version, thread.firm) == (ThreadStatus.SUBMITTED, 1, p.firm_a)
    message = thread.messages.get()
    assert (message.kind, message.author) == ("submission", p.administrator)
    entries = list(DossierEntry.objects.filter(case=p.case).order_by("number"))
    assert [(entry.number, entry.kind, entry.title) for entry in entries] == [
        (1, "request", "请示：关于变卖债务人机器设备的请示"),
        (2, "attachment", "关于变卖债务人机器设备的请示 附件1：评估报告.pdf"),
        (3, "attachment", "关于变卖债务人机器设备的请示 附件2：设备照片.png"),
    ]
    assert message.record == entries[0]
    assert list(message.attachments.order_by("number")) == entries[1:]
    assert entries[2].file_sha256 == files[1].sha256
    assert all(entry.source_type == "correspondence.Message" for entry in entries)
    # The record is a PDF of the message, with the attachments' digests.
    text = PdfReader(io.BytesIO(entries[0].file.open("rb").read())).pages[0].extract_text()
    expected = ["请示：关于变卖债务人机器设备的请示", p.case.number, "陈律师", "江苏甲律师事务所", "评估价 120 万元"]
    assert [phrase for phrase in expected if phrase not in text] == []
    assert files[0].sha256[:20] in text.replace("\n", "")
    actions = list(AuditEvent.objects.filter(seq__gt=events).values_list("action", flat=True))
    assert actions == ["dossier.entry_filed"] * 3 + ["correspondence.thread_submitted"]
    submitted = AuditEvent.objects.get(seq__gt=events, action="correspondence.thread_submitted")
    assert submitted.after == {
        "kind": "request",
        "subject": "关于变卖债务人机器设备的请示",
        "status": "submitted",
        "record": 1,
        "attachments": [2, 3],
    }


@pytest.mark.django_db
def test_a_request_approved(personas: Personas) -> None:
    thread = a_request(personas)
    answered = answer_thread(actor=personas.judge, thread_id=thread.pk, decision="approve", reasons="同意。", version=1)
    assert (answered.status, answered.version) == (ThreadStatus.APPROVED, 2)
    reply = answered.messages.get(kind="approval")
    assert (reply.author, reply.body) == (personas.judge, "同意。")
    assert (reply.record.kind, reply.record.title) == ("approval", "批复（同意）：关于变卖债务人机器设备的请示")  # type: ignore[union-attr]
    event = AuditEvent.objects.filter(action="correspondence.thread_answered").get()
    assert event.before == {"status": "submitted", "version": 1}
    assert event.after == {"status": "approved", "version": 2, "decision": "approve", "reasons": "同意。", "record": 2}


@pytest.mark.django_db
def test_more_information_then_resubmission_then_rejection(personas: Personas) -> None:
    p = personas
    judge2 = panel_judge(p)
    thread = a_request(p)
    thread = answer_thread(actor=p.judge, thread_id=thread.pk, decision="request_more", reasons="请补充评估机构资质。")
    assert thread.status == ThreadStatus.MORE_INFO_REQUESTED
    extra = [checked_upload(upload("资质.pdf", sample_pdf("资质证书")))]
    thread = resubmit(actor=p.administrator, thread_id=thread.pk, body="已补充评估机构资质证书。", attachments=extra)
    assert (thread.status, thread.version) == (ThreadStatus.RESUBMITTED, 3)
    # A judge on the panel answers as well as the presiding judge.
    thread = answer_thread(actor=judge2, thread_id=thread.pk, decision="reject", reasons="评估价明显偏低。")
    assert (thread.status, thread.version) == (ThreadStatus.REJECTED, 4)
    assert list(thread.messages.values_list("kind", flat=True)) == [
        "submission",
        "request_more",
        "resubmission",
        "rejection",
    ]
    assert list(DossierEntry.objects.filter(case=p.case).values_list("kind", "title")) == [
        ("request", "请示：关于变卖债务人机器设备的请示"),
        ("approval", "批复（要求补充材料）：关于变卖债务人机器设备的请示"),
        ("request", "请示（补充材料）：关于变卖债务人机器设备的请示"),
        ("attachment", "关于变卖债务人机器设备的请示 附件1：资质.pdf"),
        ("approval", "批复（不同意）：关于变卖债务人机器设备的请示"),
    ]


@pytest.mark.django_db
def test_a_report_is_acknowledged_and_nothing_else(personas: Personas) -> None:
    p = personas
    thread = submit_report(actor=p.administrator, case_id=p.case.pk, subject="接管工作报告", body="已接管债务人财产。")
    before = database_state()
    with pytest.raises(DomainError, match="can be answered with: acknowledge") as refused:
        answer_thread(actor=p.judge, thread_id=thread.pk, decision="approve")
    assert refused.value.field == "decision"
    assert database_state() == before
    thread = answer_thread(actor=p.judge, thread_id=thread.pk, decision="acknowledge")
    assert thread.status == ThreadStatus.ACKNOWLEDGED
    titles = DossierEntry.objects.filter(case=p.case).values_list("title", flat=True)
    assert list(titles) == ["报告：接管工作报告", "报告回复（已阅）：接管工作报告"]


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["reject", "request_more"])
def test_reasons_are_required_to_reject_or_ask_for_more(personas: Personas, decision: str) -> None:
    thread = a_request(personas)
    before = database_state()
    with pytest.raises(DomainError, match="Reasons are required") as refused:
        answer_thread(actor=personas.judge, thread_id=thread.pk, decision=decision, reasons="   ")
    assert refused.value.field == "reasons"
    assert database_state() == before
    thread.refresh_from_db()
    assert (thread.status, thread.version) == (ThreadStatus.SUBMITTED, 1)


@pytest.mark.django_db
def test_an_answered_thread_cannot_be_answered_again_or_resubmitted(personas: Personas) -> None:
    thread = a_request(personas)
    answer_thread(actor=personas.judge, thread_id=thread.pk, decision="approve")
    before = database_state()
    with pytest.raises(Conflict, match="already been answered"):
        answer_thread(actor=personas.judge, thread_id=thread.pk, decision="reject", reasons="改变主意")
    with pytest.raises(Conflict, match="Only a request sent back for more information"):
        resubmit(actor=personas.administrator, thread_id=thread.pk, body="再补充")
    assert database_state() == before


@pytest.mark.django_db
def test_an_answer_to_an_older_version_is_refused(personas: Personas) -> None:
    thread = a_request(personas)
    answer_thread(actor=personas.judge, thread_id=thread.pk, decision="request_more", reasons="补充")
    resubmit(actor=personas.administrator, thread_id=thread.pk, body="已补充")
    before = database_state()
    with pytest.raises(Conflict, match="changed since you opened it"):
        answer_thread(actor=personas.judge, thread_id=thread.pk, decision="approve", version=1)
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("judge", PermissionDenied),
        ("assistant", PermissionDenied),
        ("clerk", PermissionDenied),
        ("court_admin", PermissionDenied),
        ("other_administrator", NotFound),
        ("creditor_a", NotFound),
        ("creditor_b", NotFound),
        ("bank_operator", NotFound),
        ("outsider", NotFound),
    ],
)
def test_only_the_appointed_administrator_submits(personas: Personas, who: str, error: type[Exception]) -> None:
    before = database_state()
    with pytest.raises(error):
        submit_request(actor=getattr(personas, who), case_id=personas.case.pk, subject="越权请示", body="正文")
    with pytest.raises(error):
        submit_report(actor=getattr(personas, who), case_id=personas.case.pk, subject="越权报告", body="正文")
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("administrator", PermissionDenied),
        ("assistant", PermissionDenied),
        ("clerk", PermissionDenied),
        ("court_admin", PermissionDenied),
        ("other_administrator", NotFound),
        ("creditor_a", NotFound),
        ("creditor_b", NotFound),
        ("bank_operator", NotFound),
        ("outsider", NotFound),
    ],
)
def test_only_a_judge_of_the_case_answers(personas: Personas, who: str, error: type[Exception]) -> None:
    thread = a_request(personas)
    before = database_state()
    with pytest.raises(error):
        answer_thread(actor=getattr(personas, who), thread_id=thread.pk, decision="approve")
    assert database_state() == before
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.SUBMITTED


@pytest.mark.django_db
def test_a_judge_of_the_same_court_not_on_the_case_cannot_answer(personas: Personas) -> None:
    other = create_user(
        actor=None,
        username="judge3",
        password=TEST_PASSWORD,
        role=Role.JUDGE,
        full_name="赵法官",
        organisation=personas.rudong,
        check_password_strength=False,
    )
    thread = a_request(personas)
    before = database_state()
    with pytest.raises(NotFound):
        answer_thread(actor=other, thread_id=thread.pk, decision="approve")
    assert database_state() == before


@pytest.mark.django_db
def test_an_assistant_on_the_panel_list_still_cannot_answer(personas: Personas) -> None:
    # A judge assistant is a member of the case but not a judge: reading yes, answering no.
    thread = a_request(personas)
    with pytest.raises(PermissionDenied):
        answer_thread(actor=personas.assistant, thread_id=thread.pk, decision="approve")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"subject": "  "}, "subject"),
        ({"subject": "请" * 151}, "subject"),
        ({"body": ""}, "body"),
        ({"body": "文" * 10_001}, "body"),
    ],
)
def test_bad_submissions_change_nothing(personas: Personas, kwargs: dict[str, Any], field: str) -> None:
    before = database_state()
    with pytest.raises(DomainError) as refused:
        a_request(personas, **kwargs)
    assert refused.value.field == field
    assert database_state() == before


@pytest.mark.django_db
def test_a_closed_case_takes_no_more_requests(personas: Personas) -> None:
    thread = a_request(personas)
    change_case_status(actor=personas.judge, case_id=personas.case.pk, to_status=CaseStatus.CLOSED)
    before = database_state()
    with pytest.raises(Conflict, match="is closed"):
        a_request(personas)
    with pytest.raises(Conflict, match="is closed"):
        answer_thread(actor=personas.judge, thread_id=thread.pk, decision="approve")
    assert database_state() == before


@pytest.mark.django_db(transaction=True)
def test_two_judges_answering_at_once_make_exactly_one_decision(personas: Personas) -> None:
    judge2 = panel_judge(personas)
    thread = a_request(personas)
    judges = [personas.judge.pk, judge2.pk]
    decisions = ["approve", "reject"]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def answer(index: int) -> None:
        from smartcourt.accounts.models import User

        try:
            judge = User.objects.get(pk=judges[index])
            barrier.wait(timeout=30)
            answer_thread(actor=judge, thread_id=thread.pk, decision=decisions[index], reasons="理由")
            result = "answered"
        except Conflict:
            result = "conflict"
        except BaseException as exc:
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    workers = [threading.Thread(target=answer, args=(index,)) for index in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["answered", "conflict"]
    thread.refresh_from_db()
    assert thread.status in {ThreadStatus.APPROVED, ThreadStatus.REJECTED}
    assert thread.version == 2
    assert thread.messages.exclude(kind="submission").count() == 1
    assert AuditEvent.objects.filter(action="correspondence.thread_answered").count() == 1
    assert DossierEntry.objects.filter(case=personas.case, kind="approval").count() == 1
    assert sorted(DossierEntry.objects.filter(case=personas.case).values_list("number", flat=True)) == [1, 2]
