"""Distribution plans (分配方案), their lines, payment batches and their lines, escrow (提存).

Amounts are integer fen. A plan's and a batch's status change only through actions.py, by compare-and-set
on ``row_version``, each change leaving an immutable transition row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from smartcourt.cases.models import Case
from smartcourt.claims.models import Claim, Creditor
from smartcourt.core.models import TimestampedModel, UUIDModel
from smartcourt.distributions.choices import (
    LIVE_BATCH_STATES,
    BatchSource,
    BatchStatus,
    LineClass,
    LineStatus,
    PlanKind,
    PlanStatus,
    ReserveReason,
)
from smartcourt.dossier.models import DossierEntry
from smartcourt.meetings.models import AgendaItem


class DistributionPlan(TimestampedModel):
    """One version of a case's distribution plan: the inputs (money available and its basis, collateral
    proceeds) and, in its lines, the result. Frozen once submitted to the creditors' meeting."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="distribution_plans")
    number = models.PositiveIntegerField(help_text="Version number within the case: 1, 2, 3…")
    kind = models.CharField(max_length=16, choices=PlanKind.choices)
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    row_version = models.PositiveIntegerField(default=1, help_text="Compare-and-set counter for status changes.")
    available_fen = models.BigIntegerField(help_text="Money of the estate available for this distribution.")
    available_basis = models.TextField(help_text="Where the available amount comes from (account, realisation).")
    collateral_surplus_fen = models.BigIntegerField(
        default=0, help_text="Collateral proceeds above the secured claims they secure: added to the estate."
    )
    secured_paid_fen = models.BigIntegerField(default=0, help_text="Paid to secured claims from their collateral.")
    distributed_fen = models.BigIntegerField(default=0, help_text="Paid out of the estate in the general order.")
    reserved_fen = models.BigIntegerField(default=0, help_text="Shares held for disputed and conditional claims.")
    undistributed_fen = models.BigIntegerField(default=0, help_text="Left over after every claim is paid in full.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    meeting_reference = models.CharField(max_length=200, blank=True, help_text="The meeting's resolution.")
    meeting_item = models.OneToOneField(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="distribution_plan",
        help_text="The agenda item of the creditors' meeting that voted on this plan, when voted on the platform.",
    )
    meeting_resolved_on = models.DateField(null=True, blank=True)
    ruling_reference = models.CharField(max_length=100, blank=True, help_text="Case number of the ruling.")
    ruled_on = models.DateField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    announced_on = models.DateField(
        null=True,
        blank=True,
        help_text="Date of the distribution announcement (the final one starts art. 118's two months).",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="distributions_plan_number_once")]

    def __str__(self) -> str:
        return f"{self.case_id} plan {self.number}"

    @property
    def payable_fen(self) -> int:
        """What this plan pays out: secured claims from collateral, expenses, common-benefit debts and claims
        in the general order, less the shares held."""
        return self.secured_paid_fen + self.distributed_fen - self.reserved_fen

    @property
    def estate_paid_fen(self) -> int:
        """The part of ``payable_fen`` paid from the estate in the general order (the rest is collateral)."""
        return self.distributed_fen - self.reserved_fen


class PlanLine(UUIDModel):
    """One claim (or one expense) in a plan, with what it is owed and what it gets."""

    plan = models.ForeignKey(DistributionPlan, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(help_text="Order of the line in the plan.")
    line_class = models.CharField(max_length=16, choices=LineClass.choices)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_lines")
    creditor = models.ForeignKey(Creditor, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_lines")
    label = models.CharField(max_length=200, help_text="Creditor's name, or what the expense is.")
    owed_fen = models.BigIntegerField(help_text="What the line is owed in this distribution.")
    collateral_proceeds_fen = models.BigIntegerField(default=0, help_text="Secured lines: the collateral's proceeds.")
    share_fen = models.BigIntegerField(default=0, help_text="Its share under the statutory order.")
    paid_fen = models.BigIntegerField(default=0, help_text="What is paid: the share, unless held.")
    reserved_fen = models.BigIntegerField(default=0, help_text="The share held (提存) instead of paid.")
    reserve_reason = models.CharField(max_length=16, choices=ReserveReason.choices, blank=True, default="")
    reserve_released_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A share held for a claim in litigation or arbitration, still not receivable 2 years after the "
        "proceeding ended: released for the other creditors (art. 119).",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "claim", "line_class"],
                condition=Q(claim__isnull=False),
                name="distributions_line_claim_once",
            ),
            models.UniqueConstraint(fields=["plan", "position"], name="distributions_line_position_once"),
        ]


