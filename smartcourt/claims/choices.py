"""Creditors, claim natures, claim states and their transitions (EBL art. 44-58)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditorKind(models.TextChoices):
    # Identified by a resident identity number (GB 11643).
    NATURAL_PERSON = "natural_person", _("Natural person")
    # Identified by a unified social credit code (GB 32100).
    ORGANISATION = "organisation", _("Organisation")


class CreditorSource(models.TextChoices):
    # The debtor's creditor list (债权清册), imported by the administrator.
    DEBTOR_LIST = "debtor_list", _("Debtor's creditor list")
    # A creditor who declared without being on any list.
    SELF_DECLARED = "self_declared", _("Self-declared")
    # The employee-claims list the administrator draws up (art. 48).
    EMPLOYEE_LIST = "employee_list", _("Employee list")


class ClaimNature(models.TextChoices):
    # 普通债权.
    ORDINARY = "ordinary", _("Ordinary")
    # 有财产担保债权: paid from its collateral first (art. 109).
    SECURED = "secured", _("Secured")
    # 职工债权: wages, medical and injury benefits, compensation (art. 113(1)).
    EMPLOYEE = "employee", _("Priority: employee")
    # 社会保险费用和税款 (art. 113(2)).
    SOCIAL_INSURANCE_TAX = "social_insurance_tax", _("Priority: social insurance and tax")


# The order of classes on the claims table: the order of payment.
NATURE_ORDER = [ClaimNature.SECURED, ClaimNature.EMPLOYEE, ClaimNature.SOCIAL_INSURANCE_TAX, ClaimNature.ORDINARY]


class ClaimStatus(models.TextChoices):
    # Declared by the creditor, not yet taken up by the administrator.
    DECLARED = "declared", _("Declared")
    # The administrator is reviewing it.
    UNDER_REVIEW = "under_review", _("Under review")
    # Review result: confirmed as declared.
    CONFIRMED = "confirmed", _("Confirmed")
    # Review result: confirmed in part.
    PARTLY_CONFIRMED = "partly_confirmed", _("Partly confirmed")
    # Review result: not confirmed.
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    # Review suspended (待定), e.g. pending litigation or missing evidence.
    PENDING = "pending", _("Pending")
    # Somebody objected to the review result.
    DISPUTED = "disputed", _("Disputed")
    # The dispute was settled by a court ruling or judgment in a suit.
    RESOLVED = "resolved", _("Resolved")
    # Undisputed, confirmed by the court's ruling (确认无争议债权裁定).
    COURT_CONFIRMED = "court_confirmed", _("Confirmed by the court")


REVIEW_RESULTS = frozenset(
    {ClaimStatus.CONFIRMED, ClaimStatus.PARTLY_CONFIRMED, ClaimStatus.NOT_CONFIRMED, ClaimStatus.PENDING}
)
# Results a creditor may object to and the court may confirm when nobody objected.
OBJECTABLE = frozenset({ClaimStatus.CONFIRMED, ClaimStatus.PARTLY_CONFIRMED, ClaimStatus.NOT_CONFIRMED})
CONFIRMABLE = frozenset({ClaimStatus.CONFIRMED, ClaimStatus.PARTLY_CONFIRMED})

CLAIM_TRANSITIONS: dict[str, frozenset[str]] = {
    ClaimStatus.DECLARED: frozenset({ClaimStatus.UNDER_REVIEW}),
    ClaimStatus.UNDER_REVIEW: REVIEW_RESULTS,
    ClaimStatus.PENDING: REVIEW_RESULTS - {ClaimStatus.PENDING},
    ClaimStatus.CONFIRMED: frozenset({ClaimStatus.DISPUTED, ClaimStatus.COURT_CONFIRMED}),
    ClaimStatus.PARTLY_CONFIRMED: frozenset({ClaimStatus.DISPUTED, ClaimStatus.COURT_CONFIRMED}),
    ClaimStatus.NOT_CONFIRMED: frozenset({ClaimStatus.DISPUTED}),
    ClaimStatus.DISPUTED: frozenset({ClaimStatus.RESOLVED}),
    ClaimStatus.RESOLVED: frozenset(),
    ClaimStatus.COURT_CONFIRMED: frozenset(),
}


class DayCount(models.TextChoices):
    # Actual days over 365 (the usual basis of Chinese loan contracts and of the LPR).
    ACT_365 = "act365", _("Actual/365")
    # Actual days over 360 (some bank and trade contracts).
    ACT_360 = "act360", _("Actual/360")


DAY_COUNT_BASIS = {DayCount.ACT_365: 365, DayCount.ACT_360: 360}


class ObjectionStatus(models.TextChoices):
    # Lodged, awaiting the court's ruling or a suit.
    OPEN = "open", _("Open")
    # Settled by a ruling or a judgment.
    RESOLVED = "resolved", _("Resolved")


class ResolutionBasis(models.TextChoices):
    # 裁定: the court ruled on the objection.
    RULING = "ruling", _("Court ruling")
    # 判决: a claim-confirmation suit (债权确认之诉) ended in a judgment.
    SUIT = "suit", _("Judgment in a suit")


class DocumentKind(models.TextChoices):
    EVIDENCE = "evidence", _("Evidence")
    RECEIPT = "receipt", _("Declaration receipt")
    REVIEW_NOTICE = "review_notice", _("Review-result notice")
    RULING = "ruling", _("Confirmation ruling")
    OBJECTION = "objection", _("Objection")
    RESOLUTION = "resolution", _("Resolution")
    POWER_OF_ATTORNEY = "poa", _("Power of attorney")


class EmployeeObjectionStatus(models.TextChoices):
    # Lodged by the employee, awaiting the administrator's answer.
    OPEN = "open", _("Awaiting answer")
    # Answered by the administrator, with reasons (and a corrected line if he agreed).
    ANSWERED = "answered", _("Answered")


class Liability(models.TextChoices):
    # The debtor alone owes the claim.
    SOLE = "sole", _("Debtor alone")
    # The debtor owes it jointly and severally with others (连带债务).
    JOINT = "joint", _("Joint and several")
    # The claim is against the debtor as guarantor of someone else's debt (保证债权).
    GUARANTEE = "guarantee", _("Guarantee by the debtor")


class PowerOfAttorneyStatus(models.TextChoices):
    # The creditor declared himself: there is no agent and no power of attorney.
    NONE = "", _("No agent")
    # An agent declared and uploaded a power of attorney the administrator has not checked yet.
    PENDING = "pending", _("Power of attorney awaiting check")
    # The administrator checked the power of attorney and accepts the agent.
    ACCEPTED = "accepted", _("Power of attorney accepted")
    # The administrator refused the power of attorney (wrong person, scope or signature).
    REJECTED = "rejected", _("Power of attorney rejected")
