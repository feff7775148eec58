"""What the evaluation measures, and which measures cost points under a scoring formula."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """One figure of an administrator's work, computed from audit events and node records only."""

    # Administrator-operated nodes with a statutory (or court-extended) deadline, finished on or before it.
    NODES_ON_TIME = "nodes_on_time", _("Nodes finished on time")
    # The same nodes finished after their deadline, or still open after it.
    NODES_OVERDUE = "nodes_overdue", _("Nodes overdue")
    # Days past the deadline, summed over the overdue nodes (until finished, or until today).
    OVERDUE_DAYS = "overdue_days", _("Days overdue")
    # Node submissions, requests (请示) and payment requests approved without having been sent back.
    FIRST_TIME_APPROVED = "first_time_approved", _("Approved on first submission")
    # Each time the court sent a node, a request or a payment request back, or rejected it.
    RETURNED = "returned", _("Returned or rejected")
    # Payments the administrator tried to make over a supervised-account limit.
    BREACHES = "breaches", _("Fund-rule breaches attempted")
    # Differences found when the bank statement was reconciled with the platform's ledger.
    RECONCILIATION_DIFFERENCES = "reconciliation_differences", _("Reconciliation differences")
    # Objections that ended with a different amount from the administrator's review.
    REVERSALS = "reversals", _("Claim reviews reversed after objection")
    # Creditors' questions at meetings, and how they were answered.
    QUESTIONS_ASKED = "questions_asked", _("Creditor questions asked")
    QUESTIONS_ANSWERED = "questions_answered", _("Creditor questions answered")
    # Answered after the formula's answer window.
    LATE_ANSWERS = "late_answers", _("Answers later than the window")
    # Still unanswered after the formula's answer window.
    UNANSWERED = "unanswered", _("Questions unanswered past the window")
    # Mean hours from question to answer (information only).
    ANSWER_HOURS = "answer_hours", _("Mean hours to answer")
    # Closed cases, and how far their duration exceeded the court's median for the same case type.
    CASES_CLOSED = "cases_closed", _("Cases closed")
    DURATION_EXCESS = "duration_excess", _("Duration above the court's median (sum of ratios − 1)")


# The measures a formula may weight (each weight is points deducted per unit).
DEDUCTIBLE = (
    Measure.NODES_OVERDUE,
    Measure.OVERDUE_DAYS,
    Measure.RETURNED,
    Measure.BREACHES,
    Measure.RECONCILIATION_DIFFERENCES,
    Measure.REVERSALS,
    Measure.LATE_ANSWERS,
    Measure.UNANSWERED,
    Measure.DURATION_EXCESS,
)
