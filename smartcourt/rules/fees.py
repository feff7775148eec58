"""Cap on the administrator's remuneration (SPC Provisions on Determining Administrators' Remuneration, art. 2).

Marginal rates on the value distributed to creditors (the estate actually paid out, not the claims):
up to 1M yuan 12%; 1M-5M 10%; 5M-10M 8%; 10M-50M 6%; 50M-100M 3%; 100M-500M 1%; above 500M 0.5%.
The court fixes the remuneration within the cap; high courts may lower the rates by 30% either way
(not modelled here: the calculator answers the national cap).

Integer fen throughout. Every bracket boundary is a whole number of yuan and every rate a whole number of
per-mille, so a full bracket's amount is an exact number of fen; only the top, partly filled bracket can
have a fraction of a fen, which is dropped: a cap is a ceiling, and rounding up would exceed it.
"""

from __future__ import annotations

from dataclasses import dataclass

YUAN = 100  # fen
_MILLION = 1_000_000 * YUAN

# (lower bound in fen, rate in per mille); each bracket ends where the next begins, the last one never.
BRACKETS: tuple[tuple[int, int], ...] = (
    (0, 120),
    (1 * _MILLION, 100),
    (5 * _MILLION, 80),
    (10 * _MILLION, 60),
    (50 * _MILLION, 30),
    (100 * _MILLION, 10),
    (500 * _MILLION, 5),
)


@dataclass(frozen=True)
class Bracket:
    from_fen: int
    to_fen: int | None  # None: no upper bound
    rate_per_mille: int
    base_fen: int  # the part of the value that falls in this bracket
    amount_fen: int

    @property
    def rate_percent(self) -> str:
        """12% as ``"12%"``, 0.5% as ``"0.5%"``: for people."""
        whole, rest = divmod(self.rate_per_mille, 10)
        return f"{whole}.{rest}%" if rest else f"{whole}%"


@dataclass(frozen=True)
class FeeCap:
    distributed_fen: int
    brackets: list[Bracket]  # only the brackets the value reaches, lowest first

    @property
    def cap_fen(self) -> int:
        return sum(bracket.amount_fen for bracket in self.brackets)


def administrator_fee_cap(distributed_fen: int) -> FeeCap:
    """The cap for a distributed value, bracket by bracket."""
    if distributed_fen < 0:
        raise ValueError("the value distributed cannot be negative")
    brackets: list[Bracket] = []
    for index, (lower, rate) in enumerate(BRACKETS):
        if distributed_fen <= lower:
            break
        upper = BRACKETS[index + 1][0] if index + 1 < len(BRACKETS) else None
        base = (distributed_fen if upper is None else min(distributed_fen, upper)) - lower
        brackets.append(
            Bracket(from_fen=lower, to_fen=upper, rate_per_mille=rate, base_fen=base, amount_fen=base * rate // 1000)
        )
    return FeeCap(distributed_fen=distributed_fen, brackets=brackets)


def rate_text(rate_per_mille: int) -> str:
    """12% as ``"0.12"``, 10% as ``"0.10"``, 0.5% as ``"0.005"``: an exact decimal fraction, at least two
    decimals, as the API gives it."""
    whole, rest = divmod(rate_per_mille, 1000)
    text = f"{whole}.{rest:03d}"
    return text[:-1] if text.endswith("0") else text
