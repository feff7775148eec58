# ruff: noqa: E501 - the bodies are Chinese paragraphs, one per line, as an editor sees them
"""The template library a new platform starts with: the court's and the administrator's bankruptcy documents
(names after the SPC's 人民法院破产程序法律文书样式 and 管理人破产程序工作文书样式), each bound to its nodes.

``seed_templates`` takes the model classes, so the data migration can pass its historical models."""

from __future__ import annotations

from typing import Any, NamedTuple


class Seed(NamedTuple):
    key: str
    name: str
    heading: str
    issuer: str
    node_keys: tuple[str, ...]
    body: str


COURT = "court"
ADMINISTRATOR = "administrator"

# Issue 15.17: the rulings on an application are written for the procedure applied for and for who applied
# (the debtor itself is "申请人", never "申请人甲以被申请人甲"), and an appeal goes to the court at the next
# level up from the one that rules (EBL art. 12), read from the court hierarchy.
_PARTIES = """{% if applicant_position == "debtor" %}<p>申请人（{% if procedure == "compulsory_liquidation" %}被清算公司{% else %}债务人{% endif %}）：{{ debtor_name }}，统一社会信用代码{{ debtor_credit_code }}{% if debtor_address %}，住所地{{ debtor_address }}{% endif %}。</p>
{% else %}<p>申请人：{{ applicant_name }}。</p>
<p>被申请人{% if procedure != "compulsory_liquidation" %}（债务人）{% endif %}：{{ debtor_name }}，统一社会信用代码{{ debtor_credit_code }}{% if debtor_address %}，住所地{{ debtor_address }}{% endif %}。</p>
{% endif %}"""

_ACCEPTANCE = """
{% if procedure == "compulsory_liquidation" %}<p>{{ filed_on|cn_date }}，申请人{{ applicant_name }}以被申请人{{ debtor_name }}已经解散，但逾期不成立清算组进行清算为由，向本院申请指定清算组对{{ debtor_name }}进行清算。</p>
<p>本院经审查认为，{{ debtor_name }}已经解散，应当清算而逾期不成立清算组进行清算，申请人作为利害关系人申请本院指定清算组进行清算，符合法律规定。依照《中华人民共和国公司法》第二百三十三条，《最高人民法院关于适用〈中华人民共和国公司法〉若干问题的规定（二）》第七条之规定，裁定如下：</p>
<p class="order">受理申请人{{ applicant_name }}对被申请人{{ debtor_name }}的强制清算申请。</p>
{% elif applicant_position == "debtor" %}<p>{{ filed_on|cn_date }}，申请人{{ debtor_name }}以其不能清偿到期债务，并且资产不足以清偿全部债务或者明显缺乏清偿能力为由，向本院申请{% if procedure == "reorganisation" %}重整{% elif procedure == "settlement" %}和解，并提交了和解协议草案{% else %}破产清算{% endif %}。</p>
<p>本院经审查认为，{{ debtor_name }}不能清偿到期债务，并且资产不足以清偿全部债务或者明显缺乏清偿能力，具备破产原因{% if procedure == "reorganisation" %}，且具有重整价值和重整可能{% elif procedure == "settlement" %}，其和解申请及和解协议草案符合法律规定{% endif %}。依照《中华人民共和国企业破产法》{% if procedure == "reorganisation" %}第二条、第七条第一款、第十条第二款、第七十条第一款、第七十一条{% elif procedure == "settlement" %}第二条第一款、第七条第一款、第十条第二款、第九十五条第一款、第九十六条第一款{% else %}第二条第一款、第七条第一款、第十条第二款{% endif %}之规定，裁定如下：</p>
{% if procedure == "reorganisation" %}<p class="order">一、受理{{ debtor_name }}的重整申请；</p>
<p class="order">二、对{{ debtor_name }}进行重整。</p>
{% elif procedure == "settlement" %}<p class="order">一、受理{{ debtor_name }}的和解申请；</p>
<p class="order">二、对{{ debtor_name }}进行和解。</p>
{% else %}<p class="order">受理{{ debtor_name }}的破产清算申请。</p>
{% endif %}{% elif applicant_position == "liquidator" %}<p>{{ filed_on|cn_date }}，申请人{{ applicant_name }}作为依法负有清算责任的人，以被申请人{{ debtor_name }}已解散但未清算完毕，资产不足以清偿债务为由，向本院申请对{{ debtor_name }}进行破产清算。</p>
<p>本院经审查认为，{{ debtor_name }}已解散但未清算完毕，资产不足以清偿债务，申请人依法负有清算责任，其申请符合法律规定。依照《中华人民共和国企业破产法》第二条第一款、第七条第三款、第十条第二款之规定，裁定如下：</p>
<p class="order">受理申请人{{ applicant_name }}对被申请人{{ debtor_name }}的破产清算申请。</p>
{% else %}<p>{{ filed_on|cn_date }}，申请人{{ applicant_name }}以被申请人{{ debtor_name }}不能清偿到期债务为由，向本院申请对{{ debtor_name }}进行{% if procedure == "reorganisation" %}重整{% else %}破产清算{% endif %}。本院依法通知了被申请人。</p>
<p>本院经审查认为，申请人对被申请人享有到期债权，{{ debtor_name }}不能清偿到期债务{% if procedure == "reorganisation" %}，且具有重整价值和重整可能{% endif %}，申请人的申请符合法律规定。依照《中华人民共和国企业破产法》{% if procedure == "reorganisation" %}第二条、第七条第二款、第十条第一款、第七十条第一款、第七十一条{% else %}第二条第一款、第七条第二款、第十条第一款{% endif %}之规定，裁定如下：</p>
{% if procedure == "reorganisation" %}<p class="order">一、受理申请人{{ applicant_name }}对被申请人{{ debtor_name }}的重整申请；</p>
<p class="order">二、对{{ debtor_name }}进行重整。</p>
{% else %}<p class="order">受理申请人{{ applicant_name }}对被申请人{{ debtor_name }}的破产清算申请。</p>
{% endif %}{% endif %}<p>本裁定自即日起生效。</p>
"""

