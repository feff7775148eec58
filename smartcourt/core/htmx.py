"""Types for views that answer htmx requests."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """What HtmxMiddleware adds to every request, for the type checker."""

    htmx: HtmxDetails
