"""Execution: the approved batch to the bank, its answers, escrow of held shares (EBL art. 116-119)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.banking.adapter import (
    PURPOSE_LENGTH,
    BankUnavailable,
    Payee,
    TransferInstruction,
    TransferResult,
    TransferStatus,
)
from smartcourt.banking.approval import issue_batch_approval_token
from smartcourt.banking.iso20022.camt import read_camt053, read_camt054
from smartcourt.banking.iso20022.pain002 import read_pain002
from smartcourt.banking.iso20022.safe_xml import XmlRefused
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.core.lengths import check_length, fit, shorten
from smartcourt.distributions import policies
from smartcourt.distributions.actions._common import _locked_batch, _move_batch
from smartcourt.distributions.choices import BatchStatus, LineStatus
from smartcourt.distributions.errors import DistributionError
from smartcourt.distributions.models import BatchLine, BatchTransition, Escrow, PaymentBatch
from smartcourt.distributions.selectors import line_totals, plan_classes, reconcile_batch
from smartcourt.dossier.choices import EntryKind
from smartcourt.funds.actions import ExpectedDebitInput, expect_debits
from smartcourt.funds.bank import adapter_for as bank_adapter_for
from smartcourt.funds.choices import Purpose
from smartcourt.funds.models import SupervisedAccount
from smartcourt.funds.selectors import account_of

# The sandbox bank (and the adapter contract) takes at most this many instructions per batch call; a larger
# batch goes as consecutive parts, each under its own court token covering exactly that part.
BANK_BATCH_SIZE = 5000


APPROVAL_VALIDITY = dt.timedelta(days=3)


def _account_for(batch: PaymentBatch) -> SupervisedAccount:
    account = account_of(batch.plan.case)
    if account is None:
        raise Conflict("The case has no supervised account to pay from", code=DistributionError.NO_ACCOUNT)
    if account.account_number != batch.paying_account:
        raise Conflict(
            "The batch is paid from an account that is not the case's supervised account",
            code=DistributionError.ACCOUNT_MISMATCH,
        )
    return account


@transaction.atomic
def mark_batch_sent(*, actor: User, batch_id: uuid.UUID | str) -> PaymentBatch:
    """First step of sending: the approved batch becomes SENT (intent recorded) before any bank call, so a
    crash after this point is resumed by sending again: the bank answers repeated batch ids and idempotency
    keys with its first results and never pays twice."""
    batch = _locked_batch(actor, batch_id)
    if not (policies.can_rule(actor, batch.plan.case) or policies.can_prepare(actor, batch.plan.case)):
        raise PermissionDenied("Only the judge or the administrator of this case sends an approved batch")
    if batch.status in (BatchStatus.SENT, BatchStatus.COMPLETED):
        return batch
    _account_for(batch)
    before = {"status": batch.status}
    _move_batch(batch, BatchStatus.SENT, actor=actor)
    record_event(
        actor=actor,
        action="distributions.batch_sent",
        case_id=batch.plan.case_id,
        obj=batch,
        before=before,
        after={"status": batch.status},
    )
    return batch


def _instructions(batch: PaymentBatch, account_number: str, lines: Sequence[BatchLine]) -> list[TransferInstruction]:
    return [
        TransferInstruction(
            idempotency_key=line.end_to_end_id,
            account_number=account_number,
            payee=Payee(
                name=line.payee_name,
                account_number=line.account,
                bank_name=line.bank_name,
                bank_code=line.bank_code,
                identity_number=line.payee_identity,
            ),
            amount_fen=line.amount_fen or 0,
            purpose=shorten(f"{batch.plan.case.number} 破产财产分配", PURPOSE_LENGTH),
        )
        for line in lines
    ]


def _approval_reference(batch: PaymentBatch) -> str:
    approval = ""
    if batch.approved_by is not None and batch.approved_at is not None:
        approval = f"{batch.approved_by.full_name} {timezone.localdate(batch.approved_at).isoformat()} 批准"
    return f"分配批次《{batch.filename}》（{approval}）"[:100] if approval else f"分配批次《{batch.filename}》"[:100]


def send_batch(*, actor: User, batch_id: uuid.UUID | str) -> str:
    """Send an approved batch to the bank and record each line's answer; returns the batch's status.

    Safe to run any number of times (a task retries it): only lines without a final answer are sent, under
    the same part ids and idempotency keys, so the bank answers them with its first results."""
    batch = mark_batch_sent(actor=actor, batch_id=batch_id)
    if batch.status == BatchStatus.COMPLETED:
        return batch.status
    account = _account_for(batch)
    adapter = bank_adapter_for(account.bank_partner)
    open_lines = list(batch.lines.filter(status__in=[LineStatus.PENDING, LineStatus.ACCEPTED]).order_by("row"))
    # Fund supervision books these debits as the distribution they are, not as debits nobody asked for.
    expect_debits(
        actor=actor,
        account_id=account.pk,
        debits=[
            ExpectedDebitInput(line.end_to_end_id, line.amount_fen, line.account)
            for line in open_lines
            if line.amount_fen
        ],
        purpose=Purpose.DISTRIBUTION,
        # What the fund page shows beside each of these debits: which batch, approved by whom and when.
        reference=_approval_reference(batch),
    )
    all_rows = list(batch.lines.order_by("row").values_list("row", flat=True))
    part_of = {row: index // BANK_BATCH_SIZE for index, row in enumerate(all_rows)}
    parts: dict[int, list[BatchLine]] = defaultdict(list)
    for line in open_lines:
        parts[part_of[line.row]].append(line)
    for part in sorted(parts):
        # The part is always re-sent whole (its lines in the first call), so its token and hash never change.
        whole = list(batch.lines.order_by("row")[part * BANK_BATCH_SIZE : (part + 1) * BANK_BATCH_SIZE])
        instructions = _instructions(batch, account.account_number, whole)
        part_id = f"{batch.pk.hex}-{part + 1}"
        token = issue_batch_approval_token(
            case_reference=batch.plan.case.number or str(batch.plan.case_id),
            account_number=account.account_number,
            batch_id=part_id,
            instructions=instructions,
            expires_at=timezone.now() + APPROVAL_VALIDITY,
        )
        try:
            result = adapter.batch_transfer(
                batch_id=part_id, account_number=account.account_number, instructions=instructions, approval_token=token
            )
        except BankUnavailable:
            return BatchStatus.SENT
        record_bank_results(batch_id=batch.pk, results=result.results)
    batch.refresh_from_db()
    return batch.status


def _reason_code(result: TransferResult, reason_codes: dict[str, str] | None) -> str:
    """The bank's reason for a line it refused or returned: the file's ISO code, else the adapter's."""
    return (reason_codes or {}).get(result.idempotency_key) or (
        str(result.reason.value) if result.reason else result.status.value
    )


