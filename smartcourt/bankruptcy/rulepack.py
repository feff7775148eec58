"""The rule pack: the procedures of the Enterprise Bankruptcy Law (and compulsory liquidation) as data.

Every procedure is a list of nodes. A node names who acts in law (``actor``) and who works it on the platform
(``operator``), the nodes that must be completed before it can start (``predecessors``; nodes sharing
predecessors run side by side), the outputs without which it cannot complete, whether the court must confirm
its completion, the statutory deadline that applies (a key of ``smartcourt.rules.deadlines``) and its legal
basis. The engine (actions.py) reads nothing but this data: no procedure has a code path of its own.

Sources: /work/shared/reference/procedure.md (EBL 2006, SPC Interpretation III, SPC template collections).
Template names it marks [unverified] or [draft list] carry that mark here (``source``) and show it on the rule
pack page and in its JSON. Every article cited was checked against the statute's text (issue 15.21): the EBL
(2006), SPC Interpretation III (法释〔2019〕3号, 2020年修正), the SPC remuneration provisions (法释〔2007〕9号),
and for compulsory liquidation the Company Law as revised in 2023 (in force 1 July 2024; dissolution and
liquidation are arts. 229-242, where the 2018 text had arts. 180-190) and the SPC's Company Law
Interpretation II (法释〔2008〕6号, 2020年修正), arts. 7-17 of which govern liquidation under the court. A basis
added before it is checked carries ``verified=False`` (none does now); smartcourt.rules has no compulsory
liquidation deadline yet (Company Law art. 235's 10/60 days run from the group's formation, which is not an
anchor date of the deadline engine).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from smartcourt.bankruptcy.choices import Actor, Operator, OutputKind, Procedure
from smartcourt.core.errors import DomainError, NotFound
from smartcourt.rules.deadlines import ANCHOR_NAMES, RULES_BY_KEY

UNVERIFIED = "unverified"
DRAFT_LIST = "draft list"


@dataclass(frozen=True)
class Basis:
    """A legal basis as cited. ``verified`` is False where the reference could not confirm the article."""

    text_zh: str
    text_en: str
    verified: bool = True


@dataclass(frozen=True)
class Output:
    """Something a node must produce before it can complete.

    A ``date`` value may set one of the proceeding's anchor dates (``anchor``, a name from
    ``smartcourt.rules.deadlines.ANCHOR_NAMES``), from which deadlines of later nodes run.
    ``source`` marks template names the reference lists as [unverified] or [draft list]."""

    key: str
    kind: OutputKind
    name_zh: str
    name_en: str
    required: bool = True
    value_type: str = ""  # data only: "date" or "text"
    anchor: str = ""
    source: str = ""


@dataclass(frozen=True)
class Node:
    key: str
    name_zh: str
    name_en: str
    actor: Actor
    operator: Operator
    predecessors: tuple[str, ...]
    outputs: tuple[Output, ...]
    basis: tuple[Basis, ...]
    deadline_key: str | None = None
    # A further deadline the court may grant on request (e.g. +3 months for the reorganisation plan, art. 79).
    extended_deadline_key: str | None = None
    court_confirms: bool = False
    # Reached only when the procedure converts (R7: the ruling that ends reorganisation and declares bankruptcy).
    conversion_only: bool = False
    # Completing it ends the proceeding (the last node, or an alternative ending such as art. 105).
    closes_proceeding: bool = False
    # An alternative the proceeding may take; it is never shown as a current node until somebody starts it.
    optional: bool = False
    # Deregisters the debtor: in a merged bankruptcy every consolidated debtor's deregistration must be
    # recorded first (SPC Minutes 法〔2018〕53号 para. 37; bankruptcy.consolidation).
    deregisters_debtor: bool = False
    # Ends a reorganisation or settlement by its plan or agreement: in a merged bankruptcy the plan's structure
    # (one enterprise, or some kept separate) must be recorded and every member merged away deregistered first
    # (SPC Minutes 法〔2018〕53号 paras. 36-37; bankruptcy.consolidation.record_plan_structure).
    unites_members: bool = False
    note_zh: str = ""
    note_en: str = ""

    @property
    def required_outputs(self) -> tuple[Output, ...]:
        return tuple(output for output in self.outputs if output.required)

    def output(self, key: str) -> Output:
        for output in self.outputs:
            if output.key == key:
                return output
        raise DomainError(f"node {self.key} has no output {key!r}", field="output_key")


@dataclass(frozen=True)
class Conversion:
    """A procedure's edge into another one: a failed reorganisation or settlement becomes a liquidation that
    starts at the declaration of bankruptcy."""

    to_procedure: Procedure
    entry_node: str
    # A node of the converted procedure that the conversion ruling itself completes (R7), if any.
    recorded_node: str | None
    basis: tuple[Basis, ...]
    # The anchor date the conversion ruling sets (the declaration of bankruptcy).
    sets_anchor: str = "declared_bankrupt_on"


@dataclass(frozen=True)
class AnchorBound:
    """A date the court chooses within statutory limits: the claims period ends between A + 30 days and
    A + 3 months (EBL art. 45)."""

    anchor: str
    earliest_key: str
    latest_key: str


@dataclass(frozen=True)
class ProcedureDef:
    key: Procedure
    name_zh: str
    name_en: str
    case_type: str  # smartcourt.cases.choices.CaseType value of the cases it runs in
    nodes: tuple[Node, ...]
    # Nodes the acceptance ruling itself completes, in order (the application, the acceptance).
    opening_nodes: tuple[str, ...]
    # Anchor dates that equal the acceptance date (a direct reorganisation ruling is the acceptance).
    opening_anchors: tuple[str, ...]
    appointment_node: str
    basis: tuple[Basis, ...]
    conversion: Conversion | None = None
    _index: Mapping[str, Node] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", MappingProxyType({node.key: node for node in self.nodes}))

    def node(self, key: str) -> Node:
        try:
            return self._index[key]
        except KeyError as exc:
            raise NotFound(f"the {self.key} procedure has no node {key!r}", field="node") from exc

    def has_node(self, key: str) -> bool:
        return key in self._index

    @property
    def node_keys(self) -> tuple[str, ...]:
        return tuple(self._index)

    def successors(self, key: str) -> tuple[str, ...]:
        return tuple(node.key for node in self.nodes if key in node.predecessors)

    def descendants(self, key: str) -> tuple[str, ...]:
        """``key`` and every node that (transitively) follows it, in the pack's order."""
        found = {key}
        changed = True
        while changed:
            changed = False
            for node in self.nodes:
                if node.key not in found and found.intersection(node.predecessors):
                    found.add(node.key)
                    changed = True
        return tuple(node.key for node in self.nodes if node.key in found)

    def topological_order(self) -> tuple[Node, ...]:
        """Nodes ordered so that each comes after its predecessors (the pack's order among equals)."""
        placed: list[Node] = []
        done: set[str] = set()
        remaining = list(self.nodes)
        while remaining:
            ready = [node for node in remaining if all(p in done or not self.has_node(p) for p in node.predecessors)]
            if not ready:
                raise ValueError(f"{self.key}: the predecessors form a cycle among {[n.key for n in remaining]}")
            for node in ready:
                placed.append(node)
                done.add(node.key)
            remaining = [node for node in remaining if node.key not in done]
        return tuple(placed)

    def anchors_set_by_outputs(self) -> dict[str, tuple[str, str]]:
        """anchor name -> (node key, output key) that sets it."""
        return {
            output.anchor: (node.key, output.key) for node in self.nodes for output in node.outputs if output.anchor
        }


