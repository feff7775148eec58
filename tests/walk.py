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
        "PDF", "JSON", "CSV", "Excel", "xlsx", "docx", "Word", "XML", "ZIP", "API", "URL", "HTTP", "HTTPS",
        "ISO", "SM2", "SM3", "SM4", "Ed25519", "SHA", "SHA-256", "RFC", "PAdES", "Merkle", "UTC",
        "CNY", "RMB", "ID", "SmartCourt", "AGPL-3.0", "AGPL", "Token", "token", "Cookie", "Bearer",
        "TOTP", "OTP", "HTMX", "pain.001", "camt.053", "camt.054", "pain.002",
        "KB", "MB", "GB", "No", "PKCS", "CA", "TSA", "X.509",
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
    for token in _TOKEN.findall(text):
        token = token.strip(".:,;-/")
        if not _HAS_LATIN.search(token) or token in ALLOWED_WORDS:
            continue
        if any(ch.isdigit() for ch in token) and len(token) >= 8:
            continue  # a hash, key, credit code or account number
        if "@" in token or token.startswith(("http:", "https:", "www.")) or re.fullmatch(r"[\w-]+(\.[\w-]+)+/.*", token):
            continue
        found.append(token)
    return found


class _Page(HTMLParser):
    """The text a reader sees (no scripts, styles or hidden templates) and the links he can follow."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._no_check = 0
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"script", "style", "template", "code", "kbd", "samp"}:
            self._skip += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if not self._skip:
            for name in _VISIBLE_ATTRIBUTES:
                if values.get(name):
                    self.text.append(values[name] or "")
            if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
                self.text.append(values["value"] or "")
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template", "code", "kbd", "samp"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
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
        response = client.get(url)
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
