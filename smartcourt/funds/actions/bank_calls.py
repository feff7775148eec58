"""Talking to the bank: sending released instructions and recording its answers (never inside a transaction)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smartcourt.audit.actions import record_event
from smartcourt.banking.adapter import (
    PURPOSE_LENGTH,
    BankRefused,
    BankUnavailable,
    Payee,
    TransferInstruction,
    TransferResult,
    TransferStatus,
)
from smartcourt.core.dates import SHANGHAI
from smartcourt.core.errors import DomainError
from smartcourt.core.lengths import check_length, fit, shorten
from smartcourt.core.money import fen_to_yuan
from smartcourt.dossier.choices import EntryKind
from smartcourt.funds import bank
from smartcourt.funds.actions._common import _file_pdf, _transition, raise_alert
from smartcourt.funds.choices import AlertKind, PaymentStatus
from smartcourt.funds.errors import FundsError
from smartcourt.funds.models import PaymentRequest

logger = logging.getLogger("smartcourt.funds")


def _purpose_zh(payment: PaymentRequest) -> str:
    """The purpose's name in Chinese, for documents and the bank's statements."""
    with translation.override("zh-hans"):
        return str(payment.get_purpose_display())


def _payee(payment: PaymentRequest) -> Payee:
    return Payee(
        name=payment.payee_name,
        account_number=payment.payee_account,
        bank_name=payment.payee_bank,
        bank_code=payment.payee_bank_code,
    )


def send_payment(*, payment_id: uuid.UUID | str) -> str:
    """Send a released instruction to the bank and record its answer; returns the request's status.

    Safe to run any number of times: only a request still ``sent_to_bank`` is sent, and the bank answers a
    repeated idempotency key with its first result, never paying twice."""
    with transaction.atomic():
        payment = (
            PaymentRequest.objects.select_for_update(of=("self",))
            .select_related("account")
            .filter(pk=payment_id)
            .first()
        )
        if payment is None or payment.status != PaymentStatus.SENT_TO_BANK:
            return payment.status if payment is not None else ""
        PaymentRequest.objects.filter(pk=payment.pk).update(attempts=payment.attempts + 1)
    instruction = TransferInstruction(
        idempotency_key=payment.idempotency_key,
        account_number=payment.account.account_number,
        payee=_payee(payment),
        amount_fen=payment.amount_fen,
        # A line on both sides' statements: the description is on the request whole, the line shows where it ends.
        purpose=shorten(f"{_purpose_zh(payment)} {payment.description}", PURPOSE_LENGTH),
        approval_token=payment.approval_token,
    )
    try:
        result = bank.adapter_for(payment.account.bank_partner).transfer(instruction)
    except BankUnavailable:
        logger.warning("bank unavailable for payment %s; the periodic task retries", payment.pk)
        return PaymentStatus.SENT_TO_BANK
    except BankRefused as exc:
        # An authentic refusal that retrying will not change (a field the bank will not take): recorded as such.
        result = TransferResult(payment.idempotency_key, TransferStatus.REJECTED, message=f"{exc.code}: {exc}")
    return record_transfer_result(payment_id=payment.pk, result=result)


def check_payment(*, payment_id: uuid.UUID | str) -> str:
    """Ask the bank what became of an instruction (after a crash between sending and recording the answer).
    An instruction the bank does not know is sent (again): the idempotency key makes that safe."""
    payment = PaymentRequest.objects.select_related("account").filter(pk=payment_id).first()
    if payment is None or payment.status != PaymentStatus.SENT_TO_BANK:
        return payment.status if payment is not None else ""
    try:
        result = bank.adapter_for(payment.account.bank_partner).transfer_status(idempotency_key=payment.idempotency_key)
    except BankUnavailable:
        return PaymentStatus.SENT_TO_BANK
    except Exception as exc:
        if not bank.is_unknown_transfer(exc):
            raise
        logger.info("the bank never received payment %s; sending it", payment.pk)
        return send_payment(payment_id=payment.pk)
    return record_transfer_result(payment_id=payment.pk, result=result)


@transaction.atomic
def record_transfer_result(*, payment_id: uuid.UUID | str, result: TransferResult) -> str:
    """Record what the bank answered about an instruction. A request no longer waiting (already executed by
    a notification that came first) is left as it is."""
    payment = (
        PaymentRequest.objects.select_for_update(of=("self",)).select_related("case", "account").get(pk=payment_id)
    )
    if result.idempotency_key and result.idempotency_key != payment.idempotency_key:
        raise DomainError("the bank answered about another instruction", code=FundsError.BANK_MISMATCH)
    # A reference or a reason code the columns cannot hold is refused whole, before anything is written: cut,
    # it would no longer match the bank's. (The bank's words for people are shortened visibly below.)
    check_length(PaymentRequest, "bank_reference", result.bank_reference, label=_("The bank's reference"))
    check_length(PaymentRequest, "bank_reason", str(result.reason or ""), label=_("The bank's reason code"))
    if payment.status != PaymentStatus.SENT_TO_BANK:
        if result.status == TransferStatus.RETURNED and payment.status == PaymentStatus.EXECUTED:
            _mark_bounced(payment, message=result.message)
        return payment.status
    if result.bank_reference and not payment.bank_reference:
        PaymentRequest.objects.filter(pk=payment.pk).update(bank_reference=result.bank_reference)
        payment.bank_reference = result.bank_reference
    if result.status in (TransferStatus.EXECUTED, TransferStatus.RETURNED):
        _mark_executed(payment, executed_at=result.executed_at or timezone.now())
        if result.status == TransferStatus.RETURNED:
            _mark_bounced(payment, message=result.message)
    elif result.status == TransferStatus.REJECTED:
        reason = str(result.reason or "")
        _transition(
            payment,
            PaymentStatus.REJECTED_BY_BANK,
            actor=None,
            note=result.message,
            bank_reason=reason,
            bank_message=fit(PaymentRequest, "bank_message", result.message),
        )
        record_event(
            actor=None,
            action="funds.payment_failed",
            case_id=payment.case_id,
            obj=payment,
            after={"status": payment.status, "reason": reason, "message": result.message},
        )
        raise_alert(
            account=payment.account,
            kind=AlertKind.BANK_REJECTED,
            key=str(payment.pk),
            message=_("The bank refused payment request no. %(number)s: %(reason)s %(message)s")
            % {"number": payment.number, "reason": reason, "message": result.message},
            payment=payment,
        )
    return payment.status


def _mark_executed(payment: PaymentRequest, *, executed_at: dt.datetime) -> None:
    """The bank paid: record it (once) and file the execution record into the dossier."""
    if payment.status != PaymentStatus.SENT_TO_BANK:
        return
    _transition(payment, PaymentStatus.EXECUTED, actor=None, executed_at=executed_at)
    # Filed in the maker's name: the execution reports on his request (the dossier needs a person who can see
    # the case; the bank is not one). Filed before the event below: the dossier counter is always locked
    # before the audit head, in every action, so concurrent actions cannot deadlock on the two.
    _file_pdf(
        actor=payment.requested_by,
        payment=payment,
        title=f"付款申请第{payment.number}号执行记录",
        heading="付款执行记录",
        kind=EntryKind.REPORT,
        body=(
            f"监管银行已于{executed_at.astimezone(SHANGHAI):%Y年%m月%d日 %H:%M}向{payment.payee_name}"
            f"（账号{payment.payee_account}）支付{fen_to_yuan(payment.amount_fen)}元，"
            f"银行流水号{payment.bank_reference or '—'}。"
        ),
    )
    record_event(
        actor=None,
        action="funds.payment_executed",
        case_id=payment.case_id,
        obj=payment,
        after={
            "status": payment.status,
            "amount_fen": payment.amount_fen,
            "bank_reference": payment.bank_reference,
            "executed_at": executed_at.isoformat(),
        },
    )


def _mark_bounced(payment: PaymentRequest, *, message: str) -> None:
    if payment.status != PaymentStatus.EXECUTED:
        return
    bank_message = fit(PaymentRequest, "bank_message", message)
    _transition(payment, PaymentStatus.BOUNCED, actor=None, note=message, bank_message=bank_message)
    record_event(
        actor=None,
        action="funds.payment_failed",
        case_id=payment.case_id,
        obj=payment,
        after={"status": payment.status, "message": message},
    )
