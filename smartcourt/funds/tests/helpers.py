"""Building blocks of the funds tests: the personas' case with a supervised account, and payment requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smartcourt.funds.actions import LimitsInput, PaymentDetails, open_account, request_payment
from smartcourt.funds.models import (
    PaymentRequest,
    SupervisedAccount,
)

if TYPE_CHECKING:
    from conftest import Personas

# 50,000 yuan a payment, 100,000 a day, 300,000 in all, without the judge.
LIMITS = LimitsInput(per_transaction="50000.00", daily="100000.00", cumulative="300000.00")


def open_case_account(p: Personas, limits: LimitsInput = LIMITS) -> SupervisedAccount:
    return open_account(
        actor=p.judge,
        case_id=p.case.pk,
        bank_partner="sandbox",
        bank_name="中国工商银行如东支行",
        account_name="如东某某建设有限公司管理人",
        holder_id="9144030071526726XG",
        limits=limits,
        reason="受理后开立管理人账户",
    )


def details(**overrides: Any) -> PaymentDetails:
    fields: dict[str, Any] = {
        "payee_name": "南通某某会计师事务所",
        "payee_account": "6217001234567890",
        "payee_bank": "中国银行南通分行",
        "amount": "12000.00",
        "purpose": "bankruptcy_expense",
        "description": "审计费用（第一期）",
    }
    fields.update(overrides)
    return PaymentDetails(**fields)


def ask(p: Personas, **overrides: Any) -> PaymentRequest:
    payment, _created = request_payment(actor=p.administrator, case_id=p.case.pk, details=details(**overrides))
    payment.refresh_from_db()
    return payment
