"""Payment batches: built from an approved plan or an uploaded file, checked, approved by the judge."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.banking.iso20022.pain001 import CreditTransfer, build_pain001
from smartcourt.banking.iso20022.pain001 import PaymentBatch as Pain001Batch
from smartcourt.cases.choices import PartyRole
from smartcourt.cases.models import Case
from smartcourt.claims.choices import CreditorKind
from smartcourt.core.errors import Conflict, CoreError, DomainError, PermissionDenied
from smartcourt.core.lengths import check_length, check_text
from smartcourt.core.spreadsheets import CellValue, Limits, SpreadsheetUnreadable, read_sheet
from smartcourt.core.uploads import XLSX, sniff_content_type
from smartcourt.distributions import policies
from smartcourt.distributions.actions._common import _bulk_insert, _keyer, _locked_batch, _locked_plan, _move_batch
from smartcourt.distributions.choices import BatchSource, BatchStatus, LineStatus, PlanStatus
from smartcourt.distributions.errors import DistributionError
from smartcourt.distributions.models import BatchLine, BatchTransition, PaymentBatch
from smartcourt.distributions.payment_file_check import MAX_LINES, CheckedLine, check_rows
from smartcourt.distributions.selectors import compare_batch, payees_of

_ACCOUNT = re.compile(r"^[0-9]{8,32}$", re.ASCII)


_BANK_CODE = re.compile(r"^[0-9]{12}$", re.ASCII)


# MAX_LINES lines, the header and room for a title above it, and one line more so that check_rows can say the
# file is too long; anything beyond is refused by the reader before it is read.
# A judge's reasons for refusing a batch: a page, not a brief.
MAX_REFUSAL = 2000
PAYMENT_FILE_LIMITS = Limits(max_rows=MAX_LINES + 101, max_columns=32)


def _read_payment_file(filename: str, content: bytes) -> tuple[list[list[CellValue]], frozenset[tuple[int, int]]]:
    name = filename.lower()
    if not name.endswith((".xlsx", ".csv")):
        raise DomainError(
            "Only .xlsx and .csv payment files are accepted", field="file", code=CoreError.UNSUPPORTED_TYPE
        )
    if not content:
        raise DomainError("The file is empty", field="file")
    if name.endswith(".xlsx") and sniff_content_type(content) != XLSX:
        raise DomainError("The name says xlsx but the content is not an xlsx workbook", field="file")
    try:
        # core.spreadsheets checks the archive (zip bombs), the declared extent and every cell before reading.
        sheet = read_sheet(content, filename, limits=PAYMENT_FILE_LIMITS)
    except SpreadsheetUnreadable as exc:
        raise DomainError(f"{filename}: {exc}", field="file", code=DistributionError.UNREADABLE) from exc
    return [list(row) for row in sheet.rows], sheet.formulas


def _paying_account(account: str, bank_name: str, bank_code: str) -> tuple[str, str, str]:
    account, bank_name, bank_code = account.strip(), bank_name.strip(), bank_code.strip()
    if not _ACCOUNT.match(account):
        raise DomainError("The paying account must be 8 to 32 digits", field="paying_account")
    if not bank_name or len(bank_name) > 140:
        raise DomainError("Give the paying account's bank (at most 140 characters)", field="paying_bank_name")
    if bank_code and not _BANK_CODE.match(bank_code):
        raise DomainError("The bank code is 12 digits", field="paying_bank_code")
    return account, bank_name, bank_code


@transaction.atomic
def upload_batch(
    *,
    actor: User,
    plan_id: uuid.UUID | str,
    filename: str,
    content: bytes,
    paying_account: str,
    paying_bank_name: str,
    paying_bank_code: str = "",
) -> tuple[PaymentBatch, bool]:
    """Check a payment file (xlsx or csv) against the ruled plan and keep it with its line-by-line report.

    The same file for the same plan makes one batch however often, and however concurrently, it is sent:
    the second answer is the first batch (``created`` False). A file with errors is kept as INVALID so its
    report can be read; it can never be submitted."""
    plan = _locked_plan(actor, plan_id)
    if not policies.can_prepare(actor, plan.case):
        raise PermissionDenied("Only the administrator appointed on this case uploads payment files")
    if plan.status != PlanStatus.RULED:
        raise Conflict("Only a plan approved by the court's ruling can be paid", code=DistributionError.PLAN_NOT_RULED)
    account, bank_name, bank_code = _paying_account(paying_account, paying_bank_name, paying_bank_code)
    check_length(PaymentBatch, "filename", filename, label=_("The file name"), input_field="file")
    digest = hashlib.sha256(content).hexdigest()
    existing = PaymentBatch.objects.filter(plan=plan, content_sha256=digest).exclude(status=BatchStatus.REFUSED)
    if (found := existing.first()) is not None:
        return found, False
    rows, formulas = _read_payment_file(filename, content)
    result = check_rows(rows, formulas=formulas, payees=payees_of(plan))
    status = BatchStatus.CHECKED if result.ok else BatchStatus.INVALID
    try:
        with transaction.atomic():
            batch = PaymentBatch.objects.create(
                plan=plan,
                source=BatchSource.UPLOADED,
                status=status,
                filename=filename,
                content_sha256=digest,
                uploaded_by=actor,
                paying_account=account,
                paying_bank_name=bank_name,
                paying_bank_code=bank_code,
                line_count=len(result.lines),
                total_fen=result.total_fen,
                error_count=result.error_count,
                file_errors=result.file_errors,
            )
    except IntegrityError:
        if (found := existing.first()) is not None:
            return found, False
        raise Conflict(
            "Another payment batch of this plan is already in progress", code=DistributionError.BATCH_IN_PROGRESS
        ) from None
    _journal_lines(batch, result.lines)
    BatchTransition.objects.create(batch=batch, from_status="", to_status=status, actor=actor)
    record_event(
        actor=actor,
        action="distributions.batch_uploaded",
        case_id=plan.case_id,
        obj=batch,
        after={
            "plan": str(plan.pk),
            "status": status,
            "sha256": digest,
            "lines": batch.line_count,
            "total_fen": batch.total_fen,
            "lines_with_errors": batch.error_count,
            "file_errors": len(batch.file_errors),
        },
    )
    return batch, True


_LINE_COLUMNS = (
    "id",
    "batch_id",
    "row",
    "creditor_id",
    "payee_name",
    "payee_identity",
    "account",
    "bank_name",
    "bank_code",
    "amount_text",
    "amount_fen",
    "planned_fen",
    "errors",
    "status",
    "bank_reference",
    "failure_code",
    "failure_text",
)


def _journal_lines(batch: PaymentBatch, lines: Sequence[CheckedLine]) -> None:
    """The batch's lines, as read and checked, in one bulk insert."""
    _key = _keyer()
    batch_key = _key(batch.pk)
    _bulk_insert(
        BatchLine,
        _LINE_COLUMNS,
        [
            (
                _key(uuid.uuid4()),
                batch_key,
                line.row,
                _key(line.creditor_id) if line.creditor_id else None,
                line.name,
                line.identity,
                line.account,
                line.bank_name,
                line.bank_code,
                line.amount_text,
                line.amount_fen,
                line.planned_fen,
                json.dumps(line.errors, ensure_ascii=False) if line.errors else "[]",
                LineStatus.PENDING.value,
                "",
                "",
                "",
            )
            for line in lines
        ],
    )


