"""Dates and amounts as Chinese court documents write them."""

from __future__ import annotations

import datetime as dt

import cn2an  # type: ignore[import-untyped]

_DIGITS = "〇一二三四五六七八九"


def _small_number(n: int) -> str:
    """1-31 in Chinese numerals: 十, 十一, 二十, 二十八, 三十一."""
    if not 1 <= n <= 99:
        raise ValueError(f"{n} is not a month or day number")
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    text = ("" if tens == 1 else _DIGITS[tens]) + "十"
    return text + (_DIGITS[units] if units else "")


def chinese_date(day: dt.date) -> str:
    """2026-11-28 -> 二〇二六年十一月二十八日: the year digit by digit, month and day as numbers."""
    year = "".join(_DIGITS[int(c)] for c in f"{day.year:04d}")
    return f"{year}年{_small_number(day.month)}月{_small_number(day.day)}日"


def rmb_upper(fen: int) -> str:
    """An amount in fen as 人民币大写, e.g. 123456789 -> 壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError("an amount is an integer number of fen")
    if fen < 0:
        return "负" + rmb_upper(-fen)
    yuan, rest = divmod(fen, 100)
    # cn2an reads strings exactly; a float would bring binary rounding into a legal amount.
    text: str = cn2an.an2cn(f"{yuan}.{rest:02d}", "rmb")
    return text
