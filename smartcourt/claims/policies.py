"""Who may do what with claims.

- Those who take part in the case (cases.policies.takes_part_in: creditors, parties, those who conduct it) may
  inspect the claims table, masked (art. 57); the supervising bank, which only holds the account, sees none of
  the claims pages.
- Court staff of the case's court and the appointed administrator see every claim of the case.
- A creditor (or party) member of the case declares claims and sees only his own.
- Only the appointed administrator reviews; only a judge sitting on the case rules.
"""

from __future__ import annotations

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.cases.policies import (
    is_appointed_administrator,
    is_judge_of,
    is_signed_in,
    may_see_case_work,
    takes_part_in,
)

__all__ = [
    "can_declare",
    "can_inspect_claims",
    "can_review",
    "can_rule",
    "can_see_all_claims",
    "is_appointed_administrator",
]

DECLARING_ROLES = frozenset({Role.CREDITOR, Role.PARTY})


def can_inspect_claims(user: User, case: Case) -> bool:
    """The claims pages of a case ``user`` can see: the table (art. 57), his own claims, or all of them."""
    return takes_part_in(user, case)


def can_see_all_claims(user: User, case: Case) -> bool:
    return may_see_case_work(user, case)


def can_declare(user: User, case: Case) -> bool:
    """For a case ``user`` can see: a creditor or a lawyer acting for one."""
    return is_signed_in(user) and user.role in DECLARING_ROLES


def can_review(user: User, case: Case) -> bool:
    return is_appointed_administrator(user, case)


def can_rule(user: User, case: Case) -> bool:
    return is_judge_of(user, case)
