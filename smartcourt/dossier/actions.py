"""Filing into the dossier. Nothing here changes or removes an entry: a mistake is corrected by a new one."""

from __future__ import annotations

import hashlib
import uuid

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import cases_visible_to
from smartcourt.core.errors import DomainError, NotFound, PermissionDenied
from smartcourt.core.lengths import check_length
from smartcourt.core.lookups import get_or_not_found
from smartcourt.core.uploads import EXTENSIONS, CheckedFile, sniff_content_type
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierCounter, DossierEntry
from smartcourt.dossier.policies import can_file_correction
from smartcourt.dossier.selectors import dossier_for

MAX_STORED_NAME = 120


def _take_number(case: Case) -> int:
    """The next entry number of ``case``, inside the caller's transaction.

    Same scheme as case numbers: create the counter row idempotently, then increment it with an UPDATE that
    holds the row lock until commit, so a concurrent filer waits and a rolled-back filing leaves no gap.
    """
    DossierCounter.objects.bulk_create([DossierCounter(case=case, last_number=0)], ignore_conflicts=True)
    counter = DossierCounter.objects.filter(case=case)
    counter.update(last_number=F("last_number") + 1)
    return counter.values_list("last_number", flat=True).get()


def stored_name(filename: str, content_type: str) -> str:
    """A name safe to put in a storage path: letters (Chinese too), digits, '-', '_' and '.', with an extension."""
    try:
        name = get_valid_filename(filename)
    except SuspiciousFileOperation:
        name = ""
    name = name.lstrip(".")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    if not extension and content_type in EXTENSIONS:
        extension = EXTENSIONS[content_type][0].lstrip(".")
    stem = stem[: MAX_STORED_NAME - len(extension) - 1] or "file"
    return f"{stem}.{extension}" if extension else stem


@transaction.atomic
def file_entry(
    *,
    actor: User,
    case: Case,
    kind: str,
    title: str,
    content: bytes | None = None,
    filename: str = "",
    content_type: str = "",
    source: models.Model | None = None,
    note: str = "",
    corrects: DossierEntry | None = None,
) -> DossierEntry:
    """File one entry into ``case``'s dossier, with its file when ``content`` is given, and record it.

    The caller authorises the act that produces the entry (a request, a ruling); this only checks that the
    actor can see the case at all. Run it inside the caller's transaction, so the act and its dossier entry
    commit together and the entry number is not used up by an act that rolls back.
    """
    if kind not in EntryKind.values:
        raise DomainError(f"unknown dossier entry kind {kind!r}", field="kind")
    title = title.strip()
    if not title:
        raise DomainError("a dossier entry needs a title", field="title")
    if len(title) > 200:
        raise DomainError("a dossier entry title is at most 200 characters", field="title")
    # The name the file was given, shown and offered on download: kept whole or refused (uploads are
    # already cleaned to fit: core.uploads.clean_filename).
    check_length(DossierEntry, "file_name", filename, label=_("The file name"), input_field="file")
    if len(note) > 500:
        raise DomainError("a dossier entry note is at most 500 characters", field="note")
    if (kind == EntryKind.CORRECTION) != (corrects is not None):
        raise DomainError("a correction, and only a correction, names the entry it corrects", field="corrects")
    if corrects is not None and corrects.case_id != case.pk:
        raise DomainError("a correction must correct an entry of the same case", field="corrects")
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise NotFound(_("No such case"))
    if content is not None:
        detected = sniff_content_type(content)
        content_type = content_type or detected or "application/octet-stream"
    number = _take_number(case)
    entry = DossierEntry(
        case=case,
        number=number,
        kind=kind,
        title=title,
        note=note,
        filed_at=timezone.now(),
        filed_by=actor,
        source_type=source._meta.label if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
        corrects=corrects,
    )
    if content is not None:
        entry.file_name = filename
        entry.file_sha256 = hashlib.sha256(content).hexdigest()
        entry.content_type = content_type
        entry.size = len(content)
        # Written before the row: a failed write leaves no row pointing at nothing. An outer rollback can
        # leave an unreferenced file behind; it is never served, since only rows lead to files.
        entry.file.save(stored_name(filename, content_type), ContentFile(content), save=False)
    entry.save()
    record_event(
        actor=actor,
        action="dossier.entry_filed",
        case_id=case.pk,
        obj=entry,
        after={
            "number": number,
            "kind": kind,
            "title": title,
            "file_name": entry.file_name,
            "file_sha256": entry.file_sha256,
            "size": entry.size,
            "source": f"{entry.source_type}:{entry.source_id}" if source is not None else None,
            "corrects": corrects.number if corrects is not None else None,
        },
    )
    return entry


@transaction.atomic
def file_correction(
    *,
    actor: User,
    case_id: uuid.UUID,
    corrects_number: int,
    title: str,
    note: str = "",
    attachment: CheckedFile | None = None,
) -> DossierEntry:
    """Court staff put a filed entry right by filing a correction that names it; the entry itself stays."""
    dossier = dossier_for(actor, case_id)
    if not can_file_correction(actor, dossier.case):
        raise PermissionDenied("Only court staff of this court file corrections")
    corrected = get_or_not_found(dossier.entries, "No such dossier entry", number=corrects_number)
    return file_entry(
        actor=actor,
        case=dossier.case,
        kind=EntryKind.CORRECTION,
        title=title,
        note=note,
        corrects=corrected,
        content=attachment.content if attachment else None,
        filename=attachment.name if attachment else "",
        content_type=attachment.content_type if attachment else "",
    )
