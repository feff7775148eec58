"""Which zone each role signs in to (issue 18, ADR 0012).

Court staff work on the court's private network; the bank reaches it over its dedicated line. Everyone else
(parties, lawyers, creditors, administrators) comes from the internet. A user can sign in only where his role
belongs, so a judge's password typed on the internet side opens nothing there, and a party's session cookie is
worthless on the court side.
"""

from __future__ import annotations

from smartcourt.accounts.choices import COURT_ROLES, Role
from smartcourt.accounts.models import User
from smartcourt.core.zones import Zone, serves

COURT_ZONE_ROLES = COURT_ROLES | {Role.BANK_OPERATOR}


def zone_of_role(role: str) -> Zone:
    return Zone.COURT if role in COURT_ZONE_ROLES else Zone.INTERNET


def may_sign_in_here(user: User) -> bool:
    """Whether this process's zone serves the user's role (always, in the single-process install)."""
    return serves({zone_of_role(user.role)})
