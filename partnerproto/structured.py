"""RFC 8941 Structured Field Values for HTTP: parsing and serialising items, lists and dictionaries, with inner
lists and parameters, exactly as the RFC's algorithms (§4.1 serialising, §4.2 parsing) say.

Pure module (no Django). Values: ``int`` (Integer), ``decimal.Decimal`` (Decimal), ``str`` (String), ``Token``
(a ``str`` subclass), ``bytes`` (Byte Sequence), ``bool`` (Boolean). An inner list is a Python list of
``(value, params)`` pairs. Parsing is ASCII-only: ``str.isdigit`` and friends accept other scripts.
"""

from __future__ import annotations

import base64
import binascii
from decimal import Decimal
from typing import Union

DIGITS = frozenset("0123456789")
LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
ALPHA = LOWER | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
TCHAR = ALPHA | DIGITS | frozenset("!#$%&'*+-.^_`|~")
BASE64 = ALPHA | DIGITS | frozenset("+/=")
MAX_INTEGER = 999_999_999_999_999


class Token(str):
    """An RFC 8941 Token (``application/json``, ``*``): serialised without quotes."""

    __slots__ = ()


Bare = Union[int, Decimal, str, bytes, bool]  # noqa: UP007 - a runtime alias, also under Python 3.11
Params = dict[str, Bare]
InnerList = list[tuple[Bare, Params]]
Member = tuple[Union[Bare, InnerList], Params]  # noqa: UP007


class StructuredFieldError(ValueError):
    """The text is not the structured field it should be."""


