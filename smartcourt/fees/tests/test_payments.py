"""Litigation fees paid and refunded through the sandbox payment service (a real process, real HTTP):
the party pays on the service's page, the service notifies the platform with a signed request, the fee is
booked once; unsigned, replayed and mismatched notifications are refused and change nothing; a refund after
withdrawal is half the fee to the fen; the day reconciles against the service's statement."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Personas
from partnerproto import keyfiles, wire
from sandbox.process import stop_process
from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import Conflict, PermissionDenied
from smartcourt.fees import actions
from smartcourt.fees.choices import FeeStatus, RefundReason, RefundStatus
from smartcourt.fees.models import FeePayment, LitigationFee
from smartcourt.fees.testing import Payments, start_payments
from smartcourt.filing import actions as filing_actions
from smartcourt.filing.tests.helpers import filed, lawyer

NOTIFY_PATH = "/api/v1/fees/notifications"


def _docketed_fee(personas: Personas, amount: str = "100000.00") -> tuple[LitigationFee, Any]:
    user = lawyer()
    filing = filed(personas, user, amount=amount)
    filing = filing_actions.docket(actor=personas.clerk, filing_id=filing.pk, presiding_judge_id=personas.judge.pk)
    return LitigationFee.objects.get(case=filing.case), user


def _pay_on_the_service_page(pay_url: str, *, unpaid: bool = True) -> str:
    page = urllib.request.urlopen(pay_url, timeout=10).read().decode()  # noqa: S310 - the sandbox on loopback
    assert ("确认支付" in page) is unpaid
    data = urllib.parse.urlencode({"account_name": "马某某", "account_number": "6222020000000000017"}).encode()
    return urllib.request.urlopen(pay_url, data=data, timeout=10).read().decode()  # noqa: S310


def _service_keys(payment_service: Payments) -> keyfiles.PartyKeys:
    return keyfiles.read(payment_service.server.keys_dir / keyfiles.BANK_FILE)


def _signed(payment_service: Payments, payload: dict[str, Any], url: str = f"http://testserver{NOTIFY_PATH}") -> Any:
    out = wire.seal_request(_service_keys(payment_service), method="POST", url=url, payload=payload)
    headers: dict[str, Any] = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in out.headers.items()}
    content_type = headers.pop("HTTP_CONTENT_TYPE")
    return out.body, content_type, headers


def _state() -> tuple[int, int, int]:
    return (
        FeePayment.objects.count(),
        AuditEvent.objects.count(),
        LitigationFee.objects.filter(status=FeeStatus.PAID).count(),
    )


@pytest.fixture
def own_payment_service(tmp_path: Path, settings: Any) -> Iterator[Payments]:
    """A payment service of this test's own: its statement holds this test's payments only."""
    server = start_payments(tmp_path / "payments")
    settings.PAYMENTS_URL = server.url
    settings.PAYMENTS_KEYS_DIR = server.keys_dir
    try:
        yield Payments(server)
    finally:
        stop_process(server.process)


@pytest.mark.django_db(transaction=True)
def test_the_party_pays_on_the_service_page_and_the_case_records_it(
    personas: Personas, own_payment_service: Payments, live_server: Any
) -> None:
    payment_service = own_payment_service
    fee, user = _docketed_fee(personas)
    assert fee.fee_fen == 2300_00 and fee.status == FeeStatus.DUE
    payment_service.notify_to(live_server.url + NOTIFY_PATH)
    pay_url = actions.start_payment(actor=user, fee_id=fee.pk, return_url=live_server.url + "/filing/")
    fee.refresh_from_db()
    assert fee.notice_number and pay_url.endswith(f"/pay/{fee.notice_number}")
    # Asking again opens no second order.
    assert actions.start_payment(actor=user, fee_id=fee.pk, return_url=live_server.url + "/filing/") == pay_url
    receipt = _pay_on_the_service_page(pay_url)
    assert "已支付" in receipt
    fee.refresh_from_db()
    assert fee.status == FeeStatus.PAID and fee.paid_fen == 2300_00
    payment = FeePayment.objects.get(fee=fee)
    assert payment.amount_fen == 2300_00 and payment.account_number == "6222020000000000017"
    # Paying the page again changes nothing.
    _pay_on_the_service_page(pay_url, unpaid=False)
    assert FeePayment.objects.filter(fee=fee).count() == 1

    # Reconciliation of the day: every payment matches the statement.
    reconciliation = actions.reconcile_day(day=timezone.localdate())
    assert reconciliation.differences == [] and reconciliation.matched == 1

    # Withdrawal: half the fee is kept (art. 15), the rest goes back to the account that paid.
    refund = actions.request_refund(actor=personas.clerk, fee_id=fee.pk, reason=RefundReason.WITHDRAWAL)
    assert refund.amount_fen == 1150_00 and refund.account_number == "6222020000000000017"
    with pytest.raises(Conflict):
        actions.approve_refund(actor=personas.judge, refund_id=refund.pk)  # account not confirmed yet
    actions.confirm_refund_account(actor=user, refund_id=refund.pk)
    with pytest.raises(PermissionDenied):
        actions.approve_refund(actor=personas.clerk, refund_id=refund.pk)
    actions.approve_refund(actor=personas.judge, refund_id=refund.pk)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PAID and refund.reference.startswith("RFD")
    assert refund.pay_by is not None and refund.pay_by > timezone.localdate()
    fee.refresh_from_db()
    assert fee.refunded_fen == 1150_00


@pytest.mark.django_db(transaction=True)
def test_a_refund_after_withdrawal_is_half_the_fee_to_the_fen(
    personas: Personas, payment_service: Payments, live_server: Any
) -> None:
    # 100,000.20 yuan: 2,300.01 yuan; half kept is 1,150.005 -> 1,150.01 (rounded half up); 1,150.00 back.
    fee, user = _docketed_fee(personas, amount="100000.40")
    assert fee.fee_fen == 2300_01
    payment_service.notify_to(live_server.url + NOTIFY_PATH)
    _pay_on_the_service_page(actions.start_payment(actor=user, fee_id=fee.pk, return_url=""))
    refund = actions.request_refund(actor=personas.clerk, fee_id=fee.pk, reason=RefundReason.WITHDRAWAL)
    assert refund.calculation["kept_fen"] == 1150_01
    assert refund.amount_fen == 1150_00
    assert refund.amount_fen + refund.calculation["kept_fen"] == fee.fee_fen


def test_unsigned_replayed_and_mismatched_notifications_are_refused(
    personas: Personas, payment_service: Payments
) -> None:
    fee, user = _docketed_fee(personas)
    actions.start_payment(actor=user, fee_id=fee.pk, return_url="")
    fee.refresh_from_db()
    good = {
        "type": "payment",
        "order_id": str(fee.pk),
        "notice_number": fee.notice_number,
        "amount_fen": fee.fee_fen,
        "payment_reference": "PAY20261205TEST000001",
        "paid_at": timezone.now().isoformat(),
        "payer_account_name": "马某某",
        "payer_account_number": "6222020000000000017",
    }
    client = Client()
    before = _state()
    # Unsigned.
    unsigned = client.post(NOTIFY_PATH, data=json.dumps(good), content_type="application/json")
    assert unsigned.status_code == 401
    assert _state() == before
    # Mismatched amount, signed: refused naming the field; nothing stored, and its nonce is forgotten.
    body, content_type, headers = _signed(payment_service, {**good, "amount_fen": fee.fee_fen - 1})
    wrong = client.post(NOTIFY_PATH, data=body, content_type=content_type, **headers)
    assert wrong.status_code == 422 and json.loads(wrong.content)["error"]["field"] == "amount_fen"
    assert _state() == before
    # Another notice number.
    body, content_type, headers = _signed(payment_service, {**good, "notice_number": "320620260101000099"})
    other = client.post(NOTIFY_PATH, data=body, content_type=content_type, **headers)
    assert other.status_code == 422 and json.loads(other.content)["error"]["field"] == "notice_number"
    assert _state() == before
    # The right one, then the same request replayed.
    body, content_type, headers = _signed(payment_service, good)
    first = client.post(NOTIFY_PATH, data=body, content_type=content_type, **headers)
    assert first.status_code == 200 and json.loads(first.content) == {"kind": "payment", "booked": True}
    after = _state()
    assert after == (before[0] + 1, after[1], before[2] + 1)
    replayed = client.post(NOTIFY_PATH, data=body, content_type=content_type, **headers)
    assert replayed.status_code == 401
    assert _state() == after
    # Signed with a key that is not the service's.
    stranger, _peer = keyfiles.generate_pair()
    out = wire.seal_request(stranger, method="POST", url=f"http://testserver{NOTIFY_PATH}", payload=good)
    forged_headers: dict[str, Any] = {f"HTTP_{n.upper().replace('-', '_')}": v for n, v in out.headers.items()}
    forged = client.post(
        NOTIFY_PATH, data=out.body, content_type=forged_headers.pop("HTTP_CONTENT_TYPE"), **forged_headers
    )
    assert forged.status_code == 401
    assert _state() == after