class PlanTransition(UUIDModel):
    """An immutable record of one plan status change."""

    plan = models.ForeignKey(DistributionPlan, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=PlanStatus.choices)
    to_status = models.CharField(max_length=16, choices=PlanStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reference = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)


class PaymentBatch(TimestampedModel):
    """A payment file for a ruled plan, checked line by line against it. Created once per file content:
    uploading the same file again, even concurrently, answers with the same batch."""

    plan = models.ForeignKey(DistributionPlan, on_delete=models.PROTECT, related_name="batches")
    source = models.CharField(max_length=16, choices=BatchSource.choices)
    status = models.CharField(max_length=16, choices=BatchStatus.choices)
    row_version = models.PositiveIntegerField(default=1)
    filename = models.CharField(max_length=200)
    content_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the file as uploaded.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    paying_account = models.CharField(max_length=34, help_text="The estate's account the batch is paid from.")
    paying_bank_name = models.CharField(max_length=140)
    paying_bank_code = models.CharField(max_length=12, blank=True)
    line_count = models.PositiveIntegerField(default=0)
    total_fen = models.BigIntegerField(default=0, help_text="Sum of the lines' amounts that could be read.")
    error_count = models.PositiveIntegerField(default=0, help_text="Lines with at least one error.")
    file_errors = models.JSONField(default=list, help_text="Errors of the file as a whole: [{code, params}].")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    message_id = models.CharField(max_length=35, null=True, blank=True, unique=True, help_text="pain.001 MsgId.")
    pain001 = models.BinaryField(null=True, blank=True, help_text="The pain.001.001.09 file, XSD-validated.")
    pain001_sha256 = models.CharField(max_length=64, blank=True)
    report_entry = models.ForeignKey(
        DossierEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The execution report (分配执行情况报告) as filed into the dossier.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "content_sha256"],
                condition=~Q(status=BatchStatus.REFUSED),
                name="distributions_batch_file_once",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status__in=LIVE_BATCH_STATES),
                name="distributions_one_live_batch_per_plan",
            ),
        ]

    @property
    def submittable(self) -> bool:
        return self.status == BatchStatus.CHECKED


class BatchLine(UUIDModel):
    """One payment of a batch as read from the file, the errors found on it, and later the bank's answer.
    Its id (32 hex digits) is the EndToEndId of the payment in pain.001, pain.002 and camt.054."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="lines")
    row = models.PositiveIntegerField(help_text="Row number in the file (1 = header).")
    creditor = models.ForeignKey(Creditor, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payee_name = models.CharField(max_length=200, blank=True)
    payee_identity = models.CharField(max_length=40, blank=True)
    account = models.CharField(max_length=64, blank=True)
    bank_name = models.CharField(max_length=140, blank=True)
    bank_code = models.CharField(max_length=32, blank=True)
    amount_text = models.CharField(max_length=40, blank=True, help_text="The amount as written in the file.")
    amount_fen = models.BigIntegerField(null=True, blank=True)
    planned_fen = models.BigIntegerField(null=True, blank=True, help_text="What the plan pays this payee.")
    errors = models.JSONField(default=list, help_text="[{field, code, params}]; empty when the line is right.")
    status = models.CharField(max_length=16, choices=LineStatus.choices, default=LineStatus.PENDING)
    bank_reference = models.CharField(max_length=35, blank=True)
    failure_code = models.CharField(max_length=40, blank=True)
    failure_text = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "row"], name="distributions_batch_row_once")]
        indexes = [models.Index(fields=["creditor"])]

    @property
    def end_to_end_id(self) -> str:
        return self.id.hex


class BatchTransition(UUIDModel):
    """An immutable record of one batch status change."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=BatchStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=BatchStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)


class Escrow(TimestampedModel):
    """An amount held (提存) for a creditor: a payment the bank refused or returned (art. 118), with the
    bank's reason."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="escrows")
    batch_line = models.OneToOneField(BatchLine, on_delete=models.PROTECT, related_name="escrow")
    creditor = models.ForeignKey(Creditor, null=True, on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField()
    reason_code = models.CharField(max_length=40, blank=True, help_text="The bank's reason code (ISO or adapter).")
    reason = models.CharField(max_length=300)
    released_at = models.DateTimeField(null=True, blank=True, help_text="Paid out to the creditor after all.")
    forfeited_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Unclaimed 2 months after the final-distribution announcement: forfeited, for the other "
        "creditors (art. 118).",
    )
