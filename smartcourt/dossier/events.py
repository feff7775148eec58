"""Dossier entries belong to the dossier (dossier.policies.can_read_dossier)."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, choices_of, declare
from smartcourt.dossier.choices import EntryKind

declare(
    EventType(
        "dossier.entry_filed",
        _("Filed into the dossier"),
        Audience.CASE_WORK,
        # "title" is the document's, "number" the entry's: not the case's title and number.
        labels={"number": _("Entry number"), "title": _("Document title"), "kind": _("Kind of entry")},
        values={"kind": choices_of(EntryKind)},
        hidden=frozenset({"source", "corrects"}),
    ),
)
