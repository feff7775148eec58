"""Writing to the audit log. ``record_event`` is called by every action of every app, inside the
action's own transaction, so an action and its event commit or roll back together."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from django.db import models, transaction
from django.utils import timezone

from smartcourt.audit.chain import GENESIS_HASH, event_hash, format_timestamp, to_json_value
from smartcourt.audit.models import AuditEvent, AuditHead


class Actor(Protocol):
    """What the log needs to know about whoever acted (a user)."""

    pk: Any
    full_name: str
    role: str
    username: str


def actor_label(actor: Actor | None) -> str:
    if actor is None:
        return "system"
    return f"{actor.full_name or actor.username} [{actor.role}]"


def record_event(
    *,
    actor: Actor | None,
    action: str,
    case_id: uuid.UUID | None = None,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the calling action's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must be called inside the action's transaction")
    # The head row is the chain's lock: appends are strictly one after another (SQLite's IMMEDIATE
    # transactions already serialise writers; on PostgreSQL this row lock does it).
    head = AuditHead.objects.select_for_update().get(pk=1)
    occurred_at = timezone.now()
    fields: dict[str, Any] = {
        "seq": head.last_seq + 1,
        "event_id": str(uuid.uuid4()),
        "occurred_at": format_timestamp(occurred_at),
        "actor_id": str(actor.pk) if actor is not None else None,
        "actor_label": actor_label(actor),
        "action": action,
        "case_id": str(case_id) if case_id else None,
        "object_type": obj._meta.label if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "before": to_json_value(before, path="before"),
        "after": to_json_value(after, path="after"),
        "prev_hash": head.last_hash,
    }
    digest = event_hash(fields)
    event = AuditEvent.objects.create(
        seq=fields["seq"],
        event_id=fields["event_id"],
        occurred_at=occurred_at,
        actor_id=actor.pk if actor is not None else None,
        actor_label=fields["actor_label"],
        action=action,
        case_id=case_id,
        object_type=fields["object_type"],
        object_id=fields["object_id"],
        before=fields["before"],
        after=fields["after"],
        prev_hash=head.last_hash,
        hash=digest,
    )
    AuditHead.objects.filter(pk=1).update(last_seq=fields["seq"], last_hash=digest)
    return event


def ensure_head() -> None:
    """Create the head row if it is missing (a new database)."""
    AuditHead.objects.get_or_create(pk=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH})
