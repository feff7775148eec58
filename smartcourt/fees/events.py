"""Litigation fees belong to the fee's page: the parties and the court see what was assessed, noticed, paid and
refunded; the refund account, relief applications (which carry a party's hardship) and the daily reconciliation
are the court's (the applicant still sees what he did himself)."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, choices_of, declare
from smartcourt.fees.choices import RefundReason, ReliefKind

# The fee kind is a calculator code; the fee page shows the calculation in words.
_HIDDEN = frozenset({"kind"})
_RELIEF = {"kind": choices_of(ReliefKind)}
_AMOUNTS = {"fee_fen": _("Fee"), "amount_fen": _("Amount"), "payer": _("Payer"), "reference": _("Reference")}

declare(
    EventType("fees.assessed", _("Litigation fee assessed"), Audience.PARTICIPANTS, labels=_AMOUNTS, hidden=_HIDDEN),
    EventType("fees.overdue", _("Litigation fee not paid by its last day"), Audience.PARTICIPANTS),
    EventType("fees.payment_notice", _("Payment notice issued"), Audience.PARTICIPANTS),
    EventType("fees.paid", _("Litigation fee paid"), Audience.PARTICIPANTS, labels=_AMOUNTS, hidden=_HIDDEN),
    EventType(
        "fees.refund_requested",
        _("Refund requested"),
        Audience.PARTICIPANTS,
        labels=_AMOUNTS,
        values={"reason": choices_of(RefundReason)},
    ),
    EventType("fees.refund_account_confirmed", _("Refund account confirmed"), Audience.COURT),
    EventType("fees.refund_approved", _("Refund approved"), Audience.PARTICIPANTS),
    EventType("fees.refunded", _("Fee refunded"), Audience.PARTICIPANTS, labels=_AMOUNTS, hidden=_HIDDEN),
    EventType("fees.relief_applied", _("Deferral, reduction or waiver applied for"), Audience.COURT, values=_RELIEF),
    EventType("fees.relief_decided", _("Deferral, reduction or waiver decided"), Audience.COURT, values=_RELIEF),
    EventType("fees.reconciled", _("Fee payments reconciled"), Audience.COURT),
)
