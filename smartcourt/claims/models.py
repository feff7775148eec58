"""Creditors of a bankruptcy case, their claims, the administrator's reviews, objections and court rulings.

Amounts are integer fen. A claim's status changes only through actions.py, by compare-and-set on ``version``,
and every change leaves an immutable ``ClaimTransition``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smartcourt.cases.models import Case
from smartcourt.claims.choices import (
    ClaimNature,
    ClaimStatus,
    CreditorKind,
    CreditorSource,
    DocumentKind,
    EmployeeObjectionStatus,
    Liability,
    ObjectionStatus,
    PowerOfAttorneyStatus,
    ResolutionBasis,
)
from smartcourt.core.models import TimestampedModel, UUIDModel
from smartcourt.dossier.models import DossierEntry


class Creditor(TimestampedModel):
    """A creditor known in one case: listed by the debtor or the administrator, or self-declared."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="creditors")
    kind = models.CharField(max_length=16, choices=CreditorKind.choices)
    name = models.CharField(max_length=200)
    identifier = models.CharField(
        max_length=18, help_text="Resident identity number or unified social credit code, check digits verified."
    )
    phone = models.CharField(max_length=20, blank=True)
    account = models.CharField(max_length=40, blank=True, help_text="Bank account for distributions (text).")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="creditor_records",
        help_text="The platform user who is (or acts for) this creditor, once registered.",
    )
    source = models.CharField(max_length=16, choices=CreditorSource.choices)
    listed_nature = models.CharField(max_length=24, choices=ClaimNature.choices, blank=True)
    listed_principal_fen = models.BigIntegerField(default=0, help_text="Principal the list gives, in fen.")
    listed_interest_fen = models.BigIntegerField(default=0, help_text="Interest the list gives, in fen.")
    listed_other_fen = models.BigIntegerField(
        default=0, help_text="Other amounts the list gives (compensation, social insurance), in fen."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "identifier"], name="claims_creditor_once_per_case")]
        indexes = [models.Index(fields=["case", "name"])]

    def __str__(self) -> str:
        return self.name


class Claim(TimestampedModel):
    """One declared claim (债权申报) and where its review stands."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="claims")
    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="claims")
    number = models.PositiveIntegerField(help_text="Registration number within the case (申报登记号).")
    # Merged bankruptcy (SPC Minutes 法〔2018〕53号 para. 36): one claims table for several debtors, each claim
    # still showing which of them owed it.
    owed_by = models.ForeignKey(
        "bankruptcy.ConsolidatedDebtor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="In a consolidated proceeding, the member debtor that owed the claim; empty: the case's own "
        "(lead) debtor.",
    )
    original_number = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Its registration number in the member debtor's own case, for a claim moved in from there.",
    )
    nature = models.CharField(max_length=24, choices=ClaimNature.choices)
    collateral = models.CharField(max_length=500, blank=True, help_text="The collateral of a secured claim.")
    principal_fen = models.BigIntegerField()
    interest_fen = models.BigIntegerField(default=0)
    penalties_fen = models.BigIntegerField(default=0)
    costs_fen = models.BigIntegerField(default=0)
    interest_detail = models.JSONField(default=dict, blank=True, help_text="The interest computation, line by line.")
    basis = models.TextField(blank=True, help_text="Facts and grounds of the claim as declared.")
    liability = models.CharField(max_length=16, choices=Liability.choices, default=Liability.SOLE)
    co_obligors = models.CharField(
        max_length=500,
        blank=True,
        help_text="The joint debtors or the principal debtor whose debt the debtor guaranteed.",
    )
    declared_at = models.DateTimeField()
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField(default=False, help_text="Declared after the declaration period (补充申报, art. 56).")
    status = models.CharField(max_length=24, choices=ClaimStatus.choices, default=ClaimStatus.DECLARED)
    version = models.PositiveIntegerField(default=1)
    confirmed_nature = models.CharField(max_length=24, choices=ClaimNature.choices, blank=True)
    confirmed_principal_fen = models.BigIntegerField(default=0)
    confirmed_interest_fen = models.BigIntegerField(default=0)
    confirmed_penalties_fen = models.BigIntegerField(default=0)
    confirmed_costs_fen = models.BigIntegerField(default=0)
    ruling = models.ForeignKey(
        "ConfirmationRuling", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims_as_agent",
        help_text="The lawyer or other agent who declared for the creditor, under a power of attorney.",
    )
    poa_entry = models.ForeignKey(
        DossierEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agent's power of attorney (授权委托书) as filed.",
    )
    poa_status = models.CharField(
        max_length=16, choices=PowerOfAttorneyStatus.choices, blank=True, default=PowerOfAttorneyStatus.NONE
    )
    poa_note = models.CharField(max_length=500, blank=True, help_text="The administrator's note on the check.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="claims_claim_number_once")]
        indexes = [models.Index(fields=["case", "status"]), models.Index(fields=["case", "nature"])]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.number}"

    @property
    def declared_total_fen(self) -> int:
        return self.principal_fen + self.interest_fen + self.penalties_fen + self.costs_fen

    @property
    def confirmed_total_fen(self) -> int:
        return (
            self.confirmed_principal_fen
            + self.confirmed_interest_fen
            + self.confirmed_penalties_fen
            + self.confirmed_costs_fen
        )


class ClaimTransition(UUIDModel):
    """An immutable record of one status change."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=24, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=ClaimStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)


