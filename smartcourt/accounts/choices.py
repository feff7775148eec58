"""Kinds of organisation and the roles a user can hold."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    # A people's court; carries a court code such as 苏0623 and its parent court.
    COURT = "court", _("Court")
    # A law or accounting firm on a court's administrator roster (管理人).
    ADMINISTRATOR_FIRM = "administrator_firm", _("Administrator firm")
    # A bank that holds supervised accounts.
    BANK = "bank", _("Bank")
    # A company: a debtor, a creditor or a party.
    COMPANY = "company", _("Company")


class Role(models.TextChoices):
    # Court staff (法院内网).
    JUDGE = "judge", _("Judge")
    JUDGE_ASSISTANT = "judge_assistant", _("Judge assistant")
    FILING_CLERK = "filing_clerk", _("Filing clerk")
    COURT_ADMIN = "court_admin", _("Court administrator")
    # Outside the court (互联网 or dedicated line).
    ADMINISTRATOR = "administrator", _("Bankruptcy administrator")
    CREDITOR = "creditor", _("Creditor")
    PARTY = "party", _("Party or lawyer")
    BANK_OPERATOR = "bank_operator", _("Bank operator")


COURT_ROLES = frozenset({Role.JUDGE, Role.JUDGE_ASSISTANT, Role.FILING_CLERK, Role.COURT_ADMIN})
# Roles that handle rulings, estates or money: they must sign in with a second factor.
TWO_FACTOR_ROLES = COURT_ROLES | {Role.ADMINISTRATOR, Role.BANK_OPERATOR}
# Court roles that see every case of their court, not only the ones they sit on.
COURT_WIDE_ROLES = frozenset({Role.FILING_CLERK, Role.COURT_ADMIN})

# Which kind of organisation each role belongs to (None: a private person may hold it alone).
ROLE_ORGANISATION_KIND: dict[str, str | None] = {
    Role.JUDGE: OrganisationKind.COURT,
    Role.JUDGE_ASSISTANT: OrganisationKind.COURT,
    Role.FILING_CLERK: OrganisationKind.COURT,
    Role.COURT_ADMIN: OrganisationKind.COURT,
    Role.ADMINISTRATOR: OrganisationKind.ADMINISTRATOR_FIRM,
    Role.BANK_OPERATOR: OrganisationKind.BANK,
    Role.CREDITOR: None,
    Role.PARTY: None,
}
