"""Who may read a case's dossier.

The dossier holds court-internal material (requests to the judge and the judge's replies, draft rulings,
investigation records), so being a member of the case is not enough: court staff who can see the case read
it, and so does the administrator appointed on it (its firm's members, or a person appointed by name).
Creditors, banks and parties do not; to them the dossier does not exist (404).
"""

from __future__ import annotations

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.cases.policies import is_court_staff_of_case, may_see_case_work


def can_read_dossier(user: User, case: Case) -> bool:
    """For a case ``user`` can already see (through cases.selectors): may they read its dossier?"""
    return may_see_case_work(user, case)


def can_file_correction(user: User, case: Case) -> bool:
    """Corrections are the court's to file: court staff of the case's court who can see the case."""
    return is_court_staff_of_case(user, case)
