"""The supervised account: opening, linking and closing it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.banking.adapter import AccountLimits, BankRefused, BankUnavailable
from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.core.lengths import check_length
from smartcourt.core.lookups import get_or_not_found
from smartcourt.funds import bank, policies
from smartcourt.funds.actions._common import _limit_value, _limits_dict, _note
from smartcourt.funds.choices import AccountOrigin
from smartcourt.funds.errors import FundsError
from smartcourt.funds.models import LimitChange, SupervisedAccount
from smartcourt.funds.selectors import get_funds_case_for


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
    case = get_funds_case_for(actor, case_id)
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
        raise Conflict(_("This case already has a supervised account"), code=FundsError.ACCOUNT_EXISTS)
    reason = _note(reason, field="reason")
    # Refused before the bank is asked: the account would otherwise exist at the bank and not here.
    check_length(SupervisedAccount, "bank_name", bank_name.strip(), label=_("The bank's name"))
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
        raise DomainError(_("The bank cannot be reached; try again later"), code=FundsError.BANK_UNAVAILABLE) from exc
    except BankRefused as exc:
        raise DomainError(
            _("The bank refused: %(reason)s") % {"reason": str(exc)}, code=FundsError.BANK_REFUSED
        ) from exc
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
                bank_name=bank_name.strip() or bank_partner,
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
        raise Conflict(
            _("This case or this bank account is already supervised"), code=FundsError.ACCOUNT_EXISTS
        ) from exc
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
    account = get_or_not_found(SupervisedAccount, _("No such account"), pk=account_id)
    _managed_case(actor, account.case_id)
    fen_limits = limits.to_fen()
    reason = _note(reason, field="reason")
    try:
        bank.adapter_for(account.bank_partner).set_limits(account_number=account.account_number, limits=fen_limits)
    except BankUnavailable as exc:
        raise DomainError(_("The bank cannot be reached; try again later"), code=FundsError.BANK_UNAVAILABLE) from exc
    except BankRefused as exc:
        raise DomainError(
            _("The bank refused: %(reason)s") % {"reason": str(exc)}, code=FundsError.BANK_REFUSED
        ) from exc
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