# --- citations ---------------------------------------------------------------------------------------------


def ebl(zh: str, en: str, *, verified: bool = True) -> Basis:
    return Basis(f"《企业破产法》{zh}", f"Enterprise Bankruptcy Law {en}", verified)


def interp3(zh: str, en: str, *, verified: bool = True) -> Basis:
    return Basis(f"《企业破产法司法解释（三）》{zh}", f"SPC Interpretation III {en}", verified)


def company_law(zh: str, en: str) -> Basis:
    # The Company Law as revised on 29 December 2023 (in force 1 July 2024): chapter 12, arts. 229-242.
    return Basis(f"《公司法》（2023年修订）{zh}", f"Company Law (2023) {en}")


def company_interp2(zh: str, en: str) -> Basis:
    # The SPC's provisions on liquidation under the court (arts. 7-17), still in force beside the 2023 Law.
    return Basis(
        f"《最高人民法院关于适用〈中华人民共和国公司法〉若干问题的规定（二）》{zh}",
        f"SPC Company Law Interpretation II {en}",
    )


SPC_MINUTES_2009 = Basis(
    "《最高人民法院关于审理公司强制清算案件工作座谈会纪要》（法发〔2009〕52号）",
    "SPC minutes on compulsory liquidation cases (Fa Fa [2009] No. 52)",
)
REMUNERATION_RULES = Basis(
    "《最高人民法院关于审理企业破产案件确定管理人报酬的规定》（法释〔2007〕9号）第四、六条",
    "SPC provisions on administrator remuneration (Fa Shi [2007] No. 9) arts. 4, 6",
)


def document(key: str, zh: str, en: str, *, required: bool = True, source: str = UNVERIFIED) -> Output:
    return Output(key, OutputKind.DOCUMENT, zh, en, required=required, source=source)


def attachment(key: str, zh: str, en: str, *, required: bool = True) -> Output:
    return Output(key, OutputKind.ATTACHMENT, zh, en, required=required)


def date_value(key: str, zh: str, en: str, *, anchor: str = "") -> Output:
    return Output(key, OutputKind.DATA, zh, en, value_type="date", anchor=anchor)


def text_value(key: str, zh: str, en: str, *, required: bool = True) -> Output:
    return Output(key, OutputKind.DATA, zh, en, required=required, value_type="text")


COURT, ADMINISTRATOR = Operator.COURT, Operator.ADMINISTRATOR


# --- the nodes shared by the EBL procedures (N01-N17) ------------------------------------------------------

