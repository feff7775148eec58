"""The statutory deadlines of bankruptcy procedures and of civil first-instance cases, as data.

Each rule names its anchor (a date of the case, e.g. the acceptance ruling), its period and its legal basis.
``compute_deadlines`` computes every deadline whose anchor is known. The bankruptcy rule pack refers to the
rules by ``key``; keys are stable.

Periods and articles follow the Enterprise Bankruptcy Law 2006 (企业破产法): arts. 11, 14, 18, 45, 62, 63, 79,
84, 86, 107, 120, 121 and 123. Compulsory liquidation (强制清算) is not covered yet. Civil cases follow the Civil
Procedure Law as amended in 2023 (民事诉讼法): arts. 126 (docket or rule within 7 days), 128 (defence within 15
days), 171 (appeal within 15 days of a judgment, 10 days of a ruling) and 205 (judicial confirmation applied for
within 30 days of the mediation agreement taking effect).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from smartcourt.core.errors import DomainError
from smartcourt.rules.models import MAX_YEAR, MIN_YEAR
from smartcourt.rules.periods import Direction, Period, RestDayCalendar, Unit, period_end


class Procedure(StrEnum):
    LIQUIDATION = "liquidation"  # 破产清算
    REORGANISATION = "reorganisation"  # 重整
    SETTLEMENT = "settlement"  # 和解
    CIVIL = "civil"  # 民事一审 (first-instance civil case)


BANKRUPTCY = frozenset({Procedure.LIQUIDATION, Procedure.REORGANISATION, Procedure.SETTLEMENT})
CIVIL_ONLY = frozenset({Procedure.CIVIL})
LIQUIDATION_ONLY = frozenset({Procedure.LIQUIDATION})
REORGANISATION_ONLY = frozenset({Procedure.REORGANISATION})


@dataclass(frozen=True)
class Anchor:
    """A date of the case from which periods run."""

    name: str
    label_zh: str
    label_en: str
    # Anchors this date may not precede, in order of preference: the first one given is checked.
    not_before: tuple[str, ...] = ()


# In the order a case meets them. ``not_before`` catches dates typed in the wrong field.
ANCHORS: tuple[Anchor, ...] = (
    Anchor("accepted_on", "裁定受理破产申请之日", "date of the acceptance ruling"),
    Anchor("announced_on", "受理破产申请公告之日", "date of the acceptance announcement", ("accepted_on",)),
    Anchor(
        "claims_period_ends_on",
        "债权申报期限届满之日",
        "end of the claim-declaration period",
        ("announced_on", "accepted_on"),
    ),
    Anchor("meeting_on", "债权人会议召开之日", "date of a creditors' meeting", ("accepted_on",)),
    Anchor("reorganisation_ruled_on", "裁定重整之日", "date of the reorganisation ruling", ("accepted_on",)),
    Anchor(
        "plan_submitted_on",
        "法院收到重整计划草案之日",
        "date the court received the draft plan",
        ("reorganisation_ruled_on", "accepted_on"),
    ),
    Anchor(
        "plan_adopted_on",
        "重整计划通过之日",
        "date the plan was adopted by the classes",
        ("plan_submitted_on", "reorganisation_ruled_on", "accepted_on"),
    ),
    Anchor(
        "plan_approval_requested_on",
        "法院收到批准重整计划申请之日",
        "date the court received the request to approve the plan",
        ("plan_adopted_on", "plan_submitted_on", "accepted_on"),
    ),
    Anchor("declared_bankrupt_on", "裁定宣告破产之日", "date of the declaration of bankruptcy", ("accepted_on",)),
    Anchor(
        "termination_requested_on",
        "法院收到终结破产程序请求之日",
        "date the court received the request to terminate",
        ("declared_bankrupt_on", "accepted_on"),
    ),
    Anchor(
        "terminated_on",
        "裁定终结破产程序之日",
        "date of the termination ruling",
        ("termination_requested_on", "declared_bankrupt_on", "accepted_on"),
    ),
)
ANCHOR_NAMES = tuple(anchor.name for anchor in ANCHORS)

# The dates of a civil case (the bankruptcy anchors above stay the bankruptcy pages' list of dates).
CIVIL_ANCHORS: tuple[Anchor, ...] = (
    Anchor("filing_received_on", "法院收到起诉状之日", "date the court received the complaint"),
    Anchor(
        "complaint_served_on",
        "被告收到起诉状副本之日",
        "date the defendant was served the complaint",
        ("filing_received_on",),
    ),
    Anchor(
        "judgment_served_on",
        "判决书送达之日",
        "date the judgment was served",
        ("complaint_served_on", "filing_received_on"),
    ),
    Anchor("ruling_served_on", "裁定书送达之日", "date the ruling was served", ("filing_received_on",)),
    Anchor("mediation_agreement_effective_on", "调解协议生效之日", "date the mediation agreement took effect"),
)
CIVIL_ANCHOR_NAMES = tuple(anchor.name for anchor in CIVIL_ANCHORS)
ALL_ANCHOR_NAMES = ANCHOR_NAMES + CIVIL_ANCHOR_NAMES
_ANCHORS = {anchor.name: anchor for anchor in ANCHORS + CIVIL_ANCHORS}


@dataclass(frozen=True)
class LegalBasis:
    law_zh: str
    law_en: str
    article: int
    article_zh: str

    @property
    def text(self) -> str:
        return f"《{self.law_zh}》第{self.article_zh}条"

    @property
    def text_en(self) -> str:
        return f"{self.law_en} art. {self.article}"


def ebl(article: int, article_zh: str) -> LegalBasis:
    return LegalBasis("中华人民共和国企业破产法", "Enterprise Bankruptcy Law", article, article_zh)


def cpl(article: int, article_zh: str) -> LegalBasis:
    return LegalBasis("中华人民共和国民事诉讼法", "Civil Procedure Law", article, article_zh)


@dataclass(frozen=True)
class DeadlineRule:
    """One statutory deadline: ``period`` counted from the date named ``anchor``."""

    key: str
    anchor: str
    period: Period
    basis: LegalBasis
    description_zh: str
    description_en: str
    procedures: frozenset[Procedure] = BANKRUPTCY

    def __post_init__(self) -> None:
        if self.anchor not in _ANCHORS:
            raise ValueError(f"{self.key}: unknown anchor {self.anchor!r}")


def days(amount: int) -> Period:
    return Period(amount, Unit.DAYS)


def months(amount: int) -> Period:
    return Period(amount, Unit.MONTHS)


# The order is the order of the procedure. Declaration, termination and deregistration apply to every
# procedure because reorganisation and settlement can both convert to a declaration of bankruptcy.
DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(
        "serve_acceptance",
        "accepted_on",
        days(5),
        ebl(11, "十一"),
        "法院自裁定作出之日起五日内将受理裁定送达申请人（债权人申请的，并送达债务人）",
        "The court serves the acceptance ruling on the applicant (and on the debtor if a creditor applied) "
        "within 5 days of the ruling",
    ),
    DeadlineRule(
        "notify_creditors",
        "accepted_on",
        days(25),
        ebl(14, "十四"),
        "法院自裁定受理破产申请之日起二十五日内通知已知债权人并予以公告",
        "The court notifies known creditors and announces the acceptance within 25 days of the ruling",
    ),
    DeadlineRule(
        "executory_contracts",
        "accepted_on",
        months(2),
        ebl(18, "十八"),
        "管理人自破产申请受理之日起二个月内未通知对方当事人是否继续履行的，视为解除合同",
        "Contracts not performed by either side are deemed rescinded if the administrator has not told the "
        "counterparty within 2 months of acceptance whether they will be performed",
    ),
    DeadlineRule(
        "claims_period_earliest_end",
        "announced_on",
        days(30),
        ebl(45, "四十五"),
        "债权申报期限自受理公告之日起计算，最短不得少于三十日（最早届满日）",
        "The claim-declaration period runs from the announcement and lasts at least 30 days (earliest end)",
    ),
    DeadlineRule(
        "claims_period_latest_end",
        "announced_on",
        months(3),
        ebl(45, "四十五"),
        "债权申报期限自受理公告之日起计算，最长不得超过三个月（最晚届满日）",
        "The claim-declaration period runs from the announcement and lasts at most 3 months (latest end)",
    ),
    DeadlineRule(
        "first_meeting",
        "claims_period_ends_on",
        days(15),
        ebl(62, "六十二"),
        "第一次债权人会议自债权申报期限届满之日起十五日内召开",
        "The first creditors' meeting is held within 15 days after the claim-declaration period ends",
    ),
    DeadlineRule(
        "meeting_notice",
        "meeting_on",
        Period(15, Unit.DAYS, Direction.BEFORE),
        ebl(63, "六十三"),
        "召开债权人会议，管理人应当提前十五日通知已知的债权人（最晚通知日）",
        "The administrator notifies known creditors at least 15 days before a creditors' meeting (latest notice day)",
    ),
    DeadlineRule(
        "reorganisation_plan",
        "reorganisation_ruled_on",
        months(6),
        ebl(79, "七十九"),
        "债务人或者管理人自裁定重整之日起六个月内同时向法院和债权人会议提交重整计划草案",
        "The debtor or administrator submits the draft reorganisation plan to the court and the creditors' "
        "meeting within 6 months of the reorganisation ruling",
        REORGANISATION_ONLY,
    ),
    DeadlineRule(
        "reorganisation_plan_extended",
        "reorganisation_ruled_on",
        months(9),
        ebl(79, "七十九"),
        "经请求且有正当理由，法院可以裁定延期三个月：延长后的提交期限",
        "The court may extend the period by 3 months on request with good cause: the extended deadline",
        REORGANISATION_ONLY,
    ),
    DeadlineRule(
        "plan_vote_meeting",
        "plan_submitted_on",
        days(30),
        ebl(84, "八十四"),
        "法院自收到重整计划草案之日起三十日内召开债权人会议进行表决",
        "The court convenes the creditors' meeting to vote on the draft plan within 30 days of receiving it",
        REORGANISATION_ONLY,
    ),
    DeadlineRule(
        "plan_approval_request",
        "plan_adopted_on",
        days(10),
        ebl(86, "八十六"),
        "自重整计划通过之日起十日内，债务人或者管理人向法院提出批准重整计划的申请",
        "The debtor or administrator asks the court to approve the plan within 10 days of its adoption",
        REORGANISATION_ONLY,
    ),
    DeadlineRule(
        "plan_approval_ruling",
        "plan_approval_requested_on",
        days(30),
        ebl(86, "八十六"),
        "法院自收到批准申请之日起三十日内裁定（强制批准同，第八十七条）",
        "The court rules on the plan within 30 days of receiving the request (the same for a cram-down, art. 87)",
        REORGANISATION_ONLY,
    ),
    DeadlineRule(
        "serve_declaration",
        "declared_bankrupt_on",
        days(5),
        ebl(107, "一百零七"),
        "法院自宣告破产裁定作出之日起五日内送达债务人和管理人",
        "The court serves the declaration of bankruptcy on the debtor and the administrator within 5 days",
    ),
    DeadlineRule(
        "notify_declaration",
        "declared_bankrupt_on",
        days(10),
        ebl(107, "一百零七"),
        "法院自宣告破产裁定作出之日起十日内通知已知债权人并予以公告",
        "The court notifies known creditors of the declaration and announces it within 10 days",
    ),
    DeadlineRule(
        "termination_ruling",
        "termination_requested_on",
        days(15),
        ebl(120, "一百二十"),
        "法院自收到管理人终结破产程序的请求之日起十五日内作出是否终结的裁定",
        "The court rules on the administrator's request to terminate within 15 days of receiving it",
    ),
    DeadlineRule(
        "deregistration",
        "terminated_on",
        days(10),
        ebl(121, "一百二十一"),
        "管理人自破产程序终结之日起十日内持终结裁定向原登记机关办理注销登记",
        "The administrator applies for deregistration at the original registry within 10 days of termination",
    ),
    DeadlineRule(
        "supplementary_distribution",
        "terminated_on",
        months(24),
        ebl(123, "一百二十三"),
        "破产程序终结之日起二年内发现应当追回或者可供分配的财产的，债权人可以请求追加分配",
        "Creditors may ask for a supplementary distribution of property found within 2 years of termination",
    ),
)
CIVIL_DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(
        "filing_decision",
        "filing_received_on",
        days(7),
        cpl(126, "一百二十六"),
        "符合起诉条件的，法院应当在七日内立案并通知当事人；不符合的，应当在七日内裁定不予受理",
        "The court dockets a complaint that meets the conditions of suit within 7 days and tells the parties, "
        "or rules not to accept it within 7 days",
        CIVIL_ONLY,
    ),
    DeadlineRule(
        "defence",
        "complaint_served_on",
        days(15),
        cpl(128, "一百二十八"),
        "被告应当在收到起诉状副本之日起十五日内提出答辩状",
        "The defendant files a defence within 15 days of being served the complaint",
        CIVIL_ONLY,
    ),
    DeadlineRule(
        "appeal_judgment",
        "judgment_served_on",
        days(15),
        cpl(171, "一百七十一"),
        "当事人不服地方人民法院第一审判决的，有权在判决书送达之日起十五日内提起上诉",
        "A party may appeal a first-instance judgment within 15 days of its service",
        CIVIL_ONLY,
    ),
    DeadlineRule(
        "appeal_ruling",
        "ruling_served_on",
        days(10),
        cpl(171, "一百七十一"),
        "当事人不服地方人民法院第一审裁定的，有权在裁定书送达之日起十日内提起上诉",
        "A party may appeal a first-instance ruling within 10 days of its service",
        CIVIL_ONLY,
    ),
    DeadlineRule(
        "judicial_confirmation_application",
        "mediation_agreement_effective_on",
        days(30),
        cpl(205, "二百零五"),
        "申请司法确认调解协议，由双方当事人自调解协议生效之日起三十日内共同提出",
        "Both parties apply for judicial confirmation of a mediation agreement within 30 days of its taking effect",
        CIVIL_ONLY,
    ),
)
RULES_BY_KEY = {rule.key: rule for rule in DEADLINE_RULES + CIVIL_DEADLINE_RULES}


@dataclass(frozen=True)
class Deadline:
    """A deadline computed for one case's dates."""

    rule: DeadlineRule
    anchor_on: dt.date
    due_on: dt.date
    unadjusted_on: dt.date
    holiday_data: bool
    calculation: str
    calculation_en: str

    @property
    def key(self) -> str:
        return self.rule.key


