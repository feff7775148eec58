"""Middleware of the whole site: Chinese first; the security headers every HTML page carries
(Content-Security-Policy; no caching of a signed-in user's pages); domain refusals answered as Django's 404
and 403."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from smartcourt.core.errors import NotFound, PermissionDenied


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is not consulted: a court's
    platform speaks Chinese unless the user switched to English (the language cookie set by the switch)."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# No inline script anywhere (every script is a static file of ours), nothing from another origin (a court
# intranet has no CDN), no framing. Styles allow inline: a few templates set widths in style attributes, and
# htmx and ECharts set element styles, which a script-free style cannot run code through.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def content_security_policy() -> str:
    """The policy above; when the court's case system shows our pages in its frame (SSO_FRAME_ORIGIN, issue 18),
    that one origin may frame them, and no other."""
    origin = settings.SSO_FRAME_ORIGIN
    if not origin:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", f"frame-ancestors 'self' {origin}")


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every HTML page, and ``Cache-Control: private, no-store`` on every HTML
    page served to a signed-in user (claims, inboxes, case pages carry personal data: no shared cache, no
    copy left on a court PC's disk). Public pages keep what their views set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        response.setdefault("Content-Security-Policy", content_security_policy())
        if settings.SSO_FRAME_ORIGIN:
            # X-Frame-Options cannot name an origin; the CSP's frame-ancestors says who may frame us.
            response.headers.pop("X-Frame-Options", None)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response


class DomainErrorMiddleware:
    """Answers a ``NotFound`` or ``PermissionDenied`` that leaves an HTML view as Django's 404 or 403, so views
    never translate them by hand and the error pages are the project's handler404 and handler403.

    The JSON API never gets here: ninja answers domain errors itself (config/api.py). Other domain errors
    escaping a view are a bug in the view (it should have shown them on its form) and stay a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(exception.message) from exception