N01 = Node(
    "N01",
    "受理",
    "Acceptance",
    Actor.COURT,
    COURT,
    (),
    (
        document(
            "acceptance_ruling", "民事裁定书（受理破产申请用）", "Ruling accepting the application", required=False
        ),
    ),
    (
        ebl("第十、十一、十二条", "arts. 10-12"),
        ebl("第十六、二十条", "arts. 16, 20"),
        ebl("第十九条", "art. 19"),
    ),
    deadline_key="serve_acceptance",
    note_zh="受理裁定作出即记录完成；裁定书由立案受理环节归入电子卷宗",
    note_en="Recorded as completed by the acceptance itself; the ruling is filed by the intake",
)
N02 = Node(
    "N02",
    "指定管理人",
    "Appointment of the administrator",
    Actor.COURT,
    COURT,
    ("N01",),
    (
        text_value("administrator", "管理人（名称、统一社会信用代码）", "Administrator (name, credit code)"),
        document(
            "appointment_decision", "决定书（指定管理人用）", "Decision appointing the administrator", required=False
        ),
    ),
    (ebl("第十三条", "art. 13"), ebl("第二十二至二十四、二十八条", "arts. 22-24, 28"), REMUNERATION_RULES),
    note_zh="与受理裁定同时作出；由指定管理人环节（名册、轮候或摇号）记录完成",
    note_en="Made together with the acceptance; recorded when the administrator is appointed "
    "(roster, rotation or draw)",
)
N03 = Node(
    "N03",
    "通知与公告",
    "Notice to creditors and announcement",
    Actor.COURT,
    COURT,
    ("N02",),
    (
        document("creditor_notice", "通知书（通知已知债权人用）", "Notice to known creditors"),
        document("acceptance_announcement", "公告（受理破产申请用）", "Announcement of the acceptance"),
        date_value("announced_on", "公告日期", "Date of the announcement", anchor="announced_on"),
        date_value(
            "claims_period_ends_on",
            "债权申报期限届满日",
            "End of the claim-declaration period",
            anchor="claims_period_ends_on",
        ),
    ),
    (ebl("第十四条", "art. 14"), ebl("第四十五条", "art. 45")),
    deadline_key="notify_creditors",
    note_zh="与接管、财产调查并行；管理人常协助送达",
    note_en="Runs side by side with takeover and investigation; the administrator often helps serve it",
)
N04 = Node(
    "N04",
    "接管",
    "Takeover",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("N02",),
    (
        document(
            "takeover_notice",
            "通知书（告知管理人已接管债务人财产用）",
            "Notice that the administrator has taken over",
            source=DRAFT_LIST,
        ),
        attachment("takeover_inventory", "接管清单（财产、印章、账簿、文书）", "Inventory of property, seals, books"),
        text_value(
            "executory_contracts",
            "双方均未履行完毕合同的处理决定",
            "Decisions on contracts neither side has performed",
            required=False,
        ),
    ),
    (ebl("第十五、十八条", "arts. 15, 18"), ebl("第二十五条第一项", "art. 25(1)"), ebl("第二十六条", "art. 26")),
    deadline_key="executory_contracts",
    note_zh="应立即接管，无固定期限；期限为第十八条合同视为解除之日",
    note_en="Takeover is immediate with no fixed period; the deadline shown is the art. 18 deemed-rescission date",
)
N05 = Node(
    "N05",
    "财产调查",
    "Property investigation",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("N02",),
    (
        document("property_report", "债务人财产状况报告", "Report on the debtor's property"),
        attachment(
            "investigation_material", "调查材料（追回、撤销、抵销等）", "Investigation material", required=False
        ),
    ),
    (ebl("第二十五条第二项", "art. 25(2)"), ebl("第三十一至三十六、四十条", "arts. 31-36, 40")),
)
N06 = Node(
    "N06",
    "债权申报",
    "Claim declaration",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("N03",),
    (
        attachment("claims_register", "债权申报登记册", "Register of declared claims"),
        document(
            "employee_claims_list", "告示（公布职工债权用）", "Published list of employee claims", source=DRAFT_LIST
        ),
    ),
    (ebl("第四十四至五十六条", "arts. 44-56"), ebl("第四十八条", "art. 48")),
    deadline_key="claims_period_latest_end",
    note_zh="债权人向管理人申报；职工债权由管理人调查后列出清单并公示",
    note_en="Creditors declare to the administrator; employee claims are listed and published by the administrator",
)
N07 = Node(
    "N07",
    "债权审查",
    "Claim review and claims table",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("N06",),
    (
        document("claims_table", "债权表", "Claims table"),
        attachment("review_notices", "债权审查结论通知书", "Notices of the review results", required=False),
    ),
    (ebl("第五十七条", "art. 57"), interp3("第六条", "art. 6")),
)
N08 = Node(
    "N08",
    "第一次债权人会议",
    "First creditors' meeting",
    Actor.CREDITORS_MEETING,
    ADMINISTRATOR,
    ("N07",),
    (
        date_value("meeting_on", "会议日期", "Date of the meeting", anchor="meeting_on"),
        document("meeting_notice", "债权人会议通知", "Notice of the meeting"),
        document("work_report", "管理人执行职务工作报告", "Administrator's work report"),
        attachment("minutes", "表决票、会议记录", "Ballots and minutes"),
    ),
    (
        ebl("第五十八至六十六条", "arts. 58-66"),
        interp3("第八、十二条", "arts. 8, 12"),
        interp3("第十一条", "art. 11"),
    ),
    deadline_key="first_meeting",
    court_confirms=True,
    note_zh="法院召集，管理人主持记录；债权表无异议部分由法院裁定确认",
    note_en="Convened by the court, run and recorded by the administrator; the court confirms undisputed claims",
)
N09 = Node(
    "N09",
    "审计评估",
    "Audit and appraisal",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("N04", "N05"),
    (
        attachment("audit_report", "审计报告", "Audit report"),
        attachment("appraisal_report", "资产评估报告", "Appraisal report"),
    ),
    (ebl("第二十八条", "art. 28"), ebl("第四十一条", "art. 41")),
    court_confirms=True,
    note_zh="无法定期限；聘请中介机构须经法院许可；与债权申报至债权人会议并行",
    note_en="No statutory deadline; hiring the agency needs the court's permission; runs alongside N06-N08",
)
N10 = Node(
    "N10",
    "宣告破产",
    "Declaration of bankruptcy",
    Actor.COURT,
    COURT,
    ("N08", "N09"),
    (
        date_value(
            "declared_bankrupt_on", "宣告破产裁定日期", "Date of the declaration", anchor="declared_bankrupt_on"
        ),
        document("declaration_ruling", "民事裁定书（宣告债务人破产用）", "Ruling declaring the debtor bankrupt"),
        document("declaration_announcement", "公告（宣告债务人破产用）", "Announcement of the declaration"),
    ),
    (ebl("第一百零七条", "art. 107"), ebl("第一百零八条", "art. 108")),
    deadline_key="notify_declaration",
    note_zh="裁定五日内送达债务人和管理人，十日内通知已知债权人并公告",
    note_en="Served within 5 days; known creditors notified and the declaration announced within 10 days",
)
N11 = Node(
    "N11",
    "变价方案",
    "Realisation plan",
    Actor.CREDITORS_MEETING,
    ADMINISTRATOR,
    ("N10",),
    (
        document("realisation_plan", "破产财产变价方案", "Realisation plan"),
        attachment("resolution", "债权人会议决议（表决结果）", "Creditors' meeting resolution"),
    ),
    (ebl("第一百一十一条", "art. 111"), ebl("第六十一条第一款第九项", "art. 61(1)(ix)"), ebl("第六十五条", "art. 65")),
    note_zh="管理人拟订，债权人会议表决；未通过的由法院裁定",
    note_en="Drafted by the administrator, voted by the creditors' meeting; if it fails the court rules",
)
N12 = Node(
    "N12",
    "财产处置",
    "Disposal of property",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("N11",),
    (
        attachment("auction_records", "拍卖公告及成交确认书", "Auction announcement and confirmation of sale"),
        document("disposal_report", "关于处分债务人重大财产的报告", "Report on disposing of major property"),
    ),
    (
        ebl("第六十九条", "art. 69"),
        ebl("第一百零九至一百一十二条", "arts. 109-112"),
        interp3("第十五条", "art. 15"),
    ),
    note_zh="除债权人会议另有决议外，通过拍卖进行",
    note_en="By auction unless the creditors' meeting decides otherwise",
)
N13 = Node(
    "N13",
    "分配方案",
    "Distribution plan",
    Actor.CREDITORS_MEETING,
    ADMINISTRATOR,
    ("N12",),
    (
        document("distribution_plan", "破产财产分配方案", "Distribution plan"),
        attachment("resolution", "债权人会议决议（表决结果）", "Creditors' meeting resolution"),
        document(
            "approval_request",
            "关于提请人民法院裁定认可破产财产分配方案的报告",
            "Request to the court to approve the distribution plan",
        ),
    ),
    (ebl("第一百一十三至一百一十五条", "arts. 113-115"), ebl("第六十五条第二款", "art. 65(2)")),
    court_confirms=True,
    note_zh="债权人会议通过后报法院裁定认可",
    note_en="Adopted by the creditors' meeting, then approved by the court's ruling",
)
N14 = Node(
    "N14",
    "分配",
    "Distribution",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("N13",),
    (
        document("distribution_notice", "公告（破产财产分配/最后分配用）", "Announcement of the (final) distribution"),
        document("distribution_report", "关于破产财产分配执行情况的报告", "Report on carrying out the distribution"),
        attachment("escrow_notice", "提存通知", "Escrow notice", required=False),
    ),
    (ebl("第一百一十六至一百一十九条", "arts. 116-119"),),
)
N15 = Node(
    "N15",
    "终结",
    "Termination",
    Actor.COURT,
    COURT,
    ("N14",),
    (
        attachment("termination_request", "关于提请人民法院终结破产程序的报告", "Administrator's request to terminate"),
        date_value(
            "termination_requested_on",
            "收到终结请求日期",
            "Date the court received the request",
            anchor="termination_requested_on",
        ),
        document("termination_ruling", "民事裁定书（终结破产程序用）", "Ruling terminating the proceeding"),
        date_value("terminated_on", "终结裁定日期", "Date of the termination ruling", anchor="terminated_on"),
    ),
    (ebl("第一百二十条", "art. 120"), ebl("第四十三条第四款", "art. 43(4)")),
    deadline_key="termination_ruling",
    note_zh="法院自收到请求之日起十五日内裁定并公告",
    note_en="The court rules within 15 days of the request and announces it",
)
N16 = Node(
    "N16",
    "注销登记",
    "Deregistration",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("N15",),
    (
        document("deregistration_report", "关于办理注销登记情况的报告", "Report on the deregistration"),
        attachment("deregistration_proof", "注销登记证明", "Proof of deregistration"),
    ),
    (ebl("第一百二十一条", "art. 121"),),
    deadline_key="deregistration",
    deregisters_debtor=True,
)
N17 = Node(
    "N17",
    "管理人终止执行职务",
    "End of the administrator's duties",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("N16",),
    (
        document(
            "expenses_report", "关于破产费用、共益债务清偿情况的报告", "Report on expenses and common-benefit debts"
        ),
        document("final_report", "关于管理人终止执行职务的报告", "Report on the end of the administrator's duties"),
    ),
    (ebl("第一百二十二条", "art. 122"),),
    closes_proceeding=True,
    note_zh="注销登记完毕次日终止执行职务，但存在未决诉讼或仲裁的除外",
    note_en="Duties end the day after deregistration, unless litigation or arbitration is pending",
)


