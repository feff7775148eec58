"""Cases, their numbers, parties and the people who work on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from smartcourt.accounts.models import Organisation
from smartcourt.cases.choices import CaseStatus, CaseType, Composition, MemberRole, PartyKind, PartyRole
from smartcourt.core.models import TimestampedModel


class CaseSequence(models.Model):
    """The last case number issued per court, type and year. Locked while a number is taken, so numbers
    are gap-free and never issued twice."""

    court = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case_type = models.CharField(max_length=32, choices=CaseType.choices)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0, help_text="Sequence number of the last case created.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "case_type", "year"], name="unique_case_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.court_id} {self.case_type} {self.year}: {self.last_value}"


class Case(TimestampedModel):
    """A case before a court, identified by a UUID and known to people by its case number (案号)."""

    court = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", help_text="The court that handles the case."
    )
    case_type = models.CharField(max_length=32, choices=CaseType.choices, help_text="Type; gives the 案号 code.")
    year = models.PositiveSmallIntegerField(help_text="Year in the case number (the year of filing).")
    sequence = models.PositiveIntegerField(help_text="Sequence within court, type and year: 1, 2, 3, …")
    number = models.CharField(max_length=40, unique=True, help_text="Case number, e.g. (2026)苏0623破12号.")
    title = models.CharField(max_length=200, help_text="Short title, e.g. 南通某某建设有限公司破产清算案.")
    cause = models.CharField(max_length=100, blank=True, help_text="Cause of action (案由), e.g. 破产清算.")
    status = models.CharField(
        max_length=16, choices=CaseStatus.choices, default=CaseStatus.PENDING, help_text="Where the case stands."
    )
    filed_on = models.DateField(help_text="Date the court received the case (收案日期).")
    accepted_on = models.DateField(null=True, blank=True, help_text="Date of acceptance or docketing (立案/受理).")
    closed_on = models.DateField(null=True, blank=True, help_text="Date the case was concluded (结案日期).")
    presiding_judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="presided_cases",
        help_text="Judge in charge (承办法官); also listed among the members.",
    )
    composition = models.CharField(
        max_length=16,
        choices=Composition.choices,
        default=Composition.COLLEGIAL,
        help_text="How the court sits: a collegial panel, or a sole judge where the court's rules allow it.",
    )
    origin = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
        help_text="The case this one grew out of, e.g. the 破申 review that led to this 破 case.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "case_type", "year", "sequence"], name="unique_case_slot"),
        ]
        indexes = [
            models.Index(fields=["court", "case_type", "year"]),
            models.Index(fields=["status"]),
            models.Index(fields=["-filed_on"]),
        ]
        ordering = ["-filed_on", "-year", "-sequence"]

    def __str__(self) -> str:
        return self.number


class CaseStatusChange(models.Model):
    """An immutable record of one status transition."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class Party(TimestampedModel):
    """A party to a case: a natural person or an organisation, in a role such as debtor or creditor."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=32, choices=PartyRole.choices, help_text="Procedural role in this case.")
    kind = models.CharField(max_length=20, choices=PartyKind.choices)
    name = models.CharField(max_length=200, help_text="Name of the person or organisation.")
    id_number = models.CharField(
        max_length=18, blank=True, help_text="Natural persons: resident identity number (GB 11643)."
    )
    credit_code = models.CharField(
        max_length=18, blank=True, help_text="Organisations: unified social credit code (GB 32100)."
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_roles",
        help_text="The organisation record, when the party is one the platform knows.",
    )
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="natural_person") & Q(credit_code="") & Q(organisation__isnull=True))
                | (Q(kind="organisation") & Q(id_number="")),
                name="party_identifier_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["credit_code"]), models.Index(fields=["name"])]
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class CaseMember(TimestampedModel):
    """Who holds which role on a case: a user, or a whole organisation (an appointed administrator firm,
    the supervising bank), whose members then see the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=32, choices=MemberRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="case_memberships"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="case_memberships"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(organisation__isnull=True))
                | (Q(user__isnull=True) & Q(organisation__isnull=False)),
                name="member_is_user_or_organisation",
            ),
            models.UniqueConstraint(fields=["case", "user", "role"], name="unique_user_member"),
            models.UniqueConstraint(fields=["case", "organisation", "role"], name="unique_organisation_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.organisation}: {self.get_role_display()}"