class _Parser:
    def __init__(self, text: str) -> None:
        if not text.isascii():
            raise StructuredFieldError("a structured field is ASCII")
        self.text = text
        self.pos = 0

    def fail(self, what: str) -> StructuredFieldError:
        return StructuredFieldError(f"{what} at {self.pos} in {self.text[:200]!r}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_sp(self) -> None:
        while self.peek() == " ":
            self.pos += 1

    def skip_ows(self) -> None:
        while self.peek() in (" ", "\t") and self.peek():
            self.pos += 1

    def done(self) -> None:
        self.skip_sp()
        if self.pos != len(self.text):
            raise self.fail("unexpected characters")

    # §4.2.3.3
    def key(self) -> str:
        if not (self.peek() in LOWER or self.peek() == "*"):
            raise self.fail("key expected")
        start = self.pos
        while self.peek() and (self.peek() in LOWER or self.peek() in DIGITS or self.peek() in "_-.*"):
            self.pos += 1
        return self.text[start : self.pos]

    # §4.2.3.2
    def params(self) -> Params:
        params: Params = {}
        while self.peek() == ";":
            self.pos += 1
            self.skip_sp()
            name = self.key()
            value: Bare = True
            if self.peek() == "=":
                self.pos += 1
                value = self.bare()
            params[name] = value  # a repeated key: the last value, in the first place (an ordered map)
        return params

    # §4.2.3.1
    def bare(self) -> Bare:
        char = self.peek()
        if char == "-" or char in DIGITS:
            return self.number()
        if char == '"':
            return self.string()
        if char in ALPHA or char == "*":
            return self.token()
        if char == ":":
            return self.byte_sequence()
        if char == "?":
            return self.boolean()
        raise self.fail("item expected")

    # §4.2.4
    def number(self) -> int | Decimal:
        start = self.pos
        if self.peek() == "-":
            self.pos += 1
        if self.peek() not in DIGITS or not self.peek():
            raise self.fail("digit expected")
        is_decimal = False
        while self.peek():
            char = self.peek()
            if char in DIGITS:
                self.pos += 1
            elif char == "." and not is_decimal:
                if self.pos - start - (self.text[start] == "-") > 12:
                    raise self.fail("decimal with more than 12 integer digits")
                is_decimal = True
                self.pos += 1
            else:
                break
            digits = self.pos - start - (self.text[start] == "-")
            if (not is_decimal and digits > 15) or (is_decimal and digits > 16):
                raise self.fail("number too long")
        text = self.text[start : self.pos]
        if not is_decimal:
            return int(text)
        if text.endswith("."):
            raise self.fail("decimal ends with a dot")
        if len(text.partition(".")[2]) > 3:
            raise self.fail("decimal with more than 3 fractional digits")
        return Decimal(text)

    # §4.2.5
    def string(self) -> str:
        self.pos += 1
        out: list[str] = []
        while True:
            char = self.peek()
            if not char:
                raise self.fail("unterminated string")
            self.pos += 1
            if char == "\\":
                escaped = self.peek()
                if escaped not in ('"', "\\") or not escaped:
                    raise self.fail("bad escape")
                out.append(escaped)
                self.pos += 1
            elif char == '"':
                return "".join(out)
            elif not (0x20 <= ord(char) <= 0x7E):
                raise self.fail("character not allowed in a string")
            else:
                out.append(char)

    # §4.2.6
    def token(self) -> Token:
        start = self.pos
        self.pos += 1
        while self.peek() and (self.peek() in TCHAR or self.peek() in ":/"):
            self.pos += 1
        return Token(self.text[start : self.pos])

    # §4.2.7
    def byte_sequence(self) -> bytes:
        end = self.text.find(":", self.pos + 1)
        if end < 0:
            raise self.fail("unterminated byte sequence")
        encoded = self.text[self.pos + 1 : end]
        if any(c not in BASE64 for c in encoded):
            raise self.fail("character not allowed in a byte sequence")
        try:
            value = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise self.fail("bad base64") from exc
        self.pos = end + 1
        return value

    # §4.2.8
    def boolean(self) -> bool:
        flag = self.text[self.pos + 1 : self.pos + 2]
        if flag not in ("0", "1"):
            raise self.fail("bad boolean")
        self.pos += 2
        return flag == "1"

    # §4.2.1.2
    def inner_list(self) -> InnerList:
        self.pos += 1  # "("
        items: InnerList = []
        while self.pos < len(self.text):
            self.skip_sp()
            if self.peek() == ")":
                self.pos += 1
                return items
            items.append((self.bare(), self.params()))
            if self.peek() not in (" ", ")"):
                raise self.fail("space or ) expected in inner list")
        raise self.fail("unterminated inner list")

    # §4.2.1.1
    def member(self) -> Member:
        if self.peek() == "(":
            items = self.inner_list()
            return items, self.params()
        return self.bare(), self.params()

    # §4.2.1
    def list_(self) -> list[Member]:
        members: list[Member] = []
        while self.pos < len(self.text):
            members.append(self.member())
            self.skip_ows()
            if self.pos >= len(self.text):
                return members
            if self.peek() != ",":
                raise self.fail(", expected")
            self.pos += 1
            self.skip_ows()
            if self.pos >= len(self.text):
                raise self.fail("trailing comma")
        return members

    # §4.2.2
    def dictionary(self) -> dict[str, Member]:
        out: dict[str, Member] = {}
        while self.pos < len(self.text):
            name = self.key()
            if self.peek() == "=":
                self.pos += 1
                member = self.member()
            else:
                member = (True, self.params())
            out[name] = member  # a repeated key: the last value, in the first place (an ordered map)
            self.skip_ows()
            if self.pos >= len(self.text):
                return out
            if self.peek() != ",":
                raise self.fail(", expected")
            self.pos += 1
            self.skip_ows()
            if self.pos >= len(self.text):
                raise self.fail("trailing comma")
        return out


def _top(text: str) -> _Parser:
    parser = _Parser(text)
    parser.skip_sp()
    return parser


def parse_item(text: str) -> tuple[Bare, Params]:
    parser = _top(text)
    item = (parser.bare(), parser.params())
    parser.done()
    return item


def parse_list(text: str) -> list[Member]:
    parser = _top(text)
    members = parser.list_()
    parser.done()
    return members


def parse_dictionary(text: str) -> dict[str, Member]:
    parser = _top(text)
    members = parser.dictionary()
    parser.done()
    return members


# --- serialising (§4.1) --------------------------------------------------------------------------------------


def serialize_bare(value: Bare) -> str:
    if isinstance(value, bool):
        return "?1" if value else "?0"
    if isinstance(value, int):
        if abs(value) > MAX_INTEGER:
            raise StructuredFieldError(f"integer {value} out of range")
        return str(value)
    if isinstance(value, Decimal):
        rounded = value.quantize(Decimal("0.001"))  # ROUND_HALF_EVEN, the RFC's rounding
        whole = abs(int(rounded))
        if whole >= 10**12:
            raise StructuredFieldError(f"decimal {value} out of range")
        text = format(rounded, "f").rstrip("0")
        return text + "0" if text.endswith(".") else text
    if isinstance(value, bytes):
        return f":{base64.b64encode(value).decode()}:"
    if isinstance(value, Token):
        if (
            not value
            or not (value[0] in ALPHA or value[0] == "*")
            or any(c not in TCHAR and c not in ":/" for c in value)
        ):
            raise StructuredFieldError(f"{value!r} is not a token")
        return str(value)
    if any(not (0x20 <= ord(c) <= 0x7E) for c in value):
        raise StructuredFieldError("a string is printable ASCII")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def serialize_key(key: str) -> str:
    if (
        not key
        or not (key[0] in LOWER or key[0] == "*")
        or any(c not in LOWER and c not in DIGITS and c not in "_-.*" for c in key)
    ):
        raise StructuredFieldError(f"{key!r} is not a key")
    return key


def serialize_params(params: Params) -> str:
    return "".join(
        f";{serialize_key(name)}" if value is True else f";{serialize_key(name)}={serialize_bare(value)}"
        for name, value in params.items()
    )


def serialize_inner_list(items: InnerList, params: Params) -> str:
    return "(" + " ".join(serialize_bare(v) + serialize_params(p) for v, p in items) + ")" + serialize_params(params)


def serialize_member(member: Member) -> str:
    value, params = member
    if isinstance(value, list):
        return serialize_inner_list(value, params)
    return serialize_bare(value) + serialize_params(params)


def serialize_list(members: list[Member]) -> str:
    return ", ".join(serialize_member(m) for m in members)


def serialize_dictionary(members: dict[str, Member]) -> str:
    parts = []
    for name, (value, params) in members.items():
        if value is True:
            parts.append(serialize_key(name) + serialize_params(params))
        else:
            parts.append(f"{serialize_key(name)}={serialize_member((value, params))}")
    return ", ".join(parts)
