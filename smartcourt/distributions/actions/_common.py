"""Private helpers and constants shared by the distributions actions."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from django.db import connection, models
from django.utils import timezone

from smartcourt.accounts.models import User
from smartcourt.core.errors import Conflict
from smartcourt.distributions.choices import BATCH_TRANSITIONS, PLAN_TRANSITIONS, BatchStatus, PlanStatus
from smartcourt.distributions.errors import DistributionError
from smartcourt.distributions.models import BatchTransition, DistributionPlan, PaymentBatch, PlanTransition


def _locked_plan(actor: User, plan_id: uuid.UUID | str) -> DistributionPlan:
    from smartcourt.distributions.selectors import get_plan_for

    visible = get_plan_for(actor, plan_id)
    return DistributionPlan.objects.select_for_update().select_related("case").get(pk=visible.pk)


def _move_plan(plan: DistributionPlan, to_status: str, *, actor: User, reference: str = "", note: str = "") -> None:
    if to_status not in PLAN_TRANSITIONS[PlanStatus(plan.status)]:
        raise Conflict(
            f"A plan that is {PlanStatus(plan.status).label} cannot become {PlanStatus(to_status).label}",
            code=DistributionError.BAD_TRANSITION,
        )
    updated = DistributionPlan.objects.filter(pk=plan.pk, row_version=plan.row_version).update(
        status=to_status, row_version=plan.row_version + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise Conflict("Somebody else changed this plan first; reload it", code=DistributionError.STALE)
    PlanTransition.objects.create(
        plan=plan, from_status=plan.status, to_status=to_status, actor=actor, reference=reference, note=note
    )
    plan.status = to_status
    plan.row_version += 1


def _keyer() -> Callable[[uuid.UUID | str], str]:
    """How this backend takes a UUID (object or text) in a bulk insert: 32 hex digits on SQLite (Django's
    storage format there), the canonical text on PostgreSQL (COPY parses it into the uuid column). Chosen
    once per insert: the connection is looked up once, not per value."""
    if connection.vendor == "postgresql":
        return str

    def hex32(value: uuid.UUID | str) -> str:
        return value.hex if isinstance(value, uuid.UUID) else value.replace("-", "")

    return hex32


def _bulk_insert(model: type[models.Model], columns: Sequence[str], rows: list[tuple[object, ...]]) -> None:
    """Insert plain rows into ``model``'s table: COPY on PostgreSQL, executemany per 5,000 rows on SQLite.

    The ORM's bulk_create spends most of a large insert building model instances and preparing each field;
    plan and batch lines are plain (text, integers, UUIDs, one JSON list), so the callers prepare them once,
    per type, the way the backend stores them (``_key`` for UUIDs, JSON as text)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - names from our own model
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])  # type: ignore[arg-type]


def _locked_batch(actor: User, batch_id: uuid.UUID | str) -> PaymentBatch:
    from smartcourt.distributions.selectors import get_batch_for

    visible = get_batch_for(actor, batch_id)
    return PaymentBatch.objects.select_for_update().select_related("plan", "plan__case").get(pk=visible.pk)


def _move_batch(batch: PaymentBatch, to_status: str, *, actor: User, note: str = "") -> None:
    if to_status not in BATCH_TRANSITIONS[BatchStatus(batch.status)]:
        raise Conflict(
            f"A batch that is {BatchStatus(batch.status).label} cannot become {BatchStatus(to_status).label}",
            code=DistributionError.BAD_TRANSITION,
        )
    updated = PaymentBatch.objects.filter(pk=batch.pk, row_version=batch.row_version).update(
        status=to_status, row_version=batch.row_version + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise Conflict("Somebody else changed this batch first; reload it", code=DistributionError.STALE)
    BatchTransition.objects.create(batch=batch, from_status=batch.status, to_status=to_status, actor=actor, note=note)
    batch.status = to_status
    batch.row_version += 1
