"""Writes to litigation fees. Each function is one transaction with its audit event; calls to the payment
service happen outside the transaction (they are idempotent by our record's UUID) or after commit."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.lengths import check_length
from smartcourt.core.lookups import get_or_not_found
from smartcourt.fees import payments
from smartcourt.fees.choices import (
    FEE_TRANSITIONS,
    REFUND_TRANSITIONS,
    FeeStatus,
    RefundReason,
    RefundStatus,
    ReliefKind,
    ReliefStatus,
)
from smartcourt.fees.errors import FeeError
from smartcourt.fees.models import (
    FeePayment,
    FeeReconciliation,
    FeeRefund,
    FeeRelief,
    FeeStatusChange,
    LitigationFee,
)
from smartcourt.fees.policies import can_open_fee
from smartcourt.fees.selectors import fees_past_deadline
from smartcourt.rules.calendar import current_calendar
from smartcourt.rules.litigation_fees.calculator import ClosedBy, FeeResult, compute_litigation_fee
from smartcourt.rules.periods import Period, Unit, period_end

# 诉讼费用交纳办法 art. 22 and the SPC's interpretation of the CPL (2022) art. 213: the plaintiff pays within
# 7 days of the fee notice; unpaid, the case is handled as withdrawn.
PAYMENT_PERIOD = Period(7, Unit.DAYS)


def calculation_of(result: FeeResult) -> dict[str, Any]:
    """The calculation as stored with the fee and shown beside it: plain, serialisable."""
    return {
        "kind": result.kind.value,
        "fee_type": result.fee_type.value,
        "procedure": result.procedure.value,
        "closed_by": result.closed_by.value,
        "basis": result.basis,
        "schedule_version": result.schedule_version,
        "steps": [asdict(step) for step in result.steps],
    }


def _transition(fee: LitigationFee, to_status: str, note: str = "") -> None:
    if to_status not in FEE_TRANSITIONS[fee.status]:
        raise Conflict(_("The fee cannot change from %(old)s to %(new)s") % {"old": fee.status, "new": to_status})
    changed = LitigationFee.objects.filter(pk=fee.pk, status=fee.status).update(status=to_status)
    if changed != 1:
        raise Conflict(_("The fee was changed by someone else; reload and try again"))
    FeeStatusChange.objects.create(
        fee=fee, from_status=fee.status, to_status=to_status, changed_at=timezone.now(), note=note
    )
    fee.status = to_status


@transaction.atomic
def assess_fee(
    *,
    actor: User,
    case_id: uuid.UUID,
    payer_name: str,
    payer_user_id: uuid.UUID | None,
    kind: str,
    amount_fen: int | None,
    notified_on: dt.date,
) -> LitigationFee:
    """Compute the case acceptance fee at docketing (ordinary procedure, art. 13) and record it with its
    calculation; it is due 7 days after the fee notice (art. 22)."""
    case = Case.objects.select_related("court").get(pk=case_id)
    if not actor.is_court_staff or actor.organisation_id != case.court_id:
        raise PermissionDenied(_("Only staff of this court can assess its fees"))
    result = compute_litigation_fee(kind, amount_fen)
    if result.fee_fen is None:
        # A range the province sets: the court fixes the low end of the range until the province's figure
        # is configured (recorded as such in the calculation).
        assert result.fee_min_fen is not None
        fee_fen, fixed_note = result.fee_min_fen, "province_range_low_end"
    else:
        fee_fen, fixed_note = result.fee_fen, ""
    calculation = calculation_of(result)
    if fixed_note:
        calculation["fixed_within_range"] = fixed_note
        calculation["range"] = [result.fee_min_fen, result.fee_max_fen]
    due = period_end(notified_on, PAYMENT_PERIOD, current_calendar()).due_on
    try:
        with transaction.atomic():
            fee = LitigationFee.objects.create(
                case=case,
                payer_name=payer_name,
                payer_user_id=payer_user_id,
                kind=result.kind.value,
                amount_in_dispute_fen=amount_fen,
                fee_fen=fee_fen,
                calculation=calculation,
                due_on=due,
            )
    except IntegrityError as exc:
        raise Conflict(_("A fee for this payer is already recorded on the case")) from exc
    record_event(
        actor=actor,
        action="fees.assessed",
        case_id=case.pk,
        obj=fee,
        after={"payer": payer_name, "kind": fee.kind, "fee_fen": fee_fen, "due_on": due, "basis": result.basis},
    )
    return fee


@transaction.atomic
def mark_overdue(*, actor: User, fee_id: uuid.UUID | str, today: dt.date) -> LitigationFee:
    """The fee was not paid by its last day and no relief application awaits the judge (诉讼费用交纳办法
    art. 22; SPC interpretation of the CPL, 2022, art. 213): it becomes overdue, the fact the ruling that the
    case is handled as withdrawn rests on. Checked again under the row's lock, so a payment booked or an
    application made a moment ago wins (a Conflict, and nothing changes)."""
    fee = LitigationFee.objects.select_for_update().select_related("case").get(pk=fee_id)
    _court_staff_of(actor, fee)
    if not fees_past_deadline(today).filter(pk=fee.pk).exists():
        raise Conflict(_("This fee is paid, not yet due, or awaits the judge's decision on relief"), field="fee")
    _transition(fee, FeeStatus.OVERDUE, note=f"due {fee.due_on.isoformat()}")
    record_event(
        actor=actor,
        action="fees.overdue",
        case_id=fee.case_id,
        obj=fee,
        after={"due_on": fee.due_on, "fee_fen": fee.fee_fen, "paid_fen": fee.paid_fen},
    )
    return fee


def get_fee_for(user: User, fee_id: uuid.UUID | str) -> LitigationFee:
    """The fee if ``user`` may see it: its payer's account, or staff of the case's court. Otherwise 404."""
    fee = get_or_not_found(LitigationFee.objects.select_related("case__court"), _("No such fee"), pk=fee_id)
    if can_open_fee(user, fee):
        return fee
    raise NotFound(_("No such fee"))


def pay_url(fee: LitigationFee) -> str:
    """The payment service's page for a fee whose order is open (the party pays there)."""
    return f"{payments.service_url()}/pay/{fee.notice_number}" if fee.notice_number else ""


