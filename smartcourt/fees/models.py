"""Litigation fees of a case (诉讼费用交纳办法, State Council 2006): the fee computed at docketing with its
calculation, payments booked from the payment service's signed notifications, refunds, relief applications
and the daily reconciliation against the payment service's statement. Money in integer fen.

Written only through ``smartcourt.fees.actions``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smartcourt.core.models import TimestampedModel
from smartcourt.fees.choices import FeeStatus, RefundReason, RefundStatus, ReliefKind, ReliefStatus


class LitigationFee(TimestampedModel):
    """The fee one party must pay for one case, as computed when the case was docketed."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="litigation_fees")
    payer_name = models.CharField(max_length=200, help_text="Who pays it in advance (the plaintiff, art. 20).")
    payer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The account that filed the case and sees the fee.",
    )
    kind = models.CharField(max_length=40, help_text="Kind of fee (rules.litigation_fees.FeeKind).")
    amount_in_dispute_fen = models.BigIntegerField(null=True, blank=True, help_text="Amount in dispute, fen.")
    fee_fen = models.BigIntegerField(help_text="The fee due, fen.")
    calculation = models.JSONField(help_text="Basis, steps and schedule version, as computed.")
    status = models.CharField(max_length=16, choices=FeeStatus.choices, default=FeeStatus.DUE)
    due_on = models.DateField(help_text="Last day to pay (7 days after the notice, art. 22).")
    notice_number = models.CharField(max_length=40, blank=True, help_text="The payment service's notice number.")
    paid_fen = models.BigIntegerField(default=0)
    refunded_fen = models.BigIntegerField(default=0)
    paid_at = models.DateTimeField(null=True, blank=True)
    payer_account_name = models.CharField(max_length=200, blank=True)
    payer_account_number = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "payer_name"], name="one_fee_per_case_and_payer"),
            models.CheckConstraint(condition=models.Q(fee_fen__gte=0), name="fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.payer_name} {self.fee_fen}"


class FeeStatusChange(models.Model):
    """One transition of a fee, never changed."""

    fee = models.ForeignKey(LitigationFee, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    changed_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class FeePayment(TimestampedModel):
    """A payment the payment service reported, booked once (its reference is unique)."""

    fee = models.ForeignKey(LitigationFee, on_delete=models.PROTECT, related_name="payments")
    notice_number = models.CharField(max_length=40)
    reference = models.CharField(max_length=64, unique=True, help_text="The payment service's reference.")
    amount_fen = models.BigIntegerField()
    paid_at = models.DateTimeField()
    account_name = models.CharField(max_length=200)
    account_number = models.CharField(max_length=40)


class FeeRefund(TimestampedModel):
    """Money paid back: half the fee after withdrawal or mediation (art. 15), or an overpayment."""

    fee = models.ForeignKey(LitigationFee, on_delete=models.PROTECT, related_name="refunds")
    reason = models.CharField(max_length=16, choices=RefundReason.choices)
    amount_fen = models.BigIntegerField()
    calculation = models.JSONField(help_text="How the amount was worked out.")
    status = models.CharField(max_length=16, choices=RefundStatus.choices, default=RefundStatus.REQUESTED)
    account_name = models.CharField(max_length=200, help_text="The account that paid (原路退回).")
    account_number = models.CharField(max_length=40)
    account_confirmed_at = models.DateTimeField(null=True, blank=True, help_text="When the party confirmed it.")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pay_by = models.DateField(null=True, blank=True, help_text="One working day after approval.")
    paid_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="refund_positive")]


class FeeRelief(TimestampedModel):
    """An application to defer, reduce or waive the fee (缓减免), decided by the judge."""

    fee = models.ForeignKey(LitigationFee, on_delete=models.PROTECT, related_name="reliefs")
    kind = models.CharField(max_length=16, choices=ReliefKind.choices)
    reasons = models.TextField()
    status = models.CharField(max_length=16, choices=ReliefStatus.choices, default=ReliefStatus.PENDING)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    reduced_to_fen = models.BigIntegerField(null=True, blank=True, help_text="Reduction: the fee now due.")
    deferred_until = models.DateField(null=True, blank=True, help_text="Deferral: the new last day.")


class FeeReconciliation(TimestampedModel):
    """One day's check of every payment and refund against the payment service's statement."""

    day = models.DateField(unique=True)
    statement_entries = models.PositiveIntegerField()
    matched = models.PositiveIntegerField()
    differences = models.JSONField(help_text="Each entry on one side only, or with another amount.")

    @property
    def is_clean(self) -> bool:
        return not self.differences
