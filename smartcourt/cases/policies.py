"""Who stands where on a case: the access predicates every app builds its rules on.

Each app keeps a thin ``policies.py`` that names what its pages and actions allow (``can_rule``,
``can_request``...) and delegates to these. A predicate here answers one question about one user and one
case, is false for anonymous and deactivated users, and never raises: the caller decides whether a refusal is
a 404 (the user may not know the record exists) or a 403.

Seeing the case at all is not decided here but by ``cases.selectors.cases_visible_to``; the predicates below
are asked about a case the user can already see, except where the docstring says otherwise.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.cases.choices import JUDICIAL_MEMBER_ROLES, MemberRole
from smartcourt.cases.models import Case

__all__ = [
    "is_appointed_administrator",
    "is_assigned_assistant",
    "is_bank_of_case",
    "is_court_admin_of_case",
    "is_court_staff_of",
    "is_court_staff_of_case",
    "is_judge_of",
    "is_judge_of_court",
    "is_signed_in",
    "may_see_case_work",
    "takes_part_in",
]

AnyUser = User | AnonymousUser


def is_signed_in(user: AnyUser) -> bool:
    """An authenticated, active account: nobody else is allowed anything a predicate decides."""
    return bool(user.is_authenticated and user.is_active)


def is_court_staff_of(user: AnyUser, court_id: uuid.UUID | None) -> bool:
    """Staff of the court ``court_id`` (judges, assistants, clerks, court administrators of that court)."""
    return (
        isinstance(user, User)
        and is_signed_in(user)
        and user.is_court_staff
        and court_id is not None
        and user.organisation_id == court_id
    )


def is_court_staff_of_case(user: AnyUser, case: Case) -> bool:
    """Staff of the court that hears ``case``."""
    return is_court_staff_of(user, case.court_id)


def is_judge_of_court(user: AnyUser, case: Case) -> bool:
    """A judge of the case's court, whether or not he sits on the case: who rules on acceptance and records
    the appointment, before the new case lists its panel."""
    return is_court_staff_of_case(user, case) and isinstance(user, User) and user.role == Role.JUDGE


def is_court_admin_of_case(user: AnyUser, case: Case) -> bool:
    """A court administrator of the case's court."""
    return is_court_staff_of_case(user, case) and isinstance(user, User) and user.role == Role.COURT_ADMIN


def is_judge_of(user: AnyUser, case: Case) -> bool:
    """A judge sitting on ``case``: the presiding judge or a member of the collegial panel."""
    if not isinstance(user, User) or not is_judge_of_court(user, case):
        return False
    if case.presiding_judge_id == user.pk:
        return True
    return case.members.filter(user_id=user.pk, role__in=JUDICIAL_MEMBER_ROLES).exists()


def is_assigned_assistant(user: AnyUser, case: Case) -> bool:
    """A judge assistant of the case's court assigned to ``case``."""
    if not is_court_staff_of_case(user, case) or not isinstance(user, User) or user.role != Role.JUDGE_ASSISTANT:
        return False
    return case.members.filter(user_id=user.pk, role=MemberRole.JUDGE_ASSISTANT).exists()


def is_appointed_administrator(user: AnyUser, case: Case) -> bool:
    """The administrator appointed on ``case`` (EBL art. 13, 22): personally, or as a member of the appointed
    firm."""
    if not isinstance(user, User) or not is_signed_in(user) or user.role != Role.ADMINISTRATOR:
        return False
    holder = Q(user_id=user.pk)
    if user.organisation_id is not None:
        holder |= Q(organisation_id=user.organisation_id)
    return case.members.filter(holder, role=MemberRole.ADMINISTRATOR).exists()


def may_see_case_work(user: AnyUser, case: Case) -> bool:
    """The people who conduct the case see its internal work: court staff of the case's court and the
    appointed administrator (EBL art. 23: he carries out his duties under the court's supervision).

    This is what the node work, every claim (not only one's own), distribution plans and batches, the
    supervised account and its payments, the dossier and the follow-up of a creditors' meeting show.
    Creditors, parties and banks who are members of the case see the case, not this.
    """
    return is_court_staff_of_case(user, case) or is_appointed_administrator(user, case)


def is_bank_of_case(user: AnyUser, case: Case) -> bool:
    """An operator of the bank that holds the case's supervised account (a BANK member of the case): he sees
    the account and its movements, nothing of the claims or the court's work."""
    if not isinstance(user, User) or not is_signed_in(user) or user.role != Role.BANK_OPERATOR:
        return False
    if user.organisation_id is None:
        return False
    return case.members.filter(organisation_id=user.organisation_id, role=MemberRole.BANK).exists()


def takes_part_in(user: AnyUser, case: Case) -> bool:
    """Those who conduct the case and those who take part in it as creditors or parties (and their lawyers):
    what the claims table (EBL art. 57), the creditors' meetings and the announced dates are open to. Not the
    supervising bank, which only holds the account. Asked about a case the user can see."""
    if may_see_case_work(user, case):
        return True
    return isinstance(user, User) and is_signed_in(user) and user.role in {Role.CREDITOR, Role.PARTY}