def start_payment(*, actor: User, fee_id: uuid.UUID | str, return_url: str) -> str:
    """The payment service's page for this fee (a payment order is opened once, under the fee's UUID)."""
    fee = get_fee_for(actor, fee_id)
    if fee.status not in (FeeStatus.DUE, FeeStatus.RELIEVED) or fee.paid_fen >= fee.fee_fen:
        raise Conflict(_("Nothing is left to pay on this fee"))
    try:
        order = payments.call(
            "/v1/orders",
            {
                "order_id": str(fee.pk),
                "payer_name": fee.payer_name,
                "amount_fen": fee.fee_fen - fee.paid_fen,
                "description": f"案件受理费 {fee.case.number}",
                "case_reference": fee.case.number,
                "return_url": return_url,
            },
        )
    except payments.PaymentsUnavailable as exc:
        raise DomainError(
            _("The payment service cannot be reached; try again later"), code=FeeError.UNAVAILABLE
        ) from exc
    except payments.PaymentsRefused as exc:
        raise Conflict(_("The payment service refused the order: %(code)s") % {"code": exc.code}) from exc
    _record_notice(actor=actor, fee_id=fee.pk, notice_number=str(order["notice_number"]))
    return str(order["pay_url"])


@transaction.atomic
def _record_notice(*, actor: User, fee_id: uuid.UUID, notice_number: str) -> None:
    fee = LitigationFee.objects.select_for_update().get(pk=fee_id)
    if fee.notice_number == notice_number:
        return
    fee.notice_number = notice_number
    fee.save(update_fields=["notice_number", "updated_at"])
    record_event(
        actor=actor, action="fees.payment_notice", case_id=fee.case_id, obj=fee, after={"notice": notice_number}
    )


def _field_text(payload: dict[str, Any], name: str, limit: int) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise DomainError(_("The notification's %(field)s is missing or malformed") % {"field": name}, field=name)
    return value


@transaction.atomic
def book_notification(*, payload: dict[str, Any]) -> tuple[str, bool]:
    """Book what the payment service reports (a payment or a refund) once. Returns (kind, created).
    A notification that does not match our records (another notice, another amount) is refused with a
    DomainError naming the field, and nothing is stored."""
    kind = payload.get("type")
    if kind == "payment":
        return "payment", _book_payment(payload)
    if kind == "refund":
        return "refund", _book_refund(payload)
    raise DomainError(_("Unknown notification type"), field="type")


