"""States and kinds of fund supervision: accounts, payment requests, approvals, ledger accounts, alerts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountOrigin(models.TextChoices):
    # The court had the bank open a new account for the administrator (开立监管账户).
    OPENED = "opened", _("Opened for the case")
    # An account the administrator already holds, put under the court's supervision (纳入监管).
    REGISTERED = "registered", _("Existing account registered")


class Purpose(models.TextChoices):
    # 破产费用 (EBL art. 41): court fees, costs of managing and realising the estate, administrator's pay.
    BANKRUPTCY_EXPENSE = "bankruptcy_expense", _("Bankruptcy expense")
    # 共益债务 (EBL art. 42): debts incurred for the creditors' common benefit.
    COMMON_BENEFIT_DEBT = "common_benefit_debt", _("Common-benefit debt")
    # 分配 (EBL art. 113-116): a payment to a creditor under the distribution plan.
    DISTRIBUTION = "distribution", _("Distribution")
    # Anything else; the description must say what.
    OTHER = "other", _("Other")


class PaymentStatus(models.TextChoices):
    # Made by the administrator and over a limit: waits for the judge assistant's review.
    SUBMITTED = "submitted", _("Submitted")
    # Sent back to the administrator for changes (by the assistant or the judge); he edits or withdraws it.
    RETURNED = "returned", _("Returned for changes")
    # Reviewed by the judge assistant: waits for the judge's approval.
    REVIEWED = "reviewed", _("Reviewed")
    # Approved by the judge: the court approval token is issued, the instruction goes to the bank.
    APPROVED = "approved", _("Approved")
    # Released to the bank (within limits, or approved); the bank's answer is awaited.
    SENT_TO_BANK = "sent_to_bank", _("Sent to the bank")
    # The bank debited the account and paid the payee.
    EXECUTED = "executed", _("Executed")
    # The bank refused the instruction; nothing was debited.
    REJECTED_BY_BANK = "rejected_by_bank", _("Rejected by the bank")
    # Executed, then returned by the payee's bank (退汇): the money came back.
    BOUNCED = "bounced", _("Returned by the payee's bank")
    # Refused by the judge.
    REJECTED = "rejected", _("Rejected")
    # Withdrawn by the administrator before it reached the bank.
    WITHDRAWN = "withdrawn", _("Withdrawn")


PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    PaymentStatus.SUBMITTED: frozenset(
        {
            PaymentStatus.SENT_TO_BANK,  # within every limit: straight to the bank
            PaymentStatus.REVIEWED,
            PaymentStatus.RETURNED,
            PaymentStatus.REJECTED,
            PaymentStatus.WITHDRAWN,
        }
    ),
    PaymentStatus.RETURNED: frozenset({PaymentStatus.SUBMITTED, PaymentStatus.WITHDRAWN}),
    PaymentStatus.REVIEWED: frozenset(
        {PaymentStatus.APPROVED, PaymentStatus.RETURNED, PaymentStatus.REJECTED, PaymentStatus.WITHDRAWN}
    ),
    PaymentStatus.APPROVED: frozenset({PaymentStatus.SENT_TO_BANK}),
    PaymentStatus.SENT_TO_BANK: frozenset({PaymentStatus.EXECUTED, PaymentStatus.REJECTED_BY_BANK}),
    PaymentStatus.EXECUTED: frozenset({PaymentStatus.BOUNCED}),
    PaymentStatus.REJECTED_BY_BANK: frozenset(),
    PaymentStatus.BOUNCED: frozenset(),
    PaymentStatus.REJECTED: frozenset(),
    PaymentStatus.WITHDRAWN: frozenset(),
}
# The administrator may change the request only while no court officer has passed it on.
EDITABLE = frozenset({PaymentStatus.SUBMITTED, PaymentStatus.RETURNED})
# Amounts the bank has (or will have) debited: they use up the daily and cumulative limits.
COMMITTED = frozenset({PaymentStatus.APPROVED, PaymentStatus.SENT_TO_BANK, PaymentStatus.EXECUTED})
# Waiting for someone at the court.
AWAITING_COURT = frozenset({PaymentStatus.SUBMITTED, PaymentStatus.REVIEWED})


class Step(models.TextChoices):
    # The judge assistant's review (审核).
    REVIEW = "review", _("Assistant's review")
    # The judge's approval (审批).
    APPROVAL = "approval", _("Judge's approval")


class Decision(models.TextChoices):
    # Review passed: on to the judge.
    FORWARD = "forward", _("Passed on to the judge")
    # Approved: the payment may exceed the limit it exceeds.
    APPROVE = "approve", _("Approved")
    # Sent back to the administrator for changes.
    RETURN = "return", _("Returned for changes")
    # Refused.
    REJECT = "reject", _("Rejected")


class Limit(models.TextChoices):
    PER_TRANSACTION = "per_transaction", _("Per-transaction limit")
    DAILY = "daily", _("Daily limit")
    CUMULATIVE = "cumulative", _("Cumulative limit")


class LedgerAccount(models.TextChoices):
    """The estate's ledger accounts (double entry): every bank movement is one debit and one credit."""

    # 银行存款: the supervised account's balance.
    CASH_AT_BANK = "cash_at_bank", _("Cash at bank")
    # 破产费用.
    BANKRUPTCY_EXPENSES = "bankruptcy_expenses", _("Bankruptcy expenses")
    # 共益债务.
    COMMON_BENEFIT_DEBTS = "common_benefit_debts", _("Common-benefit debts")
    # 债权人分配.
    DISTRIBUTIONS = "distributions", _("Creditor distributions")
    # 提存: paid out for reasons the ledger cannot place yet (other payments, unexpected debits).
    ESCROW = "escrow", _("Escrow and unplaced payments")
    # 变价收入 and other money received.
    PROCEEDS = "proceeds", _("Realisation proceeds and receipts")


LEDGER_ACCOUNT_OF_PURPOSE: dict[str, str] = {
    Purpose.BANKRUPTCY_EXPENSE: LedgerAccount.BANKRUPTCY_EXPENSES,
    Purpose.COMMON_BENEFIT_DEBT: LedgerAccount.COMMON_BENEFIT_DEBTS,
    Purpose.DISTRIBUTION: LedgerAccount.DISTRIBUTIONS,
    Purpose.OTHER: LedgerAccount.ESCROW,
}


class MovementSource(models.TextChoices):
    # Pushed by the bank to POST /api/v1/banking/notifications.
    NOTIFICATION = "notification", _("Bank notification")
    # Pulled from the bank's statement by the periodic task.
    STATEMENT = "statement", _("Statement")


class AlertKind(models.TextChoices):
    # A debit the platform did not ask for (no payment request of ours carries its idempotency key).
    UNEXPECTED_DEBIT = "unexpected_debit", _("Unexpected debit")
    # A payment was requested over a limit (it went to the court instead of the bank).
    LIMIT_BREACH_ATTEMPTED = "limit_breach_attempted", _("Limit breach attempted")
    # The bank's sequence numbers skip: a movement was not reported to us.
    SEQUENCE_GAP = "sequence_gap", _("Missing movements")
    # The bank's figures and ours differ (balance, amount of a payment).
    UNRECONCILED = "unreconciled", _("Unreconciled item")
    # The bank refused an instruction of ours.
    BANK_REJECTED = "bank_rejected", _("Refused by the bank")
