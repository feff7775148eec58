# ruff: noqa: E501 - the bodies are Chinese paragraphs, one per line, as an editor sees them
"""The documents the filing division issues, added to the court's template library if it does not have them yet
(the court administrators edit them there like every other template): at docketing, the acceptance notice (受理案件通知书,
CPL art. 126) and the notice to pay the case acceptance fee (交纳诉讼费用通知书, 诉讼费用交纳办法 art. 22); and the
ruling that a case whose fee was not paid is handled as withdrawn (按撤诉处理, SPC interpretation of the CPL art.
213, 诉讼费用交纳办法 art. 22)."""

from __future__ import annotations

from django.utils import timezone

from smartcourt.documents.models import DocumentTemplate, TemplateVersion

ACCEPTANCE_NOTICE = "civil_acceptance_notice"
FEE_NOTICE = "litigation_fee_notice"
WITHDRAWAL_RULING = "civil_withdrawal_ruling"

_PARTIES = """<p>原告：{{ plaintiffs|join:"、" }}。</p>
<p>被告：{{ defendants|join:"、" }}。</p>
"""

TEMPLATES = (
    (
        ACCEPTANCE_NOTICE,
        "受理案件通知书",
        "受理案件通知书",
        _PARTIES
        + """
<p>你方诉{{ defendants|join:"、" }}{{ cause }}一案，本院经审查认为符合《中华人民共和国民事诉讼法》第一百二十二条规定的起诉条件，依照第一百二十六条之规定，决定立案受理，案号为{{ case_number }}。</p>
<p>本案由{{ presiding_judge }}法官承办。本院将于立案之日起五日内将起诉状副本发送被告，被告应当在收到之日起十五日内提出答辩状（第一百二十八条）。</p>
<p>你方已同意在线诉讼，在线诉讼活动与线下诉讼活动具有同等法律效力（第十六条）。</p>
""",
    ),
    (
        FEE_NOTICE,
        "交纳诉讼费用通知书",
        "交纳诉讼费用通知书",
        _PARTIES
        + """
<p>本院已受理你方诉{{ defendants|join:"、" }}{{ cause }}一案（{{ case_number }}）。依照《诉讼费用交纳办法》第十三条、第二十条、第二十二条之规定，你方应预交案件受理费人民币{{ litigation_fee }}元（{{ fee_basis }}）。</p>
<p>请于{{ fee_due_on|cn_date }}前通过本院网上缴费平台交纳。逾期不交纳又未申请缓交、减交、免交，或者申请未获批准的，本院将按撤诉处理。</p>
""",
    ),
    (
        WITHDRAWAL_RULING,
        "民事裁定书（按撤诉处理）",
        "民事裁定书",
        _PARTIES
        + """
<p>原告{{ plaintiffs|join:"、" }}诉被告{{ defendants|join:"、" }}{{ cause }}一案（{{ case_number }}），本院立案后向原告送达了交纳诉讼费用通知书，通知其于{{ fee_due_on|cn_date }}前预交案件受理费人民币{{ litigation_fee }}元。原告逾期未预交，亦未申请缓交、减交、免交诉讼费用。</p>
<p>依照《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第二百一十三条、《诉讼费用交纳办法》第二十二条之规定，裁定如下：</p>
<p>本案按原告{{ plaintiffs|join:"、" }}撤回起诉处理。</p>
<p>本裁定立即发生法律效力。</p>
""",
    ),
)


def ensure_filing_templates() -> int:
    """Create whichever of the two templates the library lacks, each with a version 1; returns how many."""
    created = 0
    for key, name, heading, body in TEMPLATES:
        if DocumentTemplate.objects.filter(key=key).exists():
            continue
        template = DocumentTemplate.objects.create(key=key, name=name, heading=heading, issuer="court", node_keys=[])
        version = TemplateVersion.objects.create(
            template=template, number=1, body=body.strip() + "\n", note="seed", created_at=timezone.now()
        )
        template.current_version = version
        template.save(update_fields=["current_version"])
        created += 1
    return created
