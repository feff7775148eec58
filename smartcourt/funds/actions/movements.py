"""Movements on the supervised account: the estate ledger, alerts and reconciliation."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.banking.adapter import Movement
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import DomainError, NotFound, PermissionDenied
from smartcourt.core.lengths import check_length
from smartcourt.core.money import MAX_FEN, fen_to_yuan
from smartcourt.funds import bank, policies
from smartcourt.funds.actions._common import raise_alert
from smartcourt.funds.actions.bank_calls import _mark_bounced, _mark_executed, check_payment
from smartcourt.funds.choices import (
    LEDGER_ACCOUNT_OF_PURPOSE,
    AlertKind,
    LedgerAccount,
    MovementSource,
    PaymentStatus,
    Purpose,
)
from smartcourt.funds.models import (
    BankMovement,
    ExpectedDebit,
    FundAlert,
    JournalLine,
    PaymentRequest,
    SupervisedAccount,
)
from smartcourt.funds.selectors import get_funds_case_for

# A payment still waiting for the bank's answer after this long is asked about again.
STALE_AFTER = dt.timedelta(minutes=2)


def _journal(movement: BankMovement, payment: PaymentRequest | None, purpose: str | None = None) -> None:
    """Two lines per movement, debit and credit of the same amount: money in is cash at bank against proceeds;
    money out is the purpose's account (the payment's, or an expected debit's) against cash at bank."""
    amount = abs(movement.amount_fen)
    if amount == 0:
        return
    debit: str
    credit: str
    if movement.amount_fen > 0:
        debit, credit = LedgerAccount.CASH_AT_BANK, LedgerAccount.PROCEEDS
        if payment is not None or purpose is not None:
            # A payment of ours coming back (退汇) reverses the purpose's account.
            credit = LEDGER_ACCOUNT_OF_PURPOSE[payment.purpose if payment is not None else str(purpose)]
    else:
        if payment is not None:
            purpose = payment.purpose
        debit = LEDGER_ACCOUNT_OF_PURPOSE[purpose] if purpose is not None else LedgerAccount.ESCROW
        credit = LedgerAccount.CASH_AT_BANK
    JournalLine.objects.bulk_create(
        [
            JournalLine(movement=movement, case_id=movement.account.case_id, ledger_account=debit, debit_fen=amount),
            JournalLine(movement=movement, case_id=movement.account.case_id, ledger_account=credit, credit_fen=amount),
        ]
    )


@dataclass(frozen=True)
class ExpectedDebitInput:
    idempotency_key: str
    amount_fen: int
    payee_account: str


@transaction.atomic
def expect_debits(
    *, actor: User, account_id: uuid.UUID | str, debits: list[ExpectedDebitInput], purpose: str, reference: str
) -> int:
    """Announce debits the platform is about to order outside a payment request (a distribution batch under the
    court's batch approval), so that when the bank books them they go to their purpose in the journal instead of
    raising unexpected-debit alerts. Idempotent per key; returns how many were new."""
    account = SupervisedAccount.objects.select_for_update().filter(pk=account_id).first()
    if account is None:
        raise NotFound(_("No supervised account with this number"), field="account_id")
    case = get_case_for(actor, account.case_id)
    if not policies.can_see_funds(actor, case):
        raise NotFound(_("No supervised account with this number"), field="account_id")
    if purpose not in Purpose.values:
        raise DomainError(f"unknown purpose {purpose!r}", field="purpose")
    if any(d.amount_fen <= 0 or d.amount_fen > MAX_FEN or not d.idempotency_key for d in debits):
        raise DomainError("each expected debit needs a key and a positive amount", field="debits")
    # Each is matched later against what the bank reports: a key or an account cut would match nothing.
    reference = check_length(ExpectedDebit, "reference", reference, label=_("The reference"))
    for d in debits:
        check_length(ExpectedDebit, "idempotency_key", d.idempotency_key, label=_("The key"), input_field="debits")
        check_length(ExpectedDebit, "payee_account", d.payee_account, label=_("The account"), input_field="debits")
    known = set(
        ExpectedDebit.objects.filter(
            account=account, idempotency_key__in=[d.idempotency_key for d in debits]
        ).values_list("idempotency_key", flat=True)
    )
    new = [
        ExpectedDebit(
            account=account,
            idempotency_key=d.idempotency_key,
            amount_fen=d.amount_fen,
            payee_account=d.payee_account,
            purpose=purpose,
            reference=reference,
        )
        for d in debits
        if d.idempotency_key not in known
    ]
    ExpectedDebit.objects.bulk_create(new, batch_size=1000)
    if new:
        record_event(
            actor=actor,
            action="funds.debits_expected",
            case_id=account.case_id,
            obj=account,
            after={
                "purpose": purpose,
                "reference": reference,
                "count": len(new),
                "total_fen": sum(d.amount_fen for d in new),
            },
        )
    return len(new)


