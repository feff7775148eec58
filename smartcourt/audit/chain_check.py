"""Recomputing the chain to find the first event that was edited, removed or reordered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smartcourt.audit.chain import GENESIS_HASH, event_hash, format_timestamp
from smartcourt.audit.models import AuditEvent, AuditHead


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def stored_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "event_id": str(event.event_id),
        "occurred_at": format_timestamp(event.occurred_at),
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "actor_label": event.actor_label,
        "action": event.action,
        "case_id": str(event.case_id) if event.case_id else None,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }


def verify_chain(*, batch_size: int = 5000) -> ChainReport:
    """Walk the whole log in order; stop at the first event that does not verify."""
    expected_seq = 1
    previous_hash = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            problem = f"event #{expected_seq} is missing (next stored event is #{event.seq}): removed or reordered"
            return ChainReport(checked, ChainProblem(expected_seq, problem))
        if event.prev_hash != previous_hash:
            return ChainReport(
                checked,
                ChainProblem(event.seq, f"event #{event.seq} does not follow #{event.seq - 1}: reordered or replaced"),
            )
        recomputed = event_hash(stored_fields(event))
        if recomputed != event.hash:
            problem = f"event #{event.seq} was edited: its content no longer matches its hash"
            return ChainReport(checked, ChainProblem(event.seq, problem))
        previous_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is not None and (head.last_seq != last_seq or head.last_hash != previous_hash):
        if head.last_seq > last_seq:
            problem = f"events #{last_seq + 1} to #{head.last_seq} were removed from the end of the log"
        else:
            problem = f"the log's head records #{head.last_seq}, but the chain ends at #{last_seq}"
        return ChainReport(checked, ChainProblem(last_seq + 1, problem))
    return ChainReport(checked, None)
