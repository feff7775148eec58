"""Demo data for the administrator roster: a court's 管理人名册 with firms of all three grades.

Call it from the demo seed once the court, its court administrator and the demo's own firms exist:

    from smartcourt.administrators.demo import seed_roster
    seed_roster(court=cast.rudong, court_admin=cast.users["courtadmin"], firms=[cast.firm_a, cast.firm_b])

Idempotent: firms are found by name and entries by (court, firm) before anything is created.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from smartcourt.accounts.actions import create_organisation
from smartcourt.accounts.choices import OrganisationKind
from smartcourt.accounts.models import Organisation, User
from smartcourt.administrators.actions import add_to_roster, update_roster_entry
from smartcourt.administrators.choices import Grade
from smartcourt.administrators.models import RosterEntry
from smartcourt.core.identifiers import credit_code_check_char

# Fictitious firms. Law firms' codes start with 31 (registered by the justice administration), accounting and
# liquidation firms' with 91 (companies) or 31 as well; every code carries its GB 32100 check character.
DEMO_FIRMS: tuple[tuple[str, str, str, dt.date], ...] = (
    ("江苏南通海韵律师事务所", "31320000MD0200011", Grade.FIRST, dt.date(2019, 12, 2)),
    ("江苏天衡会计师事务所南通分所", "91320600MA1R2K3L1", Grade.FIRST, dt.date(2019, 12, 2)),
    ("江苏崇川律师事务所", "31320000MD0200028", Grade.SECOND, dt.date(2019, 12, 2)),
    ("南通通正清算事务所有限公司", "91320600MA1Q7W8E2", Grade.SECOND, dt.date(2021, 3, 15)),
    ("江苏如东东方律师事务所", "31320000MD0200036", Grade.SECOND, dt.date(2021, 3, 15)),
    ("南通华信会计师事务所有限公司", "91320600MA1T5Y6U3", Grade.THIRD, dt.date(2023, 6, 1)),
    ("江苏启海律师事务所", "31320000MD0200044", Grade.THIRD, dt.date(2023, 6, 1)),
    ("南通江海破产清算事务所有限公司", "91320600MA1P9N0M4", Grade.THIRD, dt.date(2023, 6, 1)),
)
# A firm that left the roster: still listed, no longer appointed.
INACTIVE_FIRM = "江苏启海律师事务所"
# Grades of the demo's own firms (smartcourt/cases/demo.py), listed first.
OWN_FIRM_GRADES = (Grade.FIRST, Grade.SECOND)
OWN_FIRMS_LISTED = dt.date(2019, 12, 2)


def _firm(name: str, stem: str) -> Organisation:
    existing = Organisation.objects.filter(kind=OrganisationKind.ADMINISTRATOR_FIRM, name=name).first()
    if existing is not None:
        return existing
    return create_organisation(
        actor=None,
        kind=OrganisationKind.ADMINISTRATOR_FIRM,
        name=name,
        credit_code=stem + credit_code_check_char(stem),
    )


@transaction.atomic
def seed_roster(
    *, court: Organisation, court_admin: User, firms: list[Organisation] | None = None
) -> list[RosterEntry]:
    """Put ``firms`` (the demo's own, grades 1 and 2) and the demo roster firms on ``court``'s roster."""
    wanted: list[tuple[Organisation, str, dt.date]] = [
        (firm, OWN_FIRM_GRADES[index % len(OWN_FIRM_GRADES)], OWN_FIRMS_LISTED)
        for index, firm in enumerate(firms or [])
    ]
    wanted += [(_firm(name, stem), grade, listed_on) for name, stem, grade, listed_on in DEMO_FIRMS]
    entries = []
    for firm, grade, listed_on in wanted:
        entry = RosterEntry.objects.filter(court=court, firm=firm).first()
        if entry is None:
            entry = add_to_roster(actor=court_admin, court=court, firm=firm, grade=grade, listed_on=listed_on)
            if firm.name == INACTIVE_FIRM:
                entry = update_roster_entry(actor=court_admin, entry_id=entry.pk, grade=entry.grade, active=False)
        entries.append(entry)
    return entries
