"""The sandbox payment service on its own: it refuses unsigned requests, answers a resent order with the
first one, refuses an order id reused for another order, and refunds only to the account that paid and
never more than was paid."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from smartcourt.fees import payments
from smartcourt.fees.testing import Payments


def _order(order_id: str, amount: int = 5000) -> dict[str, object]:
    return {
        "order_id": order_id,
        "payer_name": "马某某",
        "amount_fen": amount,
        "description": "案件受理费",
        "case_reference": "（2026）苏0623民初9号",
        "return_url": "",
    }


def test_unsigned_requests_are_refused(payment_service: Payments) -> None:
    url = f"{payment_service.url}/v1/orders"
    request = urllib.request.Request(url, data=json.dumps(_order("x")).encode(), method="POST")  # noqa: S310
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 - the sandbox on loopback
    assert refused.value.code == 401


def test_orders_are_idempotent_and_refunds_go_back_to_the_payer(payment_service: Payments) -> None:
    first = payments.call("/v1/orders", _order("order-a"))
    assert payments.call("/v1/orders", _order("order-a")) == first
    with pytest.raises(payments.PaymentsRefused) as reused:
        payments.call("/v1/orders", _order("order-a", amount=6000))
    assert reused.value.code == "order_id_reused"
    notice = str(first["notice_number"])
    with pytest.raises(payments.PaymentsRefused) as unpaid:
        payments.call(
            "/v1/refunds",
            {
                "refund_id": "r0",
                "notice_number": notice,
                "amount_fen": 1,
                "account_name": "马某某",
                "account_number": "1",
                "reason": "x",
            },
        )
    assert unpaid.value.code == "not_paid"
    form = urllib.parse.urlencode({"account_name": "马某某", "account_number": "6222"}).encode()
    urllib.request.urlopen(f"{payment_service.url}/pay/{notice}", data=form, timeout=10)  # noqa: S310
    refund = {
        "refund_id": "r1",
        "notice_number": notice,
        "amount_fen": 2500,
        "account_name": "马某某",
        "account_number": "6222",
        "reason": "撤诉",
    }
    with pytest.raises(payments.PaymentsRefused) as elsewhere:
        payments.call("/v1/refunds", {**refund, "account_number": "9999"})
    assert elsewhere.value.code == "not_payer_account"
    assert payments.call("/v1/refunds", refund)["amount_fen"] == 2500
    with pytest.raises(payments.PaymentsRefused) as too_much:
        payments.call("/v1/refunds", {**refund, "refund_id": "r2", "amount_fen": 2501})
    assert too_much.value.code == "over_refund"
    order = payments.call("/v1/orders/get", {"notice_number": notice})
    assert (order["status"], order["refunded_fen"]) == ("paid", 2500)
