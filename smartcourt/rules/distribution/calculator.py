"""Order of payment out of a bankruptcy estate, in integer fen (Enterprise Bankruptcy Law art. 41-43, 113).

Pure functions, no Django: the distributions app computes its plans with them and the public calculator
(``rules/distribution/api.py``) answers with them, so both give the same fen for the same input.

The order is a strict sequence of classes. A class is paid in full before the next one receives anything:

1. bankruptcy expenses (破产费用, art. 41),
2. common-benefit debts (共益债务, art. 42) — art. 43(2): when the estate cannot pay all expenses and
   common-benefit debts, expenses come first,
3. employee claims (职工债权, art. 113(1)),
4. social insurance and taxes (社会保险费用和税款, art. 113(2)),
5. ordinary claims (普通债权, art. 113(3)).

Within the class that the money runs out in, every claim gets its pro rata share (art. 43(3), 113 para. 2).
Shares are computed exactly as fractions of a fen; each claim gets the whole fen of its share, and the fen
left over (fewer than the number of claims in the class) go one each to the largest fractional remainders —
ties to the larger claim, then to the earlier claim in the input. So the lines always sum exactly to the
amount distributed, and no claim is ever more than one fen away from its exact share.

Largest remainder is not monotone line by line (the "Alabama paradox": one more fen in the estate can move
one fen of a share to another claim); class totals and the total distributed are monotone.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass


class ClaimClass(enum.StrEnum):
    """Classes in the order they are paid."""

    EXPENSES = "expenses"  # 破产费用, art. 41
    COMMON_BENEFIT = "common_benefit"  # 共益债务, art. 42
    EMPLOYEE = "employee"  # 职工债权, art. 113(1)
    SOCIAL_TAX = "social_tax"  # 社会保险费用和税款, art. 113(2)
    ORDINARY = "ordinary"  # 普通债权, art. 113(3)


PRIORITY: tuple[ClaimClass, ...] = (
    ClaimClass.EXPENSES,
    ClaimClass.COMMON_BENEFIT,
    ClaimClass.EMPLOYEE,
    ClaimClass.SOCIAL_TAX,
    ClaimClass.ORDINARY,
)

CLASS_LABELS_ZH: dict[ClaimClass, str] = {
    ClaimClass.EXPENSES: "破产费用",
    ClaimClass.COMMON_BENEFIT: "共益债务",
    ClaimClass.EMPLOYEE: "职工债权",
    ClaimClass.SOCIAL_TAX: "社会保险费用和税款",
    ClaimClass.ORDINARY: "普通债权",
}


@dataclass(frozen=True)
class ClaimIn:
    """One claim to be paid: ``id`` is the caller's (unique per call), ``amount_fen`` what is owed (>= 0)."""

    id: str
    claim_class: ClaimClass
    amount_fen: int


@dataclass(frozen=True)
class Payout:
    id: str
    claim_class: ClaimClass
    claimed_fen: int
    paid_fen: int


@dataclass(frozen=True)
class ClassTotal:
    claim_class: ClaimClass
    claimed_fen: int
    paid_fen: int

    @property
    def full(self) -> bool:
        return self.paid_fen == self.claimed_fen


@dataclass(frozen=True)
class DistributionResult:
    """``payouts`` in input order; ``classes`` in priority order, every class present (zeros where empty)."""

    available_fen: int
    payouts: list[Payout]
    classes: list[ClassTotal]

    @property
    def distributed_fen(self) -> int:
        return sum(line.paid_fen for line in self.payouts)

    @property
    def undistributed_fen(self) -> int:
        return self.available_fen - self.distributed_fen


def pro_rata(amount_fen: int, claims_fen: Sequence[int]) -> list[int]:
    """Split ``amount_fen`` over ``claims_fen`` in proportion, by largest remainder, summing exactly.

    ``amount_fen`` must not exceed the sum of the claims (the caller pays a class in full otherwise).
    Ties of remainder go to the larger claim, then to the earlier one."""
    total = sum(claims_fen)
    if amount_fen < 0 or any(c < 0 for c in claims_fen):
        raise ValueError("amounts cannot be negative")
    if amount_fen > total:
        raise ValueError("cannot split more than the claims add up to")
    if amount_fen == total:
        return list(claims_fen)
    if amount_fen == 0:
        return [0] * len(claims_fen)
    shares: list[int] = []
    remainders: list[int] = []
    for claim in claims_fen:
        whole, rest = divmod(claim * amount_fen, total)
        shares.append(whole)
        remainders.append(rest)
    left = amount_fen - sum(shares)
    # left < number of claims with a non-zero remainder, so a zero claim never receives a fen.
    order = sorted(range(len(claims_fen)), key=lambda i: (-remainders[i], -claims_fen[i], i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def distribute(available_fen: int, claims: Sequence[ClaimIn]) -> DistributionResult:
    """Pay ``available_fen`` over ``claims`` class by class in the statutory order (module docstring)."""
    if available_fen < 0:
        raise ValueError("the amount available cannot be negative")
    seen: set[str] = set()
    for claim in claims:
        if claim.amount_fen < 0:
            raise ValueError(f"claim {claim.id}: amount cannot be negative")
        if claim.id in seen:
            raise ValueError(f"claim {claim.id} is listed twice")
        seen.add(claim.id)

    paid: list[int] = [0] * len(claims)
    class_totals: list[ClassTotal] = []
    left = available_fen
    for claim_class in PRIORITY:
        members = [i for i, claim in enumerate(claims) if claim.claim_class is claim_class]
        claimed = sum(claims[i].amount_fen for i in members)
        to_class = min(left, claimed)
        for i, share in zip(members, pro_rata(to_class, [claims[i].amount_fen for i in members]), strict=True):
            paid[i] = share
        left -= to_class
        class_totals.append(ClassTotal(claim_class=claim_class, claimed_fen=claimed, paid_fen=to_class))
    payouts = [
        Payout(id=claim.id, claim_class=claim.claim_class, claimed_fen=claim.amount_fen, paid_fen=paid[i])
        for i, claim in enumerate(claims)
    ]
    return DistributionResult(available_fen=available_fen, payouts=payouts, classes=class_totals)
