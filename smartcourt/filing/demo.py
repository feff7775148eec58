"""Online filings in the demo, through the real actions: the lawyer 马俊 has one filing in every state (a
draft, received, under review, correction requested, docketed and paid, not accepted, withdrawn) and the clerk
王芳 one filed on behalf of a party who phoned. The received and the docketed filings carry an evidence PDF and
the element-based complaint; the docketed one's judge comes from the court's rule for contract cases. The paid
fee goes through the sandbox payment service (started for the seeding if none answers, like the sandbox bank)."""

from __future__ import annotations

import datetime as dt
import logging
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from sandbox.process import answers, start_sandbox
from smartcourt.accounts.models import Organisation, User
from smartcourt.core.pdf import html_to_pdf
from smartcourt.fees import actions as fee_actions
from smartcourt.fees import payments
from smartcourt.fees.models import LitigationFee
from smartcourt.filing import actions
from smartcourt.filing.models import Filing
from smartcourt.rules.causes import get_cause

logger = logging.getLogger("smartcourt.demo")

_PLAINTIFF = {
    "role": "plaintiff",
    "kind": "organisation",
    "name": "南通恒信建材有限公司",
    "credit_code": "91330100799655058B",
    "phone": "051384000001",
    "address": "江苏省南通市崇川区工农路1号",
}


def _defendant(name: str, id_number: str) -> dict[str, str]:
    return {
        "role": "defendant",
        "kind": "natural_person",
        "name": name,
        "id_number": id_number,
        "address": "江苏省如东县掘港镇",
    }


# Fictitious identity numbers with correct GB 11643 check digits (Rudong region code 320623).
_COMPLAINTS: list[tuple[str, str, str, str, str]] = [
    # (state, cause code, defendant, identity number, amount)
    ("draft", "CA057", "陈某某", "320623198507120019", "86000.00"),
    ("submitted", "CA064", "周某某", "320602199011230022", "150000.00"),
    ("under_review", "CA076", "吴某某", "320623198507120019", "23800.00"),
    ("correction_requested", "CA062", "郑某某", "320602199011230022", "500000.00"),
    ("docketed", "CA057", "钱某某", "320623198507120019", "100000.00"),
    ("not_accepted", "CA070", "孙某某", "320602199011230022", "12000.00"),
    ("withdrawn", "CA064", "李某某", "320623198507120019", "30000.00"),
]


@contextmanager
def sandbox_payments() -> Iterator[None]:
    url = str(settings.PAYMENTS_URL)
    if answers(url):
        yield
        return
    parts = urlsplit(url)
    if parts.hostname not in {"127.0.0.1", "localhost"} or parts.port is None:
        logger.warning("no payment service answers at %s: the demo's fee stays unpaid", url)
        yield
        return
    var_dir = Path(settings.VAR_DIR)
    args = ["--host", "127.0.0.1", "--db", str(var_dir / "payments.sqlite3"), "--keys-dir", str(payments.keys_dir())]
    started = start_sandbox(
        "sandbox.payments",
        "payments",
        [*args, "--push-interval=0"],
        log_path=var_dir / "payments-seed.log",
        port=parts.port,
    )
    try:
        yield
    finally:
        started.stop()


def _complaint(court: Organisation, cause: str, defendant: str, id_number: str, amount: str) -> dict[str, Any]:
    return {
        "court_id": court.pk,
        "cause_code": cause,
        "claims": f"1. 判令被告支付货款或借款本金人民币{amount}元；\n2. 本案诉讼费用由被告负担。",
        "amount": amount,
        "facts": f"原告与被告{defendant}发生纠纷，被告至今未履行付款义务，原告为维护合法权益，特诉至法院。",
        "consent_online": True,
        "parties": [_PLAINTIFF, _defendant(defendant, id_number)],
        "practice_number": "13206202010123456",
    }


def _attach_materials(filing: Filing, lawyer: User, defendant: str, amount: str) -> None:
    """An evidence PDF (the IOU) and the element-based complaint generated from the answers: on docketing both
    go into the case's dossier."""
    iou = html_to_pdf(
        f"<html lang='zh-Hans'><body><h1>借条</h1><p>今借到南通恒信建材有限公司人民币{amount}元，"
        f"于2025年12月31日前归还。</p><p style='text-align:right'>借款人：{defendant}<br>2025年3月1日</p></body></html>"
    )
    actions.add_material(
        actor=lawyer, filing_id=filing.pk, kind="evidence", title="借条", upload=_InMemoryFile("借条.pdf", iou)
    )
    actions.generate_complaint(actor=lawyer, filing_id=filing.pk)


