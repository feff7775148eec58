"""Fixtures of the meetings tests: media in a temporary folder, and a case with creditors of every kind."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import translation

from conftest import TEST_PASSWORD, Personas
from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.cases.actions import add_member
from smartcourt.cases.choices import MemberRole
from smartcourt.claims.models import Creditor
from smartcourt.meetings.tests.helpers import creditor


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Tests read the actions' messages in English (the msgids); afterwards the thread is left with no language
    activated (the platform default), whatever the test did."""
    translation.activate("en")
    yield
    translation.deactivate()


def creditor_user(p: Personas, username: str, name: str) -> User:
    user = create_user(
        actor=None,
        username=username,
        password=TEST_PASSWORD,
        role=Role.CREDITOR,
        full_name=name,
        organisation=None,
        check_password_strength=False,
    )
    add_member(actor=p.judge, case=p.case, role=MemberRole.CREDITOR, user=user)
    return user


@dataclass
class World:
    p: Personas
    bank_user: User
    employee_user: User
    a: Creditor  # creditor_a: ordinary 600,000.00
    b: Creditor  # 乙银行: secured 1,000,000.00 and ordinary 100,000.00, priority not waived
    c: Creditor  # 丙公司: ordinary 300,000.00, no account, a phone
    d: Creditor  # 丁公司: a disputed claim, no vote
    e: Creditor  # 钱职工: employee 50,000.00


@pytest.fixture
def w(personas: Personas) -> World:
    p = personas
    bank_user = creditor_user(p, "bank_creditor", "乙银行经办")
    employee_user = creditor_user(p, "employee", "钱职工")
    return World(
        p=p,
        bank_user=bank_user,
        employee_user=employee_user,
        a=creditor(p, "刘债权", ("ordinary", "confirmed", 60_000_000), user=p.creditor_a, phone="13800138000"),
        b=creditor(
            p,
            "乙银行",
            ("secured", "court_confirmed", 100_000_000),
            ("ordinary", "confirmed", 10_000_000),
            user=bank_user,
        ),
        c=creditor(p, "丙公司", ("ordinary", "partly_confirmed", 30_000_000), phone="13900139000"),
        d=creditor(p, "丁公司", ("ordinary", "disputed", 0)),
        e=creditor(p, "钱职工", ("employee", "confirmed", 5_000_000), user=employee_user),
    )