def _with(node: Node, **changes: Any) -> Node:
    return replace(node, **changes)


# --- reorganisation (R1-R8) --------------------------------------------------------------------------------

R1 = Node(
    "R1",
    "重整申请",
    "Application for reorganisation",
    Actor.DEBTOR,
    COURT,
    (),
    (attachment("application", "重整申请书", "Application for reorganisation", required=False),),
    (ebl("第七十条", "art. 70"),),
    note_zh="债务人或债权人直接申请；或受理后宣告前由债务人、出资额占十分之一以上的出资人申请",
    note_en="By the debtor or a creditor directly; or after acceptance and before declaration by the debtor or "
    "shareholders holding at least one tenth",
)
R2 = Node(
    "R2",
    "裁定重整",
    "Reorganisation ruling",
    Actor.COURT,
    COURT,
    ("N01",),
    (document("reorganisation_ruling", "民事裁定书（裁定债务人重整用）", "Reorganisation ruling", required=False),),
    (ebl("第七十一、七十二条", "arts. 71, 72"),),
    note_zh="重整期间自裁定之日起算；公告见N03",
    note_en="The reorganisation period runs from the ruling; the announcement is N03",
)
R3 = Node(
    "R3",
    "重整期间的财产和营业事务管理",
    "Management during reorganisation",
    Actor.COURT,
    COURT,
    ("N02",),
    (
        document(
            "management_decision",
            "决定书（许可债务人自行管理财产和营业事务用）或管理人管理的决定",
            "Decision on debtor-in-possession or administrator management",
        ),
    ),
    (ebl("第七十三至七十五条", "arts. 73-75"),),
)
R4 = Node(
    "R4",
    "提交重整计划草案",
    "Draft reorganisation plan",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("R3", "N07"),
    (
        document("draft_plan", "重整计划草案", "Draft reorganisation plan"),
        date_value(
            "plan_submitted_on", "法院收到草案日期", "Date the court received the draft", anchor="plan_submitted_on"
        ),
    ),
    (ebl("第七十九至八十一条", "arts. 79-81"),),
    deadline_key="reorganisation_plan",
    extended_deadline_key="reorganisation_plan_extended",
    note_zh="自裁定重整之日起六个月内同时提交法院和债权人会议；有正当理由的可延期三个月；逾期未提交的终止重整并宣告破产",
    note_en="Within 6 months of the ruling, to the court and the creditors' meeting; +3 months with good cause; "
    "otherwise reorganisation ends and the debtor is declared bankrupt",
)
R5 = Node(
    "R5",
    "分组表决",
    "Class vote on the plan",
    Actor.CREDITORS_MEETING,
    ADMINISTRATOR,
    ("R4", "N08"),
    (
        attachment("vote_results", "各表决组表决结果及会议记录", "Results of each class and minutes"),
        date_value("plan_adopted_on", "重整计划通过日期", "Date the plan was adopted", anchor="plan_adopted_on"),
    ),
    (ebl("第八十二至八十五条", "arts. 82-85"),),
    deadline_key="plan_vote_meeting",
    note_zh="法院自收到草案之日起三十日内召开会议；各组出席过半数且代表该组债权额三分之二以上同意即通过",
    note_en="Meeting within 30 days of the draft; a class adopts with a majority present holding two thirds "
    "of its claims",
)
R6 = Node(
    "R6",
    "批准重整计划",
    "Court approval of the plan",
    Actor.COURT,
    COURT,
    ("R5",),
    (
        attachment("approval_request", "关于提请人民法院批准重整计划的报告", "Request to approve the plan"),
        date_value(
            "plan_approval_requested_on",
            "收到批准申请日期",
            "Date the court received the request",
            anchor="plan_approval_requested_on",
        ),
        document("approval_ruling", "民事裁定书（批准重整计划用）", "Ruling approving the plan"),
    ),
    (ebl("第八十六、八十七条", "arts. 86, 87"),),
    deadline_key="plan_approval_ruling",
    note_zh="通过之日起十日内申请批准，法院三十日内裁定；可依第八十七条强制批准",
    note_en="Request within 10 days of adoption, ruling within 30 days; cram-down under art. 87",
)
R7 = Node(
    "R7",
    "终止重整并宣告破产",
    "End of reorganisation and declaration of bankruptcy",
    Actor.COURT,
    COURT,
    (),
    (
        document(
            "termination_ruling",
            "民事裁定书（终止重整程序并宣告债务人破产用）",
            "Ruling ending reorganisation and declaring bankruptcy",
            required=False,
        ),
    ),
    (ebl("第七十八条", "art. 78"), ebl("第七十九条第三款", "art. 79(3)"), ebl("第八十八、九十三条", "arts. 88, 93")),
    conversion_only=True,
    note_zh="草案逾期未提交、未通过或未获批准、计划不能执行时，由转换程序记录",
    note_en="Recorded by the conversion when the plan is late, rejected, not approved or not carried out",
)
R8 = Node(
    "R8",
    "重整计划执行与监督",
    "Execution and supervision of the plan",
    Actor.DEBTOR,
    ADMINISTRATOR,
    ("R6",),
    (
        document("supervision_report", "重整计划执行监督报告", "Supervision report"),
        attachment("execution_evidence", "执行情况材料", "Evidence of execution", required=False),
    ),
    (ebl("第八十九至九十四条", "arts. 89-94"),),
    court_confirms=True,
    closes_proceeding=True,
    unites_members=True,
    note_zh="债务人执行，管理人监督；监督期满提交报告",
    note_en="Carried out by the debtor, supervised by the administrator, who reports when supervision ends",
)

