"""The statutory tallies (EBL art. 59, 64, 84, 97): boundaries, worked examples, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcourt.core.errors import DomainError
from smartcourt.rules.votes.calculator import ItemKind, Rule, Vote, Voter, tally, tally_art64, tally_art84, tally_art97

F, A, N, X = Vote.FOR, Vote.AGAINST, Vote.ABSTAIN, Vote.ABSENT


def _voters(*specs: tuple[Vote, int], secured: tuple[int, ...] = ()) -> list[Voter]:
    return [
        Voter(id=f"v{i}", vote=vote, amount_fen=amount, secured_not_waived=i in secured)
        for i, (vote, amount) in enumerate(specs)
    ]


# --- art. 64: 过半数 strict on heads, 二分之一以上 inclusive on amounts --------------------------------------


def test_art64_exactly_half_of_heads_fails() -> None:
    # 2 for of 4 present is half, not more than half.
    result = tally_art64(_voters((F, 500), (F, 500), (A, 1), (N, 1)), total_unsecured_fen=1002)
    only = result.classes[0]
    assert (only.present_count, only.for_count, only.for_amount_fen) == (4, 2, 1000)
    assert only.amount_met and not only.headcount_met and not result.passed


def test_art64_one_more_head_than_half_passes() -> None:
    result = tally_art64(_voters((F, 500), (F, 1), (F, 1), (A, 1), (N, 1)), total_unsecured_fen=1004)
    # 3 of 5 present; 502 fen of 1004 fen is exactly half: 以上 includes it.
    assert result.classes[0].for_amount_fen == 502
    assert result.passed


def test_art64_one_fen_below_half_fails() -> None:
    result = tally_art64(_voters((F, 501), (F, 0), (A, 1)), total_unsecured_fen=1004)
    assert result.classes[0].headcount_met and not result.classes[0].amount_met and not result.passed


def test_art64_odd_total_half_rounds_up() -> None:
    # Half of 1001 fen is 500.5: 500 fen is short, 501 fen is enough.
    assert not tally_art64(_voters((F, 500)), total_unsecured_fen=1001).passed
    assert tally_art64(_voters((F, 501)), total_unsecured_fen=1001).passed


def test_absent_voters_are_not_present_and_never_consent() -> None:
    # Two absent creditors with most of the money: the one voter present decides the heads,
    # but the amount is still measured against every unsecured claim.
    result = tally_art64(_voters((F, 300), (X, 700), (X, 0)), total_unsecured_fen=1000)
    only = result.classes[0]
    assert (only.present_count, only.for_count, only.for_amount_fen) == (1, 1, 300)
    assert only.headcount_met and not only.amount_met and not result.passed


def test_nobody_present_fails() -> None:
    result = tally_art64(_voters((X, 1000)), total_unsecured_fen=1000)
    assert result.classes[0].present_count == 0 and not result.passed


def test_abstention_counts_as_present_not_for() -> None:
    assert not tally_art64(_voters((F, 600), (N, 0)), total_unsecured_fen=1000).passed
    assert tally_art64(_voters((F, 600), (N, 0), (F, 0)), total_unsecured_fen=1000).passed


def test_secured_not_waived_votes_on_general_items_only() -> None:
    # The secured creditor votes against: on a general item he is one of 2 present (1 for = half, fails);
    # on the distribution plan he has no vote (art. 59) and the other creditor alone decides.
    voters = _voters((F, 600), (A, 5000), secured=(1,))
    general = tally_art64(voters, total_unsecured_fen=1000)
    assert (general.classes[0].present_count, general.passed) == (2, False)
    for item in (ItemKind.DISTRIBUTION_PLAN, ItemKind.SETTLEMENT_AGREEMENT):
        excluded = tally_art64(voters, total_unsecured_fen=1000, item=item)
        assert excluded.classes[0].present_count == 1 and excluded.classes[0].excluded_count == 1
        assert excluded.passed


def test_secured_not_waived_for_vote_adds_nothing_on_distribution_plan() -> None:
    voters = _voters((F, 400), (F, 5000), (A, 100), secured=(1,))
    assert tally_art64(voters, total_unsecured_fen=1000).passed
    plan = tally_art64(voters, total_unsecured_fen=1000, item=ItemKind.DISTRIBUTION_PLAN)
    assert plan.classes[0].for_amount_fen == 400 and not plan.passed


# --- art. 97: 过半数 and 三分之二以上 ------------------------------------------------------------------


def test_art97_exactly_two_thirds_passes_one_fen_less_fails() -> None:
    assert tally_art97(_voters((F, 200), (F, 0), (A, 100)), total_unsecured_fen=300).passed
    assert not tally_art97(_voters((F, 199), (F, 0), (A, 101)), total_unsecured_fen=300).passed
    # 2/3 of 1000 is 666.67: 666 is short, 667 enough.
    assert not tally_art97(_voters((F, 666)), total_unsecured_fen=1000).passed
    assert tally_art97(_voters((F, 667)), total_unsecured_fen=1000).passed


def test_art97_excludes_secured_not_waived() -> None:
    result = tally_art97(_voters((F, 700), (A, 0), (A, 9999), secured=(2,)), total_unsecured_fen=1000)
    # Heads: 1 for of 2 present is half: fails even though the secured 'against' is left out.
    assert result.classes[0].present_count == 2 and not result.passed
    assert tally_art97(_voters((F, 700), (A, 9999), secured=(1,)), total_unsecured_fen=1000).passed


# --- art. 84: per class -----------------------------------------------------------------------------------


def test_art84_per_class_worked_example() -> None:
    voters = [
        Voter("s1", F, 800_000_00, voter_class="secured"),
        Voter("s2", A, 400_000_00, voter_class="secured"),
        Voter("e1", F, 10_000_00, voter_class="employee"),
        Voter("e2", F, 10_000_00, voter_class="employee"),
        Voter("e3", X, 10_000_00, voter_class="employee"),
        Voter("o1", F, 200_000_00, voter_class="ordinary"),
        Voter("o2", A, 100_000_00, voter_class="ordinary"),
        Voter("o3", F, 0, voter_class="ordinary"),
    ]
    totals = {"secured": 1_200_000_00, "employee": 30_000_00, "ordinary": 300_000_00}
    result = tally_art84(voters, class_totals_fen=totals)
    by_name = {c.name: c for c in result.classes}
    assert [c.name for c in result.classes] == ["secured", "employee", "ordinary"]
    # Secured: 1 of 2 present is not more than half; 800k of 1.2M is exactly 2/3.
    assert (by_name["secured"].headcount_met, by_name["secured"].amount_met) == (False, True)
    # Employee: 2 of 2 present, but 20k of 30k is exactly 2/3 - passes; the absent one is not counted.
    assert by_name["employee"].present_count == 2 and by_name["employee"].passed
    # Ordinary: 2 of 3 present, 200k of 300k exactly 2/3.
    assert by_name["ordinary"].passed
    assert not result.passed


def test_art84_empty_class_fails_and_all_passing_adopts() -> None:
    totals = {"ordinary": 100, "tax": 50}
    assert not tally_art84([Voter("o", F, 100, voter_class="ordinary")], class_totals_fen=totals).passed
    both = [Voter("o", F, 100, voter_class="ordinary"), Voter("t", F, 34, voter_class="tax")]
    assert tally_art84(both, class_totals_fen=totals).passed


def test_art84_refuses_unknown_or_missing_class() -> None:
    with pytest.raises(DomainError):
        tally_art84([Voter("o", F, 1, voter_class="nope")], class_totals_fen={"ordinary": 1})
    with pytest.raises(DomainError):
        tally_art84([Voter("o", F, 1)], class_totals_fen={"ordinary": 1})


def test_duplicates_and_negative_amounts_refused() -> None:
    with pytest.raises(DomainError):
        tally_art64([Voter("a", F, 1), Voter("a", A, 1)], total_unsecured_fen=2)
    with pytest.raises(DomainError):
        tally_art64([Voter("a", F, -1)], total_unsecured_fen=2)
    with pytest.raises(DomainError):
        tally(Rule.ART64, [], total_unsecured_fen=None)


# --- properties against a plain reference --------------------------------------------------------------

votes = st.sampled_from(list(Vote))
voter_lists = st.lists(
    st.tuples(votes, st.integers(min_value=0, max_value=10**12), st.booleans()), min_size=0, max_size=30
)


def _reference(specs: list[tuple[Vote, int, bool]], total: int, num: int, den: int, exclude: bool) -> bool:
    """The statute read literally, with Fractions: more than half of heads, at least num/den of the total."""
    from fractions import Fraction

    counted = [(v, a) for v, a, s in specs if not (exclude and s) and v != Vote.ABSENT]
    heads_for = sum(1 for v, _ in counted if v == Vote.FOR)
    amount_for = sum(a for v, a in counted if v == Vote.FOR)
    return Fraction(heads_for) > Fraction(len(counted), 2) and Fraction(amount_for) >= Fraction(num, den) * total


def _as_voters(specs: list[tuple[Vote, int, bool]]) -> list[Voter]:
    return [Voter(id=str(i), vote=v, amount_fen=a, secured_not_waived=s) for i, (v, a, s) in enumerate(specs)]


def _listed(specs: list[tuple[Vote, int, bool]]) -> int:
    """The voters' amounts that are part of the unsecured total (secured creditors who kept priority are not)."""
    return sum(a for _, a, s in specs if not s)


