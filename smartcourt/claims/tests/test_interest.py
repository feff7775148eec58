"""Interest up to the day before acceptance (EBL art. 46): exact examples and properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcourt.claims.interest import RatePeriod, compute_interest, parse_rate
from smartcourt.core.errors import DomainError

ACCEPTED = dt.date(2026, 1, 1)


def test_one_year_actual_365() -> None:
    result = compute_interest(
        principal_fen=100_000_000, periods=[RatePeriod(dt.date(2025, 1, 1), Decimal("0.0435"))], accepted_on=ACCEPTED
    )
    (line,) = result.lines
    assert line.days == 365
    assert line.end == ACCEPTED
    assert line.as_dict()["last_day"] == "2025-12-31"
    assert result.total_fen == 4_350_000


def test_actual_360_rounds_half_up() -> None:
    result = compute_interest(
        principal_fen=100_000_000,
        periods=[RatePeriod(dt.date(2025, 1, 1), Decimal("0.0435"))],
        accepted_on=ACCEPTED,
        day_count="act360",
    )
    # 100,000,000 x 0.0435 x 365 / 360 = 4,410,416.67 fen
    assert result.lines[0].exact.quantize(Decimal("0.01")) == Decimal("4410416.67")
    assert result.total_fen == 4_410_417


def test_exact_half_fen_rounds_up() -> None:
    result = compute_interest(
        principal_fen=15_000, periods=[RatePeriod(dt.date(2025, 12, 31), Decimal("0.0365"))], accepted_on=ACCEPTED
    )
    assert result.lines[0].days == 1
    assert result.lines[0].exact == Decimal("1.5")
    assert result.total_fen == 2


def test_two_rate_periods_are_two_lines() -> None:
    result = compute_interest(
        principal_fen=1_000_000,
        periods=[RatePeriod(dt.date(2025, 7, 1), Decimal("0.06")), RatePeriod(dt.date(2025, 1, 1), Decimal("0.05"))],
        accepted_on=ACCEPTED,
    )
    assert [(line.start, line.end, line.days, line.fen) for line in result.lines] == [
        (dt.date(2025, 1, 1), dt.date(2025, 7, 1), 181, 24_795),  # 1,000,000 x 0.05 x 181 / 365 = 24,794.52
        (dt.date(2025, 7, 1), ACCEPTED, 184, 30_247),  # 1,000,000 x 0.06 x 184 / 365 = 30,246.58
    ]
    assert result.total_fen == 55_042


def test_interest_cannot_start_on_or_after_acceptance() -> None:
    with pytest.raises(DomainError, match="interest stops the day before"):
        compute_interest(principal_fen=100, periods=[RatePeriod(ACCEPTED, Decimal("0.05"))], accepted_on=ACCEPTED)


def test_rate_out_of_range_and_parse() -> None:
    assert parse_rate("4.35") == Decimal("0.0435")
    assert parse_rate("4.35%") == Decimal("0.0435")
    with pytest.raises(DomainError, match="out of range"):
        compute_interest(
            principal_fen=100, periods=[RatePeriod(dt.date(2025, 1, 1), Decimal("11"))], accepted_on=ACCEPTED
        )
    with pytest.raises(DomainError, match="not a rate"):
        parse_rate("abc")


@given(
    principal=st.integers(min_value=0, max_value=10**13),
    rate=st.decimals(min_value=0, max_value=Decimal("0.36"), places=4),
    days=st.integers(min_value=1, max_value=4000),
    basis=st.sampled_from(["act365", "act360"]),
)
def test_total_is_sum_of_lines_within_half_a_fen(principal: int, rate: Decimal, days: int, basis: str) -> None:
    start = ACCEPTED - dt.timedelta(days=days)
    result = compute_interest(
        principal_fen=principal, periods=[RatePeriod(start, rate)], accepted_on=ACCEPTED, day_count=basis
    )
    exact = Decimal(principal) * rate * days / (365 if basis == "act365" else 360)
    assert result.total_fen == sum(line.fen for line in result.lines)
    assert abs(Decimal(result.total_fen) - exact) <= Decimal("0.5")
    assert result.lines[0].days == days


@given(
    principal=st.integers(min_value=0, max_value=10**12),
    rate=st.decimals(min_value=0, max_value=Decimal("0.24"), places=4),
    days=st.integers(min_value=1, max_value=2000),
)
def test_more_days_never_less_interest_and_360_never_less_than_365(principal: int, rate: Decimal, days: int) -> None:
    def total(d: int, basis: str = "act365") -> int:
        start = ACCEPTED - dt.timedelta(days=d)
        return compute_interest(
            principal_fen=principal, periods=[RatePeriod(start, rate)], accepted_on=ACCEPTED, day_count=basis
        ).total_fen

    assert total(days + 1) >= total(days)
    assert total(days, "act360") >= total(days)
