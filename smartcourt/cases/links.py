"""Links other apps add to the case page, each shown only to a user the linked page lets in.

The case page lives in ``cases``, below the domain apps whose pages it links to (ADR 0007), so it cannot ask
their policies itself. An app that has a page about a case registers a provider in its ``case_links.py``
(found at start-up, like ``events.py``); the provider answers with the links ``user`` may follow, asking the
same policy as the page, so a link is never shown to someone the page would answer 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case


@dataclass(frozen=True)
class CaseLink:
    label: str
    url: str
    icon: str  # a Bootstrap icon name, "bi-receipt"
    testid: str


Provider = Callable[[User, Case], list[CaseLink]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (a decorator for each app's ``case_links.py``); registering one twice is harmless."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def links_for(user: User, case: Case) -> list[CaseLink]:
    return [link for provider in _PROVIDERS for link in provider(user, case)]


def autodiscover() -> None:
    autodiscover_modules("case_links")