@transaction.atomic
def submit_batch(*, actor: User, batch_id: uuid.UUID | str) -> PaymentBatch:
    """The administrator submits a checked batch (no error at all) to the judge."""
    batch = _locked_batch(actor, batch_id)
    if not policies.can_prepare(actor, batch.plan.case):
        raise PermissionDenied("Only the administrator appointed on this case submits payment batches")
    if batch.status == BatchStatus.INVALID:
        raise Conflict(
            "A batch with errors cannot be submitted; correct the file and upload it again", code=CoreError.INVALID
        )
    before = {"status": batch.status}
    _move_batch(batch, BatchStatus.SUBMITTED, actor=actor)
    PaymentBatch.objects.filter(pk=batch.pk).update(submitted_at=timezone.now())
    record_event(
        actor=actor,
        action="distributions.batch_submitted",
        case_id=batch.plan.case_id,
        obj=batch,
        before=before,
        after={"status": batch.status},
    )
    return batch


def _debtor_name(case: Case) -> str:
    party = case.parties.filter(role=PartyRole.DEBTOR).order_by("created_at").first()
    return party.name if party is not None else case.title


def build_batch_file(batch: PaymentBatch, *, requested_on: dt.date, created_at: dt.datetime) -> bytes:
    """The batch as pain.001.001.09, one PmtInf, EndToEndId = the line's id, validated against the XSD."""
    case = batch.plan.case
    kinds = dict(batch.lines.filter(creditor__isnull=False).values_list("creditor_id", "creditor__kind").iterator())
    debtor = _debtor_name(case)
    transfers = [
        CreditTransfer(
            end_to_end_id=line.end_to_end_id,
            amount_fen=line.amount_fen or 0,
            payee_name=line.payee_name,
            payee_account=line.account,
            payee_bank_name=line.bank_name,
            payee_bank_code=line.bank_code,
            payee_identity=line.payee_identity,
            payee_is_person=line.creditor_id is not None and kinds.get(line.creditor_id) == CreditorKind.NATURAL_PERSON,
            remittance=f"{case.number} 破产财产分配",
        )
        for line in batch.lines.order_by("row").iterator(chunk_size=5000)
    ]
    organisation = batch.uploaded_by.organisation
    return build_pain001(
        Pain001Batch(
            message_id=batch.pk.hex,
            created_at=created_at,
            initiating_party=f"{debtor}管理人" if organisation is None else organisation.name,
            # PmtInfId is Max35Text: 30 of the batch id's 32 hex digits (120 random bits) keep it unique.
            payment_info_id=f"{batch.pk.hex[:30]}-P1",
            requested_on=requested_on,
            debtor_name=f"{debtor}管理人",
            debtor_account=batch.paying_account,
            debtor_bank_name=batch.paying_bank_name,
            debtor_bank_code=batch.paying_bank_code,
            transfers=transfers,
        )
    )


