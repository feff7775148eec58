"""The transfer limits set on the supervised account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from smartcourt.funds.actions._common import shanghai_day
from smartcourt.funds.choices import COMMITTED, Limit
from smartcourt.funds.models import PaymentRequest, SupervisedAccount


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
