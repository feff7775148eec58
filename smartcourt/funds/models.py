"""The court's supervision of the estate's money: the administrator's supervised bank account and its limits,
payment requests with their review and approval, every movement the bank reports (the estate ledger, in double
entry) and the alerts the platform raises.

Amounts are integer fen. A payment request's status changes only through actions.py, by compare-and-set on
``version``, and every change leaves an immutable ``PaymentTransition``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from smartcourt.cases.models import Case
from smartcourt.core.models import TimestampedModel, UUIDModel
from smartcourt.dossier.models import DossierEntry
from smartcourt.funds.choices import (
    AccountOrigin,
    AlertKind,
    Decision,
    LedgerAccount,
    MovementSource,
    PaymentStatus,
    Purpose,
    Step,
)


class SupervisedAccount(TimestampedModel):
    """The administrator's bank account for one case, under the court's supervision (监管账户).

    The limits here are the platform's copy of what the bank enforces too; ``LimitChange`` keeps their
    history. ``balance_fen`` and ``last_sequence`` are what the bank last told us."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supervised_accounts")
    bank_partner = models.CharField(max_length=40, help_text="Key of the bank partner (its adapter configuration).")
    bank_name = models.CharField(max_length=200, help_text="Name of the bank and branch, for people.")
    account_number = models.CharField(max_length=40, help_text="Account number as text.")
    account_name = models.CharField(max_length=200, help_text="Name the account is held in.")
    origin = models.CharField(max_length=16, choices=AccountOrigin.choices)
    per_transaction_limit_fen = models.BigIntegerField(
        null=True, blank=True, help_text="Largest single payment without the judge's approval (fen); empty: none."
    )
    daily_limit_fen = models.BigIntegerField(
        null=True, blank=True, help_text="Payments per Asia/Shanghai calendar day without approval (fen)."
    )
    cumulative_limit_fen = models.BigIntegerField(
        null=True, blank=True, help_text="All payments since supervision began without approval (fen)."
    )
    balance_fen = models.BigIntegerField(default=0, help_text="Balance after the latest movement the bank reported.")
    last_sequence = models.BigIntegerField(
        default=0, help_text="Highest bank sequence number booked; lower ones may still be missing (see alerts)."
    )
    synced_sequence = models.BigIntegerField(
        default=0, help_text="Every movement up to this sequence is booked: the statement pull starts after it."
    )
    last_synced_at = models.DateTimeField(null=True, blank=True, help_text="Last successful statement pull.")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True, help_text="False once supervision of this account ended.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bank_partner", "account_number"], name="funds_account_once"),
            models.UniqueConstraint(fields=["case"], condition=Q(active=True), name="funds_one_active_account"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number}"


