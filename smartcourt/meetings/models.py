"""Creditors' meetings held online: the meeting, its agenda, the voting rights taken from the claims table,
sign-in, questions, ballots with their commitments, notices and the published results.

Amounts are integer fen. A meeting's status changes only through actions.py, by compare-and-set on ``version``,
leaving an immutable ``MeetingTransition``. A ballot is one row per (item, voting right): a change of vote
rewrites that row, so two votes of the same creditor at once leave exactly one ballot.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smartcourt.cases.models import Case
from smartcourt.claims.models import Creditor
from smartcourt.core.models import TimestampedModel, UUIDModel
from smartcourt.dossier.models import DossierEntry
from smartcourt.meetings.choices import AgendaKind, BallotVote, MeetingKind, MeetingStatus, NoticeKind


class Meeting(TimestampedModel):
    """One creditors' meeting of a case, convened by the court (art. 62)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=16, choices=MeetingKind.choices)
    title = models.CharField(max_length=200)
    scheduled_at = models.DateTimeField(help_text="When the meeting opens (sign-in, questions).")
    voting_opens_at = models.DateTimeField()
    voting_closes_at = models.DateTimeField(help_text="Votes are taken until this instant, not after.")
    status = models.CharField(max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.CONVENED)
    version = models.PositiveIntegerField(default=1)
    small_claims_threshold_fen = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="Ordinary claims up to this amount vote in a small-claims class on a reorganisation plan "
        "(art. 82(2)); empty for none.",
    )
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notice_entry = models.ForeignKey(DossierEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    merkle_root = models.CharField(
        max_length=64, blank=True, help_text="RFC 6962 Merkle root over the sorted commitments, published at close."
    )
    ballot_count = models.PositiveIntegerField(default=0, help_text="Ballots counted at close.")
    results_entry = models.ForeignKey(DossierEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    minutes_entry = models.ForeignKey(DossierEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    minutes_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            # Only one first meeting per case (art. 62(1)).
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(kind=MeetingKind.FIRST) & ~models.Q(status=MeetingStatus.CANCELLED),
                name="meetings_one_first_meeting",
            ),
            models.CheckConstraint(
                condition=models.Q(voting_closes_at__gt=models.F("voting_opens_at")),
                name="meetings_window_not_empty",
            ),
        ]
        ordering = ["-scheduled_at"]

    def __str__(self) -> str:
        return self.title


class MeetingTransition(UUIDModel):
    """An immutable record of one status change of a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=MeetingStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=MeetingStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)


class AgendaItem(TimestampedModel):
    """One item of the agenda: heard (a report) or voted on under the rule of its kind."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=24, choices=AgendaKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    passed = models.BooleanField(null=True, blank=True, help_text="Result at close; empty for reports.")
    result = models.JSONField(default=dict, blank=True, help_text="The tally with its working, per class.")
    published_ballots = models.JSONField(
        default=list, blank=True, help_text="After close: [commitment, vote, weights] per ballot, no names."
    )
    needs_court_ruling = models.BooleanField(
        default=False, help_text="A rejected management, realisation or distribution plan (art. 65)."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="meetings_item_position_once")]
        ordering = ["meeting", "position"]

    def __str__(self) -> str:
        return self.title


class AgendaDocument(UUIDModel):
    """A document of an agenda item (work report, plan, agreement): a dossier entry the creditors may read."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="documents")
    entry = models.ForeignKey(DossierEntry, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "entry"], name="meetings_document_once")]


class VotingRight(TimestampedModel):
    """A creditor's vote in one meeting, taken from the claims table when the meeting is convened.

    Amounts by nature of claim: confirmed amounts, or provisional amounts the court sets for claims not yet
    determined (art. 59(2)). A creditor with undetermined claims and no provisional amount has no vote for them.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="rights")
    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_rights"
    )
    name = models.CharField(max_length=200)
    secured_fen = models.BigIntegerField(default=0)
    employee_fen = models.BigIntegerField(default=0)
    tax_fen = models.BigIntegerField(default=0)
    ordinary_fen = models.BigIntegerField(default=0)
    undetermined = models.BooleanField(
        default=False, help_text="Has claims not yet determined (pending, disputed, under review)."
    )
    provisional = models.BooleanField(default=False, help_text="The court set the amounts provisionally (art. 59).")
    priority_waived = models.BooleanField(
        default=False, help_text="A secured creditor who waived priority votes on every item (art. 59(3))."
    )
    signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "creditor"], name="meetings_right_once")]
        indexes = [models.Index(fields=["meeting", "user"])]
        ordering = ["meeting", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def unsecured_fen(self) -> int:
        return self.employee_fen + self.tax_fen + self.ordinary_fen

    @property
    def secured_not_waived(self) -> bool:
        return self.secured_fen > 0 and not self.priority_waived


class Ballot(TimestampedModel):
    """A creditor's current vote on one item. Changing the vote rewrites the row (and its commitment) until the
    close; the unique constraint makes two simultaneous votes one ballot.

    ``commitment`` = SHA-256 over the canonical encoding of meeting, item, voting right, vote, weights and a
    random salt that only the voter receives (ballots.py). The salt is not stored."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="ballots")
    right = models.ForeignKey(VotingRight, on_delete=models.PROTECT, related_name="ballots")
    vote = models.CharField(max_length=8, choices=BallotVote.choices)
    weights = models.JSONField(help_text="The amounts the vote carries, in fen, by class (or 'unsecured').")
    commitment = models.CharField(max_length=64, unique=True)
    revision = models.PositiveIntegerField(default=1, help_text="1 for the first vote, +1 for each change.")
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "right"], name="meetings_one_ballot_per_item")]
        indexes = [models.Index(fields=["item", "vote"])]


class Question(TimestampedModel):
    """A creditor's question, answered by the administrator in the open: every participant reads both."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="questions")
    right = models.ForeignKey(VotingRight, on_delete=models.PROTECT, related_name="questions")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "created_at"]


class Notice(TimestampedModel):
    """A notice of the meeting (or of its results) to one creditor: in his platform inbox (the meeting page) when
    he has an account, by SMS when a phone number is known. One per meeting, kind and creditor."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    right = models.ForeignKey(VotingRight, on_delete=models.PROTECT, related_name="notices")
    entry = models.ForeignKey(DossierEntry, on_delete=models.PROTECT, related_name="+")
    channels = models.JSONField(default=list, help_text="inbox, sms")
    sent_at = models.DateTimeField()
    sms_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the SMS went out; set once, so a retried job never resends it."
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "kind", "right"], name="meetings_notice_once")]