@transaction.atomic
def record_bank_results(
    *, batch_id: uuid.UUID | str, results: Sequence[TransferResult], reason_codes: dict[str, str] | None = None
) -> PaymentBatch:
    """Record the bank's answer per line (by idempotency key = EndToEndId): executed lines are paid; a
    refused or returned payment goes to escrow (提存) with the bank's reason. A line already final keeps its
    state, except a paid line that the bank later reports returned. When no line waits any more, the batch is
    completed. Used for the batch call's answer, and for pain.002 and camt.054 read by banking.iso20022."""
    batch = PaymentBatch.objects.select_for_update().select_related("plan", "plan__case").get(pk=batch_id)
    lines = {line.end_to_end_id: line for line in batch.lines.all()}
    changed = {"paid": 0, "escrowed": 0, "accepted": 0}
    # A reference or a reason code the columns cannot hold makes the whole answer refused before anything is
    # written, like an answer about a line not in the batch: cut, the reference would no longer be the bank's
    # (ISO 20022 bounds it: Max35Text). The bank's words for people are shortened visibly.
    for result in results:
        check_length(BatchLine, "bank_reference", result.bank_reference, label=_("The bank's reference"))
        check_length(BatchLine, "failure_code", _reason_code(result, reason_codes), label=_("The bank's reason code"))
    for result in results:
        line = lines.get(result.idempotency_key)
        if line is None:
            raise DomainError("the bank answered about a line not in this batch", code=DistributionError.BANK_MISMATCH)
        final = line.status in (LineStatus.PAID, LineStatus.ESCROWED)
        if result.status == TransferStatus.EXECUTED and not final:
            BatchLine.objects.filter(pk=line.pk).update(status=LineStatus.PAID, bank_reference=result.bank_reference)
            changed["paid"] += 1
        elif result.status in (TransferStatus.REJECTED, TransferStatus.RETURNED) and (
            not final or (line.status == LineStatus.PAID and result.status == TransferStatus.RETURNED)
        ):
            reason = _reason_code(result, reason_codes)
            BatchLine.objects.filter(pk=line.pk).update(
                status=LineStatus.ESCROWED,
                bank_reference=result.bank_reference or line.bank_reference,
                failure_code=reason,
                failure_text=fit(BatchLine, "failure_text", result.message or reason),
            )
            Escrow.objects.get_or_create(
                batch_line=line,
                defaults={
                    "case": batch.plan.case,
                    "creditor_id": line.creditor_id,
                    "amount_fen": line.amount_fen or 0,
                    "reason_code": reason,
                    "reason": fit(Escrow, "reason", result.message or reason),
                },
            )
            changed["escrowed"] += 1
        elif result.status == TransferStatus.ACCEPTED and line.status == LineStatus.PENDING:
            BatchLine.objects.filter(pk=line.pk).update(status=LineStatus.ACCEPTED)
            changed["accepted"] += 1
    waiting = batch.lines.filter(status__in=[LineStatus.PENDING, LineStatus.ACCEPTED]).exists()
    if not waiting and batch.status == BatchStatus.SENT:
        PaymentBatch.objects.filter(pk=batch.pk, row_version=batch.row_version).update(
            status=BatchStatus.COMPLETED, row_version=batch.row_version + 1, updated_at=timezone.now()
        )
        BatchTransition.objects.create(
            batch=batch, from_status=batch.status, to_status=BatchStatus.COMPLETED, actor=None
        )
        batch.status = BatchStatus.COMPLETED
    if any(changed.values()):
        record_event(
            actor=None,
            action="distributions.bank_results_recorded",
            case_id=batch.plan.case_id,
            obj=batch,
            after={**changed, "status": batch.status},
        )
    return batch


