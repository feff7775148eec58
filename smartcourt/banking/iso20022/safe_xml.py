"""Parsing XML that comes from outside (bank files, uploads) without letting it reach anything else.

Two layers, because either alone has gaps:

1. defusedxml first parses the bytes with expat and refuses any DTD, entity declaration or external
   reference (billion laughs, quadratic blowup, XXE to files or URLs) before lxml sees them;
2. lxml then parses with DTD loading, entity resolution and network access off and ``huge_tree`` off (its
   own limits on depth and text size), and the result is checked again for a doctype.

Files above ``MAX_BYTES`` are refused before any parsing: a bank's answer to our largest batch
(100,000 lines) is far below it."""

from __future__ import annotations

from typing import cast

import defusedxml  # type: ignore[import-untyped,unused-ignore]
import defusedxml.ElementTree  # type: ignore[import-untyped,unused-ignore]
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

MAX_BYTES = 256 * 1024 * 1024


class XmlRefused(ValueError):
    """The XML was not parsed: it is malformed, too large, carries a DTD or entities, or fails its schema."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_untrusted(data: bytes) -> etree._Element:
    """The root element of ``data``, or ``XmlRefused`` saying why not."""
    if not isinstance(data, bytes):
        raise XmlRefused("XML must be given as bytes, with its encoding declared in the file")
    if len(data) > MAX_BYTES:
        raise XmlRefused(f"XML file too large: {len(data)} bytes, at most {MAX_BYTES}")
    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise XmlRefused("XML with a document type declaration (DTD) is refused") from exc
    except defusedxml.EntitiesForbidden as exc:
        raise XmlRefused("XML declaring entities is refused (entity expansion)") from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise XmlRefused("XML referring to external resources is refused") from exc
    except defusedxml.DefusedXmlException as exc:
        raise XmlRefused(f"XML refused: {exc}") from exc
    except Exception as exc:  # expat's ParseError and friends: malformed
        raise XmlRefused(f"malformed XML: {exc}") from exc
    try:
        tree = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise XmlRefused(f"malformed XML: {exc}") from exc
    docinfo = tree.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XmlRefused("XML with a document type declaration (DTD) is refused")
    return cast(etree._Element, tree)
