"""Small helpers shared by the message modules: building elements in one namespace, reading amounts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from smartcourt.banking.iso20022.safe_xml import XmlRefused

# [0-9], not \d: Python's \d matches every script's digits ("١٢٣"), and Decimal() reads them, so a bank file
# could carry an amount no ISO 20022 schema allows. fullmatch, not match with "$": "$" also matches before a
# final newline.
_AMOUNT = re.compile(r"[0-9]{1,16}(\.[0-9]{1,5})?")


class Builder:
    """``b.sub(parent, "A", "B", text="x")`` creates parent/A/B with text, in the message's namespace."""

    def __init__(self, ns: str) -> None:
        self.ns = ns

    def root(self) -> etree._Element:
        return etree.Element(f"{{{self.ns}}}Document", nsmap={None: self.ns})

    def sub(self, parent: etree._Element, *path: str, text: str | None = None, **attrib: str) -> etree._Element:
        node = parent
        for name in path:
            node = etree.SubElement(node, f"{{{self.ns}}}{name}")
        if text is not None:
            node.text = text
        for key, value in attrib.items():
            node.set(key, value)
        return node


class Reader:
    """Namespace-bound lookups on a parsed message."""

    def __init__(self, ns: str) -> None:
        self.ns = ns

    def _path(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{part}" for part in path.split("/"))

    def find(self, node: etree._Element, path: str) -> etree._Element | None:
        return node.find(self._path(path))

    def findall(self, node: etree._Element, path: str) -> list[etree._Element]:
        return list(node.findall(self._path(path)))

    def text(self, node: etree._Element, path: str, default: str = "") -> str:
        found = node.find(self._path(path))
        return (found.text or "").strip() if found is not None else default


def fen_text(fen: int) -> str:
    """ISO 20022 amount text for a non-negative number of fen: ``12345`` -> ``"123.45"``."""
    if fen < 0:
        raise ValueError("ISO 20022 amounts are never negative; the direction is a separate indicator")
    whole, cents = divmod(fen, 100)
    return f"{whole}.{cents:02d}"


def text_fen(text: str, *, where: str) -> int:
    """Fen from an ISO 20022 amount text; more than two decimals of yuan (other than zeros) is refused."""
    if not _AMOUNT.fullmatch(text or ""):
        raise XmlRefused(f"{where}: {text!r} is not an amount")
    try:
        value = Decimal(text) * 100
    except InvalidOperation as exc:  # pragma: no cover - the pattern already excludes it
        raise XmlRefused(f"{where}: {text!r} is not an amount") from exc
    if value != value.to_integral_value():
        raise XmlRefused(f"{where}: {text!r} has fractions of a fen")
    return int(value)


def iso_datetime(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("ISO 20022 times are written with their offset; give an aware datetime")
    return value.replace(microsecond=0).isoformat()


def read_date(text: str, *, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise XmlRefused(f"{where}: {text!r} is not a date") from exc


def read_datetime(text: str, *, where: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise XmlRefused(f"{where}: {text!r} is not a date and time") from exc
