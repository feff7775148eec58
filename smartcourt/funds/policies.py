"""Who may do what with a case's money.

- Court staff of the case's court who can see the case, and the appointed administrator, see the supervised
  account, its movements, alerts and payment requests. Creditors, parties and banks do not: to them none of
  it exists (404).
- The bank that holds the supervised account (a BANK member of the case) sees the account, its limits and
  its movements (it carries them out), not the payment requests, alerts or anything of the claims.
- The judge sitting on the case (or the court administrator) opens or registers the account and sets limits.
- Only the appointed administrator makes (and edits, withdraws) payment requests: the maker.
- The judge assistant of the case reviews; the judge sitting on the case approves. Neither is ever an
  administrator, so the maker can never check his own request.
"""

from __future__ import annotations

from smartcourt.accounts.models import User
from smartcourt.cases.choices import MemberRole
from smartcourt.cases.models import Case
from smartcourt.cases.policies import (
    is_appointed_administrator,
    is_assigned_assistant,
    is_bank_of_case,
    is_court_admin_of_case,
    is_judge_of,
    may_see_case_work,
)

__all__ = [
    "can_approve",
    "can_manage_account",
    "can_request",
    "can_review",
    "can_see_account",
    "can_see_funds",
    "is_appointed_administrator",
    "is_judge_of",
    "panel_names",
]


def can_see_funds(user: User, case: Case) -> bool:
    """For a case ``user`` can already see: may they see its money?"""
    return may_see_case_work(user, case)


def can_see_account(user: User, case: Case) -> bool:
    """The account page (balance, limits, movements): those who see the money and the bank that holds it."""
    return may_see_case_work(user, case) or is_bank_of_case(user, case)


def can_manage_account(user: User, case: Case) -> bool:
    """Open or register the supervised account and set its limits."""
    return is_court_admin_of_case(user, case) or is_judge_of(user, case)


def can_request(user: User, case: Case) -> bool:
    return is_appointed_administrator(user, case)


def can_review(user: User, case: Case) -> bool:
    """The judge assistant assigned to the case."""
    return is_assigned_assistant(user, case)


def can_approve(user: User, case: Case) -> bool:
    return is_judge_of(user, case)


def panel_names(case: Case) -> list[str]:
    """The judges of the case's collegial panel, presiding judge first (cases.staffing)."""
    names = [case.presiding_judge.full_name] if case.presiding_judge else []
    others = case.members.filter(role=MemberRole.PANEL_JUDGE, user__isnull=False).select_related("user")
    names += sorted(member.user.full_name for member in others if member.user is not None)
    return names
