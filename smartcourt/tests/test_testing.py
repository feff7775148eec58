"""The shared test base checks what it claims: a changed row anywhere fails ``unchanged_database``, and a
permission matrix fails on a wrong status or on a refusal that wrote something."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponse

from conftest import Personas
from smartcourt.audit.actions import record_event
from smartcourt.testing import EVERYONE, client_as, permission_matrix, unchanged_database


def test_a_new_row_in_any_table_is_a_change(personas: Personas) -> None:
    changed = pytest.raises(AssertionError, match=r"'audit_auditevent': '\d+ -> \d+ rows'")
    with changed, unchanged_database(), transaction.atomic():
        record_event(actor=personas.judge, action="test.changed", obj=personas.case)


def test_an_edited_value_is_a_change_and_signing_in_is_not(personas: Personas) -> None:
    with pytest.raises(AssertionError, match="cases_case"), unchanged_database():
        type(personas.case).objects.filter(pk=personas.case.pk).update(title="改过的标题")
    with unchanged_database():
        client_as(personas, "judge").get("/")


def test_the_nothing_changed_fixture(personas: Personas, nothing_changed: Any) -> None:
    with nothing_changed():
        assert client_as(personas, "outsider").get(f"/cases/{personas.case.pk}/").status_code == 404


SEE_THE_CASE = ("judge", "assistant", "clerk", "court_admin", "administrator", "creditor_a", "bank_operator")


def test_a_matrix_names_every_persona_and_compares_all_of_them(personas: Personas) -> None:
    url = f"/cases/{personas.case.pk}/"
    got = permission_matrix(
        personas,
        lambda client: client.get(url),
        expect=dict.fromkeys(
            ("judge", "assistant", "clerk", "court_admin", "administrator", "creditor_a", "bank_operator"), 200
        ),
        denied=404,
        anonymous=302,
    )
    assert set(got) == set(EVERYONE)
    with pytest.raises(AssertionError):
        permission_matrix(personas, lambda client: client.get(url), expect={"judge": 200})
    with pytest.raises(AssertionError, match="not personas"):
        permission_matrix(personas, lambda client: client.get(url), expect={"jduge": 200})


def test_a_matrix_fails_when_a_refusal_writes(personas: Personas) -> None:
    def refuse_but_write(client: Any) -> HttpResponse:
        with transaction.atomic():
            record_event(actor=None, action="test.leaked", obj=personas.case)
        return HttpResponse(status=404)

    with pytest.raises(AssertionError, match="a refused request changed the database"):
        permission_matrix(personas, refuse_but_write, expect={})
