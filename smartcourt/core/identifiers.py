"""Check digits of Chinese identifiers: resident identity numbers (GB 11643-1999) and unified social
credit codes (GB 32100-2015)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext_lazy as _lazy

from smartcourt.core.errors import DomainError

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^[0-9]{17}[0-9X]$", re.ASCII)
# First two digits: province-level division (GB/T 2260), plus 71/81/82 for Taiwan, Hong Kong and Macao
# and 83 for residence permits of those residents (2018 rules).
_PROVINCES = {
    11,
    12,
    13,
    14,
    15,
    21,
    22,
    23,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    41,
    42,
    43,
    44,
    45,
    46,
    50,
    51,
    52,
    53,
    54,
    61,
    62,
    63,
    64,
    65,
    71,
    81,
    82,
    83,
}

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_CREDIT_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$", re.ASCII)


# Each problem once, with its English wording (the API's and the log's, unchanged) and the translatable
# wording people read on pages and in translated API answers (``*_message``).
_ID_PROBLEMS = {
    "shape": ("must be 17 digits followed by a digit or X", _lazy("must be 17 digits followed by a digit or X")),
    "region": (
        "region code {region} is not a Chinese administrative division",
        _lazy("region code %(region)s is not a Chinese administrative division"),
    ),
    "birth_date": (
        "date of birth {born} is not a calendar date",
        _lazy("date of birth %(born)s is not a calendar date"),
    ),
    "birth_range": ("date of birth {born} is out of range", _lazy("date of birth %(born)s is out of range")),
    "check": ("check digit is {got}, expected {expected}", _lazy("check digit is %(got)s, expected %(expected)s")),
}
_CREDIT_PROBLEMS = {
    "shape": (
        "must be 18 characters: digits and capital letters other than I, O, S, V, Z",
        _lazy("must be 18 characters: digits and capital letters other than I, O, S, V, Z"),
    ),
    "check": (
        "check character is {got}, expected {expected}",
        _lazy("check character is %(got)s, expected %(expected)s"),
    ),
}


def _identity_problem(value: str) -> tuple[str, dict[str, str]] | None:
    if not _ID_PATTERN.match(value):
        return "shape", {}
    if int(value[:2]) not in _PROVINCES:
        return "region", {"region": value[:6]}
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "birth_date", {"born": value[6:14]}
    if born.year < 1870 or born > dt.date.today():
        return "birth_range", {"born": value[6:14]}
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    expected = _ID_CHECK[total % 11]
    if value[17] != expected:
        return "check", {"got": value[17], "expected": expected}
    return None


def identity_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-digit resident identity number, or None if it is."""
    found = _identity_problem(value)
    return None if found is None else _ID_PROBLEMS[found[0]][0].format(**found[1])


def identity_number_message(value: str) -> str | None:
    """The same, in the user's language (for pages and forms), or None if the number is valid."""
    found = _identity_problem(value)
    return None if found is None else str(_ID_PROBLEMS[found[0]][1]) % found[1]


def credit_code_check_char(stem: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    total = sum(_CREDIT_CHARS.index(char) * weight for char, weight in zip(stem, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def _credit_problem(value: str) -> tuple[str, dict[str, str]] | None:
    if not _CREDIT_PATTERN.match(value):
        return "shape", {}
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        return "check", {"got": value[17], "expected": expected}
    return None


def credit_code_problem(value: str) -> str | None:
    """Why ``value`` is not a valid unified social credit code, or None if it is."""
    found = _credit_problem(value)
    return None if found is None else _CREDIT_PROBLEMS[found[0]][0].format(**found[1])


def credit_code_message(value: str) -> str | None:
    """The same, in the user's language, or None if the code is valid."""
    found = _credit_problem(value)
    return None if found is None else str(_CREDIT_PROBLEMS[found[0]][1]) % found[1]


def normalise_identifier(value: str) -> str:
    """Identifiers are compared in upper case without surrounding spaces (a lower-case x is common)."""
    return value.strip().upper()


def validate_identity_number(value: str, *, field: str = "id_number") -> str:
    normalised = normalise_identifier(value)
    problem = identity_number_problem(normalised)
    if problem:
        raise DomainError(f"Resident identity number {normalised}: {problem}", field=field)
    return normalised


def validate_credit_code(value: str, *, field: str = "credit_code") -> str:
    normalised = normalise_identifier(value)
    problem = credit_code_problem(normalised)
    if problem:
        raise DomainError(f"Unified social credit code {normalised}: {problem}", field=field)
    return normalised


def mask_identity_number(value: str) -> str:
    """Show the region and the check digit only: 320623********123X."""
    if len(value) != 18:
        return "*" * len(value)
    return f"{value[:6]}{'*' * 8}{value[14:]}"


def mask_phone(value: str) -> str:
    return f"{value[:3]}****{value[-4:]}" if len(value) >= 11 else "*" * len(value)
