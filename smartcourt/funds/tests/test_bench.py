"""Issue 15.15: who decides an over-limit payment follows the case's bench (cases.staffing). A collegial
panel's agreement is recorded by the judge assistant's 同意 after the panel agreed (the Nantong practice); a sole
judge acts alone; a request nobody on the case can move is an alert on the supervision board; the administrator
is told at once (page and SMS) what the court decided and what to do next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.urls import reverse

from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.choices import Composition, MemberRole
from smartcourt.cases.models import CaseMember
from smartcourt.cases.staffing import staff_case
from smartcourt.core.errors import PermissionDenied
from smartcourt.funds.actions import decide_payment, review_payment
from smartcourt.funds.actions import notices as notices_module
from smartcourt.funds.actions.notices import next_step
from smartcourt.funds.models import PaymentApproval
from smartcourt.funds.selectors import court_queue, stuck_requests
from smartcourt.funds.tests.fakes import FakeBank
from smartcourt.funds.tests.helpers import ask, open_case_account
from smartcourt.testing import database_state

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db
PASSWORD = "Rudong-court-2026!"


class Texts:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))


@pytest.fixture
def texts(monkeypatch: pytest.MonkeyPatch) -> Texts:
    box = Texts()
    monkeypatch.setattr(notices_module, "sms_adapter", lambda: box)
    return box


@pytest.fixture
def funded(personas: Personas, fake_bank: FakeBank) -> Any:
    account = open_case_account(personas)
    fake_bank.book(account.account_number, 100_000_000, counterparty="某某拍卖有限公司")
    return account


def over_limit(p: Personas, capture: Any) -> Any:
    with capture(execute=True):
        return ask(p, amount="80000.00", description="诉讼费")


def judges(p: Personas) -> list[Any]:
    return [
        create_user(actor=None, username=u, password=PASSWORD, role=Role.JUDGE, full_name=n, organisation=p.rudong)
        for u, n in (("judge2", "陈审"), ("judge3", "黄审"))
    ]


def test_the_assistant_records_the_panels_agreement(
    personas: Personas, funded: Any, fake_bank: FakeBank, texts: Texts, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    j2, j3 = judges(p)
    staff_case(
        actor=p.court_admin,
        case_id=p.case.pk,
        composition=Composition.COLLEGIAL,
        presiding_judge_id=p.judge.pk,
        panel_judge_ids=[j2.pk, j3.pk],
        assistant_id=p.assistant.pk,
    )
    p.administrator.phone = "13800000001"
    p.administrator.save(update_fields=["phone"])
    payment = over_limit(p, django_capture_on_commit_callbacks)
    assert payment in court_queue(p.assistant)
    # One click after the panel met: the review in passing, then the panel's decision, named as the panel's.
    with django_capture_on_commit_callbacks(execute=True):
        decide_payment(actor=p.assistant, payment_id=payment.pk, decision="approve", for_panel=True)
    payment.refresh_from_db()
    assert payment.status == "executed"
    approval = PaymentApproval.objects.get(payment=payment, step="approval")
    assert approval.decided_by == p.assistant
    assert approval.note == "合议庭（张明、陈审、黄审）评议同意"
    review = PaymentApproval.objects.get(payment=payment, step="review")
    assert (review.decided_by, review.note) == (p.assistant, "报合议庭评议")
    # The administrator is told at once, by SMS and on the page, and what to do next.
    assert len(texts.sent) == 1 and texts.sent[0][0] == "13800000001"
    assert "付款申请第1号" in texts.sent[0][1] and "法院已准许" in texts.sent[0][1] and "诉讼费" in texts.sent[0][1]
    assert AuditEvent.objects.filter(action="funds.administrator_notified", object_id=str(payment.pk)).count() == 1
    page = Client()
    page.force_login(p.administrator)
    html = page.get(reverse("funds:payment", args=[p.case.pk, payment.pk])).content.decode()
    assert 'data-testid="next-step"' in html and next_step(payment) in html


def test_the_panel_form_is_only_for_the_assistant_of_a_panel(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    staff_case(
        actor=p.court_admin,
        case_id=p.case.pk,
        composition=Composition.SOLE,
        presiding_judge_id=p.judge.pk,
        assistant_id=p.assistant.pk,
    )
    payment = over_limit(p, django_capture_on_commit_callbacks)
    before = database_state()
    with pytest.raises(PermissionDenied):
        decide_payment(actor=p.assistant, payment_id=payment.pk, decision="approve", for_panel=True)
    assert database_state() == before


def test_a_sole_judge_decides_alone(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    staff_case(actor=p.court_admin, case_id=p.case.pk, composition=Composition.SOLE, presiding_judge_id=p.judge.pk)
    payment = over_limit(p, django_capture_on_commit_callbacks)
    assert payment in court_queue(p.judge)
    with django_capture_on_commit_callbacks(execute=True):
        decide_payment(actor=p.judge, payment_id=payment.pk, decision="approve")
    payment.refresh_from_db()
    assert payment.status == "executed"
    review = PaymentApproval.objects.get(payment=payment, step="review")
    assert (review.decided_by, review.note) == (p.judge, "独任审理，承办法官直接审批")


def test_a_panel_judge_still_waits_for_the_review(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    from smartcourt.core.errors import Conflict

    p = personas
    payment = over_limit(p, django_capture_on_commit_callbacks)
    before = database_state()
    with pytest.raises(Conflict):
        decide_payment(actor=p.judge, payment_id=payment.pk, decision="approve")
    assert database_state() == before


def test_a_request_nobody_can_move_is_an_alert_on_the_board(
    personas: Personas, funded: Any, fake_bank: FakeBank, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    # The case as intake leaves it: no judge assistant staffed.
    CaseMember.objects.filter(case=p.case, role=MemberRole.JUDGE_ASSISTANT).delete()
    payment = over_limit(p, django_capture_on_commit_callbacks)
    stuck = stuck_requests(p.judge)
    assert [(item.payment.pk, item.waiting_for) for item in stuck] == [(payment.pk, "审核的法官助理")]
    board = Client()
    board.force_login(p.judge)
    html = board.get(reverse("bankruptcy:board")).content.decode()
    assert 'data-testid="stuck-payments"' in html and p.case.number in html
    # Staffing an assistant clears it; the assistant now has it in his queue.
    staff_case(
        actor=p.court_admin,
        case_id=p.case.pk,
        composition=Composition.COLLEGIAL,
        presiding_judge_id=p.judge.pk,
        panel_judge_ids=[u.pk for u in judges(p)],
        assistant_id=p.assistant.pk,
    )
    assert stuck_requests(p.judge) == []
    assert payment in court_queue(p.assistant)
    html = board.get(reverse("bankruptcy:board")).content.decode()
    assert 'data-testid="stuck-payments"' not in html
    review_payment(actor=p.assistant, payment_id=payment.pk, decision="forward", note="票据齐全")
    assert stuck_requests(p.judge) == []


def test_a_rejection_tells_the_administrator_to_apply_again(
    personas: Personas, funded: Any, fake_bank: FakeBank, texts: Texts, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    p.administrator.phone = "13800000001"
    p.administrator.save(update_fields=["phone"])
    payment = over_limit(p, django_capture_on_commit_callbacks)
    review_payment(actor=p.assistant, payment_id=payment.pk, decision="forward", note="票据齐全")
    with django_capture_on_commit_callbacks(execute=True):
        decide_payment(actor=p.judge, payment_id=payment.pk, decision="reject", note="依据不足")
    payment.refresh_from_db()
    assert next_step(payment) == (
        "付款申请第1号（向南通某某会计师事务所支付80000.00元）法院不予准许（依据不足）。如仍需支付，请补充依据后重新提出申请。"
    )
    assert [text for _, text in texts.sent] == [f"【如东县人民法院】{next_step(payment)}"]
