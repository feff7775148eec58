"""The vendored ISO 20022 XSDs (xsd/SOURCE.md), loaded once, and validation against them."""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from smartcourt.banking.iso20022.safe_xml import XmlRefused

XSD_DIR = Path(__file__).resolve().parent / "xsd"
NS_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"

PAIN_001 = "pain.001.001.09"
PAIN_002 = "pain.002.001.12"
CAMT_053 = "camt.053.001.08"
CAMT_054 = "camt.054.001.08"
SUPPORTED = (PAIN_001, PAIN_002, CAMT_053, CAMT_054)


def namespace(message: str) -> str:
    return NS_PREFIX + message


@functools.cache
def schema(message: str) -> etree.XMLSchema:
    if message not in SUPPORTED:
        raise ValueError(f"no schema for {message}")
    # The XSDs are ours (vendored), but are parsed with the same locked-down options as anything else.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(XSD_DIR / f"{message}.xsd"), parser=parser))


def validate(root: etree._Element, message: str) -> None:
    """Raise ``XmlRefused`` naming the first schema violations (line and reason) unless ``root`` is valid."""
    expected = f"{{{namespace(message)}}}Document"
    if root.tag != expected:
        raise XmlRefused(f"expected a {message} Document, got <{root.tag}>")
    xsd = schema(message)
    if not xsd.validate(root):
        problems = "; ".join(f"line {e.line}: {e.message}" for e in list(xsd.error_log)[:5])
        raise XmlRefused(f"{message} does not conform to its XSD: {problems}")
