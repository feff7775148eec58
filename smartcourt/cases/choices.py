"""Case types, case states and their transitions, party and member roles."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    # 破申: review of an application to open bankruptcy proceedings.
    BANKRUPTCY_APPLICATION = "bankruptcy_application", _("Bankruptcy application review")
    # 破: a bankruptcy case (liquidation, reorganisation or settlement) once accepted.
    BANKRUPTCY = "bankruptcy", _("Bankruptcy")
    # 强清申: review of an application for compulsory liquidation of a company.
    LIQUIDATION_APPLICATION = "liquidation_application", _("Compulsory liquidation application review")
    # 强清: a compulsory liquidation case once accepted.
    LIQUIDATION = "liquidation", _("Compulsory liquidation")
    # 民初: a civil case at first instance.
    CIVIL_FIRST_INSTANCE = "civil_first_instance", _("Civil, first instance")
    # 执: an enforcement case.
    ENFORCEMENT = "enforcement", _("Enforcement")


# The type code written into the case number (案号), e.g. (2026)苏0623破12号.
CASE_TYPE_CODE: dict[str, str] = {
    CaseType.BANKRUPTCY_APPLICATION: "破申",
    CaseType.BANKRUPTCY: "破",
    CaseType.LIQUIDATION_APPLICATION: "强清申",
    CaseType.LIQUIDATION: "强清",
    CaseType.CIVIL_FIRST_INSTANCE: "民初",
    CaseType.ENFORCEMENT: "执",
}


class CaseStatus(models.TextChoices):
    # Received by the court (收案), not yet accepted or docketed.
    PENDING = "pending", _("Pending acceptance")
    # Accepted and being handled (在办).
    OPEN = "open", _("Open")
    # Concluded (结案): judgment, ruling, termination, withdrawal or non-acceptance.
    CLOSED = "closed", _("Closed")


CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.PENDING: frozenset({CaseStatus.OPEN, CaseStatus.CLOSED}),
    CaseStatus.OPEN: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


class PartyKind(models.TextChoices):
    # A natural person, identified by a resident identity number (GB 11643).
    NATURAL_PERSON = "natural_person", _("Natural person")
    # A company or other organisation, identified by a unified social credit code (GB 32100).
    ORGANISATION = "organisation", _("Organisation")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")  # 申请人
    RESPONDENT = "respondent", _("Respondent")  # 被申请人
    DEBTOR = "debtor", _("Debtor")  # 债务人
    CREDITOR = "creditor", _("Creditor")  # 债权人
    PLAINTIFF = "plaintiff", _("Plaintiff")  # 原告
    DEFENDANT = "defendant", _("Defendant")  # 被告
    ENFORCEMENT_APPLICANT = "enforcement_applicant", _("Applicant for enforcement")  # 申请执行人
    ENFORCEMENT_RESPONDENT = "enforcement_respondent", _("Person subject to enforcement")  # 被执行人
    THIRD_PARTY = "third_party", _("Third party")  # 第三人


class MemberRole(models.TextChoices):
    """The part a user (or a whole firm or bank) plays on one case. Membership is what makes a case visible."""

    PRESIDING_JUDGE = "presiding_judge", _("Presiding judge")  # 审判长 / 承办法官
    PANEL_JUDGE = "panel_judge", _("Panel judge")  # 合议庭成员
    JUDGE_ASSISTANT = "judge_assistant", _("Judge assistant")  # 法官助理
    CLERK = "clerk", _("Clerk")  # 书记员
    ADMINISTRATOR = "administrator", _("Administrator")  # 管理人
    CREDITOR = "creditor", _("Creditor")  # 债权人
    PARTY = "party", _("Party")  # 当事人
    AGENT = "agent", _("Agent ad litem")  # 诉讼代理人
    BANK = "bank", _("Supervising bank")  # 监管银行


JUDICIAL_MEMBER_ROLES = frozenset({MemberRole.PRESIDING_JUDGE, MemberRole.PANEL_JUDGE})
# The court's own people on a case, set together by staffing it (cases.staffing).
STAFF_MEMBER_ROLES = frozenset(
    {MemberRole.PRESIDING_JUDGE, MemberRole.PANEL_JUDGE, MemberRole.JUDGE_ASSISTANT, MemberRole.CLERK}
)


class Composition(models.TextChoices):
    """How the court sits on a case (审判组织; Organic Law of the People's Courts art. 29): a collegial panel
    (合议庭) of judges, three or more and an odd number (art. 30; Civil Procedure Law art. 40), decides together;
    where the law and the court's rules allow a single judge (独任审理), that judge acts alone."""

    COLLEGIAL = "collegial", _("Collegial panel")  # 合议庭
    SOLE = "sole", _("Sole judge")  # 独任
