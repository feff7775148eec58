"""Who may see and do what with evaluations.

- Court staff of a court see every evaluation made at their court; a firm's administrators see only their
  own firm's.
- A judge or the court administrator of the court computes an evaluation; only judges assess one.
- Only the court administrator publishes a formula and applies a suggested grade to the roster.
- Only an administrator of the evaluated firm responds.
"""

from __future__ import annotations

import uuid

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.cases.policies import is_court_staff_of, is_signed_in
from smartcourt.evaluation.models import Evaluation


def can_see(user: User, evaluation: Evaluation) -> bool:
    if is_court_staff_of(user, evaluation.court_id):
        return True
    return is_signed_in(user) and user.role == Role.ADMINISTRATOR and user.organisation_id == evaluation.firm_id


def can_evaluate(user: User, court_id: uuid.UUID) -> bool:
    return is_court_staff_of(user, court_id) and user.role in {Role.JUDGE, Role.COURT_ADMIN}


def can_assess(user: User, evaluation: Evaluation) -> bool:
    return is_court_staff_of(user, evaluation.court_id) and user.role == Role.JUDGE


def can_keep_formula(user: User, court_id: uuid.UUID) -> bool:
    return is_court_staff_of(user, court_id) and user.role == Role.COURT_ADMIN


def can_respond(user: User, evaluation: Evaluation) -> bool:
    return is_signed_in(user) and user.role == Role.ADMINISTRATOR and user.organisation_id == evaluation.firm_id
