"""Numbers typed by people, read one way everywhere.

A Chinese input method in full-width mode types ``１２３４．５０``: the full-width forms of digits, Latin
letters and the signs of a number (from U+FF01-U+FF5E, and the ideographic space) are folded to ASCII on
purpose, and the folded text is what the platform stores and shows back. Nothing else is folded: NFKC on the
whole text would also turn ``①`` or ``²`` into digits and a name's （） into (), and Python's ``\\d`` and
``Decimal()`` accept the digits of every script (``١٢٣``, ``๑๒๓``), which a court's amounts, accounts and
identity numbers must never silently become. So after folding, only ASCII digits count, and every pattern that
reads a number is compiled with ``re.ASCII``."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

# The full-width forms a number, an account or a code is typed with: digits, Latin letters and + , - . %.
# Not parentheses or other punctuation: a company's name keeps its （） as written.
_FOLDED = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+,-.%"
_FULL_WIDTH = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH = {code: ascii for code, ascii in _FULL_WIDTH.items() if ascii in _FOLDED}
_FULL_WIDTH[0x3000] = " "  # ideographic space
_DECIMAL = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$", re.ASCII)


def fold_full_width(text: str) -> str:
    """Full-width digits, Latin letters, ``+ , - . %`` and the ideographic space to ASCII (``１２３．４５`` ->
    ``123.45``); every other character as it is."""
    return text.translate(_FULL_WIDTH)


def strict_decimal(text: str) -> Decimal | None:
    """A plain decimal number (optional minus, ASCII digits, optional point and decimals) after folding full-width
    forms and trimming spaces; None for anything else: other scripts' digits, exponents, underscores, signs
    other than a leading minus, NaN and infinities."""
    folded = fold_full_width(text).strip()
    if not _DECIMAL.match(folded):
        return None
    return Decimal(folded)
