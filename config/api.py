"""The one JSON API at /api/v1/. Each app contributes a Router; every 4xx answer has the same shape:
``{"error": {"code": ..., "message": ..., "field": ...}}``.

Two 4xx answers do not come from an endpoint, so they are shaped here: a path the API does not know (a
catch-all URL placed after every route) and a method a path does not allow (ninja answers it with Django's
plain 405, which each API view is wrapped to reshape). The Swagger UI docs page is off: it loads its
scripts from a CDN, which a court intranet cannot reach. The OpenAPI document is at /api/v1/openapi.json."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path, reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from smartcourt.accounts.api_auth import api_auth
from smartcourt.administrators.api import router as administrators_router
from smartcourt.analytics.api import router as analytics_router
from smartcourt.bankruptcy.api import router as bankruptcy_router
from smartcourt.bankruptcy.intake.api import router as intake_router
from smartcourt.cases.api import router as cases_router
from smartcourt.claims.api import router as claims_router
from smartcourt.core.errors import CoreError, DomainError, ErrorCode
from smartcourt.correspondence.api import router as correspondence_router
from smartcourt.distributions.api import router as distributions_router
from smartcourt.documents.api import router as documents_router
from smartcourt.evaluation.api import router as evaluation_router
from smartcourt.evidence.api import evidence_router, transparency_router
from smartcourt.fees.api import router as fees_router
from smartcourt.funds.api import banking_router
from smartcourt.funds.api import router as funds_router
from smartcourt.meetings.api import router as meetings_router
from smartcourt.rules.api import router as rules_router

HTTP_ERROR_CODES = {
    400: CoreError.BAD_REQUEST,
    401: CoreError.UNAUTHENTICATED,
    403: CoreError.FORBIDDEN,
    404: CoreError.NOT_FOUND,
    405: CoreError.METHOD_NOT_ALLOWED,
    409: CoreError.CONFLICT,
    413: CoreError.TOO_LARGE,
    415: CoreError.UNSUPPORTED_MEDIA_TYPE,
    422: CoreError.INVALID,
    429: CoreError.THROTTLED,
}


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese characters as they are, not as \\uXXXX escapes."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


class SmartCourtAPI(NinjaAPI):
    """A NinjaAPI whose URL list answers unknown paths and disallowed methods in the common error shape."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if not isinstance(pattern, URLPattern):
                continue
            if pattern.name == "openapi-json":
                pattern.callback = self._openapi_json
            elif pattern.name == "api-root":
                # Ninja's root view only exists to be reversed and raises Django's HTML 404.
                pattern.callback = self._unknown_path
            else:
                pattern.callback = _json_method_not_allowed(pattern.callback)
        # Last, so it only sees what no route matched.
        urls.append(re_path(r"^.*$", self._unknown_path, name="unknown"))
        return urls

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _document_transport_errors(schema)
        return schema

    def _openapi_json(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Rendered like every other answer, so the Chinese in the document stays readable.
        return self.create_response(request, self.get_openapi_schema(path_params=kwargs), status=200)

    def _unknown_path(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return error_response(
            request,
            status=404,
            code=CoreError.NOT_FOUND,
            message=_("No such API endpoint; the endpoints are listed in %(url)s")
            % {"url": reverse("api:openapi-json")},
        )


_ERROR_REF = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
_TRANSPORT_ERRORS = {
    400: "The body cannot be read (not JSON, not the declared form).",
    401: "Not signed in, or the API token is not valid.",
    413: "The body is larger than the platform accepts.",
    422: "A parameter or the body does not match this operation's schema.",
}


def _document_transport_errors(schema: Any) -> None:
    """Add to every operation the error answers it can get before its endpoint runs, so an endpoint only
    declares its own refusals (core.schemas.ERRORS): 400 and 413 for a body, 401 where a sign-in is required,
    422 for invalid parameters or body. A malformed path id is one of these 422s (or the endpoint's 404)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            wanted = []
            if "requestBody" in operation:
                wanted += [400, 413]
            if operation.get("security"):
                wanted.append(401)
            if "requestBody" in operation or operation.get("parameters"):
                wanted.append(422)
            for status in wanted:
                responses.setdefault(status, {"description": _TRANSPORT_ERRORS[status], **_ERROR_REF})


def _json_method_not_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    # functools.wraps copies csrf_exempt too: ninja views do their own CSRF check in session auth.
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = response["Allow"]
        reshaped = error_response(
            request,
            status=405,
            code=CoreError.METHOD_NOT_ALLOWED,
            message=_("%(method)s is not allowed here; allowed: %(allowed)s")
            % {"method": request.method, "allowed": allowed},
        )
        reshaped["Allow"] = allowed
        return reshaped

    return wrapper


api = SmartCourtAPI(
    title="SmartCourt API",
    version="1",
    description=(
        "智慧法院平台 API. Sign in with the browser session or send `Authorization: Bearer <token>`. "
        "Money is a yuan string with two decimals; identities are UUIDs. Every 4xx answer is "
        '`{"error": {"code", "message", "field"}}`.'
    ),
    renderer=ChineseJSONRenderer(),
    urls_namespace="api",
    auth=api_auth(),
    docs_url=None,
)


def error_response(
    request: HttpRequest, *, status: int, code: ErrorCode, message: str, field: str | None = None
) -> HttpResponse:
    return api.create_response(request, {"error": {"code": code, "message": message, "field": field}}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(request, status=exc.status, code=exc.code, message=exc.message, field=exc.field)


_LOCATIONS = frozenset({"body", "query", "path", "form", "file", "header", "cookie"})


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", ())]
    # ninja's loc starts with where the value came from, then (for bodies) the parameter's name: neither is a
    # field of the request the client knows.
    if location and location[0] in _LOCATIONS:
        location = location[1:]
    if location and location[0] == "payload":
        location = location[1:]
    field = ".".join(location) or None
    message = _validation_message(first)
    return error_response(
        request, status=422, code=CoreError.INVALID, message=f"{field}: {message}" if field else message, field=field
    )


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request, status=401, code=CoreError.UNAUTHENTICATED, message=_("Sign in or send a valid API token")
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, status=404, code=CoreError.NOT_FOUND, message=_("Not found"))


def _http_error_message(status: int) -> str:
    # ninja's own HttpErrors carry English texts ("Cannot parse request body"): the user reads these instead.
    messages = {
        400: _("The request body cannot be read: send JSON, or the form this operation declares"),
        401: _("Sign in or send a valid API token"),
        403: _("You may not do this"),
        404: _("Not found"),
        405: _("This method is not allowed here"),
        413: _("The request is larger than the platform accepts"),
        415: _("This content type is not accepted here"),
        429: _("Too many requests: wait a moment and try again"),
    }
    return messages.get(status, _("The request cannot be answered"))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = HTTP_ERROR_CODES.get(exc.status_code, CoreError.ERROR)
    return error_response(request, status=exc.status_code, code=code, message=_http_error_message(exc.status_code))


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def _too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE (or with too many fields) when it is read; without
    # this it would leave the API as Django's HTML 400.
    return error_response(request, status=413, code=CoreError.TOO_LARGE, message=_http_error_message(413))


@api.exception_handler(MultiPartParserError)
def _unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, status=400, code=CoreError.BAD_REQUEST, message=_http_error_message(400))


def _validation_message(error: dict[str, Any]) -> str:
    """pydantic's message for one invalid value, in the user's language. The types are pydantic's error
    types (https://docs.pydantic.dev/latest/errors/validation_errors/); an unlisted one gets a general text."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "value_error" and "error" in context:
        # Our own validators raise ValueError with a translated message; pydantic prefixes "Value error, ".
        return str(context["error"])
    texts = {
        "missing": _("This value is required"),
        "extra_forbidden": _("This field is not part of the request"),
        "string_type": _("Give text here"),
        "string_too_short": _("Too short: at least %(min_length)s characters"),
        "string_too_long": _("Too long: at most %(max_length)s characters"),
        "string_pattern_mismatch": _("Not in the expected format"),
        "int_parsing": _("Give a whole number"),
        "int_type": _("Give a whole number"),
        "int_from_float": _("Give a whole number"),
        "float_parsing": _("Give a number"),
        "decimal_parsing": _("Give a number"),
        "bool_parsing": _("Give true or false"),
        "uuid_parsing": _("Not a valid identifier (UUID)"),
        "uuid_type": _("Not a valid identifier (UUID)"),
        "date_parsing": _("Give a date as YYYY-MM-DD"),
        "date_from_datetime_parsing": _("Give a date as YYYY-MM-DD"),
        "datetime_parsing": _("Give a date and time (ISO 8601)"),
        "datetime_from_date_parsing": _("Give a date and time (ISO 8601)"),
        "greater_than": _("Must be greater than %(gt)s"),
        "greater_than_equal": _("Must be at least %(ge)s"),
        "less_than": _("Must be less than %(lt)s"),
        "less_than_equal": _("Must be at most %(le)s"),
        "enum": _("Must be one of: %(expected)s"),
        "literal_error": _("Must be one of: %(expected)s"),
        "list_type": _("Give a list"),
        "too_short": _("Too few items: at least %(min_length)s"),
        "too_long": _("Too many items: at most %(max_length)s"),
        "model_type": _("Give an object"),
        "dict_type": _("Give an object"),
        "model_attributes_type": _("Give an object"),
        "json_invalid": _("The request body cannot be read: send JSON, or the form this operation declares"),
    }
    text = texts.get(kind)
    if text is None:
        return _("This value is not valid")
    try:
        return text % context
    except (KeyError, TypeError, ValueError):
        return text


# Routers, one per app. The catch-all for unknown paths is added after them by SmartCourtAPI.
api.add_router("/cases", cases_router)
api.add_router("/rules", rules_router)
api.add_router("/intake", intake_router)
api.add_router("/administrators", administrators_router)
api.add_router("/bankruptcy", bankruptcy_router)
api.add_router("/transparency", transparency_router)
api.add_router("/evidence", evidence_router)
api.add_router("/claims", claims_router)
api.add_router("/documents", documents_router)
# The bank's side of the partner API (POST /banking/notifications) is answered by the funds app, which owns
# the ledger the notifications feed; smartcourt.banking holds the protocol it is checked with.
api.add_router("/banking", banking_router)
api.add_router("/funds", funds_router)
api.add_router("/fees", fees_router)
api.add_router("/meetings", meetings_router)
api.add_router("/distributions", distributions_router)
api.add_router("/evaluation", evaluation_router)
api.add_router("/analytics", analytics_router)
# Its paths start at the root: /cases/{id}/threads and /threads/{id}/….
api.add_router("/", correspondence_router)
