"""Private helpers shared by the fund-supervision actions."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.banking.adapter import AccountLimits
from smartcourt.core.errors import Conflict, DomainError, NotFound
from smartcourt.core.lengths import FILE_STEM, check_length, fit, shorten
from smartcourt.core.lookups import get_or_not_found
from smartcourt.core.money import yuan_to_fen
from smartcourt.core.pdf import html_to_pdf
from smartcourt.core.uploads import PDF
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry
from smartcourt.funds.choices import PAYMENT_TRANSITIONS, AlertKind, PaymentStatus
from smartcourt.funds.errors import FundsError
from smartcourt.funds.models import BankMovement, FundAlert, PaymentRequest, PaymentTransition, SupervisedAccount
from smartcourt.funds.selectors import get_funds_case_for

MAX_NOTE = 1000


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
            code=FundsError.BAD_TRANSITION,
        )
    updated = PaymentRequest.objects.filter(pk=payment.pk, version=payment.version).update(
        status=to_status, version=payment.version + 1, updated_at=timezone.now(), **fields
    )
    if updated != 1:
        raise Conflict(_("Somebody else changed this payment request first; reload it"), code=FundsError.STALE)
    PaymentTransition.objects.create(
        payment=payment,
        from_status=payment.status,
        to_status=to_status,
        actor=actor,
        note=fit(PaymentTransition, "note", note),
    )
    payment.status = to_status
    payment.version += 1
    for name, value in fields.items():
        setattr(payment, name, value)


def _check_version(payment: PaymentRequest, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != payment.version:
        raise Conflict(_("Somebody else changed this payment request first; reload it"), code=FundsError.STALE)


def _locked_payment(actor: User, payment_id: uuid.UUID | str, *, lock_account: bool = False) -> PaymentRequest:
    """The payment request, locked, if ``actor`` may see the money of its case. Locks are taken in one order
    everywhere (account, then payment request; only their own rows, never the joined case), so that concurrent
    actions queue rather than deadlock on PostgreSQL."""
    payment = get_or_not_found(
        PaymentRequest.objects.select_related("case"), _("No such payment request"), pk=payment_id
    )
    try:
        get_funds_case_for(actor, payment.case_id)
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
    # The key is what makes the alert unique: cut, two findings would share one. The platform composes it
    # from checked values, so a key too long is a bug and fails loudly.
    key = check_length(FundAlert, "key", key, label=_("The alert's key"))
    if FundAlert.objects.filter(account=account, kind=kind, key=key).exists():
        return None
    try:
        with transaction.atomic():
            alert = FundAlert.objects.create(
                case_id=account.case_id,
                account=account,
                kind=kind,
                key=key,
                message=fit(FundAlert, "message", message),
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
        title=fit(DossierEntry, "title", title),
        content=html_to_pdf(html),
        filename=f"{shorten(title, FILE_STEM)}.pdf",
        content_type=PDF,
        source=payment,
    )