_REJECTION = """
<p>{{ filed_on|cn_date }}，申请人{% if applicant_position == "debtor" %}{{ debtor_name }}向本院申请{% if procedure == "reorganisation" %}重整{% elif procedure == "settlement" %}和解{% else %}破产清算{% endif %}{% elif procedure == "compulsory_liquidation" %}{{ applicant_name }}向本院申请指定清算组对被申请人{{ debtor_name }}进行强制清算{% else %}{{ applicant_name }}向本院申请对被申请人{{ debtor_name }}进行{{ procedure_name }}{% endif %}。</p>
<p>本院经审查认为，{% if ruling_reasons %}{{ ruling_reasons }}{% else %}申请人的申请不符合法律规定的受理条件{% endif %}。依照{% if procedure == "compulsory_liquidation" %}《中华人民共和国公司法》第二百三十三条，《最高人民法院关于适用〈中华人民共和国公司法〉若干问题的规定（二）》第七条{% else %}《中华人民共和国企业破产法》第十二条第一款{% endif %}之规定，裁定如下：</p>
<p class="order">对{% if applicant_position == "debtor" %}{{ debtor_name }}{% else %}申请人{{ applicant_name }}{% endif %}的{% if procedure == "compulsory_liquidation" %}强制清算{% else %}{{ procedure_name }}{% endif %}申请，不予受理。</p>
<p>如不服本裁定，可以在裁定书送达之日起十日内，向本院递交上诉状，上诉于{% if appeal_court_name %}{{ appeal_court_name }}{% else %}上一级人民法院{% endif %}。</p>
"""

