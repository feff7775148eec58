"""Who may do what with the transparency log and evidence deposits."""

from __future__ import annotations

from smartcourt.accounts.choices import COURT_ROLES, Role
from smartcourt.accounts.models import User
from smartcourt.dossier.models import DossierEntry


def can_deposit(user: User) -> bool:
    """Any signed-in user: parties, lawyers, creditors, and partner platforms through their API tokens."""
    return bool(user.is_authenticated and user.is_active)


def can_manage_log(user: User) -> bool:
    """Court administrators sign checkpoints on demand, manage witnesses and see alarms."""
    return bool(user.is_authenticated and user.is_active and user.role == Role.COURT_ADMIN)


def can_see_deposit(user: User, *, depositor_id: object, sha256: str) -> bool:
    """The depositor; and court staff of a court where the deposited evidence is filed in one of its cases
    (a dossier entry with the same SHA-256), who must be able to check a receipt produced in that case. A
    deposit is private until then: court staff of another court, or of no case holding it, do not see it."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.pk == depositor_id:
        return True
    if user.role not in COURT_ROLES or user.organisation_id is None:
        return False
    return DossierEntry.objects.filter(file_sha256=sha256, case__court_id=user.organisation_id).exists()