def _sent_batch(batch_id: uuid.UUID | str) -> PaymentBatch:
    batch = PaymentBatch.objects.select_related("plan", "plan__case").get(pk=batch_id)
    if batch.status not in (BatchStatus.SENT, BatchStatus.COMPLETED):
        raise Conflict("The bank's files concern a batch that was sent", code=DistributionError.NOT_SENT)
    return batch


def apply_status_report(*, batch_id: uuid.UUID | str, data: bytes) -> PaymentBatch:
    """The bank's pain.002 status report on the batch's pain.001: each line by its EndToEndId. A report about
    another message, or a hostile or malformed file, is refused and changes nothing."""
    batch = _sent_batch(batch_id)
    try:
        report = read_pain002(data)
    except XmlRefused as exc:
        raise DomainError(f"pain.002 refused: {exc}", field="file") from exc
    if report.original_message_id != batch.message_id:
        raise DomainError(
            "The status report is about another payment file", field="file", code=DistributionError.BANK_MISMATCH
        )
    results = [
        TransferResult(
            idempotency_key=t.end_to_end_id,
            status=t.transfer_status,
            bank_reference=t.bank_reference,
            message=" ".join(part for part in (t.reason_code, t.reason_text) if part),
        )
        for t in report.transactions
    ]
    codes = {t.end_to_end_id: t.reason_code for t in report.transactions if t.reason_code}
    return record_bank_results(batch_id=batch.pk, results=results, reason_codes=codes)