@dataclass(frozen=True)
class ReportedMovement:
    """One movement as the bank reported it, and how the report came (a push notification, a statement)."""

    movement: Movement
    source: str

    def cleaned(self) -> ReportedMovement:
        """The report itself when the platform can book it whole; else the DomainError naming the field. A
        reference or a key cut to fit would no longer match the bank's or our payment's (issue 15.14). The
        bank's files bound them (ISO 20022 Max35Text references, Max140Text names), so only a faulty report is
        refused; the gap it leaves in the sequence is alerted and the statement pull asks for it again."""
        if self.source not in MovementSource.values:
            raise DomainError(f"unknown movement source {self.source!r}", field="source")
        movement = self.movement
        for field, value, label in (
            ("bank_reference", movement.bank_reference, _("The bank's reference")),
            ("counterparty_name", movement.counterparty_name, _("The counterparty's name")),
            ("counterparty_account", movement.counterparty_account, _("The counterparty's account")),
            ("description", movement.description, _("The description")),
            ("idempotency_key", movement.idempotency_key, _("The key")),
        ):
            check_length(BankMovement, field, value, label=label)
        return self


def _advance(account: SupervisedAccount, movement: Movement) -> None:
    """The account's last sequence and balance (when the movement is the latest), and how far its movements
    are contiguous: what the statement pull starts after."""
    update: dict[str, Any] = {"updated_at": timezone.now()}
    if movement.sequence > account.last_sequence:
        update.update(last_sequence=movement.sequence, balance_fen=movement.balance_after_fen)
    contiguous = account.synced_sequence
    while BankMovement.objects.filter(account=account, sequence=contiguous + 1).exists():
        contiguous += 1
    update["synced_sequence"] = contiguous
    SupervisedAccount.objects.filter(pk=account.pk).update(**update)
    for name, value in update.items():
        setattr(account, name, value)


def _alert_on(
    booked: BankMovement,
    movement: Movement,
    *,
    payment: PaymentRequest | None,
    expected: ExpectedDebit | None,
    gap_from: int,
) -> None:
    """The alerts a booked movement raises: a gap before it, a debit for another amount than announced or
    asked, a debit nobody asked for."""
    if movement.sequence > gap_from:
        raise_alert(
            account=booked.account,
            kind=AlertKind.SEQUENCE_GAP,
            key=f"{gap_from}-{movement.sequence - 1}",
            message=_("Movements %(first)s to %(last)s were not reported yet; the statement pull fetches them")
            % {"first": gap_from, "last": movement.sequence - 1},
            movement=booked,
        )
    if expected is not None and movement.amount_fen < 0 and -movement.amount_fen != expected.amount_fen:
        raise_alert(
            account=booked.account,
            kind=AlertKind.UNRECONCILED,
            key=f"expected:{movement.bank_reference}",
            message=_("%(reference)s expected a debit of %(asked)s yuan but the bank debited %(debited)s")
            % {
                "reference": expected.reference,
                "asked": fen_to_yuan(expected.amount_fen),
                "debited": fen_to_yuan(-movement.amount_fen),
            },
            movement=booked,
        )
    elif movement.amount_fen < 0 and payment is None and expected is None:
        raise_alert(
            account=booked.account,
            kind=AlertKind.UNEXPECTED_DEBIT,
            key=movement.bank_reference or f"seq:{movement.sequence}",
            message=_("A debit of %(amount)s yuan to %(payee)s that no payment request asked for")
            % {"amount": fen_to_yuan(-movement.amount_fen), "payee": movement.counterparty_name or "?"},
            movement=booked,
        )
    elif payment is not None and movement.amount_fen < 0 and -movement.amount_fen != payment.amount_fen:
        raise_alert(
            account=booked.account,
            kind=AlertKind.UNRECONCILED,
            key=f"amount:{movement.bank_reference}",
            message=_("Payment request no. %(number)s was for %(asked)s yuan but the bank debited %(debited)s")
            % {
                "number": payment.number,
                "asked": fen_to_yuan(payment.amount_fen),
                "debited": fen_to_yuan(-movement.amount_fen),
            },
            payment=payment,
            movement=booked,
        )