class _InMemoryFile:
    """A file in the shape core.uploads reads (a Django UploadedFile would do the same)."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name: str | None = name
        self.size: int | None = len(content)
        self._content = content

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        yield self._content


def _pay(fee: LitigationFee, lawyer: User) -> None:
    """The lawyer pays on the payment service's page; the notification the service sends is booked by the
    same action the platform's endpoint calls (the service re-sends it once the platform runs: booked once)."""
    pay_url = fee_actions.start_payment(actor=lawyer, fee_id=fee.pk, return_url="")
    form = urllib.parse.urlencode({"account_name": _PLAINTIFF["name"], "account_number": "3206230001000000001"})
    urllib.request.urlopen(pay_url, data=form.encode(), timeout=10).read()  # noqa: S310 - the sandbox on loopback
    fee.refresh_from_db()
    order = payments.call("/v1/orders/get", {"notice_number": fee.notice_number})
    fee_actions.book_notification(
        payload={
            "type": "payment",
            "order_id": order["order_id"],
            "notice_number": order["notice_number"],
            "amount_fen": order["amount_fen"],
            "payment_reference": order["payment_reference"],
            "paid_at": order["paid_at"],
            "payer_account_name": order["payer_account_name"],
            "payer_account_number": order["payer_account_number"],
        }
    )


def seed_filings() -> None:
    lawyer = User.objects.get(username="lawyer")
    if Filing.objects.filter(filer=lawyer).exists():
        return
    clerk = User.objects.get(username="clerk")
    judge = User.objects.get(username="judge")
    court_admin = User.objects.get(username="courtadmin")
    court = Organisation.objects.get(kind="court", court_code="苏0623")
    for state, cause, defendant, id_number, amount in _COMPLAINTS:
        filing = actions.save_draft(
            actor=lawyer, filing_id=None, **_complaint(court, cause, defendant, id_number, amount)
        )
        if state == "draft":
            continue
        if state in ("submitted", "docketed"):
            _attach_materials(filing, lawyer, defendant, amount)
        actions.submit(actor=lawyer, filing_id=filing.pk)
        if state == "withdrawn":
            actions.withdraw(actor=lawyer, filing_id=filing.pk)
        elif state == "under_review":
            actions.start_review(actor=clerk, filing_id=filing.pk)
        elif state == "correction_requested":
            actions.start_review(actor=clerk, filing_id=filing.pk)
            actions.request_correction(
                actor=clerk,
                filing_id=filing.pk,
                items=["补充借款合同及转账凭证", "补充被告的身份信息或户籍证明", "提交原告的营业执照副本"],
                due_on=timezone.localdate() + dt.timedelta(days=7),
            )
        elif state == "not_accepted":
            actions.start_review(actor=clerk, filing_id=filing.pk)
            actions.rule_not_to_accept(
                actor=clerk,
                filing_id=filing.pk,
                reason="双方已签订书面仲裁协议，应当向仲裁机构申请仲裁（民事诉讼法第一百二十七条第二项）。",
            )
        elif state == "docketed":
            # The court's rule sends contract cases to 张明 (the judge sign-in): the case lands on his board.
            actions.set_assignment_rule(
                actor=court_admin, court_id=court.pk, cause_part=get_cause(cause).part, judge_id=judge.pk
            )
            filing = actions.docket(actor=clerk, filing_id=filing.pk)
            fee = LitigationFee.objects.get(case=filing.case)
            with sandbox_payments():
                try:
                    _pay(fee, lawyer)
                except payments.PaymentsUnavailable:
                    logger.warning("the payment service did not answer: the demo's fee stays unpaid")
    # The clerk files for a party who phoned the court (代为立案).
    on_behalf = actions.save_draft(
        actor=clerk,
        filing_id=None,
        **{**_complaint(court, "CA076", "赵某某", "320602199011230022", "6400.00"), "practice_number": ""},
        on_behalf_of="徐某某（来电）",
    )
    actions.submit(actor=clerk, filing_id=on_behalf.pk)
