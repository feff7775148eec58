"""Statutory vote tallies of creditors' meetings (Enterprise Bankruptcy Law art. 59, 64, 84, 97).

Pure functions over plain values: no database, no clock. Both the public calculator
(``POST /api/v1/rules/vote-tally``) and the meetings app call them, so the numbers a creditor can check
are the numbers the court's platform used.

Two words of the statute decide every boundary:

- "过半数" (more than half) is strict: 3 of 6 is not more than half, 4 of 6 is; the test is
  ``2 * for_count > present_count``.
- "以上" (at least) includes the number itself: exactly half or exactly two-thirds passes; the tests are
  ``2 * for_amount >= total`` and ``3 * for_amount >= 2 * total``.

Everything is integer arithmetic on fen and head counts, so no rounding can move a result across a boundary.

Who counts:

- ``present`` is every voter who attended (for, against or abstain). An absent voter is never present and
  never consenting; an abstention is present and not consenting.
- art. 59: a secured creditor who has not waived priority has no vote on the settlement agreement and the
  distribution plan: for those items (art. 64 ``distribution_plan``/``settlement_agreement``, and art. 97)
  he is left out of the heads and the amounts. On other items of art. 64 he votes like anyone else.
- art. 64 and 97 measure the amount against the total of unsecured claims (无财产担保债权总额), given by the
  caller; art. 84 measures each class against the class's total claims.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from smartcourt.core.errors import DomainError
from smartcourt.core.money import fen_to_yuan


class Rule(StrEnum):
    # 第六十四条: ordinary resolutions of the creditors' meeting.
    ART64 = "art64"
    # 第八十四条: the reorganisation plan, voted on by class.
    ART84 = "art84"
    # 第九十七条: the settlement agreement.
    ART97 = "art97"


class ItemKind(StrEnum):
    # Any resolution of the meeting other than the two below.
    GENERAL = "general"
    # 破产财产分配方案 (art. 61(10)): secured creditors who kept their priority do not vote (art. 59).
    DISTRIBUTION_PLAN = "distribution_plan"
    # 和解协议 (art. 61(7)): likewise.
    SETTLEMENT_AGREEMENT = "settlement_agreement"


class Vote(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"
    # Did not attend or did not vote: recorded, never counted as consenting.
    ABSENT = "absent"


# Items on which a secured creditor who has not waived priority has no vote (art. 59 para. 3).
SECURED_EXCLUDED_ITEMS = frozenset({ItemKind.DISTRIBUTION_PLAN, ItemKind.SETTLEMENT_AGREEMENT})

# The class name of the single tally of art. 64 and art. 97.
ALL = "all"


@dataclass(frozen=True)
class Voter:
    """One creditor's vote on one item. ``amount_fen`` is his voting amount (表决额)."""

    id: str
    vote: Vote
    amount_fen: int
    secured_not_waived: bool = False
    voter_class: str | None = None


@dataclass(frozen=True)
class ClassResult:
    """The tally of one class (or of everyone, ``name == "all"``) with the working behind it."""

    name: str
    passed: bool
    present_count: int
    for_count: int
    for_amount_fen: int
    total_amount_fen: int
    headcount_met: bool
    amount_met: bool
    # Voters left out by art. 59 (heads): shown so the working is complete.
    excluded_count: int
    # "1/2" (art. 64) or "2/3" (art. 84, 97): the share of the amount needed, inclusive.
    amount_share: str


@dataclass(frozen=True)
class TallyResult:
    rule: Rule
    item: ItemKind
    passed: bool
    classes: tuple[ClassResult, ...]


# The amount share each rule needs, as (numerator, denominator): for_amount * den >= total * num.
_SHARE = {Rule.ART64: (1, 2), Rule.ART84: (2, 3), Rule.ART97: (2, 3)}


def _check_voters(voters: Sequence[Voter]) -> None:
    seen: set[str] = set()
    for voter in voters:
        if voter.id in seen:
            raise DomainError(f"voter {voter.id} appears twice", field="voters")
        seen.add(voter.id)
        if voter.amount_fen < 0:
            raise DomainError(f"voter {voter.id} has a negative voting amount", field="voters")


