"""Every write of fund supervision: the supervised account and its limits, payment requests through review and
approval to the bank, the bank's answers and movements (the estate ledger), alerts and reconciliation.

Bank calls never run inside a database transaction: an instruction is released to the bank (status
``sent_to_bank``) in one transaction, sent after commit by a task, and the answer is recorded in another
transaction. The bank deduplicates on the idempotency key, so sending again after a crash never pays twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.banking.adapter import (
    AccountLimits,
    BankRefused,
    BankUnavailable,
    Movement,
    Payee,
    TransferInstruction,
    TransferResult,
    TransferStatus,
)
from smartcourt.banking.iso20022.pain001 import MAX_NAME
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.money import MAX_FEN, fen_to_yuan, yuan_to_fen
from smartcourt.core.uploads import JPEG, PDF, PNG, UploadedFileLike, checked_upload
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.pdf import html_to_pdf
from smartcourt.funds import bank, policies
from smartcourt.funds.choices import (
    COMMITTED,
    EDITABLE,
    LEDGER_ACCOUNT_OF_PURPOSE,
    PAYMENT_TRANSITIONS,
    AccountOrigin,
    AlertKind,
    Decision,
    LedgerAccount,
    Limit,
    MovementSource,
    PaymentStatus,
    Purpose,
    Step,
)
from smartcourt.funds.models import (
    BankMovement,
    ClientKey,
    ExpectedDebit,
    FundAlert,
    JournalLine,
    LimitChange,
    PaymentApproval,
    PaymentAttachment,
    PaymentRequest,
    PaymentTransition,
    SupervisedAccount,
)

logger = logging.getLogger("smartcourt.funds")

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Yuan as people write it on a payment form: digits, at most two decimals (no exponents, no signs).
AMOUNT = re.compile(r"\d{1,13}(\.\d{1,2})?")
MAX_ATTACHMENTS = 10
MAX_NOTE = 1000
MAX_PAYEE_NAME = MAX_NAME  # ISO 20022 Max140Text
ATTACHMENT_TYPES = frozenset({PDF, PNG, JPEG})
# How long the court's approval token stays valid for the bank.
TOKEN_LIFETIME = dt.timedelta(days=3)
# A payment still waiting for the bank's answer after this long is asked about again.
STALE_AFTER = dt.timedelta(minutes=2)


# --- helpers -------------------------------------------------------------------------------------------------


def shanghai_day(moment: dt.datetime) -> dt.date:
    """The Asia/Shanghai calendar day of ``moment``: the day whose daily limit a payment uses."""
    return moment.astimezone(SHANGHAI).date()


def _limit_value(value: str | None, *, field: str) -> int | None:
    """A limit typed in yuan; empty means no limit of that kind."""
    if value is None or str(value).strip() == "":
        return None
    fen = yuan_to_fen(str(value), field=field)
    if fen <= 0:
        raise DomainError(_("A limit must be more than zero"), field=field)
    return fen


def _note(text: str, *, field: str = "note") -> str:
    text = (text or "").strip()
    if len(text) > MAX_NOTE:
        raise DomainError(_("At most %(count)s characters") % {"count": MAX_NOTE}, field=field)
    return text


def _case_with_funds(actor: User, case_id: uuid.UUID | str) -> Case:
    """The case, if ``actor`` may see its money at all; otherwise NotFound, as if there were none."""
    case = get_case_for(actor, case_id)
    if not policies.can_see_funds(actor, case):
        raise NotFound(_("No such case"))
    return case


def _account_limits(account: SupervisedAccount) -> AccountLimits:
    return AccountLimits(
        per_transaction_fen=account.per_transaction_limit_fen,
        daily_fen=account.daily_limit_fen,
        cumulative_fen=account.cumulative_limit_fen,
    )


def _limits_dict(account: SupervisedAccount) -> dict[str, Any]:
    return {
        "per_transaction_fen": account.per_transaction_limit_fen,
        "daily_fen": account.daily_limit_fen,
        "cumulative_fen": account.cumulative_limit_fen,
    }


def _transition(payment: PaymentRequest, to_status: str, *, actor: User | None, note: str = "", **fields: Any) -> None:
    """Compare-and-set the request's status on its version, and leave the immutable transition row."""
    if to_status not in PAYMENT_TRANSITIONS[PaymentStatus(payment.status)]:
        raise Conflict(
            _("A payment request that is %(from)s cannot become %(to)s")
            % {"from": PaymentStatus(payment.status).label, "to": PaymentStatus(to_status).label},
            code="bad_transition",
        )
    updated = PaymentRequest.objects.filter(pk=payment.pk, version=payment.version).update(
        status=to_status, version=payment.version + 1, updated_at=timezone.now(), **fields
    )
    if updated != 1:
        raise Conflict(_("Somebody else changed this payment request first; reload it"), code="stale")
    PaymentTransition.objects.create(
        payment=payment, from_status=payment.status, to_status=to_status, actor=actor, note=note[:MAX_NOTE]
    )
    payment.status = to_status
    payment.version += 1
    for name, value in fields.items():
        setattr(payment, name, value)


