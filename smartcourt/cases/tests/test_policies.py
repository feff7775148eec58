"""The case-access predicates every app builds on, checked for every persona on one case.

The expected sets are written out by hand from the rules (DESIGN.md §4.12: a permission matrix), so a change
to a predicate that lets one more persona in fails here before it reaches a page.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import Personas
from smartcourt.accounts.models import User
from smartcourt.cases import policies
from smartcourt.cases.models import Case

PERSONAS = (
    "judge",
    "assistant",
    "clerk",
    "court_admin",
    "administrator",
    "other_administrator",
    "creditor_a",
    "creditor_b",
    "bank_operator",
    "outsider",
)

EXPECTED: dict[str, set[str]] = {
    "is_court_staff_of_case": {"judge", "assistant", "clerk", "court_admin"},
    "is_judge_of_court": {"judge"},
    "is_court_admin_of_case": {"court_admin"},
    "is_judge_of": {"judge"},
    "is_assigned_assistant": {"assistant"},
    "is_appointed_administrator": {"administrator"},
    "may_see_case_work": {"judge", "assistant", "clerk", "court_admin", "administrator"},
}


@pytest.mark.parametrize("predicate", sorted(EXPECTED))
def test_who_each_predicate_lets_in(personas: Personas, predicate: str) -> None:
    check: Callable[[User | AnonymousUser, Case], bool] = getattr(policies, predicate)
    allowed = {name for name in PERSONAS if check(getattr(personas, name), personas.case)}
    assert allowed == EXPECTED[predicate]
    assert check(AnonymousUser(), personas.case) is False


@pytest.mark.parametrize("predicate", sorted(EXPECTED))
def test_a_deactivated_account_is_let_in_nowhere(personas: Personas, predicate: str) -> None:
    check: Callable[[User | AnonymousUser, Case], bool] = getattr(policies, predicate)
    for name in EXPECTED[predicate]:
        user: User = getattr(personas, name)
        user.is_active = False
        assert check(user, personas.case) is False, name


def test_court_staff_of_another_court_see_nothing_of_the_case(personas: Personas) -> None:
    # The Haimen clerk is court staff, but of another court; the Rudong judge is nothing on Haimen's case.
    assert policies.is_court_staff_of(personas.outsider, personas.rudong.pk) is False
    assert policies.is_court_staff_of(personas.outsider, personas.haimen.pk) is True
    assert policies.may_see_case_work(personas.judge, personas.other_court_case) is False
    assert policies.is_judge_of(personas.judge, personas.other_court_case) is False


def test_a_firm_member_appointed_through_the_firm_is_the_administrator(personas: Personas) -> None:
    from smartcourt.accounts.actions import create_user
    from smartcourt.accounts.choices import Role

    colleague = create_user(
        actor=None,
        username="colleague",
        password="Correct-Horse-Battery-9",
        role=Role.ADMINISTRATOR,
        full_name="陈同事",
        organisation=personas.firm_a,
        check_password_strength=False,
    )
    assert policies.is_appointed_administrator(colleague, personas.case) is True
    assert policies.is_appointed_administrator(colleague, personas.other_court_case) is False
