"""Distributions: the plans and batches are the work of those who conduct the case
(distributions.policies.can_see_plans); a plan submitted to the creditors' meeting and the court's ruling on it
are for every participant (EBL art. 115)."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, choices_of, declare
from smartcourt.distributions.choices import BatchStatus, PlanKind, PlanStatus

_PLAN = {"kind": choices_of(PlanKind), "status": choices_of(PlanStatus)}
_BATCH = {"status": choices_of(BatchStatus)}
_PLAN_LABELS = {
    "number": _("Plan number"),
    "available_fen": _("Available for distribution"),
    "distributed_fen": _("Distributed"),
    "reserved_fen": _("Reserved"),
    "secured_paid_fen": _("Paid from collateral"),
    "lines": _("Lines"),
}
_BATCH_LABELS = {"lines": _("Payments"), "total_fen": _("Total"), "paid": _("Paid"), "escrowed": _("Escrowed")}

declare(
    EventType(
        "distributions.plan_created",
        _("Distribution plan drafted"),
        Audience.CASE_WORK,
        labels=_PLAN_LABELS,
        values=_PLAN,
    ),
    EventType(
        "distributions.plan_submitted",
        _("Distribution plan submitted to the meeting"),
        Audience.PARTICIPANTS,
        values=_PLAN,
    ),
    EventType(
        "distributions.meeting_resolution_recorded",
        _("Meeting resolution on the plan recorded"),
        Audience.PARTICIPANTS,
        labels={"resolved_on": _("Resolved on")},
        values=_PLAN,
    ),
    EventType(
        "distributions.plan_ruled",
        _("Distribution plan ruled on by the court"),
        Audience.PARTICIPANTS,
        labels={"ruled_on": _("Ruled on")},
        values=_PLAN,
    ),
    EventType(
        "distributions.meeting_vote_adopted",
        _("Plan adopted by the creditors' meeting"),
        Audience.PARTICIPANTS,
        values=_PLAN,
    ),
    EventType("distributions.announced", _("Distribution announced"), Audience.PARTICIPANTS),
    EventType("distributions.unclaimed_forfeited", _("Unclaimed distribution forfeited"), Audience.CASE_WORK),
    EventType("distributions.execution_report_filed", _("Report on the distribution filed"), Audience.CASE_WORK),
    EventType("distributions.batch_refused", _("Payment batch refused"), Audience.CASE_WORK, values=_BATCH),
    EventType(
        "distributions.batch_uploaded",
        _("Payment batch prepared"),
        Audience.CASE_WORK,
        labels=_BATCH_LABELS,
        values=_BATCH,
    ),
    EventType("distributions.batch_submitted", _("Payment batch submitted"), Audience.CASE_WORK, values=_BATCH),
    EventType(
        "distributions.batch_approved",
        _("Payment batch approved"),
        Audience.CASE_WORK,
        labels=_BATCH_LABELS,
        values=_BATCH,
    ),
    EventType("distributions.batch_sent", _("Payment batch sent to the bank"), Audience.CASE_WORK, values=_BATCH),
    EventType(
        "distributions.bank_results_recorded",
        _("Bank results of the batch recorded"),
        Audience.CASE_WORK,
        labels=_BATCH_LABELS,
        values=_BATCH,
    ),
)

# Shares held for claims in litigation released after two years (EBL art. 119): distribution work.
declare(EventType("distributions.reserves_released", _("Reserved shares released"), Audience.CASE_WORK))