class ClaimReview(UUIDModel):
    """One review decision of the administrator: amounts confirmed by item, with a reason per item."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="reviews")
    result = models.CharField(max_length=24, choices=ClaimStatus.choices)
    nature = models.CharField(max_length=24, choices=ClaimNature.choices)
    principal_fen = models.BigIntegerField()
    interest_fen = models.BigIntegerField()
    penalties_fen = models.BigIntegerField()
    costs_fen = models.BigIntegerField()
    reasons = models.JSONField(
        default=dict, help_text="Reason per item: principal, interest, penalties, costs, nature."
    )
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    @property
    def total_fen(self) -> int:
        return self.principal_fen + self.interest_fen + self.penalties_fen + self.costs_fen


class Objection(TimestampedModel):
    """An objection to a review result (异议), by the creditor or another interested party."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="objections")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField()
    claimed_total_fen = models.BigIntegerField(null=True, blank=True, help_text="What the objector says is due.")
    status = models.CharField(max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    resolution_basis = models.CharField(max_length=16, choices=ResolutionBasis.choices, blank=True)
    resolution_reference = models.CharField(max_length=100, blank=True, help_text="Case number of the ruling/suit.")
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class ConfirmationRuling(TimestampedModel):
    """The court's ruling confirming the undisputed claims of the table (确认无争议债权民事裁定)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="claim_rulings")
    ruled_on = models.DateField()
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    total_fen = models.BigIntegerField()
    entry = models.ForeignKey(DossierEntry, null=True, on_delete=models.PROTECT, related_name="+")


class ClaimDocument(UUIDModel):
    """A dossier entry that belongs to a claim: evidence, receipt, notices, rulings. What the creditor is
    served and can open from his tracker."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="documents")
    entry = models.ForeignKey(DossierEntry, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    served_to_creditor = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    review = models.ForeignKey(
        "ClaimReview",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
        help_text="The review decision a review-result notice reports (one notice per decision, never two).",
    )
    sha256 = models.CharField(max_length=64, blank=True, help_text="Hash of the signed PDF as served.")
    served_at = models.DateTimeField(null=True, blank=True, help_text="When it was served electronically.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "review"],
                condition=models.Q(review__isnull=False),
                name="claims_one_notice_per_review",
            )
        ]


class EmployeeListPublication(TimestampedModel):
    """The administrator's publication of the employee-claims list (职工债权公示, art. 48)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="employee_list_publications")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lines = models.PositiveIntegerField()
    total_fen = models.BigIntegerField()
    entry = models.ForeignKey(DossierEntry, null=True, on_delete=models.PROTECT, related_name="+")


class EmployeeObjection(TimestampedModel):
    """An employee's objection to his line of the published list, and the administrator's answer."""

    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="employee_objections")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField()
    claimed_fen = models.BigIntegerField(null=True, blank=True, help_text="What the employee says is due, in fen.")
    status = models.CharField(
        max_length=16, choices=EmployeeObjectionStatus.choices, default=EmployeeObjectionStatus.OPEN
    )
    answer = models.TextField(blank=True)
    corrected = models.BooleanField(default=False, help_text="The administrator corrected the line.")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)


class SignedTable(TimestampedModel):
    """A signed PDF of the claims table (债权表) as it stood when the administrator sealed it: the version
    submitted to the creditors' meeting and open to interested parties, identity numbers masked."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="signed_claims_tables")
    entry = models.ForeignKey(DossierEntry, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64, help_text="Hash of the signed PDF.")
    seal_fingerprint = models.CharField(max_length=128, help_text="The seal certificate that signed it.")
    claims = models.PositiveIntegerField(help_text="Number of claims on the table.")
    declared_fen = models.BigIntegerField()
    confirmed_fen = models.BigIntegerField()
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class CreditorIdentity(TimestampedModel):
    """The verified identity of a self-registered creditor: the identity number or credit code he gave (check
    digits verified) and the phone he confirmed by code. Matches him to the creditor lists of cases."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="creditor_identity")
    kind = models.CharField(max_length=16, choices=CreditorKind.choices)
    identifier = models.CharField(max_length=18, unique=True, help_text="Identity number or credit code.")
    phone = models.CharField(max_length=20, help_text="Mobile number confirmed by an SMS code.")
    phone_verified_at = models.DateTimeField()
