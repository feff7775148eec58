"""Applying a scoring formula to a firm's figures. Pure functions: no database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from smartcourt.administrators.choices import Grade
from smartcourt.core.numbers import strict_decimal
from smartcourt.evaluation.choices import DEDUCTIBLE, Measure

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# The first version a court publishes unless it writes its own. Points off per unit: missing a statutory
# deadline costs more than a slow day, a limit breach (money) costs most, a duration above the median
# costs 10 points per 100 % above it.
DEFAULT_WEIGHTS: dict[str, str] = {
    Measure.NODES_OVERDUE: "2",
    Measure.OVERDUE_DAYS: "0.1",
    Measure.RETURNED: "1",
    Measure.BREACHES: "5",
    Measure.RECONCILIATION_DIFFERENCES: "3",
    Measure.REVERSALS: "2",
    Measure.LATE_ANSWERS: "0.5",
    Measure.UNANSWERED: "1",
    Measure.DURATION_EXCESS: "10",
}
DEFAULT_ANSWER_WITHIN_HOURS = 72
DEFAULT_GRADE_THRESHOLDS: list[list[str]] = [[Grade.FIRST, "90"], [Grade.SECOND, "75"], [Grade.THIRD, "0"]]
DEFAULT_EXPLANATION = (
    "满分100分，按下列事项逐项扣分，扣分按该管理人在本院承办的案件数平均（案件多的管理人不因案件多而多扣分）：节点逾期每个扣2分，另按逾期天数每天扣0.1分；请示、节点材料或付款申请被退回"
    "或驳回每次扣1分；试图突破资金监管限额每次扣5分；对账差异每次扣3分；债权审查结论经异议后被改变每件扣2分；"
    "债权人提问超过72小时答复每个扣0.5分，逾期未答复每个扣1分；结案周期超过本院同类案件中位数的，每超出100%扣10分。"
    "最低0分。90分以上建议一级，75分以上建议二级，其余三级。"
)


@dataclass(frozen=True)
class Scored:
    score: Decimal
    deductions: dict[str, Decimal]
    grade: str


def check_weights(weights: dict[str, Any]) -> dict[str, str]:
    """Weights as canonical decimal strings; unknown measures and negative or non-numeric weights refused."""
    from smartcourt.core.errors import DomainError

    clean: dict[str, str] = {}
    for key, raw in weights.items():
        if key not in DEDUCTIBLE:
            raise DomainError(_("%(key)s is not a measure a formula can weight") % {"key": key}, field="weights")
        # strict_decimal, not Decimal(str(raw)): Decimal() reads any script's digits, exponents and NaN. A float
        # (inexact) or a bool (an int to Python) is not a weight.
        value: Decimal | None = None
        if isinstance(raw, Decimal):
            value = raw
        elif isinstance(raw, str) or (isinstance(raw, int) and not isinstance(raw, bool)):
            value = strict_decimal(str(raw))
        if value is None or not value.is_finite():
            raise DomainError(
                _("The weight of %(measure)s is not a number") % {"measure": Measure(key).label}, field="weights"
            )
        if value < 0 or value > 100:
            raise DomainError(
                _("The weight of %(measure)s must be between 0 and 100") % {"measure": Measure(key).label},
                field="weights",
            )
        clean[key] = str(value)
    return clean


def score(
    values: dict[str, Decimal], *, weights: dict[str, str], thresholds: list[list[str]], divisor: int = 1
) -> Scored:
    """Points off per measure (weight × value ÷ divisor, to the cent) and what is left of 100."""
    over = Decimal(max(divisor, 1))
    deductions = {
        key: (Decimal(weight) * values.get(key, Decimal(0)) / over).quantize(CENT) for key, weight in weights.items()
    }
    total = max(Decimal(0), HUNDRED - sum(deductions.values(), Decimal(0))).quantize(CENT)
    grade = next((g for g, floor in thresholds if total >= Decimal(floor)), thresholds[-1][0])
    return Scored(score=total, deductions=deductions, grade=grade)
