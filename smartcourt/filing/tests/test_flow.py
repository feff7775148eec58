"""The filing flow through its actions: draft, submit (refused while incomplete), correction, docketing with
the case number, the fee and the sealed notices; withdrawal; non-acceptance; duplicates; the clerk's queue."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from conftest import Personas
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.documents.models import Document
from smartcourt.fees.models import LitigationFee
from smartcourt.filing import actions
from smartcourt.filing.choices import DeadlineColour, FilingStatus
from smartcourt.filing.models import Filing, FilingParty
from smartcourt.filing.selectors import clerk_queue, deadline_colour
from smartcourt.filing.tests.helpers import DEFENDANT, PLAINTIFF, complaint, filed, lawyer


def _counts() -> tuple[int, int, int]:
    return Filing.objects.count(), FilingParty.objects.count(), AuditEvent.objects.count()


def test_a_complaint_without_a_defendant_is_refused_naming_what_is_missing(personas: Personas) -> None:
    user = lawyer()
    draft = actions.save_draft(actor=user, filing_id=None, **complaint(personas, parties=[PLAINTIFF]))
    assert draft.status == FilingStatus.DRAFT
    before = _counts()
    with pytest.raises(DomainError) as refused:
        actions.submit(actor=user, filing_id=draft.pk)
    assert refused.value.field == "parties"
    assert "被告" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == FilingStatus.DRAFT and draft.submitted_at is None
    assert _counts() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"parties": [{**PLAINTIFF, "id_number": "320623198507120010"}, DEFENDANT]},
            "parties.0.id_number",
            "身份证号码 320623198507120010：校验码为 0，按 GB 11643 应为 9",
        ),
        (
            {"parties": [PLAINTIFF, {**DEFENDANT, "credit_code": "914403001922038210"}]},
            "parties.1.credit_code",
            "统一社会信用代码 914403001922038210：校验码为 0，按 GB 32100 应为 6",
        ),
        ({"amount": "100.001"}, "amount", "金额以元为单位，最多两位小数，例如 1234.50"),
        ({"amount": "100000000000000.00"}, "amount", "金额超出平台允许的上限"),
        ({"cause_code": "CA999"}, "cause", "请从案由列表中选择案由"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(
    personas: Personas, changes: dict[str, object], field: str, message: str
) -> None:
    user = lawyer()
    before = _counts()
    with pytest.raises(DomainError) as refused:
        actions.save_draft(actor=user, filing_id=None, **complaint(personas, **changes))
    assert (refused.value.field, refused.value.message) == (field, message)
    assert _counts() == before


def test_submit_starts_the_seven_day_period(personas: Personas) -> None:
    filing = filed(personas, lawyer())
    assert filing.status == FilingStatus.SUBMITTED
    assert filing.decide_by is not None and filing.decide_by >= timezone.localdate() + dt.timedelta(days=7)
    assert [row.filing.pk for row in clerk_queue(personas.clerk)] == [filing.pk]
    assert clerk_queue(personas.outsider) == []


def test_deadline_colours(db: None) -> None:
    today = dt.date(2026, 12, 7)  # Monday
    assert deadline_colour(dt.date(2026, 12, 14), today) == DeadlineColour.GREEN
    assert deadline_colour(dt.date(2026, 12, 9), today) == DeadlineColour.YELLOW
    assert deadline_colour(dt.date(2026, 12, 6), today) == DeadlineColour.RED


def test_a_filing_not_docketed_within_seven_days_turns_red(personas: Personas) -> None:
    filing = filed(personas, lawyer())
    assert filing.decide_by is not None
    (row,) = clerk_queue(personas.clerk, today=filing.decide_by + dt.timedelta(days=1))
    assert row.colour == DeadlineColour.RED
    (row,) = clerk_queue(personas.clerk, today=timezone.localdate())
    assert row.colour == DeadlineColour.GREEN


def test_correction_then_docketing(personas: Personas) -> None:
    user = lawyer()
    filing = filed(personas, user)
    actions.start_review(actor=personas.clerk, filing_id=filing.pk)
    due = timezone.localdate() + dt.timedelta(days=10)
    filing = actions.request_correction(
        actor=personas.clerk, filing_id=filing.pk, items=["补充借条复印件", "补充被告的送达地址确认书"], due_on=due
    )
    assert filing.status == FilingStatus.CORRECTION_REQUESTED
    assert filing.correction_items == ["补充借条复印件", "补充被告的送达地址确认书"]
    # The lawyer corrects and sends again.
    actions.save_draft(actor=user, filing_id=filing.pk, **complaint(personas, facts="借条见证据1。"))
    filing = actions.submit(actor=user, filing_id=filing.pk)
    assert filing.status == FilingStatus.SUBMITTED
    filing = actions.docket(actor=personas.clerk, filing_id=filing.pk, presiding_judge_id=personas.judge.pk)
    assert filing.status == FilingStatus.DOCKETED
    case = filing.case
    assert case is not None
    year = timezone.localdate().year
    assert case.number == f"（{year}）苏0623民初1号" or case.number.endswith("民初1号")
    assert case.presiding_judge == personas.judge
    assert {p.name for p in case.parties.all()} == {"马某某", "如东某某建设有限公司"}
    fee = LitigationFee.objects.get(case=case)
    assert fee.fee_fen == 2300_00 and fee.payer_user == user
    assert fee.calculation["basis"] == ["《诉讼费用交纳办法》第十三条第（一）项"]
    titles = sorted(d.template_version.template.key for d in Document.objects.filter(case=case, status="signed"))
    assert titles == ["civil_acceptance_notice", "litigation_fee_notice"]
    # The lawyer now sees the case.
    from smartcourt.cases.selectors import cases_visible_to

    assert case in cases_visible_to(user)
    assert case in cases_visible_to(personas.judge)


def test_withdrawal_before_review_but_not_during(personas: Personas) -> None:
    user = lawyer()
    first = filed(personas, user)
    assert actions.withdraw(actor=user, filing_id=first.pk).status == FilingStatus.WITHDRAWN
    second = filed(personas, user, claims="另一项请求")
    actions.start_review(actor=personas.clerk, filing_id=second.pk)
    with pytest.raises(Conflict):
        actions.withdraw(actor=user, filing_id=second.pk)
    second.refresh_from_db()
    assert second.status == FilingStatus.UNDER_REVIEW


def test_not_accepted_with_ruling_and_appeal_deadline(personas: Personas) -> None:
    filing = filed(personas, lawyer())
    filing = actions.rule_not_to_accept(
        actor=personas.clerk, filing_id=filing.pk, reason="不属于人民法院受理民事诉讼的范围。"
    )
    assert filing.status == FilingStatus.NOT_ACCEPTED
    assert filing.appeal_by is not None and filing.appeal_by >= timezone.localdate() + dt.timedelta(days=10)


def test_duplicates_are_flagged(personas: Personas) -> None:
    user = lawyer()
    first = filed(personas, user)
    second = filed(personas, user)
    assert second.duplicate_of == first
    third = filed(personas, user, amount="200000.00")
    assert third.duplicate_of is None


def test_others_see_nothing_and_clerks_of_other_courts_cannot_act(personas: Personas) -> None:
    user = lawyer()
    filing = filed(personas, user)
    stranger = lawyer("stranger", "路人")
    for outsider in (stranger, personas.judge, personas.creditor_a):
        with pytest.raises(NotFound):
            actions.withdraw(actor=outsider, filing_id=filing.pk)
    with pytest.raises(NotFound):
        actions.docket(actor=personas.outsider, filing_id=filing.pk, presiding_judge_id=personas.judge.pk)
    with pytest.raises(PermissionDenied):
        actions.docket(actor=user, filing_id=filing.pk, presiding_judge_id=personas.judge.pk)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED and Case.objects.filter(online_filing=filing).count() == 0


def test_clerk_files_on_behalf(personas: Personas) -> None:
    filing = actions.save_draft(
        actor=personas.clerk, filing_id=None, **complaint(personas, practice_number="", on_behalf_of="马某某（来电）")
    )
    assert filing.on_behalf and filing.on_behalf_of == "马某某（来电）"
    filing = actions.submit(actor=personas.clerk, filing_id=filing.pk)
    filing = actions.docket(actor=personas.clerk, filing_id=filing.pk, presiding_judge_id=personas.judge.pk)
    assert filing.case is not None
    assert LitigationFee.objects.get(case=filing.case).payer_user is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_docketing_gives_two_distinct_gap_free_numbers(personas: Personas) -> None:
    import threading

    from django.db import connection

    user = lawyer()
    first = filed(personas, user)
    second = filed(personas, user, claims="另一件的诉讼请求", amount="5000.00")
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def dock(filing_id: uuid.UUID) -> None:
        try:
            barrier.wait()
            actions.docket(actor=personas.clerk, filing_id=filing_id, presiding_judge_id=personas.judge.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=dock, args=(f.pk,)) for f in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Case.objects.filter(online_filing__in=[first.pk, second.pk]).values_list("sequence", flat=True))
    assert numbers == [1, 2]
