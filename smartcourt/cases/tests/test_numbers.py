"""Case numbers (案号): format, parsing, gap-free sequences under concurrency, status transitions."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from conftest import Personas
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.actions import add_party, change_case_status, create_case
from smartcourt.cases.choices import CaseStatus, CaseType, PartyKind, PartyRole
from smartcourt.cases.models import Case, CaseStatusChange, Party
from smartcourt.cases.numbers import format_case_number, parse_case_number
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied

FILED = dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("case_type", "expected"),
    [
        (CaseType.BANKRUPTCY_APPLICATION, "(2026)苏0623破申12号"),
        (CaseType.BANKRUPTCY, "(2026)苏0623破12号"),
        (CaseType.LIQUIDATION_APPLICATION, "(2026)苏0623强清申12号"),
        (CaseType.LIQUIDATION, "(2026)苏0623强清12号"),
        (CaseType.CIVIL_FIRST_INSTANCE, "(2026)苏0623民初12号"),
        (CaseType.ENFORCEMENT, "(2026)苏0623执12号"),
    ],
)
def test_case_numbers_format_and_parse_back(case_type: str, expected: str) -> None:
    number = format_case_number(year=2026, court_code="苏0623", case_type=case_type, sequence=12)
    assert number == expected
    assert parse_case_number(number) == (2026, "苏0623", case_type, 12)


def test_parsing_accepts_full_width_brackets_and_refuses_other_text() -> None:
    assert parse_case_number("（2025）苏06破3号") == (2025, "苏06", CaseType.BANKRUPTCY, 3)
    assert parse_case_number("(2026)苏0623破申号") is None
    assert parse_case_number("如东县宏达纺织") is None
    assert parse_case_number("(2026)苏0623刑初5号") is None


@pytest.mark.django_db
def test_numbers_count_per_court_type_and_year(personas: Personas) -> None:
    clerk, rudong = personas.clerk, personas.rudong

    def new(case_type: str, year: int = 2026) -> str:
        return create_case(
            actor=clerk, court=rudong, case_type=case_type, title="测试案件", filed_on=dt.date(year, 5, 5)
        ).number

    # The personas fixture already holds (2026)苏0623破1号.
    assert new(CaseType.BANKRUPTCY) == "(2026)苏0623破2号"
    assert new(CaseType.BANKRUPTCY) == "(2026)苏0623破3号"
    assert new(CaseType.BANKRUPTCY_APPLICATION) == "(2026)苏0623破申1号"
    assert new(CaseType.BANKRUPTCY, year=2025) == "(2025)苏0623破1号"
    assert new(CaseType.BANKRUPTCY) == "(2026)苏0623破4号"


@pytest.mark.django_db
def test_a_rolled_back_creation_leaves_no_gap(personas: Personas) -> None:
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        create_case(
            actor=personas.clerk, court=personas.rudong, case_type=CaseType.ENFORCEMENT, title="撤回", filed_on=FILED
        )
        raise Abort
    case = create_case(
        actor=personas.clerk, court=personas.rudong, case_type=CaseType.ENFORCEMENT, title="执行", filed_on=FILED
    )
    assert case.number == "(2026)苏0623执1号"


@pytest.mark.django_db
def test_case_creation_is_audited(personas: Personas) -> None:
    before = AuditEvent.objects.count()
    case = create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.LIQUIDATION_APPLICATION,
        title="某公司强制清算申请审查案",
        filed_on=FILED,
        presiding_judge=personas.judge,
    )
    events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [event.action for event in events] == ["cases.case_created", "cases.member_added"]
    assert events[0].case_id == case.pk
    assert events[0].actor_id == personas.clerk.pk
    assert events[0].after == {
        "number": "(2026)苏0623强清申1号",
        "title": "某公司强制清算申请审查案",
        "case_type": "liquidation_application",
        "court": "苏0623",
        "filed_on": "2026-11-02",
        "origin": None,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["creditor_a", "administrator", "outsider", "bank_operator", "assistant"])
def test_only_court_staff_of_the_court_register_cases(personas: Personas, who: str) -> None:
    cases, events = Case.objects.count(), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        create_case(
            actor=getattr(personas, who),
            court=personas.rudong,
            case_type=CaseType.BANKRUPTCY,
            title="越权",
            filed_on=FILED,
        )
    assert (Case.objects.count(), AuditEvent.objects.count()) == (cases, events)


@pytest.mark.django_db
def test_the_presiding_judge_must_be_a_judge_of_that_court(personas: Personas) -> None:
    cases = Case.objects.count()
    with pytest.raises(DomainError, match="is not a judge of 如东县人民法院"):
        create_case(
            actor=personas.clerk,
            court=personas.rudong,
            case_type=CaseType.BANKRUPTCY,
            title="案",
            filed_on=FILED,
            presiding_judge=personas.assistant,
        )
    assert Case.objects.count() == cases


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_creations_get_twenty_gap_free_numbers(personas: Personas) -> None:
    clerk_id, court_id = personas.clerk.pk, personas.rudong.pk
    barrier = threading.Barrier(20)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def create(index: int) -> None:
        from smartcourt.accounts.models import Organisation, User

        try:
            clerk = User.objects.get(pk=clerk_id)
            court = Organisation.objects.get(pk=court_id)
            barrier.wait(timeout=30)
            case = create_case(
                actor=clerk,
                court=court,
                case_type=CaseType.BANKRUPTCY_APPLICATION,
                title=f"并发{index}",
                filed_on=FILED,
            )
            with lock:
                numbers.append(case.number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(index,)) for index in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers, key=lambda n: parse_case_number(n)[3]) == [  # type: ignore[index]
        f"(2026)苏0623破申{sequence}号" for sequence in range(1, 21)
    ]
    stored = Case.objects.filter(case_type=CaseType.BANKRUPTCY_APPLICATION).values_list("sequence", flat=True)
    assert sorted(stored) == list(range(1, 21))


@pytest.mark.django_db
def test_status_follows_the_transition_table(personas: Personas) -> None:
    case = create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.BANKRUPTCY_APPLICATION,
        title="审查",
        filed_on=FILED,
    )
    assert case.status == CaseStatus.PENDING
    opened = change_case_status(
        actor=personas.judge, case_id=case.pk, to_status=CaseStatus.OPEN, on=dt.date(2026, 11, 9)
    )
    assert (opened.status, opened.accepted_on) == (CaseStatus.OPEN, dt.date(2026, 11, 9))
    with pytest.raises(Conflict, match="cannot go from open to pending"):
        change_case_status(actor=personas.judge, case_id=case.pk, to_status=CaseStatus.PENDING)
    closed = change_case_status(
        actor=personas.judge, case_id=case.pk, to_status=CaseStatus.CLOSED, on=dt.date(2026, 11, 20), reason="撤回申请"
    )
    assert (closed.status, closed.closed_on) == (CaseStatus.CLOSED, dt.date(2026, 11, 20))
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict):
        change_case_status(actor=personas.judge, case_id=case.pk, to_status=CaseStatus.OPEN)
    assert AuditEvent.objects.count() == events
    assert list(CaseStatusChange.objects.filter(case=case).values_list("from_status", "to_status", "reason")) == [
        ("pending", "open", ""),
        ("open", "closed", "撤回申请"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "identifiers", "field"),
    [
        (PartyKind.NATURAL_PERSON, {"id_number": "11010519491231002Y"}, "id_number"),
        (PartyKind.NATURAL_PERSON, {"id_number": "110105194912310021"}, "id_number"),
        (PartyKind.NATURAL_PERSON, {"credit_code": "914403001922038216"}, "credit_code"),
        (PartyKind.ORGANISATION, {"credit_code": "914403001922038217"}, "credit_code"),
        (PartyKind.ORGANISATION, {"id_number": "11010519491231002X"}, "id_number"),
    ],
)
def test_parties_with_bad_identifiers_are_refused(
    personas: Personas, kind: str, identifiers: dict[str, Any], field: str
) -> None:
    parties, events = Party.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError) as raised:
        add_party(
            actor=personas.clerk, case=personas.case, role=PartyRole.CREDITOR, kind=kind, name="某某", **identifiers
        )
    assert raised.value.field == field
    assert (Party.objects.count(), AuditEvent.objects.count()) == (parties, events)


@pytest.mark.django_db
def test_a_lower_case_x_is_normalised(personas: Personas) -> None:
    party = add_party(
        actor=personas.clerk,
        case=personas.case,
        role=PartyRole.CREDITOR,
        kind=PartyKind.NATURAL_PERSON,
        name="某某",
        id_number=" 11010519491231002x ",
    )
    assert party.id_number == "11010519491231002X"


@pytest.mark.django_db
def test_a_case_cannot_be_filed_in_the_future(personas: Personas) -> None:
    cases, events = Case.objects.count(), AuditEvent.objects.count()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError, match="is in the future") as raised:
        create_case(
            actor=personas.clerk, court=personas.rudong, case_type=CaseType.ENFORCEMENT, title="未来", filed_on=tomorrow
        )
    assert raised.value.field == "filed_on"
    assert (Case.objects.count(), AuditEvent.objects.count()) == (cases, events)