def _check_version(payment: PaymentRequest, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != payment.version:
        raise Conflict(_("Somebody else changed this payment request first; reload it"), code="stale")


def _locked_payment(actor: User, payment_id: uuid.UUID | str, *, lock_account: bool = False) -> PaymentRequest:
    """The payment request, locked, if ``actor`` may see the money of its case. Locks are taken in one order
    everywhere (account, then payment request; only their own rows, never the joined case), so that concurrent
    actions queue rather than deadlock on PostgreSQL."""
    try:
        payment = PaymentRequest.objects.select_related("case").get(pk=payment_id)
    except (PaymentRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("No such payment request")) from exc
    try:
        _case_with_funds(actor, payment.case_id)
    except NotFound as exc:
        raise NotFound(_("No such payment request")) from exc
    if lock_account:
        SupervisedAccount.objects.select_for_update().filter(pk=payment.account_id).first()
    return PaymentRequest.objects.select_for_update(of=("self",)).select_related("case", "account").get(pk=payment.pk)


def _payment_state(payment: PaymentRequest) -> dict[str, Any]:
    return {
        "number": payment.number,
        "status": payment.status,
        "edition": payment.edition,
        "payee_name": payment.payee_name,
        "payee_account": payment.payee_account,
        "payee_bank": payment.payee_bank,
        "amount_fen": payment.amount_fen,
        "purpose": payment.purpose,
        "description": payment.description,
        "over_limits": list(payment.over_limits),
    }


def raise_alert(
    *,
    account: SupervisedAccount,
    kind: str,
    key: str,
    message: str,
    payment: PaymentRequest | None = None,
    movement: BankMovement | None = None,
) -> FundAlert | None:
    """Raise an alert once per (account, kind, key); record ``funds.alert_raised``. Runs in the caller's
    transaction. Returns None when the same alert was already raised."""
    if FundAlert.objects.filter(account=account, kind=kind, key=key[:100]).exists():
        return None
    try:
        with transaction.atomic():
            alert = FundAlert.objects.create(
                case_id=account.case_id,
                account=account,
                kind=kind,
                key=key[:100],
                message=message[:1000],
                payment=payment,
                movement=movement,
            )
    except IntegrityError:
        # Raised by a concurrent booking of the same finding: one alert is enough.
        return None
    record_event(
        actor=None,
        action="funds.alert_raised",
        case_id=account.case_id,
        obj=alert,
        after={"kind": kind, "key": alert.key, "message": alert.message},
    )
    return alert


def _settle_breach_alerts(payment: PaymentRequest) -> None:
    """Once the court has decided on an over-limit request (or it was withdrawn), its "limit breach attempted"
    alert has been dealt with: the decision is the answer to it."""
    FundAlert.objects.filter(payment=payment, kind=AlertKind.LIMIT_BREACH_ATTEMPTED, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), updated_at=timezone.now()
    )