def apply_notifications(*, batch_id: uuid.UUID | str, data: bytes) -> PaymentBatch:
    """The bank's camt.054 notifications: a booked debit for one of the batch's lines means it is paid; a
    credit returning one (return information, e.g. AC04 closed account) sends it to escrow. Entries about
    anything else (other payments, incoming money) are the funds ledger's, not ours, and are skipped."""
    batch = _sent_batch(batch_id)
    try:
        notifications = read_camt054(data)
    except XmlRefused as exc:
        raise DomainError(f"camt.054 refused: {exc}", field="file") from exc
    ours = set(batch.lines.values_list("id", flat=True).iterator())
    keys = {key.hex for key in ours}
    results: list[TransferResult] = []
    codes: dict[str, str] = {}
    for notification in notifications:
        if notification.account_number != batch.paying_account:
            continue
        for entry in notification.entries:
            if entry.end_to_end_id not in keys or not entry.booked:
                continue
            if entry.is_return:
                results.append(
                    TransferResult(
                        idempotency_key=entry.end_to_end_id,
                        status=TransferStatus.RETURNED,
                        bank_reference=entry.bank_reference,
                        message=" ".join(part for part in (entry.return_reason, entry.return_text) if part),
                    )
                )
                codes[entry.end_to_end_id] = entry.return_reason
            elif entry.amount_fen < 0:
                results.append(
                    TransferResult(
                        idempotency_key=entry.end_to_end_id,
                        status=TransferStatus.EXECUTED,
                        bank_reference=entry.bank_reference,
                    )
                )
    return record_bank_results(batch_id=batch.pk, results=results, reason_codes=codes)


@transaction.atomic
def file_execution_report(*, actor: User, batch_id: uuid.UUID | str, statement: bytes | None = None) -> PaymentBatch:
    """The administrator files the distribution execution report (关于破产财产分配执行情况的报告) for a
    completed batch into the dossier. With the bank's camt.053 statement, the batch must reconcile with it
    line by line first, and the report says so."""
    from smartcourt.core.pdf import template_to_pdf
    from smartcourt.dossier.actions import file_entry

    batch = _locked_batch(actor, batch_id)
    case = batch.plan.case
    if not policies.can_prepare(actor, case):
        raise PermissionDenied("Only the administrator appointed on this case reports on the distribution")
    if batch.status != BatchStatus.COMPLETED:
        raise Conflict(
            "The report is filed once the bank has answered every line", code=DistributionError.NOT_COMPLETED
        )
    if batch.report_entry_id is not None:
        raise Conflict("The execution report of this batch is already filed", code=DistributionError.ALREADY_FILED)
    reconciliation = None
    if statement is not None:
        try:
            statements = read_camt053(statement)
        except XmlRefused as exc:
            raise DomainError(f"camt.053 refused: {exc}", field="statement") from exc
        reconciliation = reconcile_batch(batch, statements)
        if not reconciliation.reconciled:
            raise Conflict(
                "The batch does not reconcile with the statement: "
                f"{len(reconciliation.missing)} missing, {len(reconciliation.amount_differs)} amounts differ, "
                f"{len(reconciliation.not_ours_paid)} debited but not paid here",
                code=DistributionError.UNRECONCILED,
            )
    pdf = template_to_pdf(
        "distributions/pdf/execution_report.html",
        {
            "case": case,
            "plan": batch.plan,
            "batch": batch,
            "classes": plan_classes(batch.plan),
            "totals": line_totals(batch),
            "escrows": Escrow.objects.filter(batch_line__batch=batch).select_related("batch_line"),
            "reconciliation": reconciliation,
            "today": timezone.localdate(),
        },
    )
    entry = file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.REPORT,
        title="关于破产财产分配执行情况的报告",
        content=pdf,
        filename="分配执行情况报告.pdf",
        content_type="application/pdf",
        source=batch,
    )
    PaymentBatch.objects.filter(pk=batch.pk).update(report_entry=entry)
    batch.report_entry = entry
    record_event(
        actor=actor,
        action="distributions.execution_report_filed",
        case_id=case.pk,
        obj=batch,
        after={"entry": str(entry.pk), "reconciled_with_statement": reconciliation is not None},
    )
    return batch
