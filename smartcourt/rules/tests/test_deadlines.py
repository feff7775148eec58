"""The statutory deadlines as data, computed with chinese-calendar's data (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from smartcourt.core.errors import DomainError
from smartcourt.rules.calendar import LibraryCalendar
from smartcourt.rules.deadlines import (
    ANCHOR_NAMES,
    DEADLINE_RULES,
    RULES_BY_KEY,
    Procedure,
    compute_deadlines,
    rules_for,
)
from smartcourt.rules.periods import Direction, Unit

D = dt.date
LIB = LibraryCalendar()


def test_the_rule_table() -> None:
    keys = [rule.key for rule in DEADLINE_RULES]
    assert len(keys) == len(set(keys))
    expected = {
        # key: (anchor, amount, unit, article)
        "notify_creditors": ("accepted_on", 25, Unit.DAYS, 14),
        "claims_period_earliest_end": ("announced_on", 30, Unit.DAYS, 45),
        "claims_period_latest_end": ("announced_on", 3, Unit.MONTHS, 45),
        "first_meeting": ("claims_period_ends_on", 15, Unit.DAYS, 62),
        "serve_declaration": ("declared_bankrupt_on", 5, Unit.DAYS, 107),
        "notify_declaration": ("declared_bankrupt_on", 10, Unit.DAYS, 107),
        "deregistration": ("terminated_on", 10, Unit.DAYS, 121),
        "reorganisation_plan": ("reorganisation_ruled_on", 6, Unit.MONTHS, 79),
        "reorganisation_plan_extended": ("reorganisation_ruled_on", 9, Unit.MONTHS, 79),
        "plan_approval_ruling": ("plan_approval_requested_on", 30, Unit.DAYS, 86),
        "termination_ruling": ("termination_requested_on", 15, Unit.DAYS, 120),
    }
    for key, (anchor, amount, unit, article) in expected.items():
        rule = RULES_BY_KEY[key]
        assert (rule.anchor, rule.period.amount, rule.period.unit) == (anchor, amount, unit)
        assert rule.basis.article == article
        assert rule.period.direction is Direction.AFTER
    assert RULES_BY_KEY["notify_creditors"].basis.text == "《中华人民共和国企业破产法》第十四条"
    assert RULES_BY_KEY["notify_declaration"].basis.text_en == "Enterprise Bankruptcy Law art. 107"
    assert RULES_BY_KEY["meeting_notice"].period.direction is Direction.BEFORE
    for rule in DEADLINE_RULES:
        assert rule.anchor in ANCHOR_NAMES
        assert rule.description_zh and rule.description_en


def test_procedures_select_their_rules() -> None:
    liquidation = {rule.key for rule in rules_for("liquidation")}
    reorganisation = {rule.key for rule in rules_for(Procedure.REORGANISATION)}
    settlement = {rule.key for rule in rules_for("settlement")}
    assert "reorganisation_plan" in reorganisation
    assert "reorganisation_plan" not in liquidation | settlement
    # Every procedure can convert to a declaration of bankruptcy and end in deregistration.
    for keys in (liquidation, reorganisation, settlement):
        assert {"notify_creditors", "first_meeting", "serve_declaration", "deregistration"} <= keys
    with pytest.raises(DomainError, match="unknown procedure 'compulsory'") as caught:
        rules_for("compulsory")
    assert caught.value.field == "procedure"


def test_a_liquidation_with_every_date() -> None:
    dates = {
        "accepted_on": D(2026, 9, 10),  # Thursday
        "announced_on": D(2026, 9, 30),  # Wednesday
        "claims_period_ends_on": D(2026, 11, 13),  # Friday
        "meeting_on": D(2026, 11, 27),  # Friday
        "declared_bankrupt_on": D(2026, 12, 21),  # Monday
        "termination_requested_on": D(2026, 12, 22),  # Tuesday
        "terminated_on": D(2026, 12, 28),  # Monday
    }
    found = {
        d.key: (d.unadjusted_on, d.due_on, d.holiday_data)
        for d in compute_deadlines("liquidation", dates, calendar=LIB)
    }
    assert found == {
        # 09-10 + 5 = Tue 09-15.
        "serve_acceptance": (D(2026, 9, 15), D(2026, 9, 15), True),
        # 09-10 + 25 = Mon 10-05, National Day (Oct 1-7) -> Thu 10-08.
        "notify_creditors": (D(2026, 10, 5), D(2026, 10, 8), True),
        # 09-10 + 2 months = Tue 11-10.
        "executory_contracts": (D(2026, 11, 10), D(2026, 11, 10), True),
        # 09-30 + 30 = Fri 10-30; 09-30 + 3 months = Wed 12-30.
        "claims_period_earliest_end": (D(2026, 10, 30), D(2026, 10, 30), True),
        "claims_period_latest_end": (D(2026, 12, 30), D(2026, 12, 30), True),
        # 11-13 + 15 = Sat 11-28 -> Mon 11-30.
        "first_meeting": (D(2026, 11, 28), D(2026, 11, 30), True),
        # 11-27 - 15 = Thu 11-12, counted back and never moved.
        "meeting_notice": (D(2026, 11, 12), D(2026, 11, 12), True),
        # 12-21 + 5 = Sat 12-26 -> Mon 12-28; 12-21 + 10 = Thu 12-31.
        "serve_declaration": (D(2026, 12, 26), D(2026, 12, 28), True),
        "notify_declaration": (D(2026, 12, 31), D(2026, 12, 31), True),
        # 12-22 + 15 = Wed 2027-01-06: no holiday data for 2027.
        "termination_ruling": (D(2027, 1, 6), D(2027, 1, 6), False),
        # 12-28 + 10 = Thu 2027-01-07; + 24 months = Thu 2028-12-28.
        "deregistration": (D(2027, 1, 7), D(2027, 1, 7), False),
        "supplementary_distribution": (D(2028, 12, 28), D(2028, 12, 28), False),
    }


def test_a_reorganisation() -> None:
    dates = {
        "accepted_on": D(2026, 4, 30),  # Thursday
        "reorganisation_ruled_on": D(2026, 4, 30),
        "plan_submitted_on": D(2026, 9, 1),  # Tuesday
        "plan_adopted_on": D(2026, 9, 28),  # Monday
        "plan_approval_requested_on": D(2026, 10, 9),  # Friday
    }
    found = {
        d.key: (d.unadjusted_on, d.due_on, d.holiday_data)
        for d in compute_deadlines("reorganisation", dates, calendar=LIB)
    }
    assert found == {
        # 04-30 + 5 = Tue 05-05, Labour Day (May 1-5) -> Wed 05-06.
        "serve_acceptance": (D(2026, 5, 5), D(2026, 5, 6), True),
        # 04-30 + 25 = Mon 05-25; + 2 months = Tue 06-30.
        "notify_creditors": (D(2026, 5, 25), D(2026, 5, 25), True),
        "executory_contracts": (D(2026, 6, 30), D(2026, 6, 30), True),
        # 04-30 + 6 months = Fri 10-30; + 9 months = Sat 2027-01-30 -> Mon 2027-02-01, weekends only.
        "reorganisation_plan": (D(2026, 10, 30), D(2026, 10, 30), True),
        "reorganisation_plan_extended": (D(2027, 1, 30), D(2027, 2, 1), False),
        # 09-01 + 30 = Thu 10-01, National Day -> Thu 10-08.
        "plan_vote_meeting": (D(2026, 10, 1), D(2026, 10, 8), True),
        # 09-28 + 10 = Thu 10-08, the first working day after the holiday.
        "plan_approval_request": (D(2026, 10, 8), D(2026, 10, 8), True),
        # 10-09 + 30 = Sun 11-08 -> Mon 11-09.
        "plan_approval_ruling": (D(2026, 11, 8), D(2026, 11, 9), True),
    }


def test_only_deadlines_whose_anchor_is_given() -> None:
    found = compute_deadlines("settlement", {"accepted_on": D(2026, 9, 10)}, calendar=LIB)
    assert [d.key for d in found] == ["serve_acceptance", "notify_creditors", "executory_contracts"]
    notify = found[1]
    assert notify.anchor_on == D(2026, 9, 10)
    assert "顺延" in notify.calculation and "2026-10-08" in notify.calculation


@pytest.mark.parametrize(
    ("dates", "field", "message"),
    [
        ({"accepted_on": D(2026, 9, 10), "announced_on": D(2026, 9, 9)}, "announced_on", "before accepted_on"),
        (
            {"accepted_on": D(2026, 9, 10), "announced_on": D(2026, 9, 30), "claims_period_ends_on": D(2026, 9, 29)},
            "claims_period_ends_on",
            "before announced_on",
        ),
        (
            {"accepted_on": D(2026, 9, 10), "declared_bankrupt_on": D(2026, 12, 1), "terminated_on": D(2026, 11, 30)},
            "terminated_on",
            "before declared_bankrupt_on",
        ),
        ({"accepted_on": D(2006, 12, 31)}, "accepted_on", "between 2007 and 2100"),
        ({"accepted_on": D(2026, 9, 10), "filed_on": D(2026, 9, 1)}, "filed_on", "unknown date"),
    ],
)
def test_impossible_dates_are_refused(dates: dict[str, dt.date], field: str, message: str) -> None:
    with pytest.raises(DomainError, match=message) as caught:
        compute_deadlines("liquidation", dates, calendar=LIB)
    assert caught.value.field == field