# --- settlement (S1-S6) ------------------------------------------------------------------------------------

S1 = Node(
    "S1",
    "和解申请",
    "Application for settlement",
    Actor.DEBTOR,
    COURT,
    (),
    (attachment("application", "和解申请书及和解协议草案", "Application with the draft agreement", required=False),),
    (ebl("第九十五条", "art. 95"),),
)
S2 = Node(
    "S2",
    "裁定和解",
    "Settlement ruling",
    Actor.COURT,
    COURT,
    ("N01",),
    (document("settlement_ruling", "民事裁定书（裁定和解用）", "Settlement ruling", required=False),),
    (ebl("第九十六条", "art. 96"),),
    note_zh="裁定和解并公告，召集债权人会议；有担保的债权人可以行使权利",
    note_en="Ruling and announcement, creditors' meeting convened; secured creditors may enforce",
)
S3 = Node(
    "S3",
    "和解协议表决",
    "Vote on the settlement agreement",
    Actor.CREDITORS_MEETING,
    ADMINISTRATOR,
    ("N07",),
    (
        date_value("meeting_on", "会议日期", "Date of the meeting", anchor="meeting_on"),
        attachment("vote_results", "表决结果及会议记录", "Vote results and minutes"),
    ),
    (ebl("第九十七条", "art. 97"), ebl("第六十二条", "art. 62")),
    deadline_key="first_meeting",
    note_zh="出席会议的有表决权的债权人过半数同意，并且其所代表的债权额占无财产担保债权总额的三分之二以上",
    note_en="A majority of voting creditors present holding two thirds of the unsecured claims",
)
S4 = Node(
    "S4",
    "认可和解协议",
    "Court approval of the agreement",
    Actor.COURT,
    COURT,
    ("S3",),
    (
        document("approval_ruling", "民事裁定书（认可和解协议用）", "Ruling approving the agreement"),
        attachment("handover_report", "执行职务报告（和解移交）", "Administrator's handover report"),
    ),
    (ebl("第九十八、九十九条", "arts. 98, 99"),),
    note_zh="未通过或未获认可的，裁定终止和解程序并宣告破产",
    note_en="If not adopted or not approved, the court ends the settlement and declares bankruptcy",
)
S5 = Node(
    "S5",
    "和解协议执行",
    "Execution of the agreement",
    Actor.DEBTOR,
    COURT,
    ("S4",),
    (attachment("execution_record", "和解协议执行情况材料", "Record of the agreement's execution"),),
    (ebl("第一百至一百零四条", "arts. 100-104"),),
    closes_proceeding=True,
    unites_members=True,
    note_zh="因欺诈无效或不能执行的，终止和解并宣告破产",
    note_en="Void for fraud or not carried out: settlement ends and the debtor is declared bankrupt",
)
S6 = Node(
    "S6",
    "自行和解",
    "Out-of-court settlement",
    Actor.COURT,
    COURT,
    ("N01",),
    (
        attachment("settlement_agreement", "债务人与全体债权人的和解协议", "Agreement with all creditors"),
        document(
            "termination_ruling",
            "民事裁定书（认可自行和解协议并终结破产程序用）",
            "Ruling approving the agreement and ending the proceeding",
        ),
    ),
    (ebl("第一百零五条", "art. 105"),),
    closes_proceeding=True,
    optional=True,
    note_zh="受理后债务人与全体债权人自行达成协议的，可请求法院裁定认可并终结程序",
    note_en="An agreement with every creditor after acceptance; the court approves it and ends the proceeding",
)

