"""Online filings (网上立案): what a party or lawyer sends the court, the court's review, and the case it
becomes. Written only through ``smartcourt.filing.actions``; every record is identified by UUID."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smartcourt.core.models import TimestampedModel
from smartcourt.filing.choices import AssignmentMethod, FilingPartyRole, FilingStatus, MaterialKind


class Filing(TimestampedModel):
    """One complaint filed online (a civil case at first instance)."""

    court = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="filings")
    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="filings",
        help_text="The account that files (a party, a lawyer, or a clerk filing on behalf).",
    )
    on_behalf = models.BooleanField(
        default=False, help_text="Filed by a clerk for a party who called or came in (代为立案)."
    )
    on_behalf_of = models.CharField(max_length=200, blank=True, help_text="The party a clerk filed for.")
    practice_number = models.CharField(
        max_length=17, blank=True, help_text="A lawyer's practice certificate number (执业证号), shown to the clerk."
    )
    status = models.CharField(max_length=24, choices=FilingStatus.choices, default=FilingStatus.DRAFT)
    cause_code = models.CharField(max_length=10, blank=True, help_text="Cause of action (rules/causes).")
    cause_name = models.CharField(max_length=100, blank=True)
    cause_list_version = models.CharField(max_length=20, blank=True)
    claims = models.TextField(blank=True, help_text="诉讼请求, one per line.")
    amount_fen = models.BigIntegerField(null=True, blank=True, help_text="Amount in dispute, fen.")
    facts = models.TextField(blank=True, help_text="事实与理由.")
    consent_online = models.BooleanField(default=False, help_text="Consent to online litigation (CPL art. 16).")
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="Last received by the court.")
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    decide_by = models.DateField(null=True, blank=True, help_text="7 days from receipt (CPL art. 126).")
    correction_items = models.JSONField(default=list, blank=True, help_text="Every missing item, at once.")
    correction_due_on = models.DateField(null=True, blank=True)
    ruling_reason = models.TextField(blank=True, help_text="Why it was not accepted (the ruling's reasons).")
    appeal_by = models.DateField(null=True, blank=True, help_text="Appeal against non-acceptance: 10 days.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="online_filing"
    )
    handled_as_withdrawn_on = models.DateField(
        null=True,
        blank=True,
        help_text="Fee unpaid by its last day: the case was handled as withdrawn (诉讼费用交纳办法 art. 22).",
    )
    withdrawal_ruling = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The sealed ruling that the case is handled as withdrawn (按撤诉处理).",
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="An earlier filing with the same parties and claims.",
    )

    class Meta:
        ordering = ["submitted_at", "created_at"]
        indexes = [models.Index(fields=["court", "status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.cause_name or '—'} ({self.status})"

    @property
    def plaintiffs(self) -> list[FilingParty]:
        return [p for p in self.parties.all() if p.role == FilingPartyRole.PLAINTIFF]

    @property
    def defendants(self) -> list[FilingParty]:
        return [p for p in self.parties.all() if p.role == FilingPartyRole.DEFENDANT]


class FilingParty(TimestampedModel):
    """A party named in the filing: a natural person (GB 11643) or an organisation (GB 32100)."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=16, choices=FilingPartyRole.choices)
    kind = models.CharField(max_length=16, help_text="cases.PartyKind")
    name = models.CharField(max_length=200)
    id_number = models.CharField(max_length=18, blank=True)
    credit_code = models.CharField(max_length=18, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]  # as the applicant listed them (the plaintiff first)

    def __str__(self) -> str:
        return f"{self.role} {self.name}"


class FilingStatusChange(models.Model):
    """One transition of a filing, never changed: the applicant's timeline."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=24)
    to_status = models.CharField(max_length=24)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class AssignmentRule(TimestampedModel):
    """A court's rule: a filing whose cause of action lies in ``cause_part`` of the list (e.g. 第四部分 合同、准合同
    纠纷) goes to ``judge``. Set by the court administrator; where no rule applies, the judge is drawn."""

    court = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    cause_part = models.CharField(max_length=100, help_text="A part of the cause-of-action list (Cause.part).")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["cause_part"]
        constraints = [models.UniqueConstraint(fields=["court", "cause_part"], name="one_rule_per_court_and_part")]

    def __str__(self) -> str:
        return f"{self.cause_part} -> {self.judge}"


class JudgeAssignment(models.Model):
    """How the presiding judge of a docketed filing was chosen, written once with the docketing. For a draw,
    ``candidates`` is the ordered list of the court's judges drawn from, ``digest`` HMAC-SHA256(seed, canonical
    list) and ``drawn_index`` the candidate it gives (core.draws): anyone can redo it (``filing.assignment``)."""

    filing = models.OneToOneField(Filing, on_delete=models.PROTECT, related_name="assignment")
    method = models.CharField(max_length=8, choices=AssignmentMethod.choices)
    rule_part = models.CharField(max_length=100, blank=True, help_text="Rule: the part of the cause list.")
    seed = models.CharField(max_length=200, blank=True)
    candidates = models.JSONField(default=list, blank=True, help_text="Draw: the ordered candidates (snapshot).")
    digest = models.CharField(max_length=64, blank=True)
    drawn_index = models.PositiveIntegerField(null=True, blank=True)
    assigned_judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", help_text="What the method gave."
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The presiding judge of the case: the one assigned, or the clerk's choice.",
    )
    override_reason = models.TextField(blank=True, help_text="Why the clerk chose another judge.")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.method} -> {self.judge}"

    @property
    def overridden(self) -> bool:
        return self.judge_id != self.assigned_judge_id


def material_path(material: FilingMaterial, filename: str) -> str:
    return f"filing/{material.filing_id}/{material.pk}-{filename}"


class FilingMaterial(TimestampedModel):
    """A file the applicant attached to the filing (the complaint, evidence, identity papers): its type sniffed
    from the bytes, its size limited, its SHA-256 recorded. Filed into the case's dossier on docketing."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=16, choices=MaterialKind.choices)
    title = models.CharField(max_length=100, help_text="What it is, as the applicant named it (借款合同).")
    file = models.FileField(upload_to=material_path, max_length=300)
    file_name = models.CharField(max_length=200, help_text="The file's name as it was given (cleaned).")
    content_type = models.CharField(max_length=100, help_text="The type its bytes show (core.uploads).")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    generated = models.BooleanField(
        default=False, help_text="The element-based complaint generated from the filing's answers (要素式起诉状)."
    )
    dossier_entry = models.ForeignKey(
        "dossier.DossierEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The dossier entry it became at docketing.",
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["filing", "sha256"], name="one_copy_of_a_file_per_filing")]

    def __str__(self) -> str:
        return f"{self.kind} {self.title}"
