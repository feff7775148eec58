"""The enterprise-registry adapter against the sandbox registry: a real process, real HTTP, its own database."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.registry.data import COMPANIES
from sandbox.registry.data import credit_code_check_char as registry_check_char
from smartcourt.cases.demo import credit_code
from smartcourt.core.identifiers import credit_code_check_char, credit_code_problem
from smartcourt.registry.client import (
    Company,
    HttpRegistryClient,
    RegistryUnavailable,
    get_registry,
)
from smartcourt.registry.testing import RegistryServer, closed_port_url

HONGDA = credit_code("91320623MA1HD0001")
DEMO_COMPANIES = {
    "如东县宏达纺织有限公司": HONGDA,
    "江苏海联船舶重工有限公司": credit_code("91320623MA1HL0002"),
    "南通华盛建材有限公司": credit_code("91320600MA1HC0003"),
    "如东县金桥置业有限公司": credit_code("91320623MA1JQ0004"),
    "南通远洋物流有限公司": credit_code("91320600MA1YY0005"),
}


def client(server: RegistryServer) -> HttpRegistryClient:
    return HttpRegistryClient(server.url, server.key)


def raw_get(server: RegistryServer, path: str, key: str | None) -> tuple[int, dict[str, object]]:
    headers = {"X-Registry-Key": key} if key is not None else {}
    request = urllib.request.Request(server.url + path, headers=headers)  # noqa: S310 - loopback http
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


# --- the seed data ---------------------------------------------------------------------------------------------


def test_the_seed_has_over_thirty_companies_with_valid_unique_credit_codes() -> None:
    assert len(COMPANIES) >= 30
    codes = [company.credit_code for company in COMPANIES]
    assert len(set(codes)) == len(codes)
    assert len({company.name for company in COMPANIES}) == len(COMPANIES)
    assert [code for code in codes if credit_code_problem(code)] == []
    assert {company.status for company in COMPANIES} == {"存续", "吊销", "注销"}


def test_the_demo_companies_have_the_demo_seed_credit_codes() -> None:
    seeded = {company.name: company.credit_code for company in COMPANIES}
    assert {name: seeded[name] for name in DEMO_COMPANIES} == DEMO_COMPANIES


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_the_registry_computes_the_check_character_as_the_platform_does(stem: str) -> None:
    # The sandbox imports nothing from smartcourt, so it has its own GB 32100 implementation.
    assert registry_check_char(stem) == credit_code_check_char(stem)


# --- the adapter ----------------------------------------------------------------------------------------------


def test_company_by_credit_code_with_shareholders_in_fen(registry_server: RegistryServer) -> None:
    company = client(registry_server).company(HONGDA)
    assert company is not None
    assert replace(company, shareholders=()) == Company(
        credit_code=HONGDA,
        name="如东县宏达纺织有限公司",
        company_type="有限责任公司（自然人投资或控股）",
        legal_representative="周建华",
        registered_capital_fen=50_000_000_00,
        established_on=dt.date(2008, 4, 16),
        address="江苏省南通市如东县掘港镇人民路188号",
        business_scope="纺织品、针织品的生产、销售；纺织原料（棉花除外）销售；自营和代理各类商品及技术的进出口业务。",
        status="存续",
        registration_authority="如东县市场监督管理局",
        shareholders=(),
    )
    assert [(h.name, h.kind, h.subscribed_fen, h.paid_fen) for h in company.shareholders] == [
        ("周建华", "自然人", 30_000_000_00, 30_000_000_00),
        ("周立新", "自然人", 12_500_000_00, 12_500_000_00),
        ("南通宏发投资有限公司", "企业法人", 7_500_000_00, 3_000_000_00),
    ]
    assert [company.share_percent(h) for h in company.shareholders] == [
        Decimal("60.00"),
        Decimal("25.00"),
        Decimal("15.00"),
    ]


def test_a_lower_case_credit_code_is_found(registry_server: RegistryServer) -> None:
    company = client(registry_server).company(HONGDA.lower())
    assert company is not None and company.credit_code == HONGDA


def test_an_unknown_credit_code_is_none(registry_server: RegistryServer) -> None:
    assert client(registry_server).company(credit_code("91320623MA1XX9999")) is None


def test_search_by_part_of_the_name_lists_matches_by_name(registry_server: RegistryServer) -> None:
    results = client(registry_server).search("宏达")
    assert [(r.name, r.status) for r in results] == [
        ("如东县宏达印染有限公司", "注销"),
        ("如东县宏达纺织有限公司", "存续"),
        ("如东县宏达置业有限公司", "存续"),
    ]


def test_search_by_credit_code_finds_exactly_that_company(registry_server: RegistryServer) -> None:
    results = client(registry_server).search(f" {HONGDA.lower()} ")
    assert [r.credit_code for r in results] == [HONGDA]


def test_search_takes_like_wildcards_literally(registry_server: RegistryServer) -> None:
    assert client(registry_server).search("%") == []
    assert client(registry_server).search("_") == []


def test_an_empty_search_asks_nothing(registry_server: RegistryServer) -> None:
    # Not even a bad address matters: nothing is sent.
    assert HttpRegistryClient(closed_port_url(), "k").search("  ") == []


def test_get_registry_follows_the_settings(registry: RegistryServer) -> None:
    company = get_registry().company(HONGDA)
    assert company is not None and company.name == "如东县宏达纺织有限公司"


# --- the sandbox checks the key ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", "wrong-key"])
def test_the_sandbox_refuses_requests_without_the_right_key(registry_server: RegistryServer, key: str | None) -> None:
    status, body = raw_get(registry_server, f"/companies/{HONGDA}", key)
    assert status == 401
    assert body == {"error": {"code": "unauthorized", "message": "missing or wrong X-Registry-Key"}}


def test_the_sandbox_answers_bad_requests_clearly(registry_server: RegistryServer) -> None:
    assert raw_get(registry_server, "/companies?q=", registry_server.key) == (
        400,
        {"error": {"code": "bad_request", "message": "give q: a company name or credit code"}},
    )
    status, body = raw_get(registry_server, "/nowhere", registry_server.key)
    assert (status, body["error"]) == (404, {"code": "not_found", "message": "no such endpoint: /nowhere"})


# --- failures become RegistryUnavailable, never a crash --------------------------------------------------------


def test_an_unreachable_registry_is_unavailable() -> None:
    unreachable = HttpRegistryClient(closed_port_url(), "k", timeout=2)
    with pytest.raises(RegistryUnavailable) as raised:
        unreachable.company(HONGDA)
    assert raised.value.code == "registry_unavailable"
    assert raised.value.status == 503
    assert raised.value.message == "工商登记系统暂时无法访问"  # the platform speaks Chinese unless asked otherwise
    assert "could not be reached" in raised.value.reason


def test_a_wrong_key_is_unavailable_too(registry_server: RegistryServer) -> None:
    with pytest.raises(RegistryUnavailable) as raised:
        HttpRegistryClient(registry_server.url, "wrong-key").search("宏达")
    assert "answered HTTP 401" in raised.value.reason


def test_a_missing_key_or_a_non_http_address_is_unavailable(registry_server: RegistryServer) -> None:
    with pytest.raises(RegistryUnavailable) as raised:
        HttpRegistryClient(registry_server.url, "").company(HONGDA)
    assert "SMARTCOURT_REGISTRY_KEY" in raised.value.reason
    with pytest.raises(RegistryUnavailable) as raised:
        HttpRegistryClient("file:///etc/passwd", "k").company(HONGDA)
    assert "not an http(s) URL" in raised.value.reason


def test_a_registry_that_does_not_answer_in_time_is_unavailable() -> None:
    import socket
    import threading

    # Accepts connections and never answers.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    thread = threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True)
    thread.start()
    try:
        slow = HttpRegistryClient(f"http://127.0.0.1:{listener.getsockname()[1]}", "k", timeout=0.5)
        with pytest.raises(RegistryUnavailable) as raised:
            slow.company(HONGDA)
        assert "could not be reached" in raised.value.reason
    finally:
        for connection in held:
            connection.close()
        listener.close()


def test_a_malformed_answer_is_unavailable(registry_server: RegistryServer) -> None:
    # Everything after the # is dropped from the request: each call reaches /health, whose JSON is
    # neither a search result nor a company record.
    broken = HttpRegistryClient(registry_server.url + "/health#", registry_server.key)
    with pytest.raises(RegistryUnavailable) as raised:
        broken.search("宏达")
    assert "malformed search result" in raised.value.reason
    with pytest.raises(RegistryUnavailable) as raised:
        broken.company(HONGDA)
    assert "malformed company record" in raised.value.reason