def _file_pdf(
    *, actor: User, payment: PaymentRequest, title: str, heading: str, body: str, kind: str = EntryKind.APPROVAL
) -> Any:
    """File a short PDF about ``payment`` into its case's dossier (approval, rejection, execution). A court
    document is Chinese whatever language the person acting reads the pages in."""
    with translation.override("zh-hans"):
        html = render_to_string(
            "funds/pdf/payment.html",
            {"payment": payment, "case": payment.case, "heading": heading, "body": body, "now": timezone.now()},
        )
    return file_entry(
        actor=actor,
        case=payment.case,
        kind=kind,
        title=title[:200],
        content=html_to_pdf(html),
        filename=f"{title[:80]}.pdf",
        content_type=PDF,
        source=payment,
    )


# --- the account ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LimitsInput:
    """Limits as the court types them: yuan strings; empty means no limit of that kind."""

    per_transaction: str = ""
    daily: str = ""
    cumulative: str = ""

    def to_fen(self) -> AccountLimits:
        return AccountLimits(
            per_transaction_fen=_limit_value(self.per_transaction, field="per_transaction"),
            daily_fen=_limit_value(self.daily, field="daily"),
            cumulative_fen=_limit_value(self.cumulative, field="cumulative"),
        )


def _managed_case(actor: User, case_id: uuid.UUID | str) -> Case:
    case = _case_with_funds(actor, case_id)
    if not policies.can_manage_account(actor, case):
        raise PermissionDenied(_("Only the judge of the case or the court administrator manages its account"))
    return case


def open_account(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    bank_partner: str,
    bank_name: str,
    limits: LimitsInput,
    account_name: str = "",
    holder_id: str = "",
    existing_account_number: str = "",
    reason: str = "",
) -> SupervisedAccount:
    """Open a new supervised account at the bank (or register the administrator's existing one) with limits.

    The bank is asked first, outside any transaction; then the account is stored with its first limit row.
    A failure after the bank answered leaves an account at the bank that the platform does not know; the
    court registers it again (register_account is idempotent at the bank for the same number)."""
    case = _managed_case(actor, case_id)
    fen_limits = limits.to_fen()
    bank_partner = bank_partner.strip()
    if not bank_partner:
        raise DomainError(_("Choose the bank"), field="bank_partner")
    if SupervisedAccount.objects.filter(case=case, active=True).exists():
        raise Conflict(_("This case already has a supervised account"), code="account_exists")
    reason = _note(reason, field="reason")
    adapter = bank.adapter_for(bank_partner)
    reference = case.number or str(case.pk)
    try:
        if existing_account_number.strip():
            info = adapter.register_account(
                account_number=existing_account_number.strip(), case_reference=reference, limits=fen_limits
            )
            origin = AccountOrigin.REGISTERED
        else:
            if not account_name.strip():
                raise DomainError(_("Name the account holder"), field="account_name")
            info = adapter.open_account(
                account_name=account_name.strip(),
                holder_id=holder_id.strip(),
                case_reference=reference,
                limits=fen_limits,
            )
            origin = AccountOrigin.OPENED
    except BankUnavailable as exc:
        raise DomainError(_("The bank cannot be reached; try again later"), code="bank_unavailable") from exc
    except BankRefused as exc:
        raise DomainError(_("The bank refused: %(reason)s") % {"reason": str(exc)}, code="bank_refused") from exc
    return _store_account(
        actor=actor,
        case=case,
        bank_partner=bank_partner,
        bank_name=bank_name,
        info_number=info.account_number,
        info_name=info.account_name,
        balance_fen=info.balance_fen,
        origin=origin,
        limits=fen_limits,
        reason=reason,
    )


