"""Payment requests: drafting, review, approval and release to the bank."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.banking.iso20022.pain001 import MAX_NAME
from smartcourt.cases.choices import Composition
from smartcourt.core.dates import shanghai_day
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.core.lengths import fit
from smartcourt.core.money import MAX_FEN, fen_to_yuan, yuan_to_fen
from smartcourt.core.uploads import JPEG, PDF, PNG, UploadedFileLike, checked_upload
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry
from smartcourt.funds import bank, policies
from smartcourt.funds.actions._common import (
    _check_version,
    _file_pdf,
    _locked_payment,
    _note,
    _payment_state,
    _settle_breach_alerts,
    _transition,
    raise_alert,
)
from smartcourt.funds.actions.bank_calls import _payee, _purpose_zh
from smartcourt.funds.actions.notices import tell_administrator
from smartcourt.funds.choices import EDITABLE, AlertKind, Decision, Limit, PaymentStatus, Purpose, Step
from smartcourt.funds.errors import FundsError
from smartcourt.funds.models import (
    PaymentApproval,
    PaymentAttachment,
    PaymentRequest,
    PaymentTransition,
    SupervisedAccount,
)
from smartcourt.funds.selectors import get_funds_case_for, limits_exceeded

# Yuan as people write it on a payment form: digits, at most two decimals (no exponents, no signs).
AMOUNT = re.compile(r"[0-9]{1,13}(\.[0-9]{1,2})?", re.ASCII)


MAX_ATTACHMENTS = 10


MAX_PAYEE_NAME = MAX_NAME  # ISO 20022 Max140Text


ATTACHMENT_TYPES = frozenset({PDF, PNG, JPEG})


# How long the court's approval token stays valid for the bank.
TOKEN_LIFETIME = dt.timedelta(days=3)


@dataclass(frozen=True)
class PaymentDetails:
    """What the administrator asks to pay; the amount is a yuan string."""

    payee_name: str
    payee_account: str
    payee_bank: str
    amount: str
    purpose: str
    description: str
    payee_bank_code: str = ""

    def cleaned(self) -> dict[str, Any]:
        payee_name = self.payee_name.strip()
        # The name travels to the bank and back in ISO 20022 files (Cdtr/Nm, camt RltdPties/Nm: Max140Text);
        # a longer one would be cut there, so it is refused here (issue 15.14).
        if not payee_name or len(payee_name) > MAX_PAYEE_NAME:
            raise DomainError(
                _("Name the payee in at most %(max)d characters (bank files carry no more); this one has %(length)d")
                % {"max": MAX_PAYEE_NAME, "length": len(payee_name)},
                field="payee_name",
            )
        payee_account = "".join(self.payee_account.split())
        if not payee_account or len(payee_account) > 40 or not payee_account.isdigit():
            raise DomainError(_("The payee's account number is digits only, at most 40"), field="payee_account")
        payee_bank = self.payee_bank.strip()
        if not payee_bank or len(payee_bank) > 200:
            raise DomainError(_("Name the payee's bank"), field="payee_bank")
        code = self.payee_bank_code.strip()
        if code and (len(code) != 12 or not code.isdigit()):
            raise DomainError(_("A CNAPS bank code has 12 digits"), field="payee_bank_code")
        amount = str(self.amount).strip()
        if not AMOUNT.fullmatch(amount):
            raise DomainError(_("Give the amount in yuan, such as 12000.00"), field="amount")
        amount_fen = yuan_to_fen(amount, field="amount")
        if amount_fen <= 0 or amount_fen > MAX_FEN:
            raise DomainError(_("The amount must be more than zero"), field="amount")
        if self.purpose not in Purpose.values:
            raise DomainError(_("Choose the purpose of the payment"), field="purpose")
        description = self.description.strip()
        if not description:
            raise DomainError(_("Say what the payment is for"), field="description")
        if len(description) > 2000:
            raise DomainError(_("At most %(count)s characters") % {"count": 2000}, field="description")
        return {
            "payee_name": payee_name,
            "payee_account": payee_account,
            "payee_bank": payee_bank,
            "payee_bank_code": code,
            "amount_fen": amount_fen,
            "purpose": self.purpose,
            "description": description,
        }


def _attach(actor: User, payment: PaymentRequest, attachments: list[UploadedFileLike] | None) -> None:
    files = [checked_upload(upload, allowed=ATTACHMENT_TYPES, field="attachments") for upload in attachments or []]
    if len(files) + payment.attachments.count() > MAX_ATTACHMENTS:
        raise DomainError(_("At most %(count)s attachments") % {"count": MAX_ATTACHMENTS}, field="attachments")
    for checked in files:
        entry = file_entry(
            actor=actor,
            case=payment.case,
            kind=EntryKind.ATTACHMENT,
            title=fit(DossierEntry, "title", f"付款申请第{payment.number}号附件：{checked.name}"),
            content=checked.content,
            filename=checked.name,
            content_type=checked.content_type,
            source=payment,
        )
        PaymentAttachment.objects.create(payment=payment, entry=entry, edition=payment.edition)


@transaction.atomic
def request_payment(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    details: PaymentDetails,
    attachments: list[UploadedFileLike] | None = None,
    client_key: str = "",
    client_body_sha256: str = "",
    now: dt.datetime | None = None,
) -> tuple[PaymentRequest, bool]:
    """The administrator asks for a payment. Within every limit it is released to the bank at once; over a
    limit it waits for the assistant's review and the judge's approval. Returns (request, created): with the
    same ``client_key`` and body it returns the first request instead of making another."""
    case = get_funds_case_for(actor, case_id)
    if not policies.can_request(actor, case):
        raise PermissionDenied(_("Only the appointed administrator requests payments"))
    fields = details.cleaned()
    client_key = client_key.strip()
    if len(client_key) > 100:
        raise DomainError(_("An Idempotency-Key is at most 100 characters"), field="Idempotency-Key")
    # The account lock serialises every payment decision of the case: limit checks, numbers, retried keys.
    account = SupervisedAccount.objects.select_for_update().filter(case=case, active=True).first()
    if account is None:
        raise DomainError(
            _("The court has not opened a supervised account for this case yet"), code=FundsError.NO_ACCOUNT
        )
    if client_key:
        earlier = PaymentRequest.objects.filter(requested_by=actor, client_key=client_key).first()
        if earlier is not None:
            if earlier.client_body_sha256 != client_body_sha256:
                raise DomainError(
                    _("This Idempotency-Key was used with a different request"),
                    code=FundsError.IDEMPOTENCY_KEY_REUSED,
                    field="Idempotency-Key",
                )
            return earlier, False
    number = (PaymentRequest.objects.filter(case=case).aggregate(top=Max("number"))["top"] or 0) + 1
    payment = PaymentRequest.objects.create(
        case=case,
        account=account,
        number=number,
        idempotency_key=uuid.uuid4().hex,
        client_key=client_key,
        client_body_sha256=client_body_sha256 if client_key else "",
        requested_by=actor,
        **fields,
    )
    PaymentTransition.objects.create(payment=payment, from_status="", to_status=PaymentStatus.SUBMITTED, actor=actor)
    _attach(actor, payment, attachments)
    record_event(
        actor=actor, action="funds.payment_requested", case_id=case.pk, obj=payment, after=_payment_state(payment)
    )
    _route(actor=actor, payment=payment, account=account, now=now)
    return payment, True


def _route(*, actor: User, payment: PaymentRequest, account: SupervisedAccount, now: dt.datetime | None) -> None:
    """Within every limit: release to the bank. Over one: stay submitted for the court, and say so."""
    over = limits_exceeded(account, payment.amount_fen, now=now)
    PaymentRequest.objects.filter(pk=payment.pk).update(over_limits=over)
    payment.over_limits = over
    if not over:
        _release(actor=actor, payment=payment, now=now)
        return
    names = "、".join(str(Limit(item).label) for item in over)
    record_event(
        actor=actor,
        action="funds.limit_breach_attempted",
        case_id=payment.case_id,
        obj=payment,
        after={"amount_fen": payment.amount_fen, "limits": over, "edition": payment.edition},
    )
    raise_alert(
        account=account,
        kind=AlertKind.LIMIT_BREACH_ATTEMPTED,
        key=f"{payment.pk}:{payment.edition}",
        message=_(
            "Payment request no. %(number)s of %(amount)s yuan exceeds: %(limits)s; it needs the judge's approval"
        )
        % {"number": payment.number, "amount": fen_to_yuan(payment.amount_fen), "limits": names},
        payment=payment,
    )


def _release(*, actor: User | None, payment: PaymentRequest, now: dt.datetime | None, token: str = "") -> None:
    """Release the request to the bank: the instruction is sent after commit, by a task, idempotently."""
    moment = now or timezone.now()
    _transition(
        payment,
        PaymentStatus.SENT_TO_BANK,
        actor=actor,
        released_at=moment,
        released_on=shanghai_day(moment),
        approval_token=token,
    )
    record_event(
        actor=actor,
        action="funds.payment_sent",
        case_id=payment.case_id,
        obj=payment,
        after={
            "amount_fen": payment.amount_fen,
            "idempotency_key": payment.idempotency_key,
            "with_approval_token": bool(token),
            "released_on": payment.released_on.isoformat() if payment.released_on else None,
        },
    )
    payment_id = str(payment.pk)
    transaction.on_commit(lambda: _queue_send(payment_id))


def _queue_send(payment_id: str) -> None:
    from smartcourt.funds.tasks import send_payment_task

    send_payment_task(payment_id)


@transaction.atomic
def edit_payment(
    *,
    actor: User,
    payment_id: uuid.UUID | str,
    details: PaymentDetails,
    attachments: list[UploadedFileLike] | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> PaymentRequest:
    """The administrator changes a request the court has not passed on. Earlier review decisions stop counting
    (the edition changes); the edited request is routed again as if new."""
    payment = _locked_payment(actor, payment_id, lock_account=True)
    if not policies.can_request(actor, payment.case):
        raise PermissionDenied(_("Only the appointed administrator edits payment requests"))
    _check_version(payment, expected_version)
    if payment.status not in EDITABLE:
        raise Conflict(
            _("A payment request the court has passed on can no longer be edited"), code=FundsError.NOT_EDITABLE
        )
    fields = details.cleaned()
    account = payment.account
    before = _payment_state(payment)
    updated = PaymentRequest.objects.filter(pk=payment.pk, version=payment.version).update(
        **fields, edition=payment.edition + 1, version=payment.version + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise Conflict(_("Somebody else changed this payment request first; reload it"), code=FundsError.STALE)
    payment.refresh_from_db()
    _attach(actor, payment, attachments)
    if payment.status == PaymentStatus.RETURNED:
        _transition(payment, PaymentStatus.SUBMITTED, actor=actor, note=_("Edited"))
    voided = PaymentApproval.objects.filter(payment=payment).exclude(edition=payment.edition).count()
    record_event(
        actor=actor,
        action="funds.payment_edited",
        case_id=payment.case_id,
        obj=payment,
        before=before,
        after={**_payment_state(payment), "approvals_voided": voided},
    )
    _route(actor=actor, payment=payment, account=account, now=now)
    return payment


@transaction.atomic
def withdraw_payment(
    *, actor: User, payment_id: uuid.UUID | str, expected_version: int | None = None
) -> PaymentRequest:
    payment = _locked_payment(actor, payment_id)
    if not policies.can_request(actor, payment.case):
        raise PermissionDenied(_("Only the appointed administrator withdraws payment requests"))
    _check_version(payment, expected_version)
    before = payment.status
    _transition(payment, PaymentStatus.WITHDRAWN, actor=actor)
    _settle_breach_alerts(payment)
    record_event(
        actor=actor,
        action="funds.payment_withdrawn",
        case_id=payment.case_id,
        obj=payment,
        before={"status": before},
        after={"status": payment.status},
    )
    return payment


def _decide(*, actor: User, payment: PaymentRequest, step: str, decision: str, note: str) -> PaymentApproval:
    try:
        with transaction.atomic():
            return PaymentApproval.objects.create(
                payment=payment,
                edition=payment.edition,
                step=step,
                decision=decision,
                decided_by=actor,
                decided_at=timezone.now(),
                note=note,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Somebody else decided on this payment request first"), code=FundsError.ALREADY_DECIDED
        ) from exc


@transaction.atomic
def review_payment(
    *,
    actor: User,
    payment_id: uuid.UUID | str,
    decision: str,
    note: str = "",
    expected_version: int | None = None,
) -> PaymentRequest:
    """The judge assistant reviews an over-limit request: passes it on to the judge, or returns it to the
    administrator for changes."""
    payment = _locked_payment(actor, payment_id)
    if not policies.can_review(actor, payment.case) or actor.pk == payment.requested_by_id:
        raise PermissionDenied(_("Only the judge assistant of the case reviews payment requests"))
    _check_version(payment, expected_version)
    note = _note(note)
    if decision not in (Decision.FORWARD, Decision.RETURN):
        raise DomainError(_("A review passes the request on or returns it"), field="decision")
    if decision == Decision.RETURN and not note:
        raise DomainError(_("Say what the administrator should change"), field="note")
    if payment.status != PaymentStatus.SUBMITTED:
        raise Conflict(_("Only a submitted payment request can be reviewed"), code=FundsError.BAD_TRANSITION)
    _decide(actor=actor, payment=payment, step=Step.REVIEW, decision=decision, note=note)
    before = payment.status
    if decision == Decision.FORWARD:
        _transition(payment, PaymentStatus.REVIEWED, actor=actor, note=note)
        action = "funds.payment_reviewed"
    else:
        _transition(payment, PaymentStatus.RETURNED, actor=actor, note=note)
        action = "funds.payment_returned"
    record_event(
        actor=actor,
        action=action,
        case_id=payment.case_id,
        obj=payment,
        before={"status": before},
        after={"status": payment.status, "edition": payment.edition, "note": note, "step": Step.REVIEW},
    )
    return payment


@transaction.atomic
def _review_in_passing(*, actor: User, payment: PaymentRequest, note: str) -> None:
    """The review step taken by whoever decides, where the case's bench allows it (a sole judge, or the
    assistant recording the collegial panel's decision): recorded like any review, so the trail shows it."""
    _decide(actor=actor, payment=payment, step=Step.REVIEW, decision=Decision.FORWARD, note=note)
    _transition(payment, PaymentStatus.REVIEWED, actor=actor, note=note)
    record_event(
        actor=actor,
        action="funds.payment_reviewed",
        case_id=payment.case_id,
        obj=payment,
        before={"status": PaymentStatus.SUBMITTED},
        after={"status": payment.status, "edition": payment.edition, "note": note, "step": Step.REVIEW},
    )