def _book_payment(payload: dict[str, Any]) -> bool:
    order_id = _field_text(payload, "order_id", 64)
    notice = _field_text(payload, "notice_number", 40)
    reference = _field_text(payload, "payment_reference", 64)
    amount = payload.get("amount_fen")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise DomainError(_("The notification's amount is not a positive number of fen"), field="amount_fen")
    try:
        fee = LitigationFee.objects.select_for_update().get(pk=uuid.UUID(order_id))
    except (ValueError, LitigationFee.DoesNotExist) as exc:
        raise DomainError(_("The notification names no fee of ours"), field="order_id") from exc
    existing = FeePayment.objects.filter(reference=reference).first()
    if existing is not None:
        if (existing.fee_id, existing.amount_fen, existing.notice_number) != (fee.pk, amount, notice):
            raise DomainError(
                _("A payment with this reference was booked with other details"), field="payment_reference"
            )
        return False
    if notice != fee.notice_number:
        raise DomainError(_("The notice number does not match the fee's"), field="notice_number")
    if amount != fee.fee_fen - fee.paid_fen:
        raise DomainError(_("The amount paid does not match the amount due"), field="amount_fen")
    try:
        paid_at = dt.datetime.fromisoformat(_field_text(payload, "paid_at", 40))
    except ValueError as exc:
        raise DomainError(_("The notification's paid_at is not a time"), field="paid_at") from exc
    account_name = _field_text(payload, "payer_account_name", 200)
    account_number = _field_text(payload, "payer_account_number", 40)
    payment = FeePayment.objects.create(
        fee=fee,
        notice_number=notice,
        reference=reference,
        amount_fen=amount,
        paid_at=paid_at,
        account_name=account_name,
        account_number=account_number,
    )
    fee.paid_fen += amount
    fee.paid_at = paid_at
    fee.payer_account_name, fee.payer_account_number = account_name, account_number
    fee.save(update_fields=["paid_fen", "paid_at", "payer_account_name", "payer_account_number", "updated_at"])
    # Paid after the case was handled as withdrawn for want of payment (诉讼费用交纳办法 art. 22): the money is
    # booked (it was taken; the daily reconciliation must find it) and the fee stays overdue; it is refunded whole.
    late = fee.status == FeeStatus.OVERDUE
    if not late:
        _transition(fee, FeeStatus.PAID, note=reference)
    record_event(
        actor=None,
        action="fees.paid",
        case_id=fee.case_id,
        obj=payment,
        after={"fee": str(fee.pk), "amount_fen": amount, "reference": reference, "notice": notice, "late": late},
    )
    return True


def _book_refund(payload: dict[str, Any]) -> bool:
    refund_id = _field_text(payload, "refund_id", 64)
    reference = _field_text(payload, "reference", 64)
    try:
        refund = FeeRefund.objects.select_for_update().get(pk=uuid.UUID(refund_id))
    except (ValueError, FeeRefund.DoesNotExist) as exc:
        raise DomainError(_("The notification names no refund of ours"), field="refund_id") from exc
    if payload.get("amount_fen") != refund.amount_fen:
        raise DomainError(_("The amount refunded does not match the refund"), field="amount_fen")
    if refund.status == RefundStatus.PAID:
        return False
    _mark_refund_paid(refund, reference=reference, actor=None)
    return True


def _mark_refund_paid(refund: FeeRefund, *, reference: str, actor: User | None) -> None:
    if RefundStatus.PAID not in REFUND_TRANSITIONS[refund.status]:
        raise Conflict(_("The refund is not approved"))
    updated = FeeRefund.objects.filter(pk=refund.pk, status=refund.status).update(
        status=RefundStatus.PAID, paid_at=timezone.now(), reference=reference
    )
    if updated != 1:
        raise Conflict(_("The refund was changed by someone else"))
    fee = LitigationFee.objects.select_for_update().get(pk=refund.fee_id)
    fee.refunded_fen += refund.amount_fen
    fee.save(update_fields=["refunded_fen", "updated_at"])
    record_event(
        actor=actor,
        action="fees.refunded",
        case_id=fee.case_id,
        obj=refund,
        after={"amount_fen": refund.amount_fen, "reference": reference},
    )


