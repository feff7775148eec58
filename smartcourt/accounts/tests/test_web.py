"""signed_in_user: the typed way a view gets its user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from conftest import Personas
from smartcourt.accounts.web import NotSignedIn, signed_in_user


def test_the_signed_in_user_is_returned_as_a_user(personas: Personas) -> None:
    request = RequestFactory().get("/cases/")
    request.user = personas.judge
    assert signed_in_user(request) == personas.judge


def test_an_anonymous_or_deactivated_request_is_a_wiring_mistake(personas: Personas) -> None:
    request = RequestFactory().get("/cases/")
    request.user = AnonymousUser()
    with pytest.raises(NotSignedIn, match="/cases/ needs a signed-in user"):
        signed_in_user(request)
    personas.judge.is_active = False
    request.user = personas.judge
    with pytest.raises(NotSignedIn):
        signed_in_user(request)