_PANEL_DECISIONS: dict[str, str] = {Decision.APPROVE: "同意", Decision.REJECT: "不同意", Decision.RETURN: "退回修改"}


def _deciding_panel(actor: User, payment: PaymentRequest, *, for_panel: bool) -> list[str]:
    """Refuse anyone who may not decide; the panel's names when the assistant records a collegial panel's
    decision (none otherwise). The requester never decides his own request."""
    case = payment.case
    panel: list[str] = []
    if for_panel:
        if case.composition != Composition.COLLEGIAL or not policies.can_review(actor, case):
            raise PermissionDenied(
                _("Only the judge assistant of a case heard by a collegial panel records its decision")
            )
        panel = policies.panel_names(case)
    elif not policies.can_approve(actor, case):
        raise PermissionDenied(_("Only a judge sitting on the case approves payment requests"))
    if actor.pk == payment.requested_by_id:
        raise PermissionDenied(_("Only a judge sitting on the case approves payment requests"))
    return panel


@transaction.atomic
def decide_payment(
    *,
    actor: User,
    payment_id: uuid.UUID | str,
    decision: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    for_panel: bool = False,
) -> PaymentRequest:
    """The court decides on an over-limit request: approves it (the court's approval token is issued and the
    instruction goes to the bank after commit), rejects it, or returns it for changes. Filed in the dossier,
    and the administrator is told at once (notices.tell_administrator: page and SMS) what to do next.

    Who decides follows the case's bench (cases.staffing, issue 15.15):
    - a judge sitting on the case decides a request the assistant reviewed;
    - a collegial panel decides together, and the judge assistant records its decision (``for_panel``: the
      Nantong practice, the assistant clicks 同意 after the panel agreed), reviewing in passing if he had not;
    - a sole judge, where the court's rules let him act alone, decides a submitted request without waiting for
      a review (the review step is recorded as his).

    The row lock plus the compare-and-set on ``version`` plus the unique (request, edition, step) decision make
    two judges acting at once produce exactly one decision; the other gets a Conflict."""
    payment = _locked_payment(actor, payment_id)
    case = payment.case
    panel = _deciding_panel(actor, payment, for_panel=for_panel)
    _check_version(payment, expected_version)
    note = _note(note)
    if decision not in (Decision.APPROVE, Decision.REJECT, Decision.RETURN):
        raise DomainError(_("Approve, reject or return the request"), field="decision")
    if decision != Decision.APPROVE and not note:
        raise DomainError(_("Give the reason"), field="note")
    alone = not for_panel and case.composition == Composition.SOLE and case.presiding_judge_id == actor.pk
    if payment.status == PaymentStatus.SUBMITTED and (for_panel or alone):
        _review_in_passing(
            actor=actor, payment=payment, note="报合议庭评议" if for_panel else "独任审理，承办法官直接审批"
        )
    if payment.status != PaymentStatus.REVIEWED:
        raise Conflict(_("Only a reviewed payment request can be decided"), code=FundsError.BAD_TRANSITION)
    reviewed = PaymentApproval.objects.filter(
        payment=payment, edition=payment.edition, step=Step.REVIEW, decision=Decision.FORWARD
    ).exists()
    if not reviewed:
        raise Conflict(_("This edition of the request has not been reviewed"), code=FundsError.NOT_REVIEWED)
    if for_panel:
        # The decision is the panel's; the assistant records it, naming the panel.
        note = f"合议庭（{'、'.join(panel)}）评议{_PANEL_DECISIONS[decision]}" + (f"：{note}" if note else "")
    approval = _decide(actor=actor, payment=payment, step=Step.APPROVAL, decision=decision, note=note)
    transaction.on_commit(lambda: tell_administrator(payment_id=str(payment.pk)))
    if decision != Decision.RETURN:
        _settle_breach_alerts(payment)
    before = payment.status
    amount = fen_to_yuan(payment.amount_fen)
    if decision == Decision.APPROVE:
        moment = now or timezone.now()
        token = bank.approval_token(
            case_reference=payment.case.number or str(payment.case_id),
            account_number=payment.account.account_number,
            payee=_payee(payment),
            amount_fen=payment.amount_fen,
            idempotency_key=payment.idempotency_key,
            expires_at=moment + TOKEN_LIFETIME,
        )
        _transition(payment, PaymentStatus.APPROVED, actor=actor, note=note)
        entry = _file_pdf(
            actor=actor,
            payment=payment,
            title=f"付款申请第{payment.number}号审批意见（准予）",
            heading="付款审批意见",
            body=f"经审查，准予管理人向{payment.payee_name}支付{amount}元（{_purpose_zh(payment)}）。{note}",
        )
        record_event(
            actor=actor,
            action="funds.payment_approved",
            case_id=payment.case_id,
            obj=payment,
            before={"status": before},
            after={
                "status": payment.status,
                "edition": payment.edition,
                "amount_fen": payment.amount_fen,
                "note": note,
            },
        )
        PaymentApproval.objects.filter(pk=approval.pk).update(entry=entry)
        _release(actor=actor, payment=payment, now=moment, token=token)
        return payment
    if decision == Decision.REJECT:
        _transition(payment, PaymentStatus.REJECTED, actor=actor, note=note)
        entry = _file_pdf(
            actor=actor,
            payment=payment,
            title=f"付款申请第{payment.number}号审批意见（不予准许）",
            heading="付款审批意见",
            body=f"经审查，对管理人向{payment.payee_name}支付{amount}元的申请不予准许。理由：{note}",
        )
        PaymentApproval.objects.filter(pk=approval.pk).update(entry=entry)
        action = "funds.payment_rejected"
    else:
        _transition(payment, PaymentStatus.RETURNED, actor=actor, note=note)
        action = "funds.payment_returned"
    record_event(
        actor=actor,
        action=action,
        case_id=payment.case_id,
        obj=payment,
        before={"status": before},
        after={"status": payment.status, "edition": payment.edition, "note": note, "step": Step.APPROVAL},
    )
    return payment
