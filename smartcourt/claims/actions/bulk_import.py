"""Importing a list of creditors and claims from a spreadsheet."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims import policies
from smartcourt.claims.choices import CreditorSource
from smartcourt.claims.errors import ClaimError
from smartcourt.claims.imports import COLUMNS, MAX_ROWS, Problem, parse_list
from smartcourt.claims.models import Creditor
from smartcourt.core.errors import DomainError, PermissionDenied
from smartcourt.core.lengths import fit
from smartcourt.core.spreadsheets import Limits, SpreadsheetUnreadable, read_sheet
from smartcourt.core.uploads import XLSX, UploadedFileLike, clean_filename, sniff_content_type
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry


class ImportRefused(DomainError):
    """An import with problems: nothing was imported; ``problems`` names each line and cell."""

    code = ClaimError.IMPORT_REFUSED

    def __init__(self, message: str, *, problems: list[Problem]) -> None:
        super().__init__(message, field="file")
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    created: int
    encoding: str
    entry_number: int


IMPORT_BATCH = 1000


@transaction.atomic
def import_creditor_list(
    *, actor: User, case_id: uuid.UUID | str, uploaded_file: UploadedFileLike, source: str
) -> ImportReport:
    """Import the debtor's creditor list or the employee list: every line or none (art. 48 for employees)."""
    case = get_case_for(actor, case_id)
    if not policies.can_review(actor, case):
        raise PermissionDenied(_("Only the administrator appointed on this case imports creditor lists"))
    if source not in COLUMNS:
        raise DomainError(_("unknown list %(source)s") % {"source": source}, field="source")
    name, content = _read_list_file(uploaded_file)
    try:
        # The header and MAX_ROWS lines, and one more so that parse_list can say the file is too long.
        sheet = read_sheet(content, name, limits=Limits(max_rows=MAX_ROWS + 2, max_columns=32))
    except SpreadsheetUnreadable as exc:
        raise ImportRefused(
            _("%(name)s: %(exc)s") % {"name": name, "exc": exc}, problems=[Problem(0, "", str(exc))]
        ) from exc
    parsed = parse_list(sheet, source)
    existing = set(
        Creditor.objects.filter(case=case, identifier__in=[row.identifier for row in parsed.rows]).values_list(
            "identifier", flat=True
        )
    )
    id_column = "C" if source == CreditorSource.DEBTOR_LIST else "B"
    header = COLUMNS[source][2 if source == CreditorSource.DEBTOR_LIST else 1]
    for row in parsed.rows:
        if row.identifier in existing:
            parsed.problems.append(
                Problem(
                    row.line,
                    f"{id_column}{row.line} ({header})",
                    f"duplicate creditor: {row.identifier} is already a creditor of this case",
                )
            )
    if parsed.problems:
        parsed.problems.sort(key=lambda problem: problem.line)
        raise ImportRefused(
            _("%(name)s: %(count)s problem(s); nothing was imported") % {"name": name, "count": len(parsed.problems)},
            problems=parsed.problems,
        )
    Creditor.objects.bulk_create(
        [
            Creditor(
                case=case,
                kind=row.kind,
                name=row.name,
                identifier=row.identifier,
                phone=row.phone,
                account=row.account,
                source=source,
                listed_nature=row.nature,
                listed_principal_fen=row.principal_fen,
                listed_interest_fen=row.interest_fen,
                listed_other_fen=row.other_fen,
            )
            for row in parsed.rows
        ],
        batch_size=IMPORT_BATCH,
    )
    label = "债权人清册" if source == CreditorSource.DEBTOR_LIST else "职工债权清单"
    entry = file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.ATTACHMENT,
        title=fit(DossierEntry, "title", f"{label}（导入 {len(parsed.rows)} 名）：{name}"),
        content=content,
        filename=name,
    )
    record_event(
        actor=actor,
        action="claims.list_imported",
        case_id=case.pk,
        after={"source": source, "file": name, "creditors": len(parsed.rows), "encoding": sheet.encoding},
    )
    return ImportReport(created=len(parsed.rows), encoding=sheet.encoding, entry_number=entry.number)


def _read_list_file(uploaded_file: UploadedFileLike) -> tuple[str, bytes]:
    limit: int = settings.UPLOAD_MAX_BYTES
    name = clean_filename(uploaded_file.name)
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ImportRefused(
            _("%(value)s: only .xlsx and .csv files are accepted") % {"value": name or "(unnamed file)"},
            problems=[Problem(0, "", "only .xlsx and .csv files are accepted")],
        )
    buffer = bytearray()
    for chunk in uploaded_file.chunks():
        buffer.extend(chunk)
        if len(buffer) > limit:
            raise ImportRefused(
                _("%(name)s: file is too large") % {"name": name}, problems=[Problem(0, "", "file is too large")]
            )
    content = bytes(buffer)
    if name.lower().endswith(".xlsx") and sniff_content_type(content) != XLSX:
        raise ImportRefused(
            _("%(name)s: the name says xlsx but the content is not an xlsx workbook") % {"name": name},
            problems=[Problem(0, "", "the content is not an xlsx workbook")],
        )
    return name, content
