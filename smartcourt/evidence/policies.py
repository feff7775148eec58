"""Who may do what with the transparency log and evidence deposits."""

from __future__ import annotations

from smartcourt.accounts.choices import COURT_ROLES, Role
from smartcourt.accounts.models import User


def can_deposit(user: User) -> bool:
    """Any signed-in user: parties, lawyers, creditors, and partner platforms through their API tokens."""
    return bool(user.is_authenticated and user.is_active)


def can_manage_log(user: User) -> bool:
    """Court administrators sign checkpoints on demand, manage witnesses and see alarms."""
    return bool(user.is_authenticated and user.is_active and user.role == Role.COURT_ADMIN)


def can_see_deposit(user: User, depositor_id: object) -> bool:
    """The depositor, and court staff (who must be able to check a receipt produced in a case)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.pk == depositor_id or user.role in COURT_ROLES)
