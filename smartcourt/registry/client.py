"""The adapter to the enterprise registry (工商登记系统): company data and shareholders by name or credit code.

The platform only ever talks to the registry through ``RegistryClient``. ``HttpRegistryClient`` speaks the
registry's HTTP API (the sandbox under ``sandbox/registry`` in tests and the demo). Whatever goes wrong on
the way (refused connection, timeout, a refused key, a malformed answer) becomes ``RegistryUnavailable``,
which pages show as "工商登记系统暂时无法访问" and the API as a 503: never a server error.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.translation import gettext

from smartcourt.core.errors import DomainError
from smartcourt.registry.errors import RegistryError

logger = logging.getLogger(__name__)

KEY_HEADER = "X-Registry-Key"
DEFAULT_TIMEOUT_SECONDS = 5.0
# The registry's status words (登记状态).
STATUS_ACTIVE = "存续"
STATUS_REVOKED = "吊销"
STATUS_DEREGISTERED = "注销"


class RegistryUnavailable(DomainError):
    """The registry could not answer. ``reason`` says why, for the log; people see a fixed message."""

    code = RegistryError.REGISTRY_UNAVAILABLE
    status = 503

    def __init__(self, reason: str) -> None:
        super().__init__(gettext("The enterprise registry is temporarily unavailable"))
        self.reason = reason


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Shareholder:
    """A shareholder (股东) and the contribution it subscribed (认缴) and paid in (实缴), in fen."""

    name: str
    kind: str
    subscribed_fen: int
    paid_fen: int
    subscribed_on: dt.date

    @property
    def subscribed_yuan(self) -> Decimal:
        return _yuan(self.subscribed_fen)

    @property
    def paid_yuan(self) -> Decimal:
        return _yuan(self.paid_fen)


@dataclass(frozen=True)
class CompanySummary:
    """One line of a search result."""

    credit_code: str
    name: str
    legal_representative: str
    status: str
    established_on: dt.date
    address: str


@dataclass(frozen=True)
class Company:
    """A company's registry record (登记信息) as the registry gave it."""

    credit_code: str
    name: str
    company_type: str
    legal_representative: str
    registered_capital_fen: int
    established_on: dt.date
    address: str
    business_scope: str
    status: str
    registration_authority: str
    shareholders: tuple[Shareholder, ...]

    @property
    def deregistered(self) -> bool:
        return self.status == STATUS_DEREGISTERED

    @property
    def registered_capital_yuan(self) -> Decimal:
        return _yuan(self.registered_capital_fen)

    @property
    def holdings(self) -> list[tuple[Shareholder, Decimal]]:
        """Each shareholder with its share of the subscribed capital, in percent."""
        return [(holder, self.share_percent(holder)) for holder in self.shareholders]

    def share_percent(self, holder: Shareholder) -> Decimal:
        """The holder's share of the subscribed capital, in percent with two decimals."""
        total = sum(other.subscribed_fen for other in self.shareholders)
        if not total:
            return Decimal(0)
        return (Decimal(holder.subscribed_fen) * 100 / total).quantize(Decimal("0.01"))


class RegistryClient(Protocol):
    """What the platform asks the registry."""

    def search(self, query: str) -> list[CompanySummary]:
        """Companies whose credit code is ``query`` or whose name contains it (at most 20)."""
        ...

    def company(self, credit_code: str) -> Company | None:
        """The company with this credit code, or None if the registry does not know it."""
        ...


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value))


def _fen(value: Any) -> int:
    # bool is an int in Python; an amount is never one.
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{value!r} is not an amount in fen")
    return value


def _summary(data: dict[str, Any]) -> CompanySummary:
    return CompanySummary(
        credit_code=str(data["credit_code"]),
        name=str(data["name"]),
        legal_representative=str(data["legal_representative"]),
        status=str(data["status"]),
        established_on=_date(data["established_on"]),
        address=str(data["address"]),
    )


def _company(data: dict[str, Any]) -> Company:
    return Company(
        credit_code=str(data["credit_code"]),
        name=str(data["name"]),
        company_type=str(data["company_type"]),
        legal_representative=str(data["legal_representative"]),
        registered_capital_fen=_fen(data["registered_capital_fen"]),
        established_on=_date(data["established_on"]),
        address=str(data["address"]),
        business_scope=str(data["business_scope"]),
        status=str(data["status"]),
        registration_authority=str(data["registration_authority"]),
        shareholders=tuple(
            Shareholder(
                name=str(holder["name"]),
                kind=str(holder["kind"]),
                subscribed_fen=_fen(holder["subscribed_fen"]),
                paid_fen=_fen(holder["paid_fen"]),
                subscribed_on=_date(holder["subscribed_on"]),
            )
            for holder in data["shareholders"]
        ),
    )


class HttpRegistryClient:
    """The registry's HTTP API, with the stdlib's urllib: a timeout on every call and no retries (the
    clerk is waiting; the page offers to try again)."""

    def __init__(self, base_url: str, key: str, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.timeout = timeout

    def _get(self, path: str, *, missing_ok: bool = False) -> Any:
        if not self.base_url.startswith(("http://", "https://")):
            raise RegistryUnavailable(f"the registry address {self.base_url!r} is not an http(s) URL")
        if not self.key:
            raise RegistryUnavailable("no registry key is configured (SMARTCOURT_REGISTRY_KEY)")
        url = self.base_url + path
        request = urllib.request.Request(url, headers={KEY_HEADER: self.key, "Accept": "application/json"})  # noqa: S310 - scheme checked above
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and missing_ok:
                return None
            raise self._unavailable(url, f"answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            raise self._unavailable(url, f"could not be reached: {reason}") from exc
        try:
            return json.loads(body)
        except ValueError as exc:
            raise self._unavailable(url, f"answered with something that is not JSON: {exc}") from exc

    @staticmethod
    def _unavailable(url: str, what: str) -> RegistryUnavailable:
        reason = f"registry {url} {what}"
        logger.warning(reason)
        return RegistryUnavailable(reason)

    def search(self, query: str) -> list[CompanySummary]:
        query = query.strip()
        if not query:
            return []
        data = self._get("/companies?" + urlencode({"q": query}))
        try:
            return [_summary(row) for row in data["results"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise self._unavailable(self.base_url, f"sent a malformed search result: {exc!r}") from exc

    def company(self, credit_code: str) -> Company | None:
        code = credit_code.strip().upper()
        if not code:
            return None
        data = self._get("/companies/" + quote(code, safe=""), missing_ok=True)
        if data is None:
            return None
        try:
            return _company(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise self._unavailable(self.base_url, f"sent a malformed company record: {exc!r}") from exc


def get_registry() -> RegistryClient:
    """The registry the settings point at (SMARTCOURT_REGISTRY_URL, SMARTCOURT_REGISTRY_KEY)."""
    return HttpRegistryClient(settings.REGISTRY_URL, settings.REGISTRY_KEY)
