"""The signed claims table the administrator files with the court (EBL art. 57)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims import policies
from smartcourt.claims.errors import ClaimError
from smartcourt.claims.models import Claim, SignedTable
from smartcourt.claims.sealing import sealed_pdf
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.core.uploads import PDF
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind

# Up to this many claims the table is sealed while the administrator waits (about 1.5 s per 100 claims to
# render); a larger table is sealed by the background job.
SYNC_TABLE_ROWS = 300


# The largest table sealed as one PDF; beyond it the xlsx export is the working copy.
MAX_SIGNED_TABLE_ROWS = 10_000


@dataclass(frozen=True)
class TableSigning:
    """What a request to seal the table did: sealed it now, or queued it for the background job."""

    table: SignedTable | None
    queued: bool


def _checked_table_request(actor: User, case_id: uuid.UUID | str) -> tuple[Case, int]:
    case = get_case_for(actor, case_id)
    if not policies.can_review(actor, case):
        raise PermissionDenied(_("Only the administrator appointed on this case signs the claims table"))
    count = Claim.objects.filter(case=case).count()
    if count == 0:
        raise Conflict(_("There is no claim on the table yet"), code=ClaimError.EMPTY_TABLE)
    if count > MAX_SIGNED_TABLE_ROWS:
        raise DomainError(
            _("A signed table holds at most %(max_signed_table_rows)s claims; use the xlsx export")
            % {"max_signed_table_rows": MAX_SIGNED_TABLE_ROWS},
            code=ClaimError.TABLE_TOO_LARGE,
        )
    return case, count


def request_table_signature(*, actor: User, case_id: uuid.UUID | str) -> TableSigning:
    """Seal the table now if it is small, else queue the background job (after this request's commit)."""
    case, count = _checked_table_request(actor, case_id)
    if count <= SYNC_TABLE_ROWS:
        return TableSigning(table=sign_claims_table(actor=actor, case_id=case.pk), queued=False)
    from smartcourt.claims.tasks import sign_claims_table_task

    actor_id, requested_at = str(actor.pk), timezone.now().isoformat()
    transaction.on_commit(lambda: sign_claims_table_task(actor_id, str(case.pk), requested_at))
    return TableSigning(table=None, queued=True)


def sign_claims_table(
    *, actor: User, case_id: uuid.UUID | str, requested_at: dt.datetime | None = None
) -> SignedTable | None:
    """Seal the claims table as it stands now with the firm's seal (identity numbers masked, art. 57): the
    copy submitted to the creditors' meeting and downloaded by interested parties. Each signing is a new
    version; earlier ones stay in the dossier.

    The rows are read once (the totals are summed from those very rows, so the PDF is consistent), the PDF is
    rendered and signed outside any transaction (seconds for a large table: no lock is held meanwhile), and the
    entry, the record and the audit event are written in one short transaction. With ``requested_at`` (the
    background job) nothing is done when a version was signed since the request: a retried job signs once."""
    from smartcourt.claims.selectors import summary_of, table_rows

    case, _count = _checked_table_request(actor, case_id)
    if requested_at is not None and SignedTable.objects.filter(case=case, created_at__gte=requested_at).exists():
        return None
    rows = list(table_rows(case)[:MAX_SIGNED_TABLE_ROWS])
    summary = summary_of(rows)
    generated_at = timezone.localtime()
    sealed = sealed_pdf(
        actor=actor,
        case=case,
        template="claims/pdf/sealed_table.html",
        context={"summary": summary, "rows": rows, "generated_at": generated_at},
        reason="债权表",
    )
    title = f"债权表（{generated_at:%Y-%m-%d}，{summary.count}笔）"
    with transaction.atomic():
        entry = file_entry(
            actor=actor,
            case=case,
            kind=EntryKind.DOCUMENT,
            title=title,
            content=sealed.pdf,
            filename=f"债权表-{case.number}.pdf",
            content_type=PDF,
        )
        table = SignedTable.objects.create(
            case=case,
            entry=entry,
            sha256=sealed.sha256,
            seal_fingerprint=sealed.seal_fingerprint,
            claims=summary.count,
            declared_fen=summary.declared_fen,
            confirmed_fen=summary.confirmed_fen,
            signed_by=actor,
        )
        record_event(
            actor=actor,
            action="claims.table_signed",
            case_id=case.pk,
            obj=table,
            after={
                "claims": summary.count,
                "declared_fen": summary.declared_fen,
                "confirmed_fen": summary.confirmed_fen,
                "sha256": sealed.sha256,
                "entry": entry.number,
            },
        )
    return table