SEEDS: tuple[Seed, ...] = (
    Seed("acceptance_ruling", "受理破产申请民事裁定书", "民事裁定书", COURT, ("N01", "C01"), _PARTIES + _ACCEPTANCE),
    Seed("rejection_ruling", "不予受理破产申请民事裁定书", "民事裁定书", COURT, ("N01", "C01"), _PARTIES + _REJECTION),
    Seed(
        "appointment_decision",
        "指定管理人决定书",
        "决定书",
        COURT,
        ("N02",),
        """
<p>本院于{{ accepted_on|cn_date }}根据{{ applicant_name }}的申请，裁定受理{{ debtor_name }}破产清算一案。经本院依法从管理人名册中随机确定，依照《中华人民共和国企业破产法》第十三条、第二十二条第一款之规定，决定如下：</p>
<p class="order">指定{{ administrator_firm }}为{{ debtor_name }}管理人。</p>
<p>管理人应当勤勉尽责，忠实执行职务，履行《中华人民共和国企业破产法》规定的管理人的各项职责，向本院报告工作，并接受债权人会议和债权人委员会的监督。</p>
""",
    ),
    Seed(
        "acceptance_announcement",
        "受理破产申请公告",
        "公告",
        COURT,
        ("N03",),
        """
<p>本院根据{{ applicant_name }}的申请，于{{ accepted_on|cn_date }}裁定受理{{ debtor_name }}（统一社会信用代码{{ debtor_credit_code }}）破产清算一案，并于{{ administrator_appointed_on|cn_date }}指定{{ administrator_firm }}为{{ debtor_name }}管理人。</p>
<p>{{ debtor_name }}的债权人应自本公告发布之日起至{{ claims_period_ends_on|cn_date }}前，向管理人申报债权，书面说明债权数额、有无财产担保及是否属于连带债权，并提交相关证据材料。未在上述期限内申报债权的，可以在破产财产最后分配前补充申报，但对此前已进行的分配无权要求补充分配，同时要承担为审查和确认补充申报债权所产生的费用。未申报债权的，不得依照《中华人民共和国企业破产法》规定的程序行使权利。</p>
<p>{{ debtor_name }}的债务人或者财产持有人应当向管理人清偿债务或者交付财产。</p>
<p>本院定于{{ first_meeting_on|cn_date }}召开第一次债权人会议。依法申报债权的债权人有权参加债权人会议。</p>
<p>特此公告。</p>
""",
    ),
    Seed(
        "claims_notice",
        "债权申报通知书",
        "债权申报通知书",
        ADMINISTRATOR,
        ("N03", "N06"),
        """
<p>各债权人：</p>
<p>{{ court_name }}已于{{ accepted_on|cn_date }}裁定受理{{ debtor_name }}破产清算一案，并指定{{ administrator_firm }}为管理人。根据《中华人民共和国企业破产法》第四十四条至第四十九条之规定，请贵方于{{ claims_period_ends_on|cn_date }}前向管理人申报债权。</p>
<p>申报债权时应提交：债权申报书；债权人主体资格证明；债权发生及数额的证据；有财产担保的，提交担保合同及权利凭证。连带债权人可以由其中一人代表全体连带债权人申报，也可以共同申报。</p>
<p>第一次债权人会议定于{{ first_meeting_on|cn_date }}召开。</p>
<p>特此通知。</p>
""",
    ),
    Seed(
        "undisputed_claims_ruling",
        "确认无争议债权民事裁定书",
        "民事裁定书",
        COURT,
        ("N08",),
        """
<p>本院于{{ accepted_on|cn_date }}裁定受理{{ debtor_name }}破产清算一案。管理人{{ administrator_firm }}编制的债权表已提交第一次债权人会议核查，债务人、债权人对债权表记载的部分债权无异议。</p>
<p>本院认为，债权表记载的上述债权经债务人、债权人核查无异议，依照《中华人民共和国企业破产法》第五十八条第二款之规定，裁定如下：</p>
<p class="order">确认债权表（附后）记载的无争议债权。</p>
<p>本裁定自即日起生效。</p>
""",
    ),
    Seed(
        "declaration_ruling",
        "宣告破产民事裁定书及公告",
        "民事裁定书",
        COURT,
        ("N10",),
        """
<p>本院于{{ accepted_on|cn_date }}裁定受理{{ debtor_name }}破产清算一案，并指定{{ administrator_firm }}为管理人。管理人经调查，{{ debtor_name }}不能清偿到期债务，并且资产不足以清偿全部债务，遂向本院申请宣告{{ debtor_name }}破产。</p>
<p>本院认为，{{ debtor_name }}不能清偿到期债务，并且资产不足以清偿全部债务，符合宣告破产的法定条件。依照《中华人民共和国企业破产法》第二条第一款、第一百零七条之规定，裁定如下：</p>
<p class="order">宣告{{ debtor_name }}破产。</p>
<p>本裁定自即日起生效。本院将于裁定作出之日起五日内送达债务人和管理人，十日内通知已知债权人，并予以公告。</p>
""",
    ),
    Seed(
        "distribution_approval_ruling",
        "认可破产财产分配方案民事裁定书",
        "民事裁定书",
        COURT,
        ("N13",),
        """
<p>本院于{{ accepted_on|cn_date }}裁定受理{{ debtor_name }}破产清算一案。管理人{{ administrator_firm }}拟订的破产财产分配方案已经债权人会议表决通过，管理人申请本院裁定认可。</p>
<p>本院认为，该分配方案符合《中华人民共和国企业破产法》第一百一十三条规定的清偿顺序，表决程序合法。依照《中华人民共和国企业破产法》第一百一十五条第三款之规定，裁定如下：</p>
<p class="order">认可{{ debtor_name }}破产财产分配方案。</p>
<p>本裁定自即日起生效。</p>
""",
    ),
    Seed(
        "termination_ruling",
        "终结破产程序民事裁定书及公告",
        "民事裁定书",
        COURT,
        ("N15",),
        """
<p>本院于{{ accepted_on|cn_date }}裁定受理{{ debtor_name }}破产清算一案，于{{ declared_on|cn_date }}宣告{{ debtor_name }}破产。管理人{{ administrator_firm }}已完成破产财产的最后分配，并向本院提交破产财产分配报告，申请终结破产程序。</p>
<p>本院认为，管理人已完成最后分配，依照《中华人民共和国企业破产法》第一百二十条之规定，裁定如下：</p>
<p class="order">终结{{ debtor_name }}破产程序。</p>
<p>本裁定自即日起生效。管理人应当自破产程序终结之日起十日内，持本裁定向{{ debtor_name }}的原登记机关办理注销登记。</p>
""",
    ),
    Seed(
        "takeover_notice",
        "接管通知书",
        "通知书",
        ADMINISTRATOR,
        ("N04",),
        """
<p>{{ debtor_name }}：</p>
<p>{{ court_name }}已于{{ accepted_on|cn_date }}裁定受理贵公司破产清算一案，并于{{ administrator_appointed_on|cn_date }}指定本所为管理人。根据《中华人民共和国企业破产法》第十五条、第二十五条之规定，管理人自即日起接管贵公司的财产、印章和账簿、文书等资料。</p>
<p>请贵公司法定代表人、财务管理人员及其他经营管理人员妥善保管上述财产和资料，于接到本通知之日起三日内向管理人办理移交，并如实回答询问，列席债权人会议。</p>
<p>特此通知。</p>
""",
    ),
    Seed(
        "property_report",
        "债务人财产状况报告",
        "债务人财产状况报告",
        ADMINISTRATOR,
        ("N05",),
        """
<p>{{ court_name }}：</p>
<p>贵院于{{ accepted_on|cn_date }}裁定受理{{ debtor_name }}破产清算一案（{{ case_number }}），并指定本所为管理人。管理人依照《中华人民共和国企业破产法》第二十五条第一款第二项之规定，对债务人的财产状况进行了调查，现报告如下：</p>
<p>一、债务人基本情况。{{ debtor_name }}，统一社会信用代码{{ debtor_credit_code }}。</p>
<p>二、债务人财产情况：货币资金、应收账款、存货、固定资产、对外投资及其他财产（详见附表）。</p>
<p>三、债务人负债情况：截至{{ claims_period_ends_on|cn_date }}，共有{{ creditor_count }}名债权人申报债权（详见债权表）。</p>
<p>四、可撤销、无效行为及追收情况（详见附件）。</p>
<p>特此报告。</p>
""",
    ),
    Seed(
        "claim_review_notice",
        "债权审查结论通知书",
        "债权审查结论通知书",
        ADMINISTRATOR,
        ("N07",),
        """
<p>债权人：</p>
<p>贵方向管理人申报的对{{ debtor_name }}的债权，管理人已依照《中华人民共和国企业破产法》第五十七条之规定进行了审查，审查结论见所附债权审查表。</p>
<p>如对审查结论有异议，请于收到本通知之日起十五日内向管理人书面说明理由并提交证据；经管理人复核后仍有异议的，可以在债权人会议核查结束后十五日内向{{ court_name }}提起债权确认诉讼。</p>
<p>特此通知。</p>
""",
    ),
    Seed(
        "claims_table",
        "债权表",
        "债权表",
        ADMINISTRATOR,
        ("N07", "N08"),
        """
<p>案号：{{ case_number }}　债务人：{{ debtor_name }}</p>
<p>债权申报期限届满日：{{ claims_period_ends_on|cn_date }}</p>
<table class="grid"><tr><th>序号</th><th>债权人</th><th>申报金额</th><th>确认金额</th><th>性质</th></tr>
{% for name in creditors %}<tr><td>{{ forloop.counter }}</td><td>{{ name }}</td><td></td><td></td><td></td></tr>
{% endfor %}</table>
<p>以上债权表提交第一次债权人会议核查。</p>
""",
    ),
    Seed(
        "realisation_plan",
        "破产财产变价方案",
        "破产财产变价方案",
        ADMINISTRATOR,
        ("N11",),
        """
<p>{{ court_name }}于{{ declared_on|cn_date }}宣告{{ debtor_name }}破产。根据《中华人民共和国企业破产法》第一百一十一条、第一百一十二条之规定，管理人拟订破产财产变价方案如下，提请债权人会议讨论：</p>
<p>一、变价的财产范围：债务人全部破产财产（详见附表）。</p>
<p>二、变价方式：原则上通过网络司法拍卖平台公开拍卖；流拍的，依次降价，降价幅度不超过前次起拍价的百分之二十。</p>
<p>三、变价所得全部存入管理人账户，用于分配。</p>
""",
    ),
    Seed(
        "distribution_plan",
        "破产财产分配方案",
        "破产财产分配方案",
        ADMINISTRATOR,
        ("N13",),
        """
<p>{{ debtor_name }}破产清算一案，管理人根据《中华人民共和国企业破产法》第一百一十三条、第一百一十五条之规定，拟订破产财产分配方案如下：</p>
<p>一、参加分配的债权人名称、住所及债权额（详见附表，共{{ creditor_count }}户）。</p>
<p>二、可供分配的破产财产数额。</p>
<p>三、破产财产分配的顺序、比例及数额：优先清偿破产费用和共益债务；其后依次清偿职工债权，社会保险费用和税款，普通破产债权，同一顺序不足清偿的按比例分配。</p>
<p>四、实施分配的方法：以货币方式分配，由管理人转账至债权人指定账户。</p>
""",
    ),
    Seed(
        "distribution_announcement",
        "分配公告",
        "公告",
        ADMINISTRATOR,
        ("N14",),
        """
<p>{{ debtor_name }}破产财产分配方案已经债权人会议表决通过，并经{{ court_name }}裁定认可。管理人定于本公告发布之日起实施分配。</p>
<p>请各债权人自本公告发布之日起向管理人提供收款账户。对于未领取的分配额，管理人将依法提存；自最后分配公告之日起满二个月仍不领取的，视为放弃受领分配的权利。</p>
<p>特此公告。</p>
""",
    ),
    Seed(
        "termination_request",
        "提请终结破产程序的报告",
        "关于提请终结破产程序的报告",
        ADMINISTRATOR,
        ("N15",),
        """
<p>{{ court_name }}：</p>
<p>贵院于{{ accepted_on|cn_date }}裁定受理{{ debtor_name }}破产清算一案（{{ case_number }}）。管理人已完成破产财产的最后分配，依照《中华人民共和国企业破产法》第一百二十条第二款之规定，提请贵院裁定终结{{ debtor_name }}破产程序。</p>
<p>附：破产财产分配报告。</p>
<p>特此报告。</p>
""",
    ),
    Seed(
        "deregistration_report",
        "注销登记情况报告",
        "关于办理注销登记情况的报告",
        ADMINISTRATOR,
        ("N16",),
        """
<p>{{ court_name }}：</p>
<p>贵院裁定终结{{ debtor_name }}破产程序后，管理人依照《中华人民共和国企业破产法》第一百二十一条之规定，持终结破产程序的民事裁定书向{{ debtor_name }}的原登记机关办理了注销登记。</p>
<p>附：准予注销登记通知书。</p>
<p>特此报告。</p>
""",
    ),
    Seed(
        "duties_end_report",
        "终止执行职务的报告",
        "关于管理人终止执行职务的报告",
        ADMINISTRATOR,
        ("N17",),
        """
<p>{{ court_name }}：</p>
<p>{{ debtor_name }}已于原登记机关办理完毕注销登记，且不存在未决诉讼或者仲裁。依照《中华人民共和国企业破产法》第一百二十二条之规定，管理人于办理注销登记完毕的次日终止执行职务。</p>
<p>特此报告。</p>
""",
    ),
)


