"""Demo evaluations: the court's default formula (version 1), both demo firms evaluated from what the demo
cases recorded, a judge's assessment of firm A and firm A's response.

Call it at the END of the demo seed, after every app has recorded its demo history (funds, meetings,
distributions), so the figures include it:

    from smartcourt.evaluation.demo import seed_evaluation
    seed_evaluation(court=rudong, judge=users["judge"], firms=[firm_a, firm_b], firm_a_user=users["admin_a"])

Idempotent: a firm already evaluated at the court is not evaluated again.
"""

from __future__ import annotations

from smartcourt.accounts.models import Organisation, User
from smartcourt.evaluation.actions import add_assessment, ensure_formula, evaluate_firm, respond
from smartcourt.evaluation.models import Evaluation

ASSESSMENT = (
    "管理人接管及财产调查及时，债权申报材料规范；但第一次债权人会议前的请示曾被要求补充材料，"
    "请注意请示事项的完整性，并按期答复债权人提问。"
)
RESPONSE = "已收悉。补充材料系因债务人账册移交迟延所致，已建立请示事项核对清单，今后提交前逐项核对。"


def seed_evaluation(*, court: Organisation, judge: User, firms: list[Organisation], firm_a_user: User) -> None:
    ensure_formula(court)
    for index, firm in enumerate(firms):
        if Evaluation.objects.filter(court=court, firm=firm).exists():
            continue
        evaluation = evaluate_firm(actor=judge, court_id=court.pk, firm_id=firm.pk)
        if index == 0:
            add_assessment(actor=judge, evaluation_id=evaluation.pk, text=ASSESSMENT)
            respond(actor=firm_a_user, evaluation_id=evaluation.pk, text=RESPONSE)
