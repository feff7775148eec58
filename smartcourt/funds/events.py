"""Fund supervision: the account and its movements are for those who conduct the case and the bank that holds
the account (EBL art. 23, SPC supervision rules); payment requests, approvals, alerts and limit breaches are the
court's and the administrator's (funds.policies.can_see_funds)."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, choices_of, declare
from smartcourt.funds.choices import AccountOrigin, AlertKind, MovementSource, PaymentStatus, Purpose

_PAYMENT = {
    "number": _("Payment number"),
    "amount_fen": _("Amount"),
    "payee_name": _("Payee"),
    "purpose": _("Purpose"),
    "description": _("Description"),
    "note": _("Note"),
}
_VALUES = {"purpose": choices_of(Purpose), "status": choices_of(PaymentStatus)}

declare(
    EventType(
        "funds.account_opened",
        _("Supervised account opened"),
        Audience.ACCOUNT,
        labels={
            "account_name": _("Account name"),
            "per_transaction_fen": _("Limit per payment"),
            "daily_fen": _("Daily limit"),
            "cumulative_fen": _("Cumulative limit"),
            "origin": _("Origin"),
        },
        values={"origin": choices_of(AccountOrigin)},
    ),
    EventType(
        "funds.limits_changed",
        _("Account limits changed"),
        Audience.ACCOUNT,
        labels={
            "per_transaction_fen": _("Limit per payment"),
            "daily_fen": _("Daily limit"),
            "cumulative_fen": _("Cumulative limit"),
        },
    ),
    EventType(
        "funds.movement_booked",
        _("Account movement booked"),
        Audience.ACCOUNT,
        labels={"amount_fen": _("Amount"), "balance_after_fen": _("Balance after"), "source": _("Reported by")},
        values={"source": choices_of(MovementSource)},
    ),
    EventType("funds.payment_sent", _("Payment sent to the bank"), Audience.ACCOUNT, labels=_PAYMENT, values=_VALUES),
    EventType(
        "funds.payment_executed", _("Payment executed by the bank"), Audience.ACCOUNT, labels=_PAYMENT, values=_VALUES
    ),
    EventType(
        "funds.payment_failed", _("Payment refused by the bank"), Audience.ACCOUNT, labels=_PAYMENT, values=_VALUES
    ),
    EventType(
        "funds.payment_returned",
        _("Payment returned by the payee's bank"),
        Audience.ACCOUNT,
        labels=_PAYMENT,
        values=_VALUES,
    ),
    EventType("funds.payment_requested", _("Payment requested"), Audience.CASE_WORK, labels=_PAYMENT, values=_VALUES),
    EventType(
        "funds.payment_edited", _("Payment request changed"), Audience.CASE_WORK, labels=_PAYMENT, values=_VALUES
    ),
    EventType(
        "funds.payment_withdrawn", _("Payment request withdrawn"), Audience.CASE_WORK, labels=_PAYMENT, values=_VALUES
    ),
    EventType(
        "funds.payment_reviewed", _("Payment request reviewed"), Audience.CASE_WORK, labels=_PAYMENT, values=_VALUES
    ),
    EventType(
        "funds.payment_approved",
        _("Payment approved by the judge"),
        Audience.CASE_WORK,
        labels=_PAYMENT,
        values=_VALUES,
    ),
    EventType(
        "funds.limit_breach_attempted",
        _("Payment over the limits sent to the court"),
        Audience.CASE_WORK,
        labels={"amount_fen": _("Amount")},
    ),
    EventType(
        "funds.alert_raised",
        _("Fund alert raised"),
        Audience.CASE_WORK,
        labels={"message": _("Message")},
        values={"kind": choices_of(AlertKind)},
    ),
    EventType(
        "funds.alert_resolved", _("Fund alert handled"), Audience.CASE_WORK, values={"kind": choices_of(AlertKind)}
    ),
    EventType(
        "funds.debits_expected",
        _("Distribution debits announced"),
        Audience.CASE_WORK,
        labels={"count": _("Payments"), "total_fen": _("Total"), "reference": _("Reference")},
    ),
    EventType("funds.reconciliation_difference", _("Reconciliation difference found"), Audience.CASE_WORK),
)

# The administrator was told of the court's decision on his payment request: the request's own audience.
declare(EventType("funds.administrator_notified", _("Administrator notified of the decision"), Audience.CASE_WORK))
