"""Who may do what with claims.

- Anyone who can see the case (cases.selectors) may inspect the claims table, masked (art. 57).
- Court staff of the case's court and the appointed administrator see every claim of the case.
- A creditor (or party) member of the case declares claims and sees only his own.
- Only the appointed administrator reviews; only a judge sitting on the case rules.
"""

from __future__ import annotations

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.cases.policies import is_appointed_administrator, is_judge_of, is_signed_in, may_see_case_work

__all__ = ["can_declare", "can_review", "can_rule", "can_see_all_claims", "is_appointed_administrator"]

DECLARING_ROLES = frozenset({Role.CREDITOR, Role.PARTY})


def can_see_all_claims(user: User, case: Case) -> bool:
    return may_see_case_work(user, case)


def can_declare(user: User, case: Case) -> bool:
    """For a case ``user`` can see: a creditor or a lawyer acting for one."""
    return is_signed_in(user) and user.role in DECLARING_ROLES


def can_review(user: User, case: Case) -> bool:
    return is_appointed_administrator(user, case)


def can_rule(user: User, case: Case) -> bool:
    return is_judge_of(user, case)
