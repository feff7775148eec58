"""Who may read a case's dossier.

The dossier holds court-internal material (requests to the judge and the judge's replies, draft rulings,
investigation records), so being a member of the case is not enough: court staff who can see the case read
it, and so does the administrator appointed on it (its firm's members, or a person appointed by name).
Creditors, banks and parties do not; to them the dossier does not exist (404).
"""

from __future__ import annotations

from django.db.models import Q

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.cases.choices import JUDICIAL_MEMBER_ROLES, MemberRole
from smartcourt.cases.models import Case


def is_appointed_administrator(user: User, case: Case) -> bool:
    """``user`` is the administrator appointed on ``case``: personally, or as a member of the appointed firm."""
    if not user.is_authenticated or not user.is_active or user.role != Role.ADMINISTRATOR:
        return False
    holder = Q(user=user)
    if user.organisation_id is not None:
        holder |= Q(organisation_id=user.organisation_id)
    return case.members.filter(holder, role=MemberRole.ADMINISTRATOR).exists()


def is_judge_of(user: User, case: Case) -> bool:
    """``user`` is a judge sitting on ``case``: the presiding judge or a member of the collegial panel."""
    if not user.is_authenticated or not user.is_active or user.role != Role.JUDGE:
        return False
    if user.organisation_id != case.court_id:
        return False
    if case.presiding_judge_id == user.pk:
        return True
    return case.members.filter(user=user, role__in=JUDICIAL_MEMBER_ROLES).exists()


def can_read_dossier(user: User, case: Case) -> bool:
    """For a case ``user`` can already see (through cases.selectors): may they read its dossier?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_court_staff:
        return user.organisation_id == case.court_id
    return is_appointed_administrator(user, case)


def can_file_correction(user: User, case: Case) -> bool:
    """Corrections are the court's to file: court staff of the case's court who can see the case."""
    return user.is_authenticated and user.is_active and user.is_court_staff and user.organisation_id == case.court_id
