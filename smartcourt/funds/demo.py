"""Demo fund supervision on the 宏达纺织 liquidation, through the real actions and the sandbox bank: the judge
opens the supervised account with limits, money arrives (realisation proceeds, a receivable, rent), the
administrator pays two expenses within the limits (executed at once), asks for an auction commission over the
per-transaction limit (reviewed by the assistant, waiting for the judge's approval), and the bank books a fee
nobody asked for (an alert). Idempotent: once the case has a supervised account, nothing is done.

It needs the sandbox bank answering (scripts/run.py starts it before seeding). Without it, nothing is seeded
and a warning is logged; the next ``seed_demo`` with the bank running seeds it. Movements are booked by the
statement pull here (the web server that receives notifications is not up yet while seeding); once
``notify_url`` is given, the bank pushes every later movement to the running platform.
"""

from __future__ import annotations

import logging
from typing import Any

from smartcourt.accounts.models import User
from smartcourt.banking.adapter import BankRefused, BankUnavailable
from smartcourt.banking.partners import default_partner_name
from smartcourt.cases.models import Case
from smartcourt.core.errors import DomainError
from smartcourt.core.pdf import html_to_pdf
from smartcourt.funds import bank
from smartcourt.funds.actions import (
    LimitsInput,
    PaymentDetails,
    open_account,
    request_payment,
    review_payment,
    send_payment,
    sync_account,
)
from smartcourt.funds.models import SupervisedAccount

logger = logging.getLogger("smartcourt.funds")

DEMO_LIMITS = LimitsInput(per_transaction="50000.00", daily="200000.00", cumulative="1500000.00")
CREDITS = [
    (128_000_000, "南通市公共资源交易中心", "3206010188000000777", "厂房及设备拍卖变价款"),
    (35_600_000, "南通华盛建材有限公司", "32050100000012345678", "应收账款回收"),
    (4_200_000, "如东县某某物流有限公司", "3206230001000000002", "仓库租金"),
]


class _Upload:
    """An in-memory PDF in the shape checked_upload reads (a Django UploadedFile would do the same)."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name = name
        self.size = len(content)
        self._content = content

    def chunks(self, chunk_size: int | None = None) -> Any:
        yield self._content


def _invoice(title: str) -> _Upload:
    html = f"<html><body style=\"font-family: 'Noto Sans CJK SC'\"><h1>{title}</h1><p>（演示票据）</p></body></html>"
    return _Upload(f"{title}.pdf", html_to_pdf(html))


def seed_funds(
    *, case: Case, judge: User, assistant: User, administrator: User, notify_url: str = ""
) -> SupervisedAccount | None:
    if SupervisedAccount.objects.filter(case=case).exists():
        return SupervisedAccount.objects.filter(case=case).first()
    partner = default_partner_name()
    try:
        account = open_account(
            actor=judge,
            case_id=case.pk,
            bank_partner=partner,
            bank_name="中国工商银行如东支行（沙盒）",
            account_name=f"{case.title.removesuffix('破产清算案')}管理人",
            holder_id=administrator.organisation.credit_code if administrator.organisation else "",
            limits=DEMO_LIMITS,
            reason="宣告受理后开立管理人监管账户",
        )
        adapter: Any = bank.adapter_for(partner)
        if notify_url:
            adapter.call("/v1/test/notify-url", {"url": notify_url})
        for amount_fen, name, number, description in CREDITS:
            adapter.call(
                "/v1/test/credit",
                {
                    "account_number": account.account_number,
                    "amount_fen": amount_fen,
                    "counterparty_name": name,
                    "counterparty_account": number,
                    "description": description,
                },
            )
        sync_account(account_id=account.pk)
        within = [
            PaymentDetails(
                payee_name="南通正信会计师事务所",
                payee_account="10706101040001234",
                payee_bank="中国农业银行南通分行",
                amount="18000.00",
                purpose="bankruptcy_expense",
                description="破产财产审计费（第一期）",
            ),
            PaymentDetails(
                payee_name="江苏苏中资产评估有限公司",
                payee_account="32001648036052500123",
                payee_bank="中国建设银行南通分行",
                amount="26500.00",
                purpose="bankruptcy_expense",
                description="厂房及设备评估费",
            ),
        ]
        for details in within:
            payment, _created = request_payment(
                actor=administrator, case_id=case.pk, details=details, attachments=[_invoice(details.description)]
            )
            # Sent here rather than after commit: the demo's outer transaction commits only at the end of the
            # whole seed, and the queued task then finds the request answered and does nothing.
            send_payment(payment_id=payment.pk)
        over, _created = request_payment(
            actor=administrator,
            case_id=case.pk,
            details=PaymentDetails(
                payee_name="南通拍卖行有限公司",
                payee_account="6228480402564890018",
                payee_bank="中国农业银行如东支行",
                # 5 % of the 1,280,000 yuan the auction fetched (credited above), the contract's rate within the
                # Auction Law's cap (art. 56); over the per-payment limit, so it goes to the court.
                amount="64000.00",
                purpose="bankruptcy_expense",
                description="厂房及设备拍卖佣金（成交价1,280,000元的5%）",
            ),
            attachments=[_invoice("拍卖委托合同")],
        )
        review_payment(
            actor=assistant, payment_id=over.pk, decision="forward", note="合同及成交确认书齐全，佣金比例符合约定"
        )
        adapter.call(
            "/v1/test/debit",
            {
                "account_number": account.account_number,
                "amount_fen": 3_500,
                "counterparty_name": "中国工商银行如东支行",
                "counterparty_account": "",
                "description": "账户管理费",
            },
        )
        sync_account(account_id=account.pk)
    except (BankUnavailable, BankRefused) as exc:
        logger.warning("fund supervision demo not seeded: the sandbox bank is not answering (%s)", exc)
        return None
    except DomainError as exc:
        if exc.code not in {"bank_unavailable", "bank_refused"}:
            raise
        logger.warning("fund supervision demo not seeded: %s", exc.message)
        return None
    return account


HONGDA = "如东县宏达纺织有限公司破产清算案"


def seed_demo_world_funds() -> SupervisedAccount | None:
    """seed_funds on the demo world's 宏达纺织 case with its judge, assistant and administrator; None when the
    demo world is not there (seed_demo first) or the bank does not answer."""
    case = Case.objects.filter(title=HONGDA, court__court_code="苏0623").first()
    users = {user.username: user for user in User.objects.filter(username__in=["judge", "assistant", "admin_a"])}
    if case is None or len(users) != 3:
        logger.warning("fund supervision demo: the demo world is not seeded (manage.py seed_demo)")
        return None
    return seed_funds(case=case, judge=users["judge"], assistant=users["assistant"], administrator=users["admin_a"])
