"""The supervision board: colours by working days, filters by court, procedure and colour, sorting, and the
case statistics per court and year."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse

from smartcourt.bankruptcy.actions import open_proceeding, record_appointment
from smartcourt.bankruptcy.models import Proceeding
from smartcourt.bankruptcy.selectors import BoardFilters, board_for, case_statistics
from smartcourt.cases.actions import add_member, create_case
from smartcourt.cases.choices import CaseType, MemberRole
from smartcourt.cases.models import Case
from smartcourt.core.errors import PermissionDenied

if TYPE_CHECKING:
    from conftest import Personas

TODAY = dt.date(2026, 10, 9)


@pytest.fixture
def second(personas: Personas, proceeding: Proceeding) -> Case:
    """A reorganisation accepted 2026-10-01: its N03 is due 2026-10-26, far away on TODAY."""
    case = create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.BANKRUPTCY,
        title="如东某某纺织有限公司重整案",
        filed_on=dt.date(2026, 9, 20),
        presiding_judge=personas.judge,
    )
    add_member(actor=personas.judge, case=case, role=MemberRole.ADMINISTRATOR, organisation=personas.firm_a)
    open_proceeding(actor=personas.judge, case=case, procedure="reorganisation", accepted_on=dt.date(2026, 10, 1))
    record_appointment(actor=personas.judge, case=case, firm=personas.firm_a, appointed_on=dt.date(2026, 10, 1))
    for case_type, title in (
        (CaseType.BANKRUPTCY_APPLICATION, "某某公司破产清算申请审查案"),
        (CaseType.LIQUIDATION_APPLICATION, "某某公司强制清算申请审查案"),
    ):
        create_case(
            actor=personas.clerk, court=personas.rudong, case_type=case_type, title=title, filed_on=dt.date(2026, 9, 1)
        )
    create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.BANKRUPTCY_APPLICATION,
        title="去年的破产申请审查案",
        filed_on=dt.date(2025, 12, 1),
    )
    return case


def numbers(p: Personas, filters: BoardFilters, user: str = "clerk") -> list[str]:
    return [row.case.number for row in board_for(getattr(p, user), filters, today=TODAY).rows]


def test_colours_and_default_order(personas: Personas, second: Case) -> None:
    board = board_for(personas.clerk, BoardFilters(), today=TODAY)
    by_case = {row.case.number: row for row in board.rows}
    first = by_case[personas.case.number]
    assert first.colour == "red"  # N03 was due 2026-10-08
    assert {item.record.node_key: item.colour for item in first.open_nodes} == {
        "N03": "red",
        "N04": "green",
        "N05": "none",
    }
    assert by_case[second.number].colour == "green"
    assert [row.case.number for row in board.rows] == [personas.case.number, second.number]
    assert board.colour_counts == {"red": 1, "yellow": 0, "green": 1, "none": 0}


def test_filters_and_sorting(personas: Personas, second: Case) -> None:
    assert numbers(personas, BoardFilters(colour="green")) == [second.number]
    assert numbers(personas, BoardFilters(procedure="reorganisation")) == [second.number]
    assert numbers(personas, BoardFilters(procedure="liquidation")) == [personas.case.number]
    assert numbers(personas, BoardFilters(court="苏0684")) == []
    assert numbers(personas, BoardFilters(sort="-number")) == [second.number, personas.case.number]
    assert numbers(personas, BoardFilters(sort="due")) == [personas.case.number, second.number]


def test_the_judge_sees_only_his_cases_and_others_no_board(personas: Personas, second: Case) -> None:
    assert numbers(personas, BoardFilters(), user="judge") == [personas.case.number, second.number]
    assert numbers(personas, BoardFilters(), user="outsider") == []
    for name in ("administrator", "creditor_a", "bank_operator"):
        with pytest.raises(PermissionDenied):
            board_for(getattr(personas, name), BoardFilters(), today=TODAY)


def test_statistics_per_court_and_year(personas: Personas, second: Case) -> None:
    rows = case_statistics(personas.clerk)
    assert [(row.court_code, row.year, row.counts, row.total) for row in rows] == [
        ("苏0623", 2026, {"破申": 1, "破": 2, "强清申": 1, "强清": 0}, 4),
        ("苏0623", 2025, {"破申": 1, "破": 0, "强清申": 0, "强清": 0}, 1),
    ]
    # The judge sits on the two 破 cases only.
    assert [(row.year, row.counts["破"], row.total) for row in case_statistics(personas.judge)] == [(2026, 2, 2)]


def test_board_page_filters_from_the_address(personas: Personas, second: Case) -> None:
    client = Client()
    client.force_login(personas.clerk)
    html = client.get(reverse("bankruptcy:board"), {"procedure": "reorganisation", "sort": "bogus"}).content.decode()
    assert f'data-case="{second.number}"' in html
    assert f'data-case="{personas.case.number}"' not in html
    english = Client()
    english.force_login(personas.clerk)
    english.cookies["django_language"] = "en"
    page = english.get(reverse("bankruptcy:board")).content.decode()
    assert "Supervision board" in page and "Notice to creditors and announcement" in page
