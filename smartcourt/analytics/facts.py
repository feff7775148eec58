"""Rebuilding the summary tables the dashboards read (see models.py for why they exist).

The rebuild reads every case once, with a handful of grouped queries (claims, node records, memberships and
audit events grouped by case), and replaces both tables in one transaction: a dashboard reads either the
old tables or the new ones, never half of each. It is idempotent: run twice, it writes the same rows.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from smartcourt.analytics import sources
from smartcourt.analytics.models import CaseFact, NodeFact, Refresh
from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.choices import OPEN_NODE_STATUSES, NodeStatus
from smartcourt.bankruptcy.models import NodeRecord
from smartcourt.cases.choices import MemberRole
from smartcourt.cases.models import Case, CaseMember
from smartcourt.claims.models import Claim
from smartcourt.distributions.choices import LineStatus
from smartcourt.distributions.models import BatchLine
from smartcourt.filing.models import Filing
from smartcourt.funds.models import SupervisedAccount

BATCH = 5000
NodeKey = tuple[uuid.UUID, int, str, Any, str]


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _event_counts(action: str) -> dict[uuid.UUID, int]:
    """How many events of one audit action each case has."""
    rows = AuditEvent.objects.filter(action=action, case_id__isnull=False).values("case_id").annotate(n=Count("seq"))
    return {row["case_id"]: row["n"] for row in rows.order_by()}


def _node_facts(
    node_rows: list[tuple[uuid.UUID, str, str, int | None, bool]],
    case_dims: dict[uuid.UUID, tuple[uuid.UUID, int, str, Any]],
    current: dict[uuid.UUID, tuple[int, str]],
) -> dict[NodeKey, NodeFact]:
    """Node records summed per (court, year, case type, judge, node): current, completed (and in how many
    days), overdue."""
    nodes: dict[NodeKey, NodeFact] = {}
    for case_id, node_key, _status, days, late in node_rows:
        dims = case_dims.get(case_id)
        if dims is None:
            continue
        key = (*dims, node_key)
        fact = nodes.get(key)
        if fact is None:
            court_id, year, case_type, judge_id = dims
            fact = nodes[key] = NodeFact(
                court_id=court_id, year=year, case_type=case_type, judge_id=judge_id, node_key=node_key
            )
        if current.get(case_id, (0, ""))[1] == node_key:
            fact.current += 1
        if days is not None:
            fact.completed += 1
            fact.completed_days += days
        if late:
            fact.overdue += 1
    return nodes


def refresh_facts(*, today: dt.date | None = None) -> Refresh:
    """Rebuild CaseFact and NodeFact from the live tables and the audit log."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    firms = dict(
        CaseMember.objects.filter(role=MemberRole.ADMINISTRATOR, organisation__isnull=False).values_list(
            "case_id", "organisation_id"
        )
    )
    claims: dict[uuid.UUID, dict[str, int]] = {}
    confirmed_total = (
        F("confirmed_principal_fen")
        + F("confirmed_interest_fen")
        + F("confirmed_penalties_fen")
        + F("confirmed_costs_fen")
    )
    for row in (
        Claim.objects.values("case_id")
        .annotate(
            declared=Count("id"),
            declared_fen=Sum(F("principal_fen") + F("interest_fen") + F("penalties_fen") + F("costs_fen")),
            confirmed=Count("id", filter=Q(confirmed_principal_fen__gt=0) | Q(confirmed_interest_fen__gt=0)),
            confirmed_fen=Sum(confirmed_total),
        )
        .iterator()
    ):
        claims[row["case_id"]] = row
    # Funds under supervision: the balance the bank last reported on each of the case's supervised accounts
    # (funds' own table); distributions paid: the batch lines the bank confirmed paid (distributions' table).
    balances: dict[uuid.UUID, int] = {
        row["case_id"]: row["fen"] or 0
        for row in SupervisedAccount.objects.values("case_id").annotate(fen=Sum("balance_fen")).order_by()
    }
    paid: dict[uuid.UUID, tuple[int, int]] = {
        row["batch__plan__case_id"]: (row["n"], row["fen"] or 0)
        for row in BatchLine.objects.filter(status=LineStatus.PAID)
        .values("batch__plan__case_id")
        .annotate(n=Count("id"), fen=Sum("amount_fen"))
        .order_by()
    }
    # Cases docketed from an online filing (filing's table): the online-filing share.
    online = set(Filing.objects.filter(case__isnull=False).values_list("case_id", flat=True))
    meetings = _event_counts(sources.MEETING_CLOSED)
    sign_ins = _event_counts(sources.SIGNED_IN)

    # Node records: per case its earliest open node and its overdue ones; per node the completion days.
    current: dict[uuid.UUID, tuple[int, str]] = {}
    overdue: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0])
    node_rows: list[tuple[uuid.UUID, str, str, int | None, bool]] = []
    records = NodeRecord.objects.exclude(status__in=[NodeStatus.BLOCKED, NodeStatus.CANCELLED]).values_list(
        "proceeding__case_id", "node_key", "position", "status", "due_on", "started_at", "completed_at"
    )
    for case_id, node_key, position, status, due_on, started_at, completed_at in records.iterator(chunk_size=BATCH):
        is_open = status in OPEN_NODE_STATUSES
        late = bool(is_open and due_on is not None and due_on < today)
        if is_open and (case_id not in current or position < current[case_id][0]):
            current[case_id] = (position, node_key)
        if late and due_on is not None:
            overdue[case_id][0] += 1
            overdue[case_id][1] += (today - due_on).days
        days = None
        if status == NodeStatus.COMPLETED and started_at is not None and completed_at is not None:
            days = max((completed_at - started_at).days, 0)
        node_rows.append((case_id, node_key, status, days, late))

    facts: list[CaseFact] = []
    case_dims: dict[uuid.UUID, tuple[uuid.UUID, int, str, Any]] = {}
    cases = Case.objects.values_list(
        "pk", "court_id", "case_type", "filed_on", "closed_on", "status", "presiding_judge_id"
    ).order_by()
    for pk, court_id, case_type, filed_on, closed_on, status, judge_id in cases.iterator(chunk_size=BATCH):
        case_dims[pk] = (court_id, filed_on.year, case_type, judge_id)
        claim = claims.get(pk, {})
        facts.append(
            CaseFact(
                case_id=pk,
                court_id=court_id,
                case_type=case_type,
                year=filed_on.year,
                filed_month=_month(filed_on),
                closed_month=_month(closed_on) if closed_on else None,
                closed_year=closed_on.year if closed_on else None,
                status=status,
                judge_id=judge_id,
                firm_id=firms.get(pk),
                current_node=current.get(pk, (0, ""))[1],
                overdue_nodes=overdue[pk][0] if pk in overdue else 0,
                overdue_days=overdue[pk][1] if pk in overdue else 0,
                claims_declared=claim.get("declared") or 0,
                claims_declared_fen=claim.get("declared_fen") or 0,
                claims_confirmed=claim.get("confirmed") or 0,
                claims_confirmed_fen=claim.get("confirmed_fen") or 0,
                funds_fen=balances.get(pk, 0),
                distributions_paid=paid.get(pk, (0, 0))[0],
                distributions_paid_fen=paid.get(pk, (0, 0))[1],
                meetings_closed=meetings.get(pk, 0),
                meeting_sign_ins=sign_ins.get(pk, 0),
                filed_online=pk in online,
            )
        )
    nodes = _node_facts(node_rows, case_dims, current)
    with transaction.atomic():
        CaseFact.objects.all().delete()
        NodeFact.objects.all().delete()
        CaseFact.objects.bulk_create(facts, batch_size=BATCH)
        NodeFact.objects.bulk_create(nodes.values(), batch_size=BATCH)
        Refresh.objects.exclude(pk__in=Refresh.objects.order_by("-finished_at")[:20].values("pk")).delete()
        return Refresh.objects.create(
            finished_at=timezone.now(), seconds=round(time.perf_counter() - started, 3), cases=len(facts)
        )
