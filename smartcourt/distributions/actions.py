"""Writes of the distributions app: plans, their way through the meeting and the court, payment batches.

Every action takes an explicit ``actor``, runs in one transaction and writes its audit event inside it.
Plan and batch states change by compare-and-set on ``row_version`` and leave an immutable transition row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.banking.adapter import BankUnavailable, Payee, TransferInstruction, TransferResult, TransferStatus
from smartcourt.banking.approval import issue_batch_approval_token
from smartcourt.banking.iso20022.camt import read_camt053, read_camt054
from smartcourt.banking.iso20022.pain001 import CreditTransfer, build_pain001
from smartcourt.banking.iso20022.pain001 import PaymentBatch as Pain001Batch
from smartcourt.banking.iso20022.pain002 import read_pain002
from smartcourt.banking.iso20022.safe_xml import XmlRefused
from smartcourt.cases.choices import PartyRole
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims.choices import ClaimNature, ClaimStatus, CreditorKind
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.spreadsheets import CellValue, Limits, SpreadsheetUnreadable, read_sheet
from smartcourt.core.uploads import XLSX, sniff_content_type
from smartcourt.distributions import policies
from smartcourt.distributions.checking import MAX_LINES, CheckedLine, check_rows
from smartcourt.distributions.choices import (
    BATCH_TRANSITIONS,
    PLAN_TRANSITIONS,
    BatchSource,
    BatchStatus,
    LineClass,
    LineStatus,
    PlanKind,
    PlanStatus,
    ReserveReason,
)
from smartcourt.distributions.models import (
    BatchLine,
    BatchTransition,
    DistributionPlan,
    Escrow,
    PaymentBatch,
    PlanLine,
    PlanTransition,
)
from smartcourt.distributions.planning import ClaimRow, Expense, compute_plan
from smartcourt.distributions.selectors import (
    claims_owed,
    compare_batch,
    line_totals,
    payees_of,
    plan_classes,
    reconcile_batch,
)
from smartcourt.dossier.choices import EntryKind
from smartcourt.funds.actions import ExpectedDebitInput, expect_debits
from smartcourt.funds.bank import adapter_for as bank_adapter_for
from smartcourt.funds.choices import Purpose
from smartcourt.funds.models import SupervisedAccount
from smartcourt.funds.selectors import account_of
from smartcourt.meetings.choices import AgendaKind, MeetingStatus
from smartcourt.meetings.models import AgendaItem
from smartcourt.rules.calendar import current_calendar
from smartcourt.rules.periods import add_months, next_working_day

# Claims the plan pays: reviewed and confirmed (by the administrator, the court, or after a dispute).
CONFIRMED_STATES = frozenset(
    {ClaimStatus.CONFIRMED, ClaimStatus.PARTLY_CONFIRMED, ClaimStatus.COURT_CONFIRMED, ClaimStatus.RESOLVED}
)
# Claims whose share is held (art. 119): objection or suit pending, review suspended.
HELD_STATES = frozenset({ClaimStatus.DISPUTED, ClaimStatus.PENDING})
NATURE_CLASS = {
    ClaimNature.SECURED: LineClass.SECURED,
    ClaimNature.EMPLOYEE: LineClass.EMPLOYEE,
    ClaimNature.SOCIAL_INSURANCE_TAX: LineClass.SOCIAL_TAX,
    ClaimNature.ORDINARY: LineClass.ORDINARY,
}
_ACCOUNT = re.compile(r"^\d{8,32}$")
_BANK_CODE = re.compile(r"^\d{12}$")
# MAX_LINES lines, the header and room for a title above it, and one line more so that check_rows can say the
# file is too long; anything beyond is refused by the reader before it is read.
PAYMENT_FILE_LIMITS = Limits(max_rows=MAX_LINES + 101, max_columns=32)
MAX_BASIS = 2000


@dataclass(frozen=True)
class PlanInput:
    """The administrator's inputs to a plan version."""

    kind: str
    available_fen: int
    available_basis: str
    collateral_proceeds: dict[str, int] = field(default_factory=dict)  # claim id -> fen realised
    expenses: Sequence[Expense] = ()
    conditional_claim_ids: frozenset[str] = frozenset()
    conditional_claim_numbers: frozenset[int] = frozenset()  # registration numbers, as typed on the page


