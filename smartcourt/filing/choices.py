"""States of an online filing (网上立案) and their transitions.

The names say what the court has done, so that nobody takes a finished draft for a filing the court has
received: a draft is only the applicant's; "submitted" means the court has it and the 7-day period of Civil
Procedure Law art. 126 runs; only "docketed" means there is a case."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FilingStatus(models.TextChoices):
    # Saved by the applicant, not sent: the court does not have it.
    DRAFT = "draft", _("Draft (not sent to the court)")
    # Sent and received by the court; the 7-day period runs (CPL art. 126).
    SUBMITTED = "submitted", _("Received by the court, awaiting review")
    # A filing clerk is reviewing it.
    UNDER_REVIEW = "under_review", _("Under review")
    # The court asked for every missing item at once (one-time notice, CPL art. 126) with a deadline.
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    # Docketed (立案): a case with its case number exists.
    DOCKETED = "docketed", _("Docketed")
    # The court ruled not to accept it (裁定不予受理), appealable within 10 days (CPL art. 171).
    NOT_ACCEPTED = "not_accepted", _("Not accepted (ruling)")
    # Withdrawn by the applicant before review.
    WITHDRAWN = "withdrawn", _("Withdrawn")


FILING_TRANSITIONS: dict[str, frozenset[str]] = {
    FilingStatus.DRAFT: frozenset({FilingStatus.SUBMITTED, FilingStatus.WITHDRAWN}),
    FilingStatus.SUBMITTED: frozenset(
        {
            FilingStatus.UNDER_REVIEW,
            FilingStatus.CORRECTION_REQUESTED,
            FilingStatus.DOCKETED,
            FilingStatus.NOT_ACCEPTED,
            FilingStatus.WITHDRAWN,
        }
    ),
    FilingStatus.UNDER_REVIEW: frozenset(
        {FilingStatus.CORRECTION_REQUESTED, FilingStatus.DOCKETED, FilingStatus.NOT_ACCEPTED}
    ),
    # The applicant corrects and sends it again; it is received anew.
    FilingStatus.CORRECTION_REQUESTED: frozenset({FilingStatus.SUBMITTED, FilingStatus.WITHDRAWN}),
    FilingStatus.DOCKETED: frozenset(),
    FilingStatus.NOT_ACCEPTED: frozenset(),
    FilingStatus.WITHDRAWN: frozenset(),
}

# The applicant may still change these; the court's copy is fixed from submission.
EDITABLE = frozenset({FilingStatus.DRAFT, FilingStatus.CORRECTION_REQUESTED})
# In the filing clerks' queue.
IN_QUEUE = frozenset({FilingStatus.SUBMITTED, FilingStatus.UNDER_REVIEW})


class FilingPartyRole(models.TextChoices):
    PLAINTIFF = "plaintiff", _("Plaintiff")  # 原告
    DEFENDANT = "defendant", _("Defendant")  # 被告
    THIRD_PARTY = "third_party", _("Third party")  # 第三人


class DeadlineColour(models.TextChoices):
    GREEN = "green", _("On time")
    YELLOW = "yellow", _("Due soon")
    RED = "red", _("Overdue")


class AssignmentMethod(models.TextChoices):
    """How a docketed filing's presiding judge was found (the court's assignment, issue 17): the clerk may then
    choose another judge, with reasons, recorded beside what the method gave."""

    # A reproducible random draw among the court's active judges (core.draws, as the administrator draw).
    DRAW = "draw", _("Random draw")
    # The court's rule for the cause of action's part of the list (民事案件案由规定's 部分).
    RULE = "rule", _("The court's rule for the cause of action")


class MaterialKind(models.TextChoices):
    """What an uploaded material is (SPC Online Litigation Rules 2021, arts. 11-14: electronic materials).
    Evidence is PDF or an image only: what a judge reads as it was made, not an editable document."""

    COMPLAINT = "complaint", _("Complaint")  # 起诉状
    EVIDENCE = "evidence", _("Evidence")  # 证据
    IDENTITY = "identity", _("Identity and authorisation documents")  # 身份证明、授权委托书
