"""Computing a distribution plan from the claims table: pure, plain data in and out (no database).

1. Secured claims (art. 109) are paid from their own collateral's proceeds, as the administrator enters
   them: up to what they are owed. What the collateral does not cover becomes an ordinary claim (art. 110);
   what it yields above the claim goes to the general estate.
2. The general estate (the amount available plus collateral surpluses) is paid in the statutory order by
   ``smartcourt.rules.distribution.distribute``: expenses, common-benefit debts, employee claims, social
   insurance and taxes, ordinary claims; pro rata in fen within a class.
3. Disputed and pending claims take part with their declared amount, and conditional claims with their
   confirmed amount, but their share is held (提存, art. 117, 119) rather than paid.

``owed_fen`` is what is still owed after earlier distributions under ruled plans (the caller subtracts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from smartcourt.distributions.choices import LineClass, ReserveReason
from smartcourt.rules.distribution.calculator import ClaimClass, ClaimIn, distribute

_GENERAL_CLASS = {
    LineClass.EXPENSES: ClaimClass.EXPENSES,
    LineClass.COMMON_BENEFIT: ClaimClass.COMMON_BENEFIT,
    LineClass.EMPLOYEE: ClaimClass.EMPLOYEE,
    LineClass.SOCIAL_TAX: ClaimClass.SOCIAL_TAX,
    LineClass.ORDINARY: ClaimClass.ORDINARY,
}


@dataclass(frozen=True)
class ClaimRow:
    """A claim as the plan sees it. ``line_class`` is SECURED or one of the general classes."""

    claim_id: str
    creditor_id: str
    label: str
    line_class: LineClass
    owed_fen: int
    reserve: ReserveReason = ReserveReason.NONE
    collateral_proceeds_fen: int = 0


@dataclass(frozen=True)
class Expense:
    """A bankruptcy expense or common-benefit debt still unpaid, entered by the administrator."""

    label: str
    line_class: LineClass
    amount_fen: int


@dataclass
class Line:
    line_class: LineClass
    label: str
    owed_fen: int
    claim_id: str | None = None
    creditor_id: str | None = None
    collateral_proceeds_fen: int = 0
    share_fen: int = 0
    reserve: ReserveReason = ReserveReason.NONE

    @property
    def paid_fen(self) -> int:
        return 0 if self.reserve else self.share_fen

    @property
    def reserved_fen(self) -> int:
        return self.share_fen if self.reserve else 0


@dataclass
class Plan:
    available_fen: int
    lines: list[Line] = field(default_factory=list)
    collateral_surplus_fen: int = 0

    @property
    def secured_paid_fen(self) -> int:
        return sum(line.share_fen for line in self.lines if line.line_class == LineClass.SECURED)

    @property
    def distributed_fen(self) -> int:
        return sum(line.share_fen for line in self.lines if line.line_class != LineClass.SECURED)

    @property
    def reserved_fen(self) -> int:
        return sum(line.reserved_fen for line in self.lines)

    @property
    def undistributed_fen(self) -> int:
        return self.available_fen + self.collateral_surplus_fen - self.distributed_fen


def compute_plan(*, available_fen: int, claims: Sequence[ClaimRow], expenses: Sequence[Expense] = ()) -> Plan:
    if available_fen < 0:
        raise ValueError("the amount available cannot be negative")
    plan = Plan(available_fen=available_fen)
    general: list[Line] = []
    for expense in expenses:
        if expense.line_class not in (LineClass.EXPENSES, LineClass.COMMON_BENEFIT):
            raise ValueError(f"{expense.label}: only expenses and common-benefit debts are entered by hand")
        if expense.amount_fen <= 0:
            raise ValueError(f"{expense.label}: the amount must be positive")
        general.append(Line(line_class=expense.line_class, label=expense.label, owed_fen=expense.amount_fen))
    for row in claims:
        if row.owed_fen < 0 or row.collateral_proceeds_fen < 0:
            raise ValueError(f"{row.label}: amounts cannot be negative")
        if row.line_class == LineClass.SECURED:
            covered = min(row.owed_fen, row.collateral_proceeds_fen)
            plan.collateral_surplus_fen += row.collateral_proceeds_fen - covered
            plan.lines.append(
                Line(
                    line_class=LineClass.SECURED,
                    label=row.label,
                    owed_fen=row.owed_fen,
                    claim_id=row.claim_id,
                    creditor_id=row.creditor_id,
                    collateral_proceeds_fen=row.collateral_proceeds_fen,
                    share_fen=covered,
                    reserve=row.reserve,
                )
            )
            if row.owed_fen > covered:
                general.append(
                    Line(
                        line_class=LineClass.ORDINARY,
                        label=row.label,
                        owed_fen=row.owed_fen - covered,
                        claim_id=row.claim_id,
                        creditor_id=row.creditor_id,
                        reserve=row.reserve,
                    )
                )
        else:
            general.append(
                Line(
                    line_class=row.line_class,
                    label=row.label,
                    owed_fen=row.owed_fen,
                    claim_id=row.claim_id,
                    creditor_id=row.creditor_id,
                    reserve=row.reserve,
                )
            )
    result = distribute(
        available_fen + plan.collateral_surplus_fen,
        [
            ClaimIn(id=str(index), claim_class=_GENERAL_CLASS[line.line_class], amount_fen=line.owed_fen)
            for index, line in enumerate(general)
        ],
    )
    for line, payout in zip(general, result.payouts, strict=True):
        line.share_fen = payout.paid_fen
    order = list(_GENERAL_CLASS)
    general.sort(key=lambda line: order.index(line.line_class))  # stable: input order within a class
    plan.lines.extend(general)
    return plan