class LimitChange(UUIDModel):
    """An immutable record of the limits set on an account: the first row when it is opened, one per change."""

    account = models.ForeignKey(SupervisedAccount, on_delete=models.PROTECT, related_name="limit_changes")
    per_transaction_limit_fen = models.BigIntegerField(null=True, blank=True)
    daily_limit_fen = models.BigIntegerField(null=True, blank=True)
    cumulative_limit_fen = models.BigIntegerField(null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()
    reason = models.CharField(max_length=500, blank=True, help_text="Why the court set or changed the limits.")


class PaymentRequest(TimestampedModel):
    """A payment out of the supervised account asked for by the administrator (付款申请).

    ``idempotency_key`` travels with the instruction to the bank and comes back on the bank's movement, which
    is how a debit is linked to the request. ``edition`` counts the administrator's edits: approvals given to
    an earlier edition no longer count."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payment_requests")
    account = models.ForeignKey(SupervisedAccount, on_delete=models.PROTECT, related_name="payment_requests")
    number = models.PositiveIntegerField(help_text="Number of the request within its case (1, 2, ...).")
    payee_name = models.CharField(max_length=200)
    payee_account = models.CharField(max_length=40, help_text="Payee's account number as text.")
    payee_bank = models.CharField(max_length=200, help_text="Payee's bank and branch.")
    payee_bank_code = models.CharField(max_length=12, blank=True, help_text="CNAPS code of the payee's bank.")
    amount_fen = models.BigIntegerField()
    purpose = models.CharField(max_length=24, choices=Purpose.choices)
    description = models.TextField(help_text="What the payment is for; shown to the court and on the dossier.")
    idempotency_key = models.CharField(max_length=64, unique=True, help_text="Sent with the bank instruction.")
    client_key = models.CharField(
        max_length=100, blank=True, help_text="The Idempotency-Key the client sent when creating it, if any."
    )
    client_body_sha256 = models.CharField(max_length=64, blank=True, help_text="Digest of that request's body.")
    status = models.CharField(max_length=24, choices=PaymentStatus.choices, default=PaymentStatus.SUBMITTED)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change (compare-and-set).")
    edition = models.PositiveIntegerField(default=1, help_text="Raised on every edit; approvals bind to it.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    over_limits = models.JSONField(
        default=list, blank=True, help_text="The limits (per_transaction, daily, cumulative) it exceeded when checked."
    )
    approval_token = models.TextField(blank=True, help_text="The court approval token sent with the instruction.")
    released_at = models.DateTimeField(null=True, blank=True, help_text="When it was released to the bank.")
    released_on = models.DateField(
        null=True, blank=True, help_text="Asia/Shanghai day of release: the day whose daily limit it uses."
    )
    bank_reference = models.CharField(max_length=64, blank=True)
    bank_reason = models.CharField(max_length=40, blank=True, help_text="The bank's reason code when it refused.")
    bank_message = models.CharField(max_length=500, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="How many times the instruction was sent.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="funds_payment_number_once"),
            models.UniqueConstraint(
                fields=["requested_by", "client_key"], condition=~Q(client_key=""), name="funds_client_key_once"
            ),
        ]
        indexes = [models.Index(fields=["case", "status"]), models.Index(fields=["account", "released_on"])]

    def __str__(self) -> str:
        return f"{self.case_id} 付款#{self.number}"


class PaymentTransition(UUIDModel):
    """An immutable record of one status change of a payment request."""

    payment = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=24, choices=PaymentStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=PaymentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the bank's answer made the change.",
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=1000, blank=True)


class PaymentAttachment(UUIDModel):
    """A supporting document of a payment request (invoice, contract), kept as a dossier entry."""

    payment = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, related_name="attachments")
    entry = models.ForeignKey(DossierEntry, on_delete=models.PROTECT, related_name="+")
    edition = models.PositiveIntegerField(help_text="The edition of the request it was added to.")


class PaymentApproval(UUIDModel):
    """One decision of a court officer on one edition of a payment request. Immutable: an edit of the request
    does not delete it, it only stops counting (its ``edition`` is no longer the request's)."""

    payment = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, related_name="approvals")
    edition = models.PositiveIntegerField(help_text="The edition of the request this decision was about.")
    step = models.CharField(max_length=16, choices=Step.choices)
    decision = models.CharField(max_length=16, choices=Decision.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    note = models.CharField(max_length=1000, blank=True)
    entry = models.ForeignKey(
        DossierEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The approval or rejection as filed into the dossier.",
    )

    class Meta:
        constraints = [
            # Exactly one decision per step and edition: two approvers at once cannot both decide.
            models.UniqueConstraint(fields=["payment", "edition", "step"], name="funds_one_decision_per_step"),
        ]


class BankMovement(UUIDModel):
    """One movement of the supervised account as the bank reported it, booked exactly once."""

    account = models.ForeignKey(SupervisedAccount, on_delete=models.PROTECT, related_name="movements")
    sequence = models.BigIntegerField(help_text="The bank's sequence number on the account.")
    bank_reference = models.CharField(max_length=64)
    booked_at = models.DateTimeField()
    amount_fen = models.BigIntegerField(help_text="Positive: money in; negative: money out.")
    balance_after_fen = models.BigIntegerField()
    counterparty_name = models.CharField(max_length=200, blank=True)
    counterparty_account = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=500, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    payment = models.ForeignKey(
        PaymentRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
        help_text="Our payment request it executes (or returns), found through the idempotency key.",
    )
    source = models.CharField(max_length=16, choices=MovementSource.choices)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "sequence"], name="funds_movement_once")]
        ordering = ["account", "sequence"]


class ExpectedDebit(UUIDModel):
    """A debit the platform ordered other than through a payment request (a distribution batch sent under the
    court's batch approval): when the bank reports it, it is booked to its purpose, not alerted as unexpected."""

    account = models.ForeignKey(SupervisedAccount, on_delete=models.PROTECT, related_name="expected_debits")
    idempotency_key = models.CharField(max_length=64, help_text="The key the instruction was sent under.")
    amount_fen = models.BigIntegerField(help_text="What the bank should debit, in fen (positive).")
    payee_account = models.CharField(max_length=40)
    purpose = models.CharField(max_length=24, choices=Purpose.choices)
    reference = models.CharField(max_length=100, help_text="What ordered it, e.g. the distribution batch's id.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "idempotency_key"], name="funds_expected_debit_once"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="funds_expected_debit_positive"),
        ]


class JournalLine(UUIDModel):
    """One line of the estate's double-entry journal: every bank movement makes one debit and one credit line
    of the same amount, so debits always equal credits."""

    movement = models.ForeignKey(BankMovement, on_delete=models.PROTECT, related_name="journal_lines")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    ledger_account = models.CharField(max_length=24, choices=LedgerAccount.choices)
    debit_fen = models.BigIntegerField(default=0)
    credit_fen = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit_fen__gt=0, credit_fen=0) | Q(debit_fen=0, credit_fen__gt=0)),
                name="funds_journal_one_side",
            )
        ]


class FundAlert(TimestampedModel):
    """Something the judge should look at. ``key`` makes the same finding raise one alert, not many."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(SupervisedAccount, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=24, choices=AlertKind.choices)
    key = models.CharField(max_length=100, help_text="What the alert is about (a sequence range, a reference).")
    message = models.CharField(max_length=1000)
    payment = models.ForeignKey(PaymentRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    movement = models.ForeignKey(BankMovement, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "kind", "key"], name="funds_alert_once")]
        ordering = ["-created_at"]
