"""A ping's note is sent whole or refused, never cut (issue 14 item 4 / issue 15 item 14)."""

from __future__ import annotations

import pytest

from conftest import Personas
from smartcourt.core.errors import DomainError
from smartcourt.exchange import actions
from smartcourt.exchange.models import OutboxMessage
from smartcourt.exchange.testing import TwoZones
from smartcourt.testing import database_state


def test_a_note_too_long_is_refused_and_one_at_the_limit_goes_whole(personas: Personas, two_zones: TwoZones) -> None:
    with two_zones.as_zone("internet"):
        before = database_state()
        with pytest.raises(DomainError) as refused:
            actions.send_ping(actor=personas.judge, note="注" * 201)
        assert (refused.value.field, refused.value.message) == ("note", "说明最多 200 个字符，此处有 201 个")
        assert database_state() == before
        actions.send_ping(actor=personas.judge, note="注" * 200)
    assert OutboxMessage.objects.get(kind="exchange.ping").payload["note"] == "注" * 200
