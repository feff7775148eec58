"""The placeholders a document template may use, and their values for one case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from smartcourt.accounts.models import Organisation
from smartcourt.administrators.models import Appointment
from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.acceptance import REVIEW_CASE_TYPES, application_of
from smartcourt.bankruptcy.models import Proceeding
from smartcourt.cases.choices import MemberRole, PartyRole
from smartcourt.cases.models import Case, Party
from smartcourt.core.errors import DomainError, NotFound
from smartcourt.core.money import fen_to_grouped_yuan
from smartcourt.fees.models import LitigationFee

# Every name a template may use, with what it means (shown to template editors).
PLACEHOLDERS: dict[str, str] = {
    "case_number": "案号，例如（2026）苏0623破12号",
    "case_title": "案件名称",
    "court_name": "法院名称",
    "debtor_name": "债务人名称",
    "debtor_credit_code": "债务人统一社会信用代码",
    "debtor_address": "债务人住所地",
    "applicant_name": "申请人",
    "applicant_position": "申请人地位: debtor 债务人自行申请 / adverse 债权人（强制清算亦可为股东）申请 / "
    "liquidator 清算责任人申请",
    "procedure": "程序: liquidation 破产清算 / reorganisation 重整 / settlement 和解 / compulsory_liquidation 强制清算",
    "procedure_name": "程序名称，例如破产清算",
    "appeal_court_name": "上一级人民法院（上诉法院）; 未登记上级法院时为空",
    "ruling_reasons": "法官裁定不予受理时记录的理由",
    "filed_on": "收案日期（日期）",
    "accepted_on": "受理日期（日期）",
    "announced_on": "受理公告日期（日期）",
    "claims_period_ends_on": "债权申报期限届满日（日期）",
    "first_meeting_on": "第一次债权人会议日期（日期）",
    "declared_on": "宣告破产日期（日期）",
    "administrator_firm": "管理人名称",
    "administrator_appointed_on": "指定管理人日期（日期）",
    "presiding_judge": "审判长 / 承办法官",
    "panel_judges": "合议庭其他审判员（多人）",
    "clerk_name": "书记员",
    "creditors": "已知债权人（名单）",
    "creditor_count": "已知债权人数",
    "today": "今天（日期）",
    "plaintiffs": "原告（名单）",
    "defendants": "被告（名单）",
    "cause": "案由",
    "litigation_fee": "案件受理费（元）",
    "fee_basis": "案件受理费的计算依据",
    "fee_due_on": "交费期限（日期）",
}


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


# As printed in the court's documents.
PROCEDURE_NAMES: dict[str, str] = {
    "liquidation": "破产清算",
    "reorganisation": "重整",
    "settlement": "和解",
    "compulsory_liquidation": "强制清算",
}


def appeal_court(court: Organisation) -> Organisation | None:
    """The court an appeal from ``court``'s ruling goes to: the court at the next level up (EBL art. 12; the
    same for compulsory liquidation), from the court hierarchy (Organisation.parent)."""
    return court.parent


def _application_facts(case: Case) -> tuple[str, str]:
    """(procedure, applicant position) of the application ``case`` was opened on (or is the review case of).
    A case opened without a review case (a converted or migrated one) takes its proceeding's procedure, and
    its applicant is the debtor unless it records one."""
    review = case if case.case_type in REVIEW_CASE_TYPES else case.origin
    if review is not None and review.case_type in REVIEW_CASE_TYPES:
        try:
            application = application_of(review)
        except (NotFound, DomainError):
            application = None
        if application is not None:
            if application.applicant is None:
                position = "debtor"
            else:
                position = "adverse" if application.adversarial else "liquidator"
            return application.procedure, position
    proceeding = Proceeding.objects.filter(case=case).first()
    procedure = proceeding.procedure if proceeding is not None else ""
    has_applicant = case.parties.filter(role=PartyRole.APPLICANT).exists()
    return procedure, "adverse" if has_applicant else "debtor"


def _ruling_reasons(case: Case) -> str:
    """The reasons the judge gave when ruling on the application (the audit event keeps them whole)."""
    review_id = case.pk if case.case_type in REVIEW_CASE_TYPES else case.origin_id
    if review_id is None:
        return ""
    event = AuditEvent.objects.filter(action="bankruptcy.application_ruled", case_id=review_id).order_by("-seq").first()
    reasons = (event.after or {}).get("reasons", "") if event is not None else ""
    return reasons if isinstance(reasons, str) else ""


def document_context(case: Case) -> dict[str, Any]:
    """The values of PLACEHOLDERS for ``case``; what the case does not know yet is None (printed blank)."""
    parties = list(case.parties.all())
    # The company is the debtor of an accepted case and of a review case its liquidators applied in; in a
    # review case a creditor or a shareholder applied in, it is the respondent; in a review case the company
    # applied in itself, it is the (only) applicant.
    debtor = next((p for p in parties if p.role == PartyRole.DEBTOR), None) or next(
        (p for p in parties if p.role == PartyRole.RESPONDENT), None
    )
    if debtor is None and case.case_type in REVIEW_CASE_TYPES:
        debtor = next((p for p in parties if p.role == PartyRole.APPLICANT), None)
    applicant = next((p for p in parties if p.role == PartyRole.APPLICANT), None)
    if applicant is None and case.origin_id is not None:
        # The application was made in the review case (破申 / 强清申) that this case grew out of.
        applicant = Party.objects.filter(case_id=case.origin_id, role=PartyRole.APPLICANT).first()
    members = list(case.members.select_related("user", "organisation"))
    proceeding = Proceeding.objects.filter(case=case).first()
    anchors: dict[str, Any] = dict(proceeding.anchor_dates or {}) if proceeding is not None else {}
    appointment = Appointment.objects.filter(case=case).select_related("firm").first()
    firm_member = next((m for m in members if m.role == MemberRole.ADMINISTRATOR), None)
    firm_name = ""
    if appointment is not None:
        firm_name = appointment.firm.name
    elif firm_member is not None:
        firm_name = (
            firm_member.organisation.name if firm_member.organisation else getattr(firm_member.user, "full_name", "")
        )
    appointed_on = appointment.appointed_on if appointment is not None else None
    panel = [m.user.full_name for m in members if m.role == MemberRole.PANEL_JUDGE and m.user is not None]
    clerk = next((m.user.full_name for m in members if m.role == MemberRole.CLERK and m.user is not None), "")
    creditors = sorted({p.name for p in parties if p.role == PartyRole.CREDITOR})
    accepted_on = _date(anchors.get("accepted_on")) or case.accepted_on
    procedure, position = _application_facts(case)
    upper = appeal_court(case.court)
    fee = LitigationFee.objects.filter(case=case).order_by("created_at").first()
    return {
        "plaintiffs": [p.name for p in parties if p.role == PartyRole.PLAINTIFF],
        "defendants": [p.name for p in parties if p.role == PartyRole.DEFENDANT],
        "cause": case.cause,
        "litigation_fee": fen_to_grouped_yuan(fee.fee_fen) if fee is not None else "",
        "fee_basis": "；".join(fee.calculation.get("basis", [])) if fee is not None else "",
        "fee_due_on": fee.due_on if fee is not None else None,
        "case_number": case.number,
        "case_title": case.title,
        "court_name": case.court.name,
        "debtor_name": debtor.name if debtor else "",
        "debtor_credit_code": debtor.credit_code if debtor else "",
        "debtor_address": debtor.address if debtor else "",
        "applicant_name": applicant.name if applicant else (debtor.name if debtor else ""),
        "applicant_position": position,
        "procedure": procedure,
        "procedure_name": PROCEDURE_NAMES.get(procedure, ""),
        "appeal_court_name": upper.name if upper is not None else "",
        "ruling_reasons": _ruling_reasons(case),
        "filed_on": case.filed_on,
        "accepted_on": accepted_on,
        "announced_on": _date(anchors.get("announced_on")),
        "claims_period_ends_on": _date(anchors.get("claims_period_ends_on")),
        "first_meeting_on": _date(anchors.get("meeting_on")),
        "declared_on": _date(anchors.get("declared_on")),
        "administrator_firm": firm_name,
        "administrator_appointed_on": appointed_on,
        "presiding_judge": case.presiding_judge.full_name if case.presiding_judge else "",
        "panel_judges": panel,
        "clerk_name": clerk,
        "creditors": creditors,
        "creditor_count": len(creditors),
        "today": timezone.localdate(),
    }


def sample_context() -> dict[str, Any]:
    """Made-up values, for previewing a template without a case."""
    return {
        "case_number": "（2026）苏0623破12号",
        "case_title": "如东某某建设有限公司破产清算案",
        "court_name": "如东县人民法院",
        "debtor_name": "如东某某建设有限公司",
        "debtor_credit_code": "914403001922038216",
        "debtor_address": "江苏省如东县掘港镇某某路1号",
        "applicant_name": "南通某某材料有限公司",
        "applicant_position": "adverse",
        "procedure": "liquidation",
        "procedure_name": "破产清算",
        "appeal_court_name": "江苏省南通市中级人民法院",
        "ruling_reasons": "",
        "filed_on": dt.date(2026, 3, 2),
        "accepted_on": dt.date(2026, 3, 9),
        "announced_on": dt.date(2026, 3, 20),
        "claims_period_ends_on": dt.date(2026, 5, 4),
        "first_meeting_on": dt.date(2026, 5, 15),
        "declared_on": None,
        "administrator_firm": "江苏甲律师事务所",
        "administrator_appointed_on": dt.date(2026, 3, 9),
        "presiding_judge": "张明",
        "panel_judges": ["李华", "王强"],
        "clerk_name": "王芳",
        "creditors": ["南通某某材料有限公司", "刘某某"],
        "creditor_count": 2,
        "today": timezone.localdate(),
        "plaintiffs": ["南通某某材料有限公司"],
        "defendants": ["如东某某建设有限公司"],
        "cause": "买卖合同纠纷",
        "litigation_fee": "2,300.00",
        "fee_basis": "《诉讼费用交纳办法》第十三条第（一）项",
        "fee_due_on": dt.date(2026, 3, 16),
    }
