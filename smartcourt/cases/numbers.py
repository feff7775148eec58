"""Case numbers (案号): ``(2026)苏0623破12号`` = (year) + court code + type code + sequence + 号."""

from __future__ import annotations

import re

from smartcourt.cases.choices import CASE_TYPE_CODE
from smartcourt.core.numbers import fold_full_width

_CODE_TO_TYPE = {code: case_type for case_type, code in CASE_TYPE_CODE.items()}
# Longest type codes first, so 破申 is not read as 破 followed by 申.
_TYPE_ALTERNATIVES = "|".join(sorted(map(re.escape, _CODE_TO_TYPE), key=len, reverse=True))
# [0-9], not \d (which takes every script's digits): full-width digits typed by an input method are folded first.
_NUMBER = re.compile(
    rf"[（(](?P<year>[0-9]{{4}})[）)](?P<court>[\u4e00-\u9fff][0-9]{{0,4}})(?P<type>{_TYPE_ALTERNATIVES})(?P<seq>[0-9]+)号"
)


def format_case_number(*, year: int, court_code: str, case_type: str, sequence: int) -> str:
    return f"({year}){court_code}{CASE_TYPE_CODE[case_type]}{sequence}号"


def parse_case_number(text: str) -> tuple[int, str, str, int] | None:
    """(year, court code, case type, sequence), or None if ``text`` is not a case number.
    Full-width brackets and digits, as often typed, are accepted; other scripts' digits are not."""
    match = _NUMBER.fullmatch(fold_full_width(text).strip())
    if not match:
        return None
    return int(match["year"]), match["court"], _CODE_TO_TYPE[match["type"]], int(match["seq"])
