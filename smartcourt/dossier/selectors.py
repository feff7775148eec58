"""Reads of the dossier, always scoped to the user asking."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import NotFound
from smartcourt.core.lookups import get_or_not_found
from smartcourt.dossier.models import DossierEntry
from smartcourt.dossier.policies import can_read_dossier


@dataclass(frozen=True)
class Dossier:
    case: Case
    entries: QuerySet[DossierEntry]


def dossier_for(user: User, case_id: uuid.UUID | str) -> Dossier:
    """The case's dossier, in number order, if ``user`` may read it; NotFound otherwise (as for a missing case)."""
    case = get_case_for(user, case_id)
    if not can_read_dossier(user, case):
        raise NotFound(_("No such case"))
    entries = DossierEntry.objects.filter(case=case).select_related("filed_by", "corrects").order_by("number")
    return Dossier(case=case, entries=entries)


def get_entry_for(user: User, case_id: uuid.UUID | str, number: int) -> DossierEntry:
    """One entry of a dossier ``user`` may read; NotFound for a missing entry exactly as for a hidden dossier."""
    dossier = dossier_for(user, case_id)
    return get_or_not_found(dossier.entries, "No such dossier entry", number=number)


def entries_from(source_type: str, source_ids: list[str]) -> QuerySet[DossierEntry]:
    """Entries filed from the given objects (by model label and primary key). The caller has checked access."""
    return DossierEntry.objects.filter(source_type=source_type, source_id__in=source_ids).order_by("number")
