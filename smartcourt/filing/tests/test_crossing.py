"""Online filings across the zones (issue 18): a filing submitted on the internet zone reaches the court zone
through the exchange and a real gateway, the clerk's review comes back the same way, and the single zone sends
nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.test import Client, TestCase

from conftest import Personas
from smartcourt.accounts.models import User
from smartcourt.audit.models import AuditEvent
from smartcourt.exchange import actions as exchange
from smartcourt.exchange.handlers import IncomingMessage
from smartcourt.exchange.models import AppliedMessage, OutboxMessage
from smartcourt.exchange.testing import TwoZones
from smartcourt.filing import actions, crossing
from smartcourt.filing.models import Filing, FilingParty, FilingStatusChange
from smartcourt.filing.tests.helpers import filed, lawyer


def _forget(filing: Filing) -> None:
    """The court zone's database has never seen this filing: here, where both zones share the test's database,
    its rows go before the court side applies the message."""
    FilingStatusChange.objects.filter(filing=filing).delete()
    FilingParty.objects.filter(filing=filing).delete()
    Filing.objects.filter(pk=filing.pk).delete()


def _pack(zones: TwoZones, zone: str) -> None:
    with zones.as_zone(zone), TestCase.captureOnCommitCallbacks(execute=True):
        exchange.pack_outbox(actor=None)


def _apply(zones: TwoZones, zone: str) -> None:
    with zones.as_zone(zone), TestCase.captureOnCommitCallbacks(execute=True):
        exchange.apply_inbox(actor=None)


def test_a_filing_goes_to_the_court_and_the_review_comes_back(
    personas: Personas, two_zones: TwoZones, tmp_path: Path
) -> None:
    applicant = lawyer()
    with two_zones.as_zone("internet"):
        filing = filed(personas, applicant)
    sent = OutboxMessage.objects.get(kind=crossing.KIND, direction="internet->court")
    assert sent.payload == crossing.snapshot(filing)
    assert sent.payload["status"] == "submitted"
    _pack(two_zones, "internet")
    to_court = two_zones.gateway("internet", tmp_path / "gw-i2c", kinds=(crossing.KIND,))
    to_internet = two_zones.gateway("court", tmp_path / "gw-c2i", kinds=(crossing.KIND,))
    try:
        to_court.scan()
        _forget(filing)
        _apply(two_zones, "court")
        arrived = Filing.objects.get(pk=filing.pk)
        assert crossing.snapshot(arrived) == sent.payload  # the whole filing, as the applicant submitted it
        assert AppliedMessage.objects.filter(kind=crossing.KIND, message_id=str(sent.pk)).count() == 1

        with two_zones.as_zone("court"):
            actions.start_review(actor=personas.clerk, filing_id=filing.pk)
        back = OutboxMessage.objects.get(kind=crossing.KIND, direction="court->internet")
        assert back.payload["status"] == "under_review"
        assert back.payload["reviewed_by"] == {
            "id": str(personas.clerk.pk),
            "username": "clerk",
            "full_name": "王芳",
            "role": "filing_clerk",
        }
        _pack(two_zones, "court")
        to_internet.scan()
        _apply(two_zones, "internet")
        assert AppliedMessage.objects.filter(kind=crossing.KIND, message_id=str(back.pk)).count() == 1
        received = AuditEvent.objects.filter(action="filing.state_received").order_by("pk")
        assert [(event.after or {}).get("status") for event in received] == ["submitted", "under_review"]
        assert Filing.objects.get(pk=filing.pk).status == "under_review"
    finally:
        to_court.stop()
        to_internet.stop()


def test_people_the_zone_has_not_met_get_a_record_that_cannot_sign_in(personas: Personas) -> None:
    applicant = lawyer()
    filing = filed(personas, applicant)
    payload: dict[str, Any] = crossing.snapshot(filing)
    payload["filer"] = {
        "id": "4c2f2d0e-6b6f-4f55-9a53-0d7d1c1b1a11",
        "username": "lawyer_z",
        "full_name": "赵律师",
        "role": "party",
    }
    message = IncomingMessage(
        id="m-1", kind=crossing.KIND, payload=payload, files={}, direction="internet->court", sequence=1
    )
    with transaction.atomic():
        crossing.apply_state(message)
    mirrored = User.objects.get(pk=payload["filer"]["id"])
    assert (mirrored.username, mirrored.full_name, mirrored.role) == ("lawyer_z", "赵律师", "party")
    assert not mirrored.has_usable_password()
    assert Filing.objects.get(pk=filing.pk).filer_id == mirrored.pk
    response = Client().post("/accounts/login/", {"username": "lawyer_z", "password": ""})
    assert response.status_code == 200  # no password opens it


def test_the_single_zone_sends_nothing(personas: Personas) -> None:
    filed(personas, lawyer())
    assert OutboxMessage.objects.count() == 0