def _court_staff_of(actor: User, fee: LitigationFee) -> None:
    if not actor.is_court_staff or actor.organisation_id != fee.case.court_id:
        raise PermissionDenied(_("Only staff of this court can do this"))


@transaction.atomic
def request_refund(*, actor: User, fee_id: uuid.UUID | str, reason: str) -> FeeRefund:
    """Work out a refund: after withdrawal or mediation the fee is halved (art. 15) and the rest of what was
    paid goes back; an overpayment goes back whole. The amount is computed, never typed."""
    fee = get_fee_for(actor, fee_id)
    _court_staff_of(actor, fee)
    fee = LitigationFee.objects.select_for_update().get(pk=fee.pk)
    if reason not in RefundReason.values:
        raise DomainError(_("Choose why the fee is refunded"), field="reason")
    if fee.paid_fen <= 0:
        raise Conflict(_("Nothing was paid on this fee"))
    if FeeRefund.objects.filter(fee=fee).exclude(status=RefundStatus.PAID).exists():
        raise Conflict(_("A refund of this fee is already in progress"))
    if fee.status == FeeStatus.OVERDUE:
        # Paid only after the case was handled as withdrawn for want of payment: no fee is owed for a case the
        # court did not hear, so all of it goes back whatever the reason chosen.
        reason, kept = RefundReason.OVERPAID, 0
        calculation: dict[str, Any] = {"kept_fen": kept, "basis": ["《诉讼费用交纳办法》第二十二条"], "paid_late": True}
    elif reason == RefundReason.OVERPAID:
        kept = fee.fee_fen
        calculation = {"kept_fen": kept, "basis": []}
    else:
        result = compute_litigation_fee(
            fee.kind,
            fee.amount_in_dispute_fen,
            closed_by=ClosedBy.WITHDRAWAL if reason == RefundReason.WITHDRAWAL else ClosedBy.MEDIATION,
        )
        kept = result.fee_fen if result.fee_fen is not None else (fee.fee_fen + 1) // 2
        calculation = {"kept_fen": kept, **calculation_of(result)}
    amount = fee.paid_fen - fee.refunded_fen - kept
    if amount <= 0:
        raise Conflict(_("Nothing is due back on this fee"))
    calculation["paid_fen"] = fee.paid_fen
    calculation["already_refunded_fen"] = fee.refunded_fen
    refund = FeeRefund.objects.create(
        fee=fee,
        reason=reason,
        amount_fen=amount,
        calculation=calculation,
        account_name=fee.payer_account_name,
        account_number=fee.payer_account_number,
    )
    record_event(
        actor=actor,
        action="fees.refund_requested",
        case_id=fee.case_id,
        obj=refund,
        after={"reason": reason, "amount_fen": amount, "kept_fen": kept},
    )
    return refund


@transaction.atomic
def confirm_refund_account(*, actor: User, refund_id: uuid.UUID | str) -> FeeRefund:
    """The payer confirms the account the refund goes back to (the one that paid)."""
    refund = FeeRefund.objects.select_for_update().select_related("fee").get(pk=refund_id)
    if refund.fee.payer_user_id != actor.pk:
        raise NotFound(_("No such refund"))
    if refund.account_confirmed_at is None:
        refund.account_confirmed_at = timezone.now()
        refund.save(update_fields=["account_confirmed_at", "updated_at"])
        record_event(actor=actor, action="fees.refund_account_confirmed", case_id=refund.fee.case_id, obj=refund)
    return refund


def next_working_day(day: dt.date) -> dt.date:
    calendar = current_calendar()
    following = day + dt.timedelta(days=1)
    while calendar.is_rest_day(following):
        following += dt.timedelta(days=1)
    return following