# The total is drawn as at least the voters' unsecured amounts: a smaller one is refused (the last test below).
@settings(max_examples=300, deadline=None)
@given(voter_lists, st.integers(min_value=0, max_value=10**13), st.sampled_from(list(ItemKind)))
def test_art64_matches_reference(specs: list[tuple[Vote, int, bool]], extra: int, item: ItemKind) -> None:
    exclude = item != ItemKind.GENERAL
    total = _listed(specs) + extra
    assert tally_art64(_as_voters(specs), total_unsecured_fen=total, item=item).passed == _reference(
        specs, total, 1, 2, exclude
    )


@settings(max_examples=300, deadline=None)
@given(voter_lists, st.integers(min_value=0, max_value=10**13))
def test_art97_matches_reference(specs: list[tuple[Vote, int, bool]], extra: int) -> None:
    total = _listed(specs) + extra
    assert tally_art97(_as_voters(specs), total_unsecured_fen=total).passed == _reference(specs, total, 2, 3, True)


@settings(max_examples=200, deadline=None)
@given(voter_lists, st.integers(min_value=0, max_value=10**13), st.integers(min_value=0, max_value=10**12))
def test_adding_an_absent_voter_never_makes_a_failed_vote_pass(
    specs: list[tuple[Vote, int, bool]], extra: int, amount: int
) -> None:
    total = _listed(specs) + amount + extra  # room for the absent voter's claim too
    before = tally_art64(_as_voters(specs), total_unsecured_fen=total).passed
    after = tally_art64(_as_voters([*specs, (Vote.ABSENT, amount, False)]), total_unsecured_fen=total).passed
    assert after == before


