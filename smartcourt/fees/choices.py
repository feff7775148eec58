"""States of a litigation fee and of its refunds, with their transitions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeeStatus(models.TextChoices):
    # Computed at docketing and notified to the payer (交费通知); not paid yet.
    DUE = "due", _("Due, not paid")
    # Paid in full through the payment service (已交费).
    PAID = "paid", _("Paid in full")
    # The judge deferred, reduced or waived it (缓减免): see the relief decision.
    RELIEVED = "relieved", _("Deferred, reduced or waived")
    # Not paid by the deadline in the fee notice: the case is handled as withdrawn (按撤诉处理).
    OVERDUE = "overdue", _("Overdue")


FEE_TRANSITIONS: dict[str, frozenset[str]] = {
    FeeStatus.DUE: frozenset({FeeStatus.PAID, FeeStatus.RELIEVED, FeeStatus.OVERDUE}),
    FeeStatus.RELIEVED: frozenset({FeeStatus.PAID, FeeStatus.OVERDUE}),
    FeeStatus.OVERDUE: frozenset(),
    FeeStatus.PAID: frozenset(),
}


class RefundReason(models.TextChoices):
    # The case ended by withdrawal: half the case acceptance fee (诉讼费用交纳办法 art. 15).
    WITHDRAWAL = "withdrawal", _("Withdrawal (half the fee, art. 15)")
    # The case ended by mediation: half the case acceptance fee (art. 15).
    MEDIATION = "mediation", _("Mediation (half the fee, art. 15)")
    # More was paid than is due.
    OVERPAID = "overpaid", _("Overpaid")


class RefundStatus(models.TextChoices):
    # Computed, waiting for the judge's approval.
    REQUESTED = "requested", _("Awaiting approval")
    # Approved: to be paid within one working day (the Hubei courts' standard).
    APPROVED = "approved", _("Approved")
    # Paid back to the account that paid.
    PAID = "paid", _("Refunded")


REFUND_TRANSITIONS: dict[str, frozenset[str]] = {
    RefundStatus.REQUESTED: frozenset({RefundStatus.APPROVED}),
    RefundStatus.APPROVED: frozenset({RefundStatus.PAID}),
    RefundStatus.PAID: frozenset(),
}


class ReliefKind(models.TextChoices):
    DEFERRAL = "deferral", _("Deferral")  # 缓交
    REDUCTION = "reduction", _("Reduction")  # 减交
    WAIVER = "waiver", _("Waiver")  # 免交


class ReliefStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the judge's decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