def _tally_group(
    name: str,
    voters: Iterable[Voter],
    *,
    total_fen: int,
    share: tuple[int, int],
    exclude_secured: bool,
    total_field: str,
    unsecured_total: bool,
) -> ClassResult:
    present = for_count = for_amount = excluded = listed = 0
    for voter in voters:
        # A total of unsecured claims leaves out the claims of secured creditors who kept their priority.
        if not (unsecured_total and voter.secured_not_waived):
            listed += voter.amount_fen
        if exclude_secured and voter.secured_not_waived:
            excluded += 1
            continue
        if voter.vote == Vote.ABSENT:
            continue
        present += 1
        if voter.vote == Vote.FOR:
            for_count += 1
            for_amount += voter.amount_fen
    if listed > total_fen:
        # The voters' amounts are part of the total they are measured against: more than it is a typing
        # mistake, and answering "passed" on it would be wrong.
        amounts = {"listed": fen_to_yuan(listed), "total": fen_to_yuan(total_fen), "name": name}
        message = (
            _("The voting amounts add up to %(listed)s yuan, more than the stated total of %(total)s yuan")
            if name == ALL
            else _(
                "The voting amounts of class %(name)s add up to %(listed)s yuan, more than the class's total "
                "of %(total)s yuan"
            )
        )
        raise DomainError(message % amounts, field=total_field)
    numerator, denominator = share
    # 过半数: strictly more than half of those present. Nobody present: nobody consented, not passed.
    headcount_met = 2 * for_count > present
    # 以上: the share itself is enough.
    amount_met = for_amount * denominator >= total_fen * numerator
    return ClassResult(
        name=name,
        passed=headcount_met and amount_met,
        present_count=present,
        for_count=for_count,
        for_amount_fen=for_amount,
        total_amount_fen=total_fen,
        headcount_met=headcount_met,
        amount_met=amount_met,
        excluded_count=excluded,
        amount_share=f"{numerator}/{denominator}",
    )


def tally_art64(voters: Sequence[Voter], *, total_unsecured_fen: int, item: ItemKind = ItemKind.GENERAL) -> TallyResult:
    """Art. 64: more than half of the voting creditors present, holding at least half of the unsecured claims."""
    _check_voters(voters)
    if total_unsecured_fen < 0:
        raise DomainError("the total of unsecured claims cannot be negative", field="total_unsecured_claims")
    result = _tally_group(
        ALL,
        voters,
        total_fen=total_unsecured_fen,
        share=_SHARE[Rule.ART64],
        exclude_secured=item in SECURED_EXCLUDED_ITEMS,
        total_field="total_unsecured_claims",
        unsecured_total=True,
    )
    return TallyResult(rule=Rule.ART64, item=item, passed=result.passed, classes=(result,))


def tally_art97(voters: Sequence[Voter], *, total_unsecured_fen: int) -> TallyResult:
    """Art. 97: more than half of the voting creditors present, holding two-thirds or more of unsecured claims.
    A settlement agreement: secured creditors who kept their priority have no vote (art. 59)."""
    _check_voters(voters)
    if total_unsecured_fen < 0:
        raise DomainError("the total of unsecured claims cannot be negative", field="total_unsecured_claims")
    result = _tally_group(
        ALL,
        voters,
        total_fen=total_unsecured_fen,
        share=_SHARE[Rule.ART97],
        exclude_secured=True,
        total_field="total_unsecured_claims",
        unsecured_total=True,
    )
    return TallyResult(rule=Rule.ART97, item=ItemKind.SETTLEMENT_AGREEMENT, passed=result.passed, classes=(result,))


def tally_art84(voters: Sequence[Voter], *, class_totals_fen: Mapping[str, int]) -> TallyResult:
    """Art. 84: the plan passes a class when more than half of the class's creditors present vote for it and
    they hold two-thirds or more of the class's claims; it is adopted when every class passes (art. 86).
    Classes come out in the order of ``class_totals_fen``."""
    _check_voters(voters)
    if not class_totals_fen:
        raise DomainError("at least one class is needed", field="class_totals")
    for name, total in class_totals_fen.items():
        if total < 0:
            raise DomainError(f"the total of class {name} cannot be negative", field="class_totals")
    by_class: dict[str, list[Voter]] = {name: [] for name in class_totals_fen}
    for voter in voters:
        if voter.voter_class is None:
            raise DomainError(f"voter {voter.id} has no class", field="voters")
        if voter.voter_class not in by_class:
            raise DomainError(f"voter {voter.id} is in class {voter.voter_class}, which has no total", field="voters")
        by_class[voter.voter_class].append(voter)
    results = tuple(
        # Secured creditors vote in their own class on the plan (art. 82(1)): nobody is excluded here.
        _tally_group(
            name,
            members,
            total_fen=class_totals_fen[name],
            share=_SHARE[Rule.ART84],
            exclude_secured=False,
            total_field="class_totals",
            unsecured_total=False,
        )
        for name, members in by_class.items()
    )
    return TallyResult(rule=Rule.ART84, item=ItemKind.GENERAL, passed=all(r.passed for r in results), classes=results)


def tally(
    rule: Rule,
    voters: Sequence[Voter],
    *,
    item: ItemKind = ItemKind.GENERAL,
    total_unsecured_fen: int | None = None,
    class_totals_fen: Mapping[str, int] | None = None,
) -> TallyResult:
    """One entry point for callers that hold the rule as data (the API, a meeting's item)."""
    if rule == Rule.ART84:
        if class_totals_fen is None:
            raise DomainError("art84 needs class_totals", field="class_totals")
        return tally_art84(voters, class_totals_fen=class_totals_fen)
    if total_unsecured_fen is None:
        raise DomainError(f"{rule} needs total_unsecured_claims", field="total_unsecured_claims")
    if rule == Rule.ART97:
        return tally_art97(voters, total_unsecured_fen=total_unsecured_fen)
    return tally_art64(voters, total_unsecured_fen=total_unsecured_fen, item=item)
