"""Walk the platform as a user would: from the home page, follow every link the pages show (same site,
GET only) and collect each page's status and the Latin words a Chinese reader would meet.

Used by the demo-language test and by the visibility test: both walk the seeded demo through Django's test
client, one persona at a time.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.test import Client

# Links the walk never follows: they act (sign out, switch language), stream files, or are the JSON API.
SKIP_PREFIXES = ("/accounts/logout", "/i18n/", "/api/", "/static/", "/favicon.ico", "/admin/")
SKIP_SUFFIXES = (".pdf", ".zip", ".json", ".csv", ".xlsx", ".docx", ".xml", ".txt")

# Latin a Chinese user meets on purpose: file formats, standards, currencies and units, and the product and
# algorithm names printed on receipts and certificates.
ALLOWED_WORDS = frozenset(
    {
        "PDF",
        "JSON",
        "CSV",
        "Excel",
        "xlsx",
        "docx",
        "Word",
        "XML",
        "ZIP",
        "API",
        "URL",
        "HTTP",
        "HTTPS",
        "ISO",
        "SM2",
        "SM3",
        "SM4",
        "Ed25519",
        "SHA",
        "SHA-256",
        "RFC",
        "PAdES",
        "Merkle",
        "UTC",
        "CNY",
        "RMB",
        "ID",
        "SmartCourt",
        "AGPL-3.0",
        "AGPL",
        "Token",
        "token",
        "Cookie",
        "Bearer",
        "TOTP",
        "OTP",
        "HTMX",
        "pain.001",
        "camt.053",
        "camt.054",
        "pain.002",
        "KB",
        "MB",
        "GB",
        "pdf",
        "csv",
        "txt",
        "PKCS",
        "CA",
        "TSA",
        "X.509",
        "PNG",
        "JPEG",
        "JPG",
        "TXT",
        # The language switch names each language in itself.
        "English",
        # HTTP terms in the instructions for integrators (the API tokens page, the public calculators).
        "Authorization",
        "POST",
        "GET",
        # The algorithms and the encoding an app key is registered in (the API tokens page: "SM2/SM3（国密）").
        "SM2/SM3",
        "base64",
    }
)
# Tokens that carry a digit and are long (hashes, keys, signatures, account numbers, credit codes) or that
# look like an e-mail or web address are shown on purpose.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+/=:@-]*")
_HAS_LATIN = re.compile(r"[A-Za-z]{2,}")
_VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def latin_words(text: str) -> list[str]:
    """The words in ``text`` that a Chinese reader should not meet."""
    found = []
    # Masked identifiers (9132********01AN) show their ends on purpose.
    text = re.sub(r"[0-9A-Za-z]*\*{3,}[0-9A-Za-z]*", " ", text)
    for token in _TOKEN.findall(text):
        token = token.strip(".:,;-/")
        if not _HAS_LATIN.search(token) or token in ALLOWED_WORDS:
            continue
        if any(ch.isdigit() for ch in token) and len(token) >= 8:
            continue  # a hash, key, credit code or account number
        if re.fullmatch(r"[A-Z]{1,3}\d{3,}", token):
            continue  # a numbered code the page explains (the platform's cause-of-action numbers CA001…)
        if re.fullmatch(r"[\w.-]+\.(pdf|json|csv|xlsx|docx|txt|xml|zip|png|jpe?g)", token, re.IGNORECASE):
            continue  # a file name
        if "@" in token or token.startswith(("http:", "https:", "www.")):
            continue  # an e-mail or web address
        if re.fullmatch(r"[\w-]+(\.[\w-]+)+/.*", token):
            continue  # a host and path (the transparency log's origin line)
        found.append(token)
    return found


_SKIPPED_TAGS = frozenset({"script", "style", "template", "code", "kbd", "samp"})
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})


class _Page(HTMLParser):
    """The text a reader sees and the links he can follow. Not read: scripts, styles, code samples and
    whatever the page marks ``translate="no"`` (a template's source, a receipt's JSON): shown as code on
    purpose."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._stack: list[bool] = []  # per open element: does it hide its content from the check?

    @property
    def _hidden(self) -> bool:
        return any(self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        hides = tag in _SKIPPED_TAGS or values.get("translate") == "no"
        if not self._hidden and not hides:
            for name in _VISIBLE_ATTRIBUTES:
                if values.get(name):
                    self.text.append(values[name] or "")
            kind = values.get("type") or "text"
            if tag == "input" and kind in {"submit", "button", "text"} and values.get("value"):
                self.text.append(values["value"] or "")
        if tag not in _VOID_TAGS:
            self._stack.append(hides)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS and self._stack:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID_TAGS and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.text.append(data)


@dataclass
class Visit:
    url: str
    status: int
    latin: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    source: str = ""


def _followable(href: str) -> str | None:
    href, _ = urldefrag(href)
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
        return None
    return href


def _normal(url: str) -> str:
    """One visit per page shape: the same path with other filter values is the same page for this walk."""
    parts = urlsplit(url)
    query = "&".join(sorted(key.split("=")[0] for key in parts.query.split("&") if key)) if parts.query else ""
    path = re.sub(r"/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/", "/<id>/", parts.path)
    path = re.sub(r"/\d+/", "/<n>/", path)
    return f"{path}?{query}"


def walk(client: Client, *, start: Iterable[str] = ("/",), limit: int = 400, per_shape: int = 3) -> list[Visit]:
    """Every page reachable by links from ``start``, breadth first; at most ``per_shape`` pages of one
    shape (e.g. three case pages, not forty), so a walk stays short and still sees every kind of page."""
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    queue: deque[tuple[str, str]] = deque((url, "") for url in start)
    visits: list[Visit] = []
    while queue and len(visits) < limit:
        url, source = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        shape = _normal(url)
        if shapes.get(shape, 0) >= per_shape:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        # A link may lead through a redirect (the holiday calendar opens at this year): follow it.
        response = client.get(url, follow=True)
        visit = Visit(url=url, status=response.status_code, source=source)
        visits.append(visit)
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        page = _Page()
        page.feed(response.content.decode())
        visit.latin = latin_words(" ".join(page.text))
        for href in page.links:
            target = _followable(href)
            if target is not None:
                visit.links.append(target)
                if target not in seen:
                    queue.append((target, url))
    return visits