@transaction.atomic
def book_movement(*, movement: Movement, source: str, bank_partner: str = "") -> tuple[BankMovement, bool]:
    """Book one movement the bank reported, exactly once per (account, sequence). Links it to our payment
    request through the idempotency key, journals it, updates the balance, and raises alerts for an unexpected
    debit, a sequence gap, or figures that do not match. Returns (movement, booked now)."""
    ReportedMovement(movement, source).cleaned()
    accounts = SupervisedAccount.objects.select_for_update().filter(account_number=movement.account_number)
    if bank_partner:
        accounts = accounts.filter(bank_partner=bank_partner)
    account = accounts.first()
    if account is None:
        raise NotFound(_("No supervised account with this number"), field="account_number")
    existing = BankMovement.objects.filter(account=account, sequence=movement.sequence).first()
    if existing is not None:
        if existing.bank_reference != movement.bank_reference or existing.amount_fen != movement.amount_fen:
            raise_alert(
                account=account,
                kind=AlertKind.UNRECONCILED,
                key=f"seq:{movement.sequence}:{movement.bank_reference}",
                message=_("The bank reported sequence %(seq)s twice with different contents")
                % {"seq": movement.sequence},
                movement=existing,
            )
        return existing, False
    payment = None
    if movement.idempotency_key:
        payment = (
            PaymentRequest.objects.select_for_update()
            .filter(account=account, idempotency_key=movement.idempotency_key)
            .first()
        )
    booked = BankMovement.objects.create(
        account=account,
        sequence=movement.sequence,
        bank_reference=movement.bank_reference,
        booked_at=movement.booked_at,
        amount_fen=movement.amount_fen,
        balance_after_fen=movement.balance_after_fen,
        counterparty_name=movement.counterparty_name,
        counterparty_account=movement.counterparty_account,
        description=movement.description,
        idempotency_key=movement.idempotency_key,
        payment=payment,
        source=source,
    )
    booked.account = account
    expected = None
    if payment is None and movement.idempotency_key:
        # A debit we announced, or its money coming back (退汇).
        expected = ExpectedDebit.objects.filter(account=account, idempotency_key=movement.idempotency_key).first()
    _journal(booked, payment, expected.purpose if expected is not None else None)
    gap_from = account.last_sequence + 1
    _advance(account, movement)
    # The payment's own effects first (they file into the dossier, whose counter is locked before the audit
    # head everywhere), then the events.
    if payment is not None and movement.amount_fen < 0 and payment.status == PaymentStatus.SENT_TO_BANK:
        if not payment.bank_reference:
            PaymentRequest.objects.filter(pk=payment.pk).update(bank_reference=movement.bank_reference)
            payment.bank_reference = movement.bank_reference
        _mark_executed(payment, executed_at=movement.booked_at)
    elif payment is not None and movement.amount_fen > 0:
        _mark_bounced(payment, message=movement.description)
    record_event(
        actor=None,
        action="funds.movement_booked",
        case_id=account.case_id,
        obj=booked,
        after={
            "sequence": movement.sequence,
            "amount_fen": movement.amount_fen,
            "balance_after_fen": movement.balance_after_fen,
            "bank_reference": movement.bank_reference,
            "payment": str(payment.pk) if payment is not None else None,
            "source": source,
        },
    )
    _alert_on(booked, movement, payment=payment, expected=expected, gap_from=gap_from)
    return booked, True