@transaction.atomic
def approve_refund(*, actor: User, refund_id: uuid.UUID | str) -> FeeRefund:
    """The judge approves; the refund is paid within one working day (tracked as ``pay_by``)."""
    refund = FeeRefund.objects.select_for_update().select_related("fee__case").get(pk=refund_id)
    _court_staff_of(actor, refund.fee)
    if actor.role != Role.JUDGE:
        raise PermissionDenied(_("A judge approves refunds"))
    if refund.account_confirmed_at is None:
        raise Conflict(_("The payer has not confirmed the account yet"))
    if RefundStatus.APPROVED not in REFUND_TRANSITIONS[refund.status]:
        raise Conflict(_("The refund is not awaiting approval"))
    now = timezone.now()
    refund.status, refund.approved_at, refund.approved_by = RefundStatus.APPROVED, now, actor
    refund.pay_by = next_working_day(timezone.localdate())
    refund.save(update_fields=["status", "approved_at", "approved_by", "pay_by", "updated_at"])
    record_event(
        actor=actor,
        action="fees.refund_approved",
        case_id=refund.fee.case_id,
        obj=refund,
        after={"pay_by": refund.pay_by},
    )
    transaction.on_commit(lambda: execute_refund(refund_id=refund.pk))
    return refund


def execute_refund(*, refund_id: uuid.UUID) -> FeeRefund:
    """Send an approved refund to the payment service (idempotent by the refund's UUID) and book it."""
    refund = FeeRefund.objects.select_related("fee").get(pk=refund_id)
    if refund.status != RefundStatus.APPROVED:
        return refund
    try:
        answer = payments.call(
            "/v1/refunds",
            {
                "refund_id": str(refund.pk),
                "notice_number": refund.fee.notice_number,
                "amount_fen": refund.amount_fen,
                "account_name": refund.account_name,
                "account_number": refund.account_number,
                "reason": str(refund.get_reason_display()),
            },
        )
    except (payments.PaymentsUnavailable, payments.PaymentsRefused):
        return refund  # stays approved, shown against its pay-by day; sent again later
    with transaction.atomic():
        locked = FeeRefund.objects.select_for_update().get(pk=refund.pk)
        if locked.status == RefundStatus.APPROVED:
            _mark_refund_paid(locked, reference=str(answer["reference"]), actor=None)
        locked.refresh_from_db()
    return locked


@transaction.atomic
def reconcile_day(*, day: dt.date) -> FeeReconciliation:
    """Check every payment and refund the service booked on ``day`` against ours, and ours against it."""
    statement = payments.call("/v1/statements", {"day": day.isoformat()})
    theirs = {(e["kind"], e["reference"]): e for e in statement["entries"]}
    ours: dict[tuple[str, str], dict[str, Any]] = {}
    start = dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
    end = start + dt.timedelta(days=1)
    for payment in FeePayment.objects.filter(paid_at__gte=start, paid_at__lt=end):
        ours[("payment", payment.reference)] = {
            "amount_fen": payment.amount_fen,
            "notice_number": payment.notice_number,
        }
    for refund in FeeRefund.objects.filter(paid_at__gte=start, paid_at__lt=end, status=RefundStatus.PAID):
        ours[("refund", refund.reference)] = {
            "amount_fen": refund.amount_fen,
            "notice_number": refund.fee.notice_number,
        }
    differences = []
    for key in sorted(set(theirs) | set(ours)):
        mine, other = ours.get(key), theirs.get(key)
        if mine is None:
            assert other is not None
            differences.append(
                {"kind": key[0], "reference": key[1], "problem": "not_booked", "their_fen": other["amount_fen"]}
            )
        elif other is None:
            differences.append(
                {"kind": key[0], "reference": key[1], "problem": "not_in_statement", "our_fen": mine["amount_fen"]}
            )
        elif other["amount_fen"] != mine["amount_fen"]:
            differences.append(
                {
                    "kind": key[0],
                    "reference": key[1],
                    "problem": "amount",
                    "our_fen": mine["amount_fen"],
                    "their_fen": other["amount_fen"],
                }
            )
    reconciliation, _created = FeeReconciliation.objects.update_or_create(
        day=day,
        defaults={
            "statement_entries": len(theirs),
            "matched": len(set(theirs) & set(ours)) - sum(1 for d in differences if d["problem"] == "amount"),
            "differences": differences,
        },
    )
    record_event(
        actor=None,
        action="fees.reconciled",
        obj=reconciliation,
        after={"day": day, "entries": len(theirs), "differences": len(differences)},
    )
    return reconciliation