# --- compulsory liquidation (C01-C10) ----------------------------------------------------------------------

C01 = Node(
    "C01",
    "受理强制清算申请",
    "Acceptance",
    Actor.COURT,
    COURT,
    (),
    (
        document(
            "acceptance_ruling", "民事裁定书（受理强制清算申请用）", "Ruling accepting the application", required=False
        ),
    ),
    # Art. 233: where the company must liquidate and no group is formed in time (or it does not liquidate), an
    # interested party may apply and the court shall accept; Interp. II art. 7 lists when it is accepted.
    (company_law("第二百三十三条", "art. 233"), company_interp2("第七条", "art. 7")),
)
C02 = Node(
    "C02",
    "指定清算组",
    "Appointment of the liquidation group",
    Actor.COURT,
    COURT,
    ("C01",),
    (
        text_value("administrator", "清算组（或作为清算组的管理人）", "Liquidation group (or administrator)"),
        document(
            "appointment_decision",
            "决定书（指定清算组用）",
            "Decision appointing the liquidation group",
            required=False,
        ),
    ),
    # Art. 233: the court designates the persons who form the group; Interp. II art. 8 says who may be chosen
    # (shareholders, directors, supervisors, officers, intermediary firms and their qualified staff), art. 9 when
    # the court replaces a member.
    (company_law("第二百三十三条", "art. 233"), company_interp2("第八、九条", "arts. 8, 9")),
)
C03 = Node(
    "C03",
    "通知与公告",
    "Notice to creditors and announcement",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("C02",),
    (
        document("creditor_notice", "通知书（通知债权人申报债权用）", "Notice to creditors"),
        document("announcement", "清算公告", "Liquidation announcement"),
    ),
    (company_law("第二百三十五条第一款", "art. 235(1)"), company_interp2("第十一条", "art. 11")),
    note_zh="清算组自成立之日起十日内通知债权人，六十日内在报纸上或者国家企业信用信息公示系统公告；规则库尚无此期限",
    note_en="Creditors are notified within 10 days of the group's formation and the liquidation announced within 60, "
    "in a newspaper or the National Enterprise Credit Information Publicity System; smartcourt.rules has no "
    "deadline for it yet",
)
C04 = Node(
    "C04",
    "接管",
    "Takeover",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("C02",),
    (attachment("takeover_inventory", "接管清单（财产、印章、账簿、文书）", "Inventory of property, seals, books"),),
    # The group's powers during liquidation (art. 234: clear the property, wind up pending business, represent the
    # company in litigation) presuppose holding the property, seals and books.
    (company_law("第二百三十四条", "art. 234"), SPC_MINUTES_2009),
)
C05 = Node(
    "C05",
    "清理财产",
    "Investigation of the company's property",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("C02",),
    (
        document("balance_sheet", "资产负债表", "Balance sheet"),
        document("property_list", "财产清单", "List of property"),
    ),
    (company_law("第二百三十四条第一项", "art. 234(1)"),),
)
C06 = Node(
    "C06",
    "债权申报与登记",
    "Claim declaration and registration",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("C03",),
    (attachment("claims_register", "债权登记册", "Register of claims"),),
    # Art. 235(2)-(3): declaration, registration, no payment during the period; Interp. II art. 12 (objection to
    # the group's verification, then suit), art. 13 (a late claim is registered until the liquidation ends).
    (company_law("第二百三十五条第二、三款", "art. 235(2)-(3)"), company_interp2("第十二、十三条", "arts. 12, 13")),
    note_zh="债权人自接到通知之日起三十日内、未接到通知的自公告之日起四十五日内申报；申报期间不得清偿",
    note_en="Within 30 days of the notice, or 45 days of the announcement for creditors not notified; no creditor "
    "is paid during the declaration period",
)
C07 = Node(
    "C07",
    "清算方案",
    "Liquidation plan",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("C04", "C05", "C06"),
    (document("liquidation_plan", "清算方案", "Liquidation plan"),),
    # Art. 236(1): the plan is confirmed by the court (Interp. II art. 15); art. 237: property that cannot pay the
    # debts means a bankruptcy application (Interp. II art. 17: unless every creditor agrees a repayment plan).
    (
        company_law("第二百三十六条第一款、第二百三十七条", "arts. 236(1), 237"),
        company_interp2("第十五、十七条", "arts. 15, 17"),
    ),
    court_confirms=True,
    note_zh="清算方案报人民法院确认；财产不足清偿债务的，应依法申请破产",
    note_en="The plan is confirmed by the court; if the property cannot pay the debts, bankruptcy must be applied for",
)
C08 = Node(
    "C08",
    "分配",
    "Distribution",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("C07",),
    (document("distribution_report", "清算财产分配情况报告", "Report on the distribution"),),
    # Art. 236(2): costs, wages, social insurance and statutory compensation, taxes, debts; the rest to members.
    (company_law("第二百三十六条第二、三款", "art. 236(2)-(3)"),),
)
C09 = Node(
    "C09",
    "清算终结",
    "Termination of the liquidation",
    Actor.COURT,
    COURT,
    ("C08",),
    (
        attachment("liquidation_report", "清算报告", "Liquidation report"),
        document("termination_ruling", "民事裁定书（终结强制清算程序用）", "Ruling terminating the liquidation"),
        date_value("terminated_on", "终结裁定日期", "Date of the termination ruling", anchor="terminated_on"),
    ),
    # Art. 239: the group's report is confirmed by the court; Interp. II art. 16: six months from the group's
    # formation unless the court extends it.
    (company_law("第二百三十九条", "art. 239"), company_interp2("第十六条", "art. 16"), SPC_MINUTES_2009),
)
C10 = Node(
    "C10",
    "注销登记",
    "Deregistration",
    Actor.ADMINISTRATOR,
    ADMINISTRATOR,
    ("C09",),
    (attachment("deregistration_proof", "注销登记证明", "Proof of deregistration"),),
    (company_law("第二百三十九条", "art. 239"),),
    closes_proceeding=True,
    deregisters_debtor=True,
)