@settings(max_examples=200, deadline=None)
@given(voter_lists, st.integers(min_value=1, max_value=10**12), st.sampled_from(list(Rule)))
def test_voting_amounts_above_the_total_are_refused(
    specs: list[tuple[Vote, int, bool]], short: int, rule: Rule
) -> None:
    # Issue 15.7: the calculator answered "passed" for amounts above the stated total.
    listed = _listed(specs)
    if listed == 0:
        return
    total = max(listed - short, 0)
    with pytest.raises(DomainError):
        if rule == Rule.ART84:
            classed = [Voter(id=str(i), vote=v, amount_fen=a, voter_class="c") for i, (v, a, _) in enumerate(specs)]
            tally_art84(classed, class_totals_fen={"c": sum(a for _, a, _ in specs) - short})
        elif rule == Rule.ART97:
            tally_art97(_as_voters(specs), total_unsecured_fen=total)
        else:
            tally_art64(_as_voters(specs), total_unsecured_fen=total)


@settings(max_examples=200, deadline=None)
@given(voter_lists, st.integers(min_value=0, max_value=10**13))
def test_turning_a_for_vote_against_never_helps(specs: list[tuple[Vote, int, bool]], extra: int) -> None:
    # Monotonicity: if the vote fails, any 'for' voter switching to 'against' keeps it failed.
    total = _listed(specs) + extra
    if tally_art64(_as_voters(specs), total_unsecured_fen=total).passed:
        return
    for i, (vote, amount, secured) in enumerate(specs):
        if vote == Vote.FOR:
            changed = [*specs[:i], (Vote.AGAINST, amount, secured), *specs[i + 1 :]]
            assert not tally_art64(_as_voters(changed), total_unsecured_fen=total).passed


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(votes, st.integers(min_value=0, max_value=10**9), st.sampled_from(["a", "b", "c"])), max_size=30
    ),
    st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(min_value=0, max_value=10**10), min_size=3),
)
def test_art84_is_every_class_by_the_reference(specs: list[tuple[Vote, int, str]], extras: dict[str, int]) -> None:
    voters = [Voter(id=str(i), vote=v, amount_fen=a, voter_class=c) for i, (v, a, c) in enumerate(specs)]
    # Each class's total is at least its voters' amounts (a smaller one is refused).
    totals = {name: sum(a for _, a, c in specs if c == name) + extra for name, extra in extras.items()}
    result = tally_art84(voters, class_totals_fen=totals)
    expected = {
        name: _reference([(v, a, False) for v, a, c in specs if c == name], total, 2, 3, False)
        for name, total in totals.items()
    }
    assert {c.name: c.passed for c in result.classes} == expected
    assert result.passed == all(expected.values())