MAX_REASONS = 2000


@transaction.atomic
def apply_for_relief(*, actor: User, fee_id: uuid.UUID | str, kind: str, reasons: str) -> FeeRelief:
    """The payer applies to defer, reduce or waive the fee (缓减免, 诉讼费用交纳办法 arts. 44-51), with reasons."""
    fee = get_fee_for(actor, fee_id)
    if fee.payer_user_id != actor.pk:
        raise NotFound(_("No such fee"))
    if kind not in ReliefKind.values:
        raise DomainError(_("Choose deferral, reduction or waiver"), field="kind")
    reasons = reasons.strip()
    if not reasons:
        raise DomainError(_("Give the reasons for the application"), field="reasons")
    if len(reasons) > MAX_REASONS:
        raise DomainError(_("At most %(count)s characters") % {"count": MAX_REASONS}, field="reasons")
    fee = LitigationFee.objects.select_for_update().get(pk=fee.pk)
    if fee.status != FeeStatus.DUE:
        raise Conflict(_("Relief can be asked for only while the fee is due"))
    if FeeRelief.objects.filter(fee=fee, status=ReliefStatus.PENDING).exists():
        raise Conflict(_("An application for this fee is already awaiting the judge"))
    relief = FeeRelief.objects.create(fee=fee, kind=kind, reasons=reasons, applied_by=actor)
    record_event(actor=actor, action="fees.relief_applied", case_id=fee.case_id, obj=relief, after={"kind": kind})
    return relief


@transaction.atomic
def decide_relief(
    *,
    actor: User,
    relief_id: uuid.UUID | str,
    grant: bool,
    note: str = "",
    reduced_to_fen: int | None = None,
    deferred_until: dt.date | None = None,
) -> FeeRelief:
    """The case's presiding judge decides. Granted: a waiver makes the fee nil, a reduction sets the amount
    due, a deferral moves the last day; the fee as computed stays in its calculation."""
    relief = get_or_not_found(
        FeeRelief.objects.select_for_update().select_related("fee__case"), _("No such application"), pk=relief_id
    )
    fee = LitigationFee.objects.select_for_update().get(pk=relief.fee_id)
    if actor.role != Role.JUDGE or fee.case.presiding_judge_id != actor.pk:
        raise PermissionDenied(_("The case's presiding judge decides on relief"))
    if relief.status != ReliefStatus.PENDING:
        raise Conflict(_("The application has been decided"))
    note = check_length(FeeRelief, "decision_note", note.strip(), label=_("The note"), input_field="note")
    updates: dict[str, Any] = {}
    if grant:
        if relief.kind == ReliefKind.WAIVER:
            reduced_to_fen = 0
        if relief.kind in (ReliefKind.WAIVER, ReliefKind.REDUCTION):
            if reduced_to_fen is None or not 0 <= reduced_to_fen < fee.fee_fen:
                raise DomainError(
                    _("A reduction leaves less than the fee and not less than nothing"), field="reduced_to"
                )
            calculation = dict(fee.calculation)
            calculation.setdefault("assessed_fen", fee.fee_fen)
            updates = {"fee_fen": reduced_to_fen, "calculation": calculation}
        else:
            if deferred_until is None or deferred_until <= fee.due_on:
                raise DomainError(_("A deferral moves the last day later"), field="deferred_until")
            updates = {"due_on": deferred_until}
        for name, value in updates.items():
            setattr(fee, name, value)
        fee.save(update_fields=[*updates, "updated_at"])
        _transition(fee, FeeStatus.RELIEVED, note=relief.kind)
    relief.status = ReliefStatus.GRANTED if grant else ReliefStatus.REFUSED
    relief.decided_by, relief.decided_at, relief.decision_note = actor, timezone.now(), note
    relief.reduced_to_fen = reduced_to_fen if grant else None
    relief.deferred_until = deferred_until if grant and relief.kind == ReliefKind.DEFERRAL else None
    relief.save()
    record_event(
        actor=actor,
        action="fees.relief_decided",
        case_id=fee.case_id,
        obj=relief,
        after={"granted": grant, "kind": relief.kind, **{k: v for k, v in updates.items() if k != "calculation"}},
    )
    return relief