@transaction.atomic
def approve_batch(*, actor: User, batch_id: uuid.UUID | str) -> PaymentBatch:
    """The judge approves a submitted batch (maker-checker: never his own upload), after seeing it equal to
    the plan. The pain.001 file is generated and validated against its XSD here, so an approved batch is
    ready to send; sending waits for the funds and banking apps (approval token, bank adapter)."""
    batch = _locked_batch(actor, batch_id)
    if not policies.can_rule(actor, batch.plan.case):
        raise PermissionDenied("Only a judge of this case approves payment batches")
    if batch.uploaded_by_id == actor.pk:
        raise PermissionDenied("The person who uploaded a batch cannot approve it (maker-checker)")
    if batch.plan.status != PlanStatus.RULED:
        raise Conflict("The plan is no longer approved by the court", code=DistributionError.PLAN_NOT_RULED)
    comparison = compare_batch(batch)
    if not comparison.matches:
        raise Conflict(
            "The batch differs from the plan; it cannot be approved", code=DistributionError.DIFFERS_FROM_PLAN
        )
    before = {"status": batch.status}
    _move_batch(batch, BatchStatus.APPROVED, actor=actor)
    now = timezone.now()
    xml = build_batch_file(batch, requested_on=timezone.localdate(now), created_at=timezone.localtime(now))
    PaymentBatch.objects.filter(pk=batch.pk).update(
        approved_by=actor,
        approved_at=now,
        message_id=batch.pk.hex,
        pain001=xml,
        pain001_sha256=hashlib.sha256(xml).hexdigest(),
    )
    batch.refresh_from_db()
    record_event(
        actor=actor,
        action="distributions.batch_approved",
        case_id=batch.plan.case_id,
        obj=batch,
        before=before,
        after={
            "status": batch.status,
            "lines": batch.line_count,
            "total_fen": batch.total_fen,
            "pain001_sha256": batch.pain001_sha256,
        },
    )
    return batch


@transaction.atomic
def refuse_batch(*, actor: User, batch_id: uuid.UUID | str, reason: str) -> PaymentBatch:
    batch = _locked_batch(actor, batch_id)
    if not policies.can_rule(actor, batch.plan.case):
        raise PermissionDenied("Only a judge of this case refuses payment batches")
    reason = reason.strip()
    if not reason:
        raise DomainError("Give the reason for refusing the batch", field="reason")
    reason = check_text(reason, MAX_REFUSAL, label=_("The reason"), field="reason")
    before = {"status": batch.status}
    _move_batch(batch, BatchStatus.REFUSED, actor=actor, note=reason)
    PaymentBatch.objects.filter(pk=batch.pk).update(refusal_reason=reason)
    batch.refresh_from_db()
    record_event(
        actor=actor,
        action="distributions.batch_refused",
        case_id=batch.plan.case_id,
        obj=batch,
        before=before,
        after={"status": batch.status, "reason": reason},
    )
    return batch