@transaction.atomic
def _store_account(
    *,
    actor: User,
    case: Case,
    bank_partner: str,
    bank_name: str,
    info_number: str,
    info_name: str,
    balance_fen: int,
    origin: str,
    limits: AccountLimits,
    reason: str,
) -> SupervisedAccount:
    try:
        with transaction.atomic():
            account = SupervisedAccount.objects.create(
                case=case,
                bank_partner=bank_partner,
                bank_name=bank_name.strip()[:200] or bank_partner,
                account_number=info_number,
                account_name=info_name,
                origin=origin,
                per_transaction_limit_fen=limits.per_transaction_fen,
                daily_limit_fen=limits.daily_fen,
                cumulative_limit_fen=limits.cumulative_fen,
                balance_fen=balance_fen,
                opened_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict(_("This case or this bank account is already supervised"), code="account_exists") from exc
    LimitChange.objects.create(
        account=account,
        per_transaction_limit_fen=limits.per_transaction_fen,
        daily_limit_fen=limits.daily_fen,
        cumulative_limit_fen=limits.cumulative_fen,
        changed_by=actor,
        changed_at=timezone.now(),
        reason=reason,
    )
    record_event(
        actor=actor,
        action="funds.account_opened",
        case_id=case.pk,
        obj=account,
        after={
            "origin": origin,
            "bank_partner": bank_partner,
            "account_number": info_number,
            "account_name": info_name,
            **_limits_dict(account),
        },
    )
    return account


def change_limits(
    *, actor: User, account_id: uuid.UUID | str, limits: LimitsInput, reason: str = ""
) -> SupervisedAccount:
    """Set new limits: at the bank first (it enforces them too), then here with an immutable LimitChange row."""
    try:
        account = SupervisedAccount.objects.get(pk=account_id)
    except (SupervisedAccount.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("No such account")) from exc
    _managed_case(actor, account.case_id)
    fen_limits = limits.to_fen()
    reason = _note(reason, field="reason")
    try:
        bank.adapter_for(account.bank_partner).set_limits(account_number=account.account_number, limits=fen_limits)
    except BankUnavailable as exc:
        raise DomainError(_("The bank cannot be reached; try again later"), code="bank_unavailable") from exc
    except BankRefused as exc:
        raise DomainError(_("The bank refused: %(reason)s") % {"reason": str(exc)}, code="bank_refused") from exc
    with transaction.atomic():
        account = SupervisedAccount.objects.select_for_update().get(pk=account.pk)
        before = _limits_dict(account)
        account.per_transaction_limit_fen = fen_limits.per_transaction_fen
        account.daily_limit_fen = fen_limits.daily_fen
        account.cumulative_limit_fen = fen_limits.cumulative_fen
        account.save(
            update_fields=["per_transaction_limit_fen", "daily_limit_fen", "cumulative_limit_fen", "updated_at"]
        )
        LimitChange.objects.create(
            account=account,
            per_transaction_limit_fen=fen_limits.per_transaction_fen,
            daily_limit_fen=fen_limits.daily_fen,
            cumulative_limit_fen=fen_limits.cumulative_fen,
            changed_by=actor,
            changed_at=timezone.now(),
            reason=reason,
        )
        record_event(
            actor=actor,
            action="funds.limits_changed",
            case_id=account.case_id,
            obj=account,
            before=before,
            after={**_limits_dict(account), "reason": reason},
        )
    return account


# --- limits --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LimitUse:
    """How much of each limit is used: committed payments (approved, sent, executed) in fen."""

    today_fen: int
    total_fen: int


def limit_use(account: SupervisedAccount, *, now: dt.datetime | None = None) -> LimitUse:
    """Payments committed today (Asia/Shanghai) and since supervision began."""
    today = shanghai_day(now or timezone.now())
    committed = PaymentRequest.objects.filter(account=account, status__in=COMMITTED)
    total = committed.aggregate(total=Sum("amount_fen"))["total"] or 0
    today_total = committed.filter(released_on=today).aggregate(total=Sum("amount_fen"))["total"] or 0
    return LimitUse(today_fen=today_total, total_fen=total)


def limits_exceeded(account: SupervisedAccount, amount_fen: int, *, now: dt.datetime | None = None) -> list[str]:
    """The limits a payment of ``amount_fen`` would exceed now. Call with the account row locked, so that two
    payments checked at once cannot both fit into the same room."""
    use = limit_use(account, now=now)
    over: list[str] = []
    if account.per_transaction_limit_fen is not None and amount_fen > account.per_transaction_limit_fen:
        over.append(Limit.PER_TRANSACTION)
    if account.daily_limit_fen is not None and use.today_fen + amount_fen > account.daily_limit_fen:
        over.append(Limit.DAILY)
    if account.cumulative_limit_fen is not None and use.total_fen + amount_fen > account.cumulative_limit_fen:
        over.append(Limit.CUMULATIVE)
    return over


# --- payment requests ----------------------------------------------------------------------------------------


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


def body_digest(data: dict[str, Any]) -> str:
    """A stable digest of a request body, to tell a retry (same body) from a reuse of a key (other body)."""
    import json

    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _attach(actor: User, payment: PaymentRequest, attachments: list[UploadedFileLike] | None) -> None:
    files = [checked_upload(upload, allowed=ATTACHMENT_TYPES, field="attachments") for upload in attachments or []]
    if len(files) + payment.attachments.count() > MAX_ATTACHMENTS:
        raise DomainError(_("At most %(count)s attachments") % {"count": MAX_ATTACHMENTS}, field="attachments")
    for checked in files:
        entry = file_entry(
            actor=actor,
            case=payment.case,
            kind=EntryKind.ATTACHMENT,
            title=f"付款申请第{payment.number}号附件：{checked.name}"[:200],
            content=checked.content,
            filename=checked.name,
            content_type=checked.content_type,
            source=payment,
        )
        PaymentAttachment.objects.create(payment=payment, entry=entry, edition=payment.edition)


# A claim older than this is taken to be abandoned (a worker that died mid-request) and may be taken over.
CLIENT_KEY_LEASE = dt.timedelta(minutes=2)


def claim_client_key(*, actor: User, key: str, body_sha256: str) -> bool:
    """Claim an Idempotency-Key before handling the request it came with, in its own committed transaction.
    Returns True if the request should be handled (new key, or its first request finished: the handler then
    answers with the first result); raises Conflict (409) while the first request with the key is still in
    flight, DomainError (422) if the key came with another body. Bookkeeping of the API, not of the case: the
    request it guards records its own audit event."""
    key = key.strip()
    if not key:
        return True
    if len(key) > 100:
        raise DomainError(_("An Idempotency-Key is at most 100 characters"), field="Idempotency-Key")
    now = timezone.now()
    with transaction.atomic():
        claimed, created = ClientKey.objects.select_for_update().get_or_create(
            user=actor, key=key, defaults={"body_sha256": body_sha256, "claimed_at": now}
        )
        if created:
            return True
        if claimed.body_sha256 != body_sha256:
            raise DomainError(
                _("This Idempotency-Key was used with a different request"),
                code="idempotency_key_reused",
                field="Idempotency-Key",
            )
        if not claimed.done and now - claimed.claimed_at < CLIENT_KEY_LEASE:
            raise Conflict(
                _("A request with this Idempotency-Key is still being handled; try again shortly"),
                code="idempotency_key_in_flight",
                field="Idempotency-Key",
            )
        if not claimed.done:
            ClientKey.objects.filter(pk=claimed.pk).update(claimed_at=now)
    return True


def release_client_key(*, actor: User, key: str, done: bool) -> None:
    """After the request: mark the key done (later requests get the first answer), or, if the request failed
    without an answer to keep, release it so that the client may try again."""
    key = key.strip()
    if not key:
        return
    if done:
        ClientKey.objects.filter(user=actor, key=key).update(done=True)
    else:
        ClientKey.objects.filter(user=actor, key=key, done=False).delete()


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
    case = _case_with_funds(actor, case_id)
    if not policies.can_request(actor, case):
        raise PermissionDenied(_("Only the appointed administrator requests payments"))
    fields = details.cleaned()
    client_key = client_key.strip()
    if len(client_key) > 100:
        raise DomainError(_("An Idempotency-Key is at most 100 characters"), field="Idempotency-Key")
    # The account lock serialises every payment decision of the case: limit checks, numbers, retried keys.
    account = SupervisedAccount.objects.select_for_update().filter(case=case, active=True).first()
    if account is None:
        raise DomainError(_("The court has not opened a supervised account for this case yet"), code="no_account")
    if client_key:
        earlier = PaymentRequest.objects.filter(requested_by=actor, client_key=client_key).first()
        if earlier is not None:
            if earlier.client_body_sha256 != client_body_sha256:
                raise DomainError(
                    _("This Idempotency-Key was used with a different request"),
                    code="idempotency_key_reused",
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
        raise Conflict(_("A payment request the court has passed on can no longer be edited"), code="not_editable")
    fields = details.cleaned()
    account = payment.account
    before = _payment_state(payment)
    updated = PaymentRequest.objects.filter(pk=payment.pk, version=payment.version).update(
        **fields, edition=payment.edition + 1, version=payment.version + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise Conflict(_("Somebody else changed this payment request first; reload it"), code="stale")
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
        raise Conflict(_("Somebody else decided on this payment request first"), code="already_decided") from exc


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
        raise Conflict(_("Only a submitted payment request can be reviewed"), code="bad_transition")
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
def decide_payment(
    *,
    actor: User,
    payment_id: uuid.UUID | str,
    decision: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> PaymentRequest:
    """The judge decides on a reviewed request: approves it (the court's approval token is issued and the
    instruction goes to the bank after commit), rejects it, or returns it for changes. Filed in the dossier.

    The row lock plus the compare-and-set on ``version`` plus the unique (request, edition, step) decision make
    two judges acting at once produce exactly one decision; the other gets a Conflict."""
    payment = _locked_payment(actor, payment_id)
    if not policies.can_approve(actor, payment.case) or actor.pk == payment.requested_by_id:
        raise PermissionDenied(_("Only a judge sitting on the case approves payment requests"))
    _check_version(payment, expected_version)
    note = _note(note)
    if decision not in (Decision.APPROVE, Decision.REJECT, Decision.RETURN):
        raise DomainError(_("Approve, reject or return the request"), field="decision")
    if decision != Decision.APPROVE and not note:
        raise DomainError(_("Give the reason"), field="note")
    if payment.status != PaymentStatus.REVIEWED:
        raise Conflict(_("Only a reviewed payment request can be decided"), code="bad_transition")
    reviewed = PaymentApproval.objects.filter(
        payment=payment, edition=payment.edition, step=Step.REVIEW, decision=Decision.FORWARD
    ).exists()
    if not reviewed:
        raise Conflict(_("This edition of the request has not been reviewed"), code="not_reviewed")
    approval = _decide(actor=actor, payment=payment, step=Step.APPROVAL, decision=decision, note=note)
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


# --- talking to the bank -------------------------------------------------------------------------------------


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
        purpose=f"{_purpose_zh(payment)} {payment.description}"[:60],
        approval_token=payment.approval_token,
    )
    try:
        result = bank.adapter_for(payment.account.bank_partner).transfer(instruction)
    except BankUnavailable:
        logger.warning("bank unavailable for payment %s; the periodic task retries", payment.pk)
        return PaymentStatus.SENT_TO_BANK
    except BankRefused as exc:
        # An authentic refusal that retrying will not change (a field the bank will not take): recorded as such.
        result = TransferResult(payment.idempotency_key, TransferStatus.REJECTED, message=f"{exc.code}: {exc}"[:500])
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
        raise DomainError("the bank answered about another instruction", code="bank_mismatch")
    if payment.status != PaymentStatus.SENT_TO_BANK:
        if result.status == TransferStatus.RETURNED and payment.status == PaymentStatus.EXECUTED:
            _mark_bounced(payment, message=result.message)
        return payment.status
    if result.bank_reference and not payment.bank_reference:
        PaymentRequest.objects.filter(pk=payment.pk).update(bank_reference=result.bank_reference[:64])
        payment.bank_reference = result.bank_reference[:64]
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
            note=result.message[:MAX_NOTE],
            bank_reason=reason[:40],
            bank_message=result.message[:500],
        )
        record_event(
            actor=None,
            action="funds.payment_failed",
            case_id=payment.case_id,
            obj=payment,
            after={"status": payment.status, "reason": reason, "message": result.message[:500]},
        )
        raise_alert(
            account=payment.account,
            kind=AlertKind.BANK_REJECTED,
            key=str(payment.pk),
            message=_("The bank refused payment request no. %(number)s: %(reason)s %(message)s")
            % {"number": payment.number, "reason": reason, "message": result.message[:300]},
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
    _transition(payment, PaymentStatus.BOUNCED, actor=None, note=message[:MAX_NOTE], bank_message=message[:500])
    record_event(
        actor=None,
        action="funds.payment_failed",
        case_id=payment.case_id,
        obj=payment,
        after={"status": payment.status, "message": message[:500]},
    )


# --- movements: the estate ledger ----------------------------------------------------------------------------


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
    known = set(
        ExpectedDebit.objects.filter(
            account=account, idempotency_key__in=[d.idempotency_key for d in debits]
        ).values_list("idempotency_key", flat=True)
    )
    new = [
        ExpectedDebit(
            account=account,
            idempotency_key=d.idempotency_key[:64],
            amount_fen=d.amount_fen,
            payee_account=d.payee_account[:40],
            purpose=purpose,
            reference=reference[:100],
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


@transaction.atomic
def book_movement(*, movement: Movement, source: str, bank_partner: str = "") -> tuple[BankMovement, bool]:
    """Book one movement the bank reported, exactly once per (account, sequence). Links it to our payment
    request through the idempotency key, journals it, updates the balance, and raises alerts for an unexpected
    debit, a sequence gap, or figures that do not match. Returns (movement, booked now)."""
    if source not in MovementSource.values:
        raise DomainError(f"unknown movement source {source!r}", field="source")
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
                key=f"seq:{movement.sequence}:{movement.bank_reference}"[:100],
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
        bank_reference=movement.bank_reference[:64],
        booked_at=movement.booked_at,
        amount_fen=movement.amount_fen,
        balance_after_fen=movement.balance_after_fen,
        counterparty_name=movement.counterparty_name[:200],
        counterparty_account=movement.counterparty_account[:40],
        description=movement.description[:500],
        idempotency_key=movement.idempotency_key[:64],
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
    # The payment's own effects first (they file into the dossier, whose counter is locked before the audit
    # head everywhere), then the events.
    if payment is not None and movement.amount_fen < 0 and payment.status == PaymentStatus.SENT_TO_BANK:
        if not payment.bank_reference:
            PaymentRequest.objects.filter(pk=payment.pk).update(bank_reference=movement.bank_reference[:64])
            payment.bank_reference = movement.bank_reference[:64]
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
    if movement.sequence > gap_from:
        raise_alert(
            account=account,
            kind=AlertKind.SEQUENCE_GAP,
            key=f"{gap_from}-{movement.sequence - 1}",
            message=_("Movements %(first)s to %(last)s were not reported yet; the statement pull fetches them")
            % {"first": gap_from, "last": movement.sequence - 1},
            movement=booked,
        )
    if expected is not None and movement.amount_fen < 0 and -movement.amount_fen != expected.amount_fen:
        raise_alert(
            account=account,
            kind=AlertKind.UNRECONCILED,
            key=f"expected:{movement.bank_reference}"[:100],
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
            account=account,
            kind=AlertKind.UNEXPECTED_DEBIT,
            key=movement.bank_reference[:100] or f"seq:{movement.sequence}",
            message=_("A debit of %(amount)s yuan to %(payee)s that no payment request asked for")
            % {"amount": fen_to_yuan(-movement.amount_fen), "payee": movement.counterparty_name or "?"},
            movement=booked,
        )
    elif payment is not None and movement.amount_fen < 0 and -movement.amount_fen != payment.amount_fen:
        raise_alert(
            account=account,
            kind=AlertKind.UNRECONCILED,
            key=f"amount:{movement.bank_reference}"[:100],
            message=_("Payment request no. %(number)s was for %(asked)s yuan but the bank debited %(debited)s")
            % {
                "number": payment.number,
                "asked": fen_to_yuan(payment.amount_fen),
                "debited": fen_to_yuan(-movement.amount_fen),
            },
            payment=payment,
            movement=booked,
        )
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
    case = _case_with_funds(actor, alert.case_id)
    if not (policies.can_manage_account(actor, case) or policies.can_review(actor, case)):
        raise PermissionDenied(_("Only the court resolves alerts"))
    if alert.resolved_at is not None:
        return alert
    alert.resolved_at = timezone.now()
    alert.save(update_fields=["resolved_at", "updated_at"])
    record_event(actor=actor, action="funds.alert_resolved", case_id=case.pk, obj=alert, after={"kind": alert.kind})
    return alert