# Issue 15.19: the node outputs a sealed document of each seeded template provides (rule pack "node:output"),
# where the template is the document the rule pack asks for and is issued by the node's operator.
SEED_OUTPUTS: dict[str, tuple[str, ...]] = {
    "acceptance_ruling": ("N01:acceptance_ruling", "C01:acceptance_ruling"),
    "appointment_decision": ("N02:appointment_decision",),
    "acceptance_announcement": ("N03:acceptance_announcement",),
    "declaration_ruling": ("N10:declaration_ruling", "N10:declaration_announcement"),
    "termination_ruling": ("N15:termination_ruling",),
    "takeover_notice": ("N04:takeover_notice",),
    "property_report": ("N05:property_report",),
    "claims_table": ("N07:claims_table",),
    "realisation_plan": ("N11:realisation_plan",),
    "distribution_plan": ("N13:distribution_plan",),
    "distribution_announcement": ("N14:distribution_notice",),
    "deregistration_report": ("N16:deregistration_report",),
    "duties_end_report": ("N17:final_report",),
}
# What a court or an administrator never issues unsealed: rulings, decisions, announcements and notices.
# Plans and tables that a meeting still votes on or that are revised are sealed when final, by hand.
ALWAYS_SEALED: frozenset[str] = frozenset(
    {
        "acceptance_ruling",
        "rejection_ruling",
        "appointment_decision",
        "acceptance_announcement",
        "undisputed_claims_ruling",
        "declaration_ruling",
        "distribution_approval_ruling",
        "termination_ruling",
        "claims_notice",
        "takeover_notice",
        "claim_review_notice",
        "distribution_announcement",
    }
)


def seed_templates(template_model: Any, version_model: Any, *, now: Any) -> int:
    """Create the templates that do not exist yet, each with a version 1; returns how many were created."""
    created = 0
    for seed in SEEDS:
        if template_model.objects.filter(key=seed.key).exists():
            continue
        extra: dict[str, Any] = {}
        # The historical model of migration 0002 has no outputs or sealing yet (migration 0006 binds them).
        if any(field.name == "outputs" for field in template_model._meta.get_fields()):
            extra = {"outputs": list(SEED_OUTPUTS.get(seed.key, ())), "always_sealed": seed.key in ALWAYS_SEALED}
        template = template_model.objects.create(
            key=seed.key,
            name=seed.name,
            heading=seed.heading,
            issuer=seed.issuer,
            node_keys=list(seed.node_keys),
            **extra,
        )
        version = version_model.objects.create(
            template=template, number=1, body=seed.body.strip() + "\n", note="seed", created_at=now
        )
        template.current_version = version
        template.save(update_fields=["current_version"])
        created += 1
    return created