def rules_for(procedure: Procedure | str) -> tuple[DeadlineRule, ...]:
    try:
        chosen = Procedure(procedure)
    except ValueError as exc:
        known = ", ".join(Procedure)
        raise DomainError(f"unknown procedure {procedure!r}; known: {known}", field="procedure") from exc
    return tuple(rule for rule in DEADLINE_RULES + CIVIL_DEADLINE_RULES if chosen in rule.procedures)


def anchor_names_for(procedure: Procedure) -> tuple[str, ...]:
    return CIVIL_ANCHOR_NAMES if procedure is Procedure.CIVIL else ANCHOR_NAMES


def check_dates(dates: Mapping[str, dt.date]) -> None:
    """Refuse unknown anchors, dates outside the supported years and dates in an impossible order."""
    for name, value in dates.items():
        if name not in _ANCHORS:
            raise DomainError(f"unknown date {name!r}", field=name)
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise DomainError(f"{name} must be between {MIN_YEAR} and {MAX_YEAR}", field=name)
    for name, value in dates.items():
        earlier = next((other for other in _ANCHORS[name].not_before if other in dates), None)
        if earlier is not None and value < dates[earlier]:
            raise DomainError(
                f"{name} ({value.isoformat()}) is before {earlier} ({dates[earlier].isoformat()})", field=name
            )


def compute_deadlines(
    procedure: Procedure | str, dates: Mapping[str, dt.date], *, calendar: RestDayCalendar | None = None
) -> list[Deadline]:
    """Every deadline of ``procedure`` whose anchor is in ``dates``, in the order of the procedure."""
    rules = rules_for(procedure)
    known = anchor_names_for(Procedure(procedure))
    for name in dates:
        if name in _ANCHORS and name not in known:
            raise DomainError(
                f"{name} is not a date of the {Procedure(procedure).value} procedure; its dates: {', '.join(known)}",
                field=name,
            )
    check_dates(dates)
    if calendar is None:
        # Imported here so that callers passing their own calendar need no database.
        from smartcourt.rules.calendar import current_calendar

        calendar = current_calendar()
    found: list[Deadline] = []
    for rule in rules:
        anchor_on = dates.get(rule.anchor)
        if anchor_on is None:
            continue
        result = period_end(anchor_on, rule.period, calendar)
        found.append(
            Deadline(
                rule=rule,
                anchor_on=anchor_on,
                due_on=result.due_on,
                unadjusted_on=result.unadjusted,
                holiday_data=result.holiday_data,
                calculation=result.basis,
                calculation_en=result.basis_en,
            )
        )
    return found