def available_from_ledger(case: Case) -> int | None:
    """The supervised account's balance as the bank last reported it (smartcourt.funds), offered to the
    administrator as the amount available; None when the case has no supervised account. He still enters the
    amount and its basis: part of the balance may be kept for expenses not yet due."""
    account = account_of(case)
    return account.balance_fen if account is not None else None


def meeting_result_for_plan(plan: DistributionPlan) -> bool | None:
    """The creditors' meeting's vote on ``plan`` when it was voted on the platform (smartcourt.meetings):
    adopted or not, or None while the meeting has not closed or the plan is not linked to an agenda item
    (then the judge records a resolution taken outside the platform, with its reference)."""
    item = plan.meeting_item
    if item is None or item.meeting.status != MeetingStatus.CLOSED:
        return None
    return item.passed


@transaction.atomic
def adopt_meeting_vote(*, actor: User, plan_id: uuid.UUID | str, agenda_item_id: uuid.UUID | str) -> DistributionPlan:
    """Take the result of the platform's vote on the plan (an agenda item of kind distribution plan of a
    closed meeting of the case): adopted, the plan goes on to the court; rejected, the version ends (twice
    rejected, the court rules under art. 65(2)). One vote decides one plan version."""
    plan = _locked_plan(actor, plan_id)
    if not (policies.can_rule(actor, plan.case) or policies.can_prepare(actor, plan.case)):
        raise PermissionDenied("Only the judge or the administrator of this case takes the meeting's vote")
    try:
        item = AgendaItem.objects.select_related("meeting").get(pk=agenda_item_id, meeting__case=plan.case)
    except (AgendaItem.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound("No such agenda item in this case's meetings") from exc
    if item.kind != AgendaKind.DISTRIBUTION_PLAN:
        raise DomainError("That agenda item is not a vote on a distribution plan", field="agenda_item")
    if item.meeting.status != MeetingStatus.CLOSED or item.passed is None:
        raise Conflict("The meeting has not closed its vote yet", code="vote_open")
    if DistributionPlan.objects.filter(meeting_item=item).exclude(pk=plan.pk).exists():
        raise Conflict("That vote already decided another version of the plan", code="vote_used")
    closed = item.meeting.closed_at or timezone.now()
    reference = f"{item.meeting.title} 第{item.position}项：{item.title}"[:200]
    before = {"status": plan.status}
    _move_plan(plan, PlanStatus.APPROVED if item.passed else PlanStatus.REJECTED, actor=actor, reference=reference)
    DistributionPlan.objects.filter(pk=plan.pk).update(
        meeting_item=item,
        meeting_reference=reference,
        meeting_resolved_on=timezone.localdate(closed),
        rejection_reason="" if item.passed else "creditors' meeting did not adopt the plan",
    )
    plan.refresh_from_db()
    record_event(
        actor=actor,
        action="distributions.meeting_vote_adopted",
        case_id=plan.case_id,
        obj=plan,
        before=before,
        after={"status": plan.status, "agenda_item": str(item.pk), "passed": item.passed},
    )
    return plan


# --- plans ---------------------------------------------------------------------------------------------------


def forfeited_to_redistribute(case: Case) -> int:
    """Escrowed amounts forfeited (art. 119) since the case's latest plan version was drawn up: what a
    supplementary distribution to the other creditors has to share out."""
    latest = DistributionPlan.objects.filter(case=case).order_by("-created_at").values_list("created_at", flat=True)
    escrows = Escrow.objects.filter(case=case, forfeited_at__isnull=False)
    since = latest.first()
    if since is not None:
        escrows = escrows.filter(forfeited_at__gt=since)
    return escrows.aggregate(total=Sum("amount_fen"))["total"] or 0


def _claim_rows(case: Case, plan_input: PlanInput) -> list[ClaimRow]:
    # A creditor whose distribution was forfeited is deemed to have waived his right to receive it (art. 119):
    # later versions share out among the others.
    waived = set(
        Escrow.objects.filter(case=case, forfeited_at__isnull=False, creditor__isnull=False).values_list(
            "creditor_id", flat=True
        )
    )
    paid_before: dict[uuid.UUID, int] = defaultdict(int)
    for claim_id, paid in PlanLine.objects.filter(
        plan__case=case, plan__status=PlanStatus.RULED, claim__isnull=False
    ).values_list("claim_id", "paid_fen"):
        paid_before[claim_id] += paid
    known: set[str] = set()
    numbers: set[int] = set()
    rows: list[ClaimRow] = []
    # Plain tuples, not model instances: a large case has tens of thousands of claims.
    fields = (
        "pk",
        "number",
        "status",
        "nature",
        "confirmed_nature",
        "creditor_id",
        "creditor__name",
        "principal_fen",
        "interest_fen",
        "penalties_fen",
        "costs_fen",
        "confirmed_principal_fen",
        "confirmed_interest_fen",
        "confirmed_penalties_fen",
        "confirmed_costs_fen",
    )
    for row in claims_owed(case).values_list(*fields).iterator(chunk_size=5000):
        pk, number, status, nature, confirmed_nature, creditor_id, name = row[:7]
        claim_key = str(pk)
        known.add(claim_key)
        numbers.add(number)
        if creditor_id in waived:
            continue
        if status in CONFIRMED_STATES:
            owed = sum(row[11:15])
        elif status in HELD_STATES:
            owed = sum(row[7:11])
        else:
            continue
        nature = confirmed_nature or nature
        owed = max(0, owed - paid_before[pk])
        reserve = ReserveReason.NONE
        if status in HELD_STATES:
            reserve = ReserveReason.DISPUTED
        elif claim_key in plan_input.conditional_claim_ids or number in plan_input.conditional_claim_numbers:
            reserve = ReserveReason.CONDITIONAL
        line_class = NATURE_CLASS[ClaimNature(nature)]
        proceeds = plan_input.collateral_proceeds.get(claim_key, 0)
        if proceeds and line_class != LineClass.SECURED:
            raise DomainError(
                f"Claim {number} is not secured: it has no collateral proceeds", field="collateral_proceeds"
            )
        rows.append(
            ClaimRow(
                claim_id=claim_key,
                creditor_id=str(creditor_id),
                label=name,
                line_class=line_class,
                owed_fen=owed,
                reserve=reserve,
                collateral_proceeds_fen=proceeds,
            )
        )
    for given in (*plan_input.collateral_proceeds, *plan_input.conditional_claim_ids):
        if given not in known:
            raise DomainError(f"No claim {given} in this case", field="claims")
    for number in sorted(plan_input.conditional_claim_numbers - numbers):
        raise DomainError(f"No claim number {number} in this case", field="conditional")
    return rows


@transaction.atomic
def create_plan(*, actor: User, case_id: uuid.UUID | str, plan_input: PlanInput) -> DistributionPlan:
    """Compute and store a new draft version of the case's distribution plan from the claims table."""
    case = get_case_for(actor, case_id)
    if not policies.can_prepare(actor, case):
        raise PermissionDenied("Only the administrator appointed on this case draws up the distribution plan")
    if plan_input.kind not in PlanKind.values:
        raise DomainError(f"unknown kind {plan_input.kind!r}", field="kind")
    basis = plan_input.available_basis.strip()
    if not basis:
        raise DomainError("Say where the available amount comes from", field="available_basis")
    if len(basis) > MAX_BASIS:
        raise DomainError(f"The basis is limited to {MAX_BASIS} characters", field="available_basis")
    if plan_input.available_fen < 0:
        raise DomainError("The amount available cannot be negative", field="available")
    if any(fen < 0 for fen in plan_input.collateral_proceeds.values()):
        raise DomainError("Collateral proceeds cannot be negative", field="collateral_proceeds")
    Case.objects.select_for_update().filter(pk=case.pk).first()  # numbers one after another per case
    rows = _claim_rows(case, plan_input)
    try:
        computed = compute_plan(available_fen=plan_input.available_fen, claims=rows, expenses=plan_input.expenses)
    except ValueError as exc:
        raise DomainError(str(exc), field="expenses") from exc
    number = (DistributionPlan.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1
    plan = DistributionPlan.objects.create(
        case=case,
        number=number,
        kind=plan_input.kind,
        available_fen=plan_input.available_fen,
        available_basis=basis,
        collateral_surplus_fen=computed.collateral_surplus_fen,
        secured_paid_fen=computed.secured_paid_fen,
        distributed_fen=computed.distributed_fen,
        reserved_fen=computed.reserved_fen,
        undistributed_fen=computed.undistributed_fen,
        created_by=actor,
    )
    _key = _keyer()
    _bulk_insert(
        PlanLine,
        (
            "id",
            "plan_id",
            "position",
            "line_class",
            "claim_id",
            "creditor_id",
            "label",
            "owed_fen",
            "collateral_proceeds_fen",
            "share_fen",
            "paid_fen",
            "reserved_fen",
            "reserve_reason",
        ),
        [
            (
                _key(uuid.uuid4()),
                _key(plan.pk),
                position,
                str(line.line_class),
                _key(line.claim_id) if line.claim_id else None,
                _key(line.creditor_id) if line.creditor_id else None,
                line.label[:200],
                line.owed_fen,
                line.collateral_proceeds_fen,
                line.share_fen,
                line.paid_fen,
                line.reserved_fen,
                str(line.reserve),
            )
            for position, line in enumerate(computed.lines, start=1)
        ],
    )
    record_event(
        actor=actor,
        action="distributions.plan_created",
        case_id=case.pk,
        obj=plan,
        after={
            "number": number,
            "kind": plan.kind,
            "available_fen": plan.available_fen,
            "distributed_fen": plan.distributed_fen,
            "secured_paid_fen": plan.secured_paid_fen,
            "reserved_fen": plan.reserved_fen,
            "lines": len(computed.lines),
        },
    )
    return plan


def _locked_plan(actor: User, plan_id: uuid.UUID | str) -> DistributionPlan:
    from smartcourt.distributions.selectors import get_plan_for

    visible = get_plan_for(actor, plan_id)
    return DistributionPlan.objects.select_for_update().select_related("case").get(pk=visible.pk)


def _move_plan(plan: DistributionPlan, to_status: str, *, actor: User, reference: str = "", note: str = "") -> None:
    if to_status not in PLAN_TRANSITIONS[PlanStatus(plan.status)]:
        raise Conflict(
            f"A plan that is {PlanStatus(plan.status).label} cannot become {PlanStatus(to_status).label}",
            code="bad_transition",
        )
    updated = DistributionPlan.objects.filter(pk=plan.pk, row_version=plan.row_version).update(
        status=to_status, row_version=plan.row_version + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise Conflict("Somebody else changed this plan first; reload it", code="stale")
    PlanTransition.objects.create(
        plan=plan, from_status=plan.status, to_status=to_status, actor=actor, reference=reference, note=note
    )
    plan.status = to_status
    plan.row_version += 1


def _reference(value: str, *, field: str) -> str:
    value = value.strip()
    if not value:
        raise DomainError("Give the reference", field=field)
    if len(value) > 100:
        raise DomainError("The reference is limited to 100 characters", field=field)
    return value


@transaction.atomic
def submit_plan(*, actor: User, plan_id: uuid.UUID | str) -> DistributionPlan:
    """The administrator submits the draft to the creditors' meeting (art. 61(1)(10)); it is frozen."""
    plan = _locked_plan(actor, plan_id)
    if not policies.can_prepare(actor, plan.case):
        raise PermissionDenied("Only the administrator appointed on this case submits the plan")
    before = {"status": plan.status}
    _move_plan(plan, PlanStatus.SUBMITTED, actor=actor)
    record_event(
        actor=actor,
        action="distributions.plan_submitted",
        case_id=plan.case_id,
        obj=plan,
        before=before,
        after={"status": plan.status},
    )
    return plan


@transaction.atomic
def record_meeting_resolution(
    *, actor: User, plan_id: uuid.UUID | str, adopted: bool, reference: str, resolved_on: dt.date
) -> DistributionPlan:
    """The judge records the creditors' meeting's resolution on the plan (art. 64), with its reference,
    until smartcourt.meetings answers it itself (``meeting_result_for_plan``)."""
    plan = _locked_plan(actor, plan_id)
    if not policies.can_rule(actor, plan.case):
        raise PermissionDenied("Only a judge of this case records the meeting's resolution")
    reference = _reference(reference, field="reference")
    before = {"status": plan.status}
    _move_plan(plan, PlanStatus.APPROVED if adopted else PlanStatus.REJECTED, actor=actor, reference=reference)
    DistributionPlan.objects.filter(pk=plan.pk).update(
        meeting_reference=reference,
        meeting_resolved_on=resolved_on,
        rejection_reason="" if adopted else "creditors' meeting did not adopt the plan",
    )
    plan.refresh_from_db()
    record_event(
        actor=actor,
        action="distributions.meeting_resolution_recorded",
        case_id=plan.case_id,
        obj=plan,
        before=before,
        after={"status": plan.status, "reference": reference, "resolved_on": resolved_on.isoformat()},
    )
    return plan


@transaction.atomic
def rule_on_plan(
    *, actor: User, plan_id: uuid.UUID | str, approved: bool, ruling_reference: str, ruled_on: dt.date, reason: str = ""
) -> DistributionPlan:
    """The court's ruling on the adopted plan (art. 115: 认可分配方案民事裁定书). Only a ruled plan is paid."""
    plan = _locked_plan(actor, plan_id)
    if not policies.can_rule(actor, plan.case):
        raise PermissionDenied("Only a judge of this case rules on the distribution plan")
    ruling_reference = _reference(ruling_reference, field="ruling_reference")
    if not approved and not reason.strip():
        raise DomainError("Give the reason for not approving the plan", field="reason")
    before = {"status": plan.status}
    _move_plan(plan, PlanStatus.RULED if approved else PlanStatus.REJECTED, actor=actor, reference=ruling_reference)
    DistributionPlan.objects.filter(pk=plan.pk).update(
        ruling_reference=ruling_reference, ruled_on=ruled_on, rejection_reason=reason.strip()
    )
    plan.refresh_from_db()
    record_event(
        actor=actor,
        action="distributions.plan_ruled",
        case_id=plan.case_id,
        obj=plan,
        before=before,
        after={"status": plan.status, "ruling_reference": ruling_reference, "ruled_on": ruled_on.isoformat()},
    )
    return plan


# --- payment batches -----------------------------------------------------------------------------------------


def _read_payment_file(filename: str, content: bytes) -> tuple[list[list[CellValue]], frozenset[tuple[int, int]]]:
    name = filename.lower()
    if not name.endswith((".xlsx", ".csv")):
        raise DomainError("Only .xlsx and .csv payment files are accepted", field="file", code="unsupported_type")
    if not content:
        raise DomainError("The file is empty", field="file")
    if name.endswith(".xlsx") and sniff_content_type(content) != XLSX:
        raise DomainError("The name says xlsx but the content is not an xlsx workbook", field="file")
    try:
        # core.spreadsheets checks the archive (zip bombs), the declared extent and every cell before reading.
        sheet = read_sheet(content, filename, limits=PAYMENT_FILE_LIMITS)
    except SpreadsheetUnreadable as exc:
        raise DomainError(f"{filename}: {exc}", field="file", code="unreadable") from exc
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
        raise Conflict("Only a plan approved by the court's ruling can be paid", code="plan_not_ruled")
    account, bank_name, bank_code = _paying_account(paying_account, paying_bank_name, paying_bank_code)
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
                filename=filename[:200],
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
        raise Conflict("Another payment batch of this plan is already in progress", code="batch_in_progress") from None
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


def _keyer() -> Callable[[uuid.UUID | str], str]:
    """How this backend takes a UUID (object or text) in a bulk insert: 32 hex digits on SQLite (Django's
    storage format there), the canonical text on PostgreSQL (COPY parses it into the uuid column). Chosen
    once per insert: the connection is looked up once, not per value."""
    if connection.vendor == "postgresql":
        return str

    def hex32(value: uuid.UUID | str) -> str:
        return value.hex if isinstance(value, uuid.UUID) else value.replace("-", "")

    return hex32


def _bulk_insert(model: type[models.Model], columns: Sequence[str], rows: list[tuple[object, ...]]) -> None:
    """Insert plain rows into ``model``'s table: COPY on PostgreSQL, executemany per 5,000 rows on SQLite.

    The ORM's bulk_create spends most of a large insert building model instances and preparing each field;
    plan and batch lines are plain (text, integers, UUIDs, one JSON list), so the callers prepare them once,
    per type, the way the backend stores them (``_key`` for UUIDs, JSON as text)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - names from our own model
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])  # type: ignore[arg-type]


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


def _locked_batch(actor: User, batch_id: uuid.UUID | str) -> PaymentBatch:
    from smartcourt.distributions.selectors import get_batch_for

    visible = get_batch_for(actor, batch_id)
    return PaymentBatch.objects.select_for_update().select_related("plan", "plan__case").get(pk=visible.pk)


def _move_batch(batch: PaymentBatch, to_status: str, *, actor: User, note: str = "") -> None:
    if to_status not in BATCH_TRANSITIONS[BatchStatus(batch.status)]:
        raise Conflict(
            f"A batch that is {BatchStatus(batch.status).label} cannot become {BatchStatus(to_status).label}",
            code="bad_transition",
        )
    updated = PaymentBatch.objects.filter(pk=batch.pk, row_version=batch.row_version).update(
        status=to_status, row_version=batch.row_version + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise Conflict("Somebody else changed this batch first; reload it", code="stale")
    BatchTransition.objects.create(batch=batch, from_status=batch.status, to_status=to_status, actor=actor, note=note)
    batch.status = to_status
    batch.row_version += 1


@transaction.atomic
def submit_batch(*, actor: User, batch_id: uuid.UUID | str) -> PaymentBatch:
    """The administrator submits a checked batch (no error at all) to the judge."""
    batch = _locked_batch(actor, batch_id)
    if not policies.can_prepare(actor, batch.plan.case):
        raise PermissionDenied("Only the administrator appointed on this case submits payment batches")
    if batch.status == BatchStatus.INVALID:
        raise Conflict("A batch with errors cannot be submitted; correct the file and upload it again", code="invalid")
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
        raise Conflict("The plan is no longer approved by the court", code="plan_not_ruled")
    comparison = compare_batch(batch)
    if not comparison.matches:
        raise Conflict("The batch differs from the plan; it cannot be approved", code="differs_from_plan")
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
    before = {"status": batch.status}
    _move_batch(batch, BatchStatus.REFUSED, actor=actor, note=reason[:2000])
    PaymentBatch.objects.filter(pk=batch.pk).update(refusal_reason=reason[:2000])
    batch.refresh_from_db()
    record_event(
        actor=actor,
        action="distributions.batch_refused",
        case_id=batch.plan.case_id,
        obj=batch,
        before=before,
        after={"status": batch.status, "reason": reason[:2000]},
    )
    return batch


# --- execution: the approved batch to the bank, its answers, escrow -------------------------------------------

# The sandbox bank (and the adapter contract) takes at most this many instructions per batch call; a larger
# batch goes as consecutive parts, each under its own court token covering exactly that part.
BANK_BATCH_SIZE = 5000
APPROVAL_VALIDITY = dt.timedelta(days=3)


def _account_for(batch: PaymentBatch) -> SupervisedAccount:
    account = account_of(batch.plan.case)
    if account is None:
        raise Conflict("The case has no supervised account to pay from", code="no_account")
    if account.account_number != batch.paying_account:
        raise Conflict(
            "The batch is paid from an account that is not the case's supervised account", code="account_mismatch"
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
            purpose=f"{batch.plan.case.number} 破产财产分配"[:60],
        )
        for line in lines
    ]


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
        reference=f"分配批次 {batch.pk}",
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
    for result in results:
        line = lines.get(result.idempotency_key)
        if line is None:
            raise DomainError("the bank answered about a line not in this batch", code="bank_mismatch")
        final = line.status in (LineStatus.PAID, LineStatus.ESCROWED)
        if result.status == TransferStatus.EXECUTED and not final:
            BatchLine.objects.filter(pk=line.pk).update(
                status=LineStatus.PAID, bank_reference=result.bank_reference[:35]
            )
            changed["paid"] += 1
        elif result.status in (TransferStatus.REJECTED, TransferStatus.RETURNED) and (
            not final or (line.status == LineStatus.PAID and result.status == TransferStatus.RETURNED)
        ):
            reason = (reason_codes or {}).get(result.idempotency_key) or (
                str(result.reason.value) if result.reason else result.status.value
            )
            BatchLine.objects.filter(pk=line.pk).update(
                status=LineStatus.ESCROWED,
                bank_reference=(result.bank_reference or line.bank_reference)[:35],
                failure_code=reason[:40],
                failure_text=(result.message or reason)[:300],
            )
            Escrow.objects.get_or_create(
                batch_line=line,
                defaults={
                    "case": batch.plan.case,
                    "creditor_id": line.creditor_id,
                    "amount_fen": line.amount_fen or 0,
                    "reason_code": reason[:40],
                    "reason": (result.message or reason)[:300],
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
        raise Conflict("The bank's files concern a batch that was sent", code="not_sent")
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
        raise DomainError("The status report is about another payment file", field="file", code="bank_mismatch")
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
    from smartcourt.dossier.actions import file_entry
    from smartcourt.dossier.pdf import template_to_pdf

    batch = _locked_batch(actor, batch_id)
    case = batch.plan.case
    if not policies.can_prepare(actor, case):
        raise PermissionDenied("Only the administrator appointed on this case reports on the distribution")
    if batch.status != BatchStatus.COMPLETED:
        raise Conflict("The report is filed once the bank has answered every line", code="not_completed")
    if batch.report_entry_id is not None:
        raise Conflict("The execution report of this batch is already filed", code="already_filed")
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
                code="unreconciled",
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


# --- announcement and forfeiture of unclaimed amounts (art. 116, 119) ----------------------------------------

UNCLAIMED_MONTHS = 2


@transaction.atomic
def record_announcement(*, actor: User, plan_id: uuid.UUID | str, announced_on: dt.date) -> DistributionPlan:
    """The administrator records the date the distribution was announced (art. 116). For a final
    distribution this starts the two months after which unclaimed amounts are forfeited (art. 119)."""
    plan = _locked_plan(actor, plan_id)
    if not policies.can_prepare(actor, plan.case):
        raise PermissionDenied("Only the administrator appointed on this case announces the distribution")
    if plan.status != PlanStatus.RULED:
        raise Conflict("Only a plan approved by the court's ruling is announced", code="plan_not_ruled")
    if plan.announced_on is not None:
        raise Conflict("The announcement of this plan is already recorded", code="already_announced")
    if plan.ruled_on is not None and announced_on < plan.ruled_on:
        raise DomainError("The announcement cannot come before the court's ruling", field="announced_on")
    DistributionPlan.objects.filter(pk=plan.pk).update(announced_on=announced_on)
    plan.announced_on = announced_on
    record_event(
        actor=actor,
        action="distributions.announced",
        case_id=plan.case_id,
        obj=plan,
        after={"announced_on": announced_on.isoformat(), "kind": plan.kind},
    )
    return plan


def forfeiture_date(announced_on: dt.date) -> dt.date:
    """The last day a creditor may still claim his escrowed amount: two months after the announcement
    (same-numbered day, Civil Code art. 202), moved to the next working day (Civil Procedure Law art. 85)."""
    day, _covered = next_working_day(add_months(announced_on, UNCLAIMED_MONTHS), current_calendar())
    return day


def forfeit_unclaimed(*, today: dt.date) -> int:
    """The periodic job: escrowed amounts of final distributions still unclaimed after the two months are
    forfeited (art. 119), case by case, each in its own transaction; they become available for the other
    creditors (a supplementary distribution). Idempotent: a forfeited escrow is not touched again."""
    forfeited = 0
    plans = DistributionPlan.objects.filter(kind=PlanKind.FINAL, announced_on__isnull=False)
    for plan in plans.iterator():
        assert plan.announced_on is not None
        if today <= forfeiture_date(plan.announced_on):
            continue
        with transaction.atomic():
            escrows = list(
                Escrow.objects.select_for_update().filter(
                    batch_line__batch__plan=plan, released_at__isnull=True, forfeited_at__isnull=True
                )
            )
            if not escrows:
                continue
            now = timezone.now()
            Escrow.objects.filter(pk__in=[e.pk for e in escrows]).update(forfeited_at=now)
            total = sum(e.amount_fen for e in escrows)
            record_event(
                actor=None,
                action="distributions.unclaimed_forfeited",
                case_id=plan.case_id,
                obj=plan,
                after={"escrows": len(escrows), "amount_fen": total, "announced_on": plan.announced_on.isoformat()},
            )
            forfeited += len(escrows)
    return forfeited
