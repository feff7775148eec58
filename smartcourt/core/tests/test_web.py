"""The web glue every HTML view shares: domain refusals become Django's 404 and 403 once, in the middleware;
the rest is shown on the form or as a message."""

from __future__ import annotations

import uuid

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from conftest import Personas
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.middleware import DomainErrorMiddleware
from smartcourt.core.web import form_error, refused


class AmountForm(forms.Form):
    amount = forms.CharField()


def _ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def test_the_middleware_answers_not_found_as_django_404() -> None:
    middleware = DomainErrorMiddleware(_ok)
    request = RequestFactory().get("/")
    with pytest.raises(Http404) as caught:
        middleware.process_exception(request, NotFound("没有这个案件"))
    assert str(caught.value) == "没有这个案件"


def test_the_middleware_answers_permission_denied_as_django_403() -> None:
    middleware = DomainErrorMiddleware(_ok)
    with pytest.raises(DjangoPermissionDenied) as caught:
        middleware.process_exception(RequestFactory().get("/"), PermissionDenied("只有承办法官可以裁定"))
    assert str(caught.value) == "只有承办法官可以裁定"


def test_the_middleware_leaves_other_errors_alone() -> None:
    middleware = DomainErrorMiddleware(_ok)
    # Returning without raising or answering hands the exception back to Django, as if there were no middleware.
    middleware.process_exception(RequestFactory().get("/"), Conflict("改动冲突"))
    middleware.process_exception(RequestFactory().get("/"), ValueError("bug"))


def test_a_hidden_case_page_is_django_404_and_a_forbidden_action_django_403(client: Client, personas: Personas) -> None:
    # Through the whole stack: the case selector raises NotFound, the node page's selector PermissionDenied
    # for a creditor of the case; neither view catches them any more.
    client.force_login(personas.creditor_a)
    assert client.get(f"/cases/{uuid.uuid4()}/").status_code == 404
    assert client.get(f"/cases/{personas.other_court_case.pk}/").status_code == 404
    assert client.get(f"/bankruptcy/cases/{personas.case.pk}/").status_code == 403


def test_form_error_puts_the_message_on_the_field_at_fault() -> None:
    form = AmountForm({"amount": "x"})
    assert form.is_valid()
    form_error(form, DomainError("金额必须为正数", field="amount"))
    assert form.errors == {"amount": ["金额必须为正数"]}


def test_form_error_puts_a_message_without_a_known_field_above_the_form() -> None:
    form = AmountForm({"amount": "x"})
    assert form.is_valid()
    form_error(form, DomainError("期间已过", field="not_on_this_form"))
    assert form.errors == {"__all__": ["期间已过"]}


@pytest.mark.parametrize("error", [NotFound("没有"), PermissionDenied("不允许")])
def test_form_error_and_refused_leave_404_and_403_to_the_middleware(error: DomainError) -> None:
    form = AmountForm({"amount": "x"})
    assert form.is_valid()
    with pytest.raises(type(error)):
        form_error(form, error)
    assert form.errors == {}
    request = _request_with_messages()
    with pytest.raises(type(error)):
        refused(request, error)
    assert list(get_messages(request)) == []


def test_refused_shows_the_message_on_the_next_page() -> None:
    request = _request_with_messages()
    refused(request, Conflict("别人已经改过了"))
    assert [str(m) for m in get_messages(request)] == ["别人已经改过了"]


def _request_with_messages() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request
