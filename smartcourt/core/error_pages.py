"""Error pages in the site's layout: a Chinese user who meets a 400, 403, 404, 500 or a refused form
(CSRF) sees the menu, a sentence in his language and a way back, never Django's bare English page.

These are the handlers named in config/urls.py and CSRF_FAILURE_VIEW; which domain error becomes which
status is decided by the views, not here.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic.base import RedirectView

logger = logging.getLogger(__name__)


def _back_url(request: HttpRequest) -> str:
    """The page the user came from, when it is one of ours; otherwise nothing (the page offers home)."""
    referer = request.META.get("HTTP_REFERER", "")
    if (
        referer
        and referer != request.build_absolute_uri()
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return referer
    return ""


def _render(request: HttpRequest, status: int, title: str, message: str, reason: str = "") -> HttpResponse:
    context = {
        "status": status,
        "title": title,
        "message": message,
        "reason": reason,
        "back_url": _back_url(request),
    }
    body = loader.render_to_string("errors/error.html", context, request=request)
    return HttpResponse(body, status=status)


def _reason(exception: Exception | None) -> str:
    return str(exception.args[0]) if exception is not None and exception.args and exception.args[0] else ""


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 400, _("Bad request"), _("The request could not be understood. Nothing was changed."))


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(
        request,
        403,
        _("Not allowed"),
        _("Your role does not allow this action. Nothing was changed. If you think you need it, ask the court."),
        # Views raise PermissionDenied with the action's translated reason ("only the judge of the case ...").
        reason=_reason(exception),
    )


def too_many_requests(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        429,
        _("Too many requests"),
        _("Too many requests came from your address or account in the last minute. Wait a moment and try again."),
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # "Not found" and "not yours" read the same on purpose (DESIGN §4.4).
    return _render(
        request,
        404,
        _("Page not found"),
        _("This page does not exist or is not open to you. Check the address, or go back and use the menu."),
    )


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _render(
            request,
            500,
            _("Something went wrong"),
            _("The platform could not complete this request. It has been logged; please try again later."),
        )
    except Exception:
        # The layout itself failed (the database may be down): a page that needs nothing but a template.
        logger.exception("the 500 page could not be rendered in the site's layout")
        return HttpResponse(loader.render_to_string("errors/500_plain.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: usually a form left open past its session, or cookies turned off."""
    logger.warning("CSRF check failed: %s", reason)
    return _render(
        request,
        403,
        _("The form has expired"),
        _(
            "The form could not be accepted because its security check failed, usually because the page was "
            "open too long or you signed in again elsewhere. Nothing was changed. Reload the page and submit "
            "the form again; if this keeps happening, allow cookies for this site."
        ),
    )


class FaviconView(RedirectView):
    """Browsers ask /favicon.ico by themselves (e.g. for a PDF or JSON tab): send them to our SVG icon."""

    permanent = True

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("smartcourt/favicon.svg")
