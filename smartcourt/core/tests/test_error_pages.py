"""Error pages: in the site's layout, in Chinese, with the menu and a way back (issue 16, item 2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from conftest import Personas
from smartcourt.core import error_pages


@pytest.mark.django_db
def test_404_is_in_the_layout_in_chinese_with_the_menu_and_a_way_back(personas: Personas, client: Client) -> None:
    client.force_login(personas.creditor_a)
    response = client.get("/no-such-page/", HTTP_REFERER="http://testserver/cases/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page
    assert "该页面不存在或未向您开放" in page
    assert "sc-navbar" in page
    assert reverse("claims:tracker") in page  # the creditor's own menu
    assert 'href="http://testserver/cases/"' in page and "返回上一页" in page
    assert "返回我的首页" in page
    assert "Not Found" not in page


@pytest.mark.django_db
def test_a_foreign_referer_is_not_offered_as_the_way_back(personas: Personas, client: Client) -> None:
    client.force_login(personas.judge)
    response = client.get("/no-such-page/", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "evil.example" not in page
    assert "返回上一页" not in page
    assert "返回我的首页" in page


@pytest.mark.django_db
def test_403_shows_the_reason_in_chinese(personas: Personas, client: Client) -> None:
    client.force_login(personas.creditor_a)
    response = client.get(reverse("funds:queue"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权操作" in page
    assert "Forbidden" not in page
    assert "sc-navbar" in page


@pytest.mark.django_db
def test_a_refused_form_gets_the_chinese_page_and_changes_nothing(personas: Personas) -> None:
    from smartcourt.audit.models import AuditEvent

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.judge)
    before = AuditEvent.objects.count()
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "表单已失效" in page
    assert "CSRF verification failed" not in page and "Forbidden" not in page
    assert AuditEvent.objects.count() == before
    assert client.get(reverse("home")).status_code == 200  # still signed in


@pytest.mark.django_db
def test_500_renders_in_the_layout(personas: Personas) -> None:
    request = RequestFactory().get("/boom/")
    request.user = personas.judge
    response = error_pages.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出错" in page and "sc-navbar" in page


def test_500_falls_back_to_a_plain_page_when_the_layout_fails(monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("layout broken")

    request = RequestFactory().get("/boom/")
    monkeypatch.setattr(error_pages, "_render", broken)
    response = error_pages.server_error(request)
    assert response.status_code == 500
    assert "系统暂时无法完成请求" in response.content.decode()


@pytest.mark.django_db
def test_the_favicon_is_ours(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/smartcourt/favicon.svg"
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<link rel="icon" href="/static/smartcourt/favicon.svg" type="image/svg+xml">' in page
