"""The move of two tables into the platform services keeps their rows (claims.0005, funds.0004, services.0001),
on whichever database the suite runs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from smartcourt.services.models import ClientKey, PhoneChallenge

BEFORE = [("claims", "0004_signed_documents_registration_agents"), ("funds", "0003_client_keys")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_phone_challenges_and_client_keys_keep_their_rows_when_they_move(django_user_model: Any) -> None:
    user = django_user_model.objects.create(username="keyholder")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    now = timezone.now()
    challenge_id, key_id = uuid.uuid4(), uuid.uuid4()
    old.get_model("claims", "PhoneChallenge").objects.create(
        id=challenge_id, phone="13800000000", code_hash="h" * 64, expires_at=now + dt.timedelta(minutes=10), attempts=2
    )
    old.get_model("funds", "ClientKey").objects.create(
        id=key_id, user_id=user.pk, key="pay-1", body_sha256="b" * 64, done=True, claimed_at=now
    )

    _migrate(latest)

    challenge = PhoneChallenge.objects.get()
    assert (challenge.pk, challenge.phone, challenge.code_hash, challenge.attempts) == (
        challenge_id,
        "13800000000",
        "h" * 64,
        2,
    )
    key = ClientKey.objects.get()
    assert (key.pk, key.user_id, key.key, key.body_sha256, key.done) == (key_id, user.pk, "pay-1", "b" * 64, True)
    # The unique constraint came along under its new name.
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, ClientKey._meta.db_table)
    assert "services_client_key_claimed_once" in constraints
    assert "funds_api_key_claimed_once" not in constraints
