"""Demo requests and reports on one case, in every state a judge meets: answered, waiting, sent back.

Called by the demo seed with the case's appointed administrator and presiding judge. Idempotent: a case that
already has threads is left alone."""

from __future__ import annotations

import hashlib

from django.db import transaction

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.core.pdf import html_to_pdf
from smartcourt.core.uploads import TEXT, CheckedFile
from smartcourt.correspondence.actions import answer_thread, submit_report, submit_request
from smartcourt.correspondence.models import Thread


def _pdf_attachment(name: str, title: str, lines: list[str]) -> CheckedFile:
    body = "".join(f"<p>{line}</p>" for line in lines)
    content = html_to_pdf(f"<html><body style=\"font-family: 'Noto Sans CJK SC'\"><h1>{title}</h1>{body}</body></html>")
    return CheckedFile(
        name=name,
        content_type="application/pdf",
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _text_attachment(name: str, text: str) -> CheckedFile:
    content = text.encode()
    return CheckedFile(
        name=name, content_type=TEXT, content=content, size=len(content), sha256=hashlib.sha256(content).hexdigest()
    )


@transaction.atomic
def seed_correspondence(*, case: Case, administrator: User, judge: User) -> None:
    if Thread.objects.filter(case=case).exists():
        return
    approved = submit_request(
        actor=administrator,
        case_id=case.pk,
        subject="关于聘请审计机构的请示",
        body="为查明债务人财产状况，拟聘请会计师事务所进行专项审计，审计费用 8 万元从破产费用中支付。\n请批示。",
        attachments=[_pdf_attachment("审计机构报价单.pdf", "审计服务报价单", ["专项审计费用：人民币 80,000 元。"])],
    )
    answer_thread(actor=judge, thread_id=approved.pk, decision="approve", reasons="同意聘请，费用列入破产费用。")
    report = submit_report(
        actor=administrator,
        case_id=case.pk,
        subject="接管债务人财产情况的报告",
        body="管理人已接管债务人的印章、账簿和厂房钥匙，接管清单附后。",
        attachments=[_text_attachment("接管清单.txt", "公章 1 枚\n财务专用章 1 枚\n会计账簿 12 册\n厂房钥匙 8 把\n")],
    )
    answer_thread(actor=judge, thread_id=report.pk, decision="acknowledge")
    sent_back = submit_request(
        actor=administrator,
        case_id=case.pk,
        subject="关于继续债务人营业的请示",
        body="债务人尚有在履行订单，拟继续营业至第一次债权人会议召开之日。",
    )
    answer_thread(actor=judge, thread_id=sent_back.pk, decision="request_more", reasons="请补充继续营业的收支测算。")
    submit_request(
        actor=administrator,
        case_id=case.pk,
        subject="关于变卖债务人机器设备的请示",
        body="拟通过网络司法拍卖平台变卖机器设备一批，起拍价为评估价 120 万元。\n妥否，请批示。",
        attachments=[_pdf_attachment("资产评估报告.pdf", "资产评估报告", ["机器设备评估价值：人民币 1,200,000 元。"])],
    )