_EARLY_LIQUIDATION = (N01, N02, N03, N04, N05, N06, N07, N08, N09)

PROCEDURE_DEFS: tuple[ProcedureDef, ...] = (
    ProcedureDef(
        key=Procedure.LIQUIDATION,
        name_zh="破产清算",
        name_en="Liquidation",
        case_type="bankruptcy",
        nodes=(*_EARLY_LIQUIDATION, N10, N11, N12, N13, N14, N15, N16, N17),
        opening_nodes=("N01",),
        opening_anchors=("accepted_on",),
        appointment_node="N02",
        basis=(ebl("第二条、第十章", "art. 2, chapter 10"),),
    ),
    ProcedureDef(
        key=Procedure.REORGANISATION,
        name_zh="重整",
        name_en="Reorganisation",
        case_type="bankruptcy",
        nodes=(R1, _with(N01, predecessors=("R1",)), R2, *_EARLY_LIQUIDATION[1:], R3, R4, R5, R6, R7, R8),
        opening_nodes=("R1", "N01", "R2"),
        opening_anchors=("accepted_on", "reorganisation_ruled_on"),
        appointment_node="N02",
        basis=(ebl("第八章", "chapter 8"),),
        conversion=Conversion(
            to_procedure=Procedure.LIQUIDATION,
            entry_node="N10",
            recorded_node="R7",
            basis=R7.basis,
        ),
    ),
    ProcedureDef(
        key=Procedure.SETTLEMENT,
        name_zh="和解",
        name_en="Settlement",
        case_type="bankruptcy",
        nodes=(
            S1,
            _with(N01, predecessors=("S1",)),
            S2,
            N02,
            N03,
            N04,
            N05,
            N06,
            N07,
            S3,
            S4,
            S5,
            S6,
        ),
        opening_nodes=("S1", "N01", "S2"),
        opening_anchors=("accepted_on",),
        appointment_node="N02",
        basis=(ebl("第九章", "chapter 9"),),
        conversion=Conversion(
            to_procedure=Procedure.LIQUIDATION,
            entry_node="N10",
            recorded_node=None,
            basis=(ebl("第九十九、一百零三、一百零四条", "arts. 99, 103, 104"),),
        ),
    ),
    ProcedureDef(
        key=Procedure.COMPULSORY_LIQUIDATION,
        name_zh="强制清算",
        name_en="Compulsory liquidation",
        case_type="liquidation",
        nodes=(C01, C02, C03, C04, C05, C06, C07, C08, C09, C10),
        opening_nodes=("C01",),
        opening_anchors=("accepted_on",),
        appointment_node="C02",
        basis=(
            company_law("第十二章（第二百二十九至二百四十二条）", "chapter 12 (arts. 229-242)"),
            company_interp2("第七至十七条", "arts. 7-17"),
            SPC_MINUTES_2009,
        ),
    ),
)
PROCEDURES: Mapping[str, ProcedureDef] = MappingProxyType({proc.key.value: proc for proc in PROCEDURE_DEFS})

# Dates the court chooses within statutory limits, checked when they are entered.
ANCHOR_BOUNDS: tuple[AnchorBound, ...] = (
    AnchorBound("claims_period_ends_on", "claims_period_earliest_end", "claims_period_latest_end"),
)


def get_procedure(key: str) -> ProcedureDef:
    try:
        return PROCEDURES[key]
    except KeyError as exc:
        known = ", ".join(PROCEDURES)
        raise DomainError(f"unknown procedure {key!r}; known: {known}", field="procedure") from exc


def iter_nodes() -> Iterator[tuple[ProcedureDef, Node]]:
    for proc in PROCEDURE_DEFS:
        for node in proc.nodes:
            yield proc, node


# --- validation --------------------------------------------------------------------------------------------


def pack_problems(procedures: tuple[ProcedureDef, ...] = PROCEDURE_DEFS) -> list[str]:
    """Everything wrong with a rule pack; empty when it is sound. The tests require it to be empty."""
    problems: list[str] = []
    by_key = {proc.key.value: proc for proc in procedures}
    for proc in procedures:
        problems.extend(_procedure_problems(proc))
        settable = set(proc.opening_anchors) | set(proc.anchors_set_by_outputs())
        for node in proc.nodes:
            problems.extend(_node_problems(proc, node, settable))
        problems.extend(_conversion_problems(proc, by_key))
    for bound in ANCHOR_BOUNDS:
        for key in (bound.earliest_key, bound.latest_key):
            if key not in RULES_BY_KEY:
                problems.append(f"anchor bound of {bound.anchor}: {key!r} is not in smartcourt.rules.deadlines")
    return problems


def _procedure_problems(proc: ProcedureDef) -> list[str]:
    """The procedure as a whole: unique node keys, no cycle, known opening anchors, existing opening nodes."""
    problems: list[str] = []
    keys = [node.key for node in proc.nodes]
    if len(keys) != len(set(keys)):
        problems.append(f"{proc.key}: duplicate node keys")
    try:
        proc.topological_order()
    except ValueError as exc:
        problems.append(str(exc))
    problems.extend(
        f"{proc.key}: unknown opening anchor {anchor!r}"
        for anchor in proc.opening_anchors
        if anchor not in ANCHOR_NAMES
    )
    problems.extend(
        f"{proc.key}: opening or appointment node {key} does not exist"
        for key in (*proc.opening_nodes, proc.appointment_node)
        if not proc.has_node(key)
    )
    return problems


