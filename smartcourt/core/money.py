"""Money is an integer number of fen (分) inside the platform and a yuan string at its edges."""

from __future__ import annotations

from decimal import Decimal

from smartcourt.core.errors import DomainError
from smartcourt.core.numbers import strict_decimal

FEN_PER_YUAN = 100
# 10^15 fen = 10 trillion yuan: far above any estate, far below a BigIntegerField.
MAX_FEN = 10**15


def yuan_to_fen(value: str | Decimal, *, field: str = "amount") -> int:
    """Parse a yuan amount such as ``"1234.50"`` into fen; refuse floats, fractions of a fen and absurd sizes."""
    if isinstance(value, float):
        raise DomainError("amounts must be given as strings or decimals, never floats", field=field)
    # Full-width digits are folded (core.numbers); other scripts' digits, exponents and NaN are refused.
    amount = value if isinstance(value, Decimal) else strict_decimal(value)
    if amount is None or not amount.is_finite():
        raise DomainError(f"{value!r} is not an amount in yuan", field=field)
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise DomainError(f"{value!r} has more than two decimals", field=field)
    if abs(fen) > MAX_FEN:
        raise DomainError(f"{value!r} is out of range", field=field)
    return int(fen)


def fen_to_yuan(fen: int) -> str:
    """Format fen as a yuan string with exactly two decimals: 123456 -> ``"1234.56"``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole}.{cents:02d}"


def fen_to_grouped_yuan(fen: int) -> str:
    """For people: 1234567 -> ``"12,345.67"``, so a judge reads large sums at a glance (never for machines)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole:,}.{cents:02d}"