def sync_account(*, account_id: uuid.UUID | str, limit: int = 500) -> int:
    """Pull the statement after the last contiguous sequence, book what is new, then reconcile the balance
    with the bank's. Returns how many movements were booked now. Idempotent."""
    account = SupervisedAccount.objects.get(pk=account_id)
    adapter = bank.adapter_for(account.bank_partner)
    booked = 0
    after = account.synced_sequence
    while True:
        movements = adapter.statement(account_number=account.account_number, after_sequence=after, limit=limit)
        for movement in movements:
            _row, created = book_movement(
                movement=movement, source=MovementSource.STATEMENT, bank_partner=account.bank_partner
            )
            booked += int(created)
        if len(movements) < limit:
            break
        after = movements[-1].sequence
    info = adapter.account(account_number=account.account_number)
    reconcile(account_id=account.pk, bank_balance_fen=info.balance_fen)
    return booked


@dataclass(frozen=True)
class Difference:
    what: str
    ours_fen: int
    bank_fen: int


@transaction.atomic
def reconcile(*, account_id: uuid.UUID | str, bank_balance_fen: int) -> list[Difference]:
    """Compare our books with the bank: the balance it reports now against the balance after the last movement
    booked, and every movement's balance against the previous one plus its amount. Each difference is
    recorded (``funds.reconciliation_difference``) and alerted once."""
    account = SupervisedAccount.objects.select_for_update().get(pk=account_id)
    differences: list[Difference] = []
    if account.synced_sequence == account.last_sequence and account.balance_fen != bank_balance_fen:
        differences.append(Difference("balance", account.balance_fen, bank_balance_fen))
    previous: BankMovement | None = None
    for movement in (
        BankMovement.objects.filter(account=account)
        .order_by("sequence")
        .only("sequence", "amount_fen", "balance_after_fen", "bank_reference")
    ):
        if (
            previous is not None
            and previous.sequence + 1 == movement.sequence
            and previous.balance_after_fen + movement.amount_fen != movement.balance_after_fen
        ):
            differences.append(
                Difference(
                    f"seq:{movement.sequence}",
                    previous.balance_after_fen + movement.amount_fen,
                    movement.balance_after_fen,
                )
            )
        previous = movement
    lines = JournalLine.objects.filter(movement__account=account).aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    if (lines["d"] or 0) != (lines["c"] or 0):
        differences.append(Difference("journal", lines["d"] or 0, lines["c"] or 0))
    for difference in differences:
        record_event(
            actor=None,
            action="funds.reconciliation_difference",
            case_id=account.case_id,
            obj=account,
            after={"what": difference.what, "ours_fen": difference.ours_fen, "bank_fen": difference.bank_fen},
        )
        raise_alert(
            account=account,
            kind=AlertKind.UNRECONCILED,
            key=f"{difference.what}:{difference.ours_fen}:{difference.bank_fen}",
            message=_("Reconciliation: %(what)s is %(ours)s yuan in our books and %(bank)s yuan at the bank")
            % {
                "what": difference.what,
                "ours": fen_to_yuan(difference.ours_fen),
                "bank": fen_to_yuan(difference.bank_fen),
            },
        )
    SupervisedAccount.objects.filter(pk=account.pk).update(last_synced_at=timezone.now())
    return differences


def retry_unanswered(*, older_than: dt.timedelta = STALE_AFTER) -> int:
    """Ask the bank about every instruction released but unanswered for a while (a worker may have died
    between sending and recording). Returns how many were checked."""
    cutoff = timezone.now() - older_than
    ids = list(
        PaymentRequest.objects.filter(status=PaymentStatus.SENT_TO_BANK, released_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for payment_id in ids:
        check_payment(payment_id=payment_id)
    return len(ids)


@transaction.atomic
def resolve_alert(*, actor: User, alert_id: uuid.UUID | str) -> FundAlert:
    """The judge marks an alert as dealt with."""
    alert = FundAlert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(_("No such alert"))
    case = get_funds_case_for(actor, alert.case_id)
    if not (policies.can_manage_account(actor, case) or policies.can_review(actor, case)):
        raise PermissionDenied(_("Only the court resolves alerts"))
    if alert.resolved_at is not None:
        return alert
    alert.resolved_at = timezone.now()
    alert.save(update_fields=["resolved_at", "updated_at"])
    record_event(actor=actor, action="funds.alert_resolved", case_id=case.pk, obj=alert, after={"kind": alert.kind})
    return alert