def _node_problems(proc: ProcedureDef, node: Node, settable: set[str]) -> list[str]:
    """One node: its predecessors, its outputs and its deadlines."""
    where = f"{proc.key} {node.key}"
    problems = [f"{where}: predecessor {p} does not exist" for p in node.predecessors if not proc.has_node(p)]
    if node.key in node.predecessors:
        problems.append(f"{where}: is its own predecessor")
    if node.conversion_only and proc.successors(node.key):
        problems.append(f"{where}: a conversion-only node cannot be a predecessor")
    if node.conversion_only and (proc.conversion is None or proc.conversion.recorded_node != node.key):
        problems.append(f"{where}: conversion-only but no conversion records it")
    output_keys = [output.key for output in node.outputs]
    if len(output_keys) != len(set(output_keys)):
        problems.append(f"{where}: duplicate output keys")
    for output in node.outputs:
        problems.extend(f"{where}: {problem}" for problem in _output_problems(output))
    for deadline_key in filter(None, (node.deadline_key, node.extended_deadline_key)):
        problems.extend(f"{where}: {problem}" for problem in _deadline_problems(proc, deadline_key, settable))
    return problems


def _output_problems(output: Output) -> list[str]:
    problems = []
    if output.anchor and output.anchor not in ANCHOR_NAMES:
        problems.append(f"output {output.key} sets unknown anchor {output.anchor!r}")
    if output.anchor and output.value_type != "date":
        problems.append(f"output {output.key} sets an anchor but is not a date")
    if output.kind == OutputKind.DATA and output.value_type not in {"date", "text"}:
        problems.append(f"data output {output.key} needs a value type")
    return problems


def _deadline_problems(proc: ProcedureDef, deadline_key: str, settable: set[str]) -> list[str]:
    rule = RULES_BY_KEY.get(deadline_key)
    if rule is None:
        return [f"deadline {deadline_key!r} is not in smartcourt.rules.deadlines"]
    problems = []
    if proc.key.value not in {p.value for p in rule.procedures}:
        problems.append(f"deadline {deadline_key} does not apply to {proc.key}")
    if rule.anchor not in settable:
        problems.append(f"nothing in {proc.key} sets {rule.anchor}, which {deadline_key} needs")
    return problems


def _conversion_problems(proc: ProcedureDef, by_key: dict[str, ProcedureDef]) -> list[str]:
    """Where the procedure converts to: an existing procedure and entry node, a conversion-only record node."""
    conversion = proc.conversion
    if conversion is None:
        return []
    problems = []
    target = by_key.get(conversion.to_procedure.value)
    if target is None:
        problems.append(f"{proc.key}: converts to unknown procedure {conversion.to_procedure}")
    elif not target.has_node(conversion.entry_node):
        problems.append(f"{proc.key}: conversion entry {conversion.entry_node} is not in {target.key}")
    if conversion.recorded_node is not None and not (
        proc.has_node(conversion.recorded_node) and proc.node(conversion.recorded_node).conversion_only
    ):
        problems.append(f"{proc.key}: conversion records {conversion.recorded_node}, not a conversion-only node")
    if conversion.sets_anchor not in ANCHOR_NAMES:
        problems.append(f"{proc.key}: conversion sets unknown anchor {conversion.sets_anchor!r}")
    return problems


# --- the pack as data for pages and the API ----------------------------------------------------------------


def _basis_data(basis: Basis) -> dict[str, Any]:
    return {"text": basis.text_zh, "text_en": basis.text_en, "verified": basis.verified}


def _deadline_data(key: str | None) -> dict[str, Any] | None:
    if key is None:
        return None
    rule = RULES_BY_KEY[key]
    return {
        "key": key,
        "anchor": rule.anchor,
        "period": rule.period.label_en,
        "period_zh": rule.period.label_zh,
        "description": rule.description_zh,
        "description_en": rule.description_en,
        "basis": rule.basis.text,
        "basis_en": rule.basis.text_en,
    }


def node_data(node: Node) -> dict[str, Any]:
    return {
        "key": node.key,
        "name": node.name_zh,
        "name_en": node.name_en,
        "actor": node.actor.value,
        "operator": node.operator.value,
        "predecessors": list(node.predecessors),
        "outputs": [
            {
                "key": output.key,
                "kind": output.kind.value,
                "name": output.name_zh,
                "name_en": output.name_en,
                "required": output.required,
                "value_type": output.value_type or None,
                "anchor": output.anchor or None,
                "source": output.source or None,
            }
            for output in node.outputs
        ],
        "court_confirms": node.court_confirms,
        "deadline": _deadline_data(node.deadline_key),
        "extended_deadline": _deadline_data(node.extended_deadline_key),
        "basis": [_basis_data(basis) for basis in node.basis],
        "conversion_only": node.conversion_only,
        "closes_proceeding": node.closes_proceeding,
        "optional": node.optional,
        "note": node.note_zh or None,
        "note_en": node.note_en or None,
    }


@functools.cache
def pack_data() -> dict[str, Any]:
    """The whole rule pack as plain JSON-ready data (built once: the pack is immutable)."""
    procedures = []
    for proc in PROCEDURE_DEFS:
        conversion = proc.conversion
        procedures.append(
            {
                "key": proc.key.value,
                "name": proc.name_zh,
                "name_en": proc.name_en,
                "case_type": proc.case_type,
                "opening_nodes": list(proc.opening_nodes),
                "opening_anchors": list(proc.opening_anchors),
                "appointment_node": proc.appointment_node,
                "basis": [_basis_data(basis) for basis in proc.basis],
                "conversion": (
                    {
                        "to_procedure": conversion.to_procedure.value,
                        "entry_node": conversion.entry_node,
                        "recorded_node": conversion.recorded_node,
                        "sets_anchor": conversion.sets_anchor,
                        "basis": [_basis_data(basis) for basis in conversion.basis],
                    }
                    if conversion
                    else None
                ),
                "nodes": [node_data(node) for node in proc.nodes],
            }
        )
    return {
        "anchor_bounds": [
            {"anchor": bound.anchor, "earliest": bound.earliest_key, "latest": bound.latest_key}
            for bound in ANCHOR_BOUNDS
        ],
        "procedures": procedures,
    }
