"""Interest on a claim up to the day before the acceptance of the bankruptcy application (EBL art. 46).

Simple interest, never compounded. Each rate period is one line: principal x annual rate x days / basis,
where ``days`` counts every day from the line's start (included) to its end (excluded), so that a claim
accrues for the day before acceptance and not for the day of acceptance itself.

Rounding rule: each line is computed exactly (Decimal, no float) and rounded once to the fen, half up
(ROUND_HALF_UP, the banking practice for RMB amounts); the total is the sum of the rounded lines, so the lines
shown always add up to the total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from smartcourt.claims.choices import DAY_COUNT_BASIS, DayCount
from smartcourt.core.errors import DomainError

MAX_RATE = Decimal("10")  # 1000 % a year: anything above is a typing mistake, not a contract.


@dataclass(frozen=True)
class RatePeriod:
    """A rate that applies from ``start`` (included) until the next period's start or the cut-off."""

    start: dt.date
    annual_rate: Decimal


@dataclass(frozen=True)
class InterestLine:
    start: dt.date
    end: dt.date  # excluded
    days: int
    annual_rate: Decimal
    basis: int
    exact: Decimal
    fen: int

    def as_dict(self) -> dict[str, str | int]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "last_day": (self.end - dt.timedelta(days=1)).isoformat(),
            "days": self.days,
            "annual_rate": str(self.annual_rate),
            "basis": self.basis,
            "exact_fen": str(self.exact),
            "fen": self.fen,
        }


@dataclass(frozen=True)
class InterestComputation:
    principal_fen: int
    accepted_on: dt.date
    day_count: str
    lines: tuple[InterestLine, ...]

    @property
    def total_fen(self) -> int:
        return sum(line.fen for line in self.lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "principal_fen": self.principal_fen,
            "accepted_on": self.accepted_on.isoformat(),
            "day_count": self.day_count,
            "lines": [line.as_dict() for line in self.lines],
            "total_fen": self.total_fen,
            "rounding": "each line rounded half up to the fen; total = sum of lines",
        }


def compute_interest(
    *, principal_fen: int, periods: list[RatePeriod], accepted_on: dt.date, day_count: str = DayCount.ACT_365
) -> InterestComputation:
    """Simple interest on ``principal_fen`` over ``periods`` up to the day before ``accepted_on``."""
    if day_count not in DAY_COUNT_BASIS:
        raise DomainError(_("unknown day count %(day_count)s") % {"day_count": day_count}, field="day_count")
    if principal_fen < 0:
        raise DomainError(_("the principal cannot be negative"), field="principal")
    basis = DAY_COUNT_BASIS[DayCount(day_count)]
    ordered = sorted(periods, key=lambda period: period.start)
    for period in ordered:
        if not Decimal(0) <= period.annual_rate <= MAX_RATE:
            raise DomainError(
                _("annual rate %(annual_rate)s is out of range (0 to 10)") % {"annual_rate": period.annual_rate},
                field="rate",
            )
        if period.start >= accepted_on:
            raise DomainError(
                _(
                    "interest cannot start on %(start)s: the case was accepted on %(accepted_on)s "
                    "and interest stops the day before (art. 46)"
                )
                % {"start": period.start.isoformat(), "accepted_on": accepted_on.isoformat()},
                field="interest_from",
            )
    if len({period.start for period in ordered}) != len(ordered):
        raise DomainError(_("two rate periods start on the same day"), field="interest_from")
    lines: list[InterestLine] = []
    for index, period in enumerate(ordered):
        end = ordered[index + 1].start if index + 1 < len(ordered) else accepted_on
        days = (end - period.start).days
        exact = Decimal(principal_fen) * period.annual_rate * days / basis
        fen = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        lines.append(
            InterestLine(
                start=period.start,
                end=end,
                days=days,
                annual_rate=period.annual_rate,
                basis=basis,
                exact=exact,
                fen=fen,
            )
        )
    return InterestComputation(
        principal_fen=principal_fen, accepted_on=accepted_on, day_count=day_count, lines=tuple(lines)
    )


def parse_rate(value: str, *, field: str = "rate") -> Decimal:
    """An annual rate given in percent, e.g. ``"4.35"`` -> Decimal("0.0435")."""
    try:
        percent = Decimal(str(value).strip().rstrip("%"))
    except ArithmeticError as exc:
        raise DomainError(_("%(value)s is not a rate in percent") % {"value": value}, field=field) from exc
    if not percent.is_finite():
        raise DomainError(_("%(value)s is not a rate in percent") % {"value": value}, field=field)
    return percent / 100
