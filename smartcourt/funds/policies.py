"""Who may do what with a case's money.

- Court staff of the case's court who can see the case, and the appointed administrator, see the supervised
  account, its movements, alerts and payment requests. Creditors, parties and banks do not: to them none of
  it exists (404).
- The judge sitting on the case (or the court administrator) opens or registers the account and sets limits.
- Only the appointed administrator makes (and edits, withdraws) payment requests: the maker.
- The judge assistant of the case reviews; the judge sitting on the case approves. Neither is ever an
  administrator, so the maker can never check his own request.
"""

from __future__ import annotations

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.cases.choices import MemberRole
from smartcourt.cases.models import Case
from smartcourt.dossier.policies import is_appointed_administrator, is_judge_of

__all__ = [
    "can_approve",
    "can_manage_account",
    "can_request",
    "can_review",
    "can_see_funds",
    "is_appointed_administrator",
    "is_judge_of",
]


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_see_funds(user: User, case: Case) -> bool:
    """For a case ``user`` can already see: may they see its money?"""
    if not _active(user):
        return False
    if user.is_court_staff:
        return user.organisation_id == case.court_id
    return is_appointed_administrator(user, case)


def can_manage_account(user: User, case: Case) -> bool:
    """Open or register the supervised account and set its limits."""
    if not _active(user):
        return False
    if user.role == Role.COURT_ADMIN and user.organisation_id == case.court_id:
        return True
    return is_judge_of(user, case)


def can_request(user: User, case: Case) -> bool:
    return is_appointed_administrator(user, case)


def can_review(user: User, case: Case) -> bool:
    """The judge assistant assigned to the case."""
    if not _active(user) or user.role != Role.JUDGE_ASSISTANT or user.organisation_id != case.court_id:
        return False
    return case.members.filter(user=user, role=MemberRole.JUDGE_ASSISTANT).exists()


def can_approve(user: User, case: Case) -> bool:
    return is_judge_of(user, case)
