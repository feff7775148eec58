"""Telling the administrator at once what the court decided on a payment request, and what to do next
(issue 15.15; the Nantong practice: approved, then told to pay the litigation fee).

The decision's page (the payment request, and the administrator's funds page) shows ``next_step``; the same
words go out by SMS to the administrator who asked, after the decision commits. A failed SMS is logged and
leaves the decision as it is: the page still says it."""

from __future__ import annotations

import logging
import uuid

from django.db import transaction

from smartcourt.audit.actions import record_event
from smartcourt.core.money import fen_to_yuan
from smartcourt.core.sms import sms_adapter
from smartcourt.funds.choices import PaymentStatus, Step
from smartcourt.funds.models import PaymentApproval, PaymentRequest

logger = logging.getLogger("smartcourt.funds")


def next_step(payment: PaymentRequest) -> str:
    """What the administrator does now, in the words of the court's notice (Chinese: it is the notice's text,
    whatever language the page is read in), or "" while nothing is decided."""
    decision = (
        PaymentApproval.objects.filter(payment=payment, edition=payment.edition, step=Step.APPROVAL)
        .order_by("-decided_at")
        .first()
    )
    if decision is None:
        return ""
    amount = fen_to_yuan(payment.amount_fen)
    head = f"付款申请第{payment.number}号（向{payment.payee_name}支付{amount}元）"
    reason = f"（{decision.note}）" if decision.note else ""
    if payment.status in {PaymentStatus.APPROVED, PaymentStatus.SENT_TO_BANK, PaymentStatus.EXECUTED}:
        return (
            f"{head}法院已准许{reason}。付款指令已发送监管银行，请关注到账；"
            "支付诉讼费等款项的，请按法院通知及时缴纳，并将缴费凭证提交法院归档。"
        )
    if payment.status == PaymentStatus.REJECTED:
        return f"{head}法院不予准许{reason}。如仍需支付，请补充依据后重新提出申请。"
    if payment.status == PaymentStatus.RETURNED:
        return f"{head}法院退回修改{reason}。请按意见修改后重新提交。"
    return ""


def tell_administrator(*, payment_id: uuid.UUID | str) -> bool:
    """Text the administrator who made the request what the court decided and what to do next, once per
    decision (the audit event is the record that it was sent). Runs after the decision commits."""
    payment = PaymentRequest.objects.select_related("requested_by").filter(pk=payment_id).first()
    if payment is None:
        return False
    text = next_step(payment)
    phone = payment.requested_by.phone if payment.requested_by is not None else ""
    if not text or not phone:
        return False
    try:
        sms_adapter().send(phone, f"【{payment.case.court.name}】{text}")
    except Exception:
        logger.exception("payment decision SMS for %s failed", payment.pk)
        return False
    with transaction.atomic():
        record_event(
            actor=None,
            action="funds.administrator_notified",
            case_id=payment.case_id,
            obj=payment,
            after={"status": payment.status, "edition": payment.edition, "channel": "sms"},
        )
    return True
