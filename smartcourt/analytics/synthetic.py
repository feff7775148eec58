"""A large synthetic court for measuring the dashboards: cases of the four types over five years, their
proceedings and node records, memberships, and audit events (meetings). Supervised accounts and distribution
batches are not synthesised: the dashboards read them only while rebuilding the summary tables.

Everything is bulk-inserted. The audit events are appended to the real hash chain, legitimately: the chain
is append-only (triggers refuse UPDATE and DELETE, never INSERT), so the events are built exactly as
``record_event`` builds them (same canonical fields, each hash covering the previous one), inserted in
batches under the head row's lock, and the head is moved to the last one. ``verify_audit`` accepts the
result. The data is reproducible from ``seed``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from smartcourt.accounts.choices import OrganisationKind, Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.analytics import sources
from smartcourt.audit.chain import event_hash, format_timestamp
from smartcourt.audit.models import AuditEvent, AuditHead
from smartcourt.bankruptcy.choices import NodeStatus, Procedure
from smartcourt.bankruptcy.models import NodeRecord, Proceeding
from smartcourt.bankruptcy.rulepack import get_procedure
from smartcourt.cases.choices import CASE_TYPE_CODE, CaseStatus, CaseType, MemberRole
from smartcourt.cases.models import Case, CaseMember, CaseSequence

BATCH = 5000
COURT_NAME = "性能测试人民法院"
COURT_CODE = "苏9999"
JUDGES = 20
FIRMS = 20
# Share of each type among the cases; the applications are short reviews, the cases long proceedings.
TYPE_WEIGHTS = [
    (CaseType.BANKRUPTCY_APPLICATION, 30),
    (CaseType.BANKRUPTCY, 40),
    (CaseType.LIQUIDATION_APPLICATION, 15),
    (CaseType.LIQUIDATION, 15),
]
KIND_OF: dict[str, str] = {
    CaseType.BANKRUPTCY_APPLICATION: "破产",
    CaseType.BANKRUPTCY: "破产",
    CaseType.LIQUIDATION_APPLICATION: "强制清算",
    CaseType.LIQUIDATION: "强制清算",
}
PROCEDURE_OF: dict[str, str] = {
    CaseType.BANKRUPTCY: Procedure.LIQUIDATION,
    CaseType.LIQUIDATION: Procedure.COMPULSORY_LIQUIDATION,
}
UTC = dt.UTC
# Django's mark for "no password can match" (the users are only for the dashboards' scope).
UNUSABLE_PASSWORD = "!"  # noqa: S105


@dataclass
class Seeded:
    court: Organisation
    admin: User
    judges: list[User]
    firms: list[Organisation] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _moment(day: dt.date, hour: int = 2) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _people(rng: random.Random) -> tuple[Organisation, User, list[User], list[Organisation]]:
    court, _created = Organisation.objects.get_or_create(
        kind=OrganisationKind.COURT, court_code=COURT_CODE, defaults={"name": COURT_NAME}
    )
    if Case.objects.filter(court=court).exists():
        raise ValueError(f"{COURT_NAME} already has cases: seed a fresh database")
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    judges = [
        User(
            username=f"perf_judge_{i}",
            role=Role.JUDGE,
            full_name=f"{surnames[i % len(surnames)]}法官{i}",
            organisation=court,
            password=UNUSABLE_PASSWORD,
        )
        for i in range(JUDGES)
    ]
    admin = User(
        username="perf_admin",
        role=Role.COURT_ADMIN,
        full_name="性能测试管理员",
        organisation=court,
        password=UNUSABLE_PASSWORD,
    )
    User.objects.bulk_create([*judges, admin])
    firms = [
        Organisation(kind=OrganisationKind.ADMINISTRATOR_FIRM, name=f"性能测试第{i}律师事务所") for i in range(FIRMS)
    ]
    Organisation.objects.bulk_create(firms)
    return court, admin, judges, firms


class _Adapt:
    """Python values as the database driver takes them, the way Django's fields would prepare them, without
    building a model instance per row (which costs more than the insert itself at this size)."""

    def __init__(self) -> None:
        self.ops = connection.ops
        self.sqlite = connection.vendor == "sqlite"
        self.json = AuditEvent._meta.get_field("after")

    def uuid(self, value: uuid.UUID | None) -> Any:
        if value is None:
            return None
        return value.hex if self.sqlite else value

    def moment(self, value: dt.datetime | None) -> Any:
        return self.ops.adapt_datetimefield_value(value)

    def day(self, value: dt.date | None) -> Any:
        return self.ops.adapt_datefield_value(value)

    def document(self, value: Any) -> Any:
        return self.json.get_db_prep_save(value, connection)


def _raw_insert(table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    """INSERT the rows with executemany, BATCH at a time."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    written = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def seed(*, cases: int, seed_value: int = 1, today: dt.date | None = None) -> Seeded:
    """Create ``cases`` cases (and everything around them) at the synthetic court."""
    rng = random.Random(seed_value)  # noqa: S311 - reproducible test data, not secrets
    today = today or dt.date.today()
    clock = time.perf_counter()
    court, admin, judges, firms = _people(rng)
    result = Seeded(court=court, admin=admin, judges=judges, firms=firms)
    types = [t for t, _w in TYPE_WEIGHTS]
    weights = [w for _t, w in TYPE_WEIGHTS]
    first_day = dt.date(today.year - 4, 1, 1)
    span = (today - first_day).days
    sequences: dict[tuple[str, int], int] = {}
    rows: list[Case] = []
    for _ in range(cases):
        case_type = rng.choices(types, weights)[0]
        filed_on = first_day + dt.timedelta(days=rng.randrange(span))
        key = (case_type, filed_on.year)
        sequences[key] = sequences.get(key, 0) + 1
        accepted_on = filed_on + dt.timedelta(days=rng.randint(1, 20))
        long_case = case_type in PROCEDURE_OF
        length = rng.randint(200, 1100) if long_case else rng.randint(10, 60)
        closed_on = accepted_on + dt.timedelta(days=length)
        if closed_on >= today:
            closed_on_value, status = None, CaseStatus.OPEN if accepted_on < today else CaseStatus.PENDING
        else:
            closed_on_value, status = closed_on, CaseStatus.CLOSED
        rows.append(
            Case(
                court=court,
                case_type=case_type,
                year=filed_on.year,
                sequence=sequences[key],
                number=f"({filed_on.year}){COURT_CODE}{CASE_TYPE_CODE[case_type]}{sequences[key]}号",
                title=f"性能测试第{len(rows) + 1}号公司{KIND_OF[case_type]}案",
                status=status,
                filed_on=filed_on,
                accepted_on=accepted_on if status != CaseStatus.PENDING else None,
                closed_on=closed_on_value,
                presiding_judge=rng.choice(judges),
            )
        )
    for chunk in _chunks(rows):
        Case.objects.bulk_create(chunk)
    CaseSequence.objects.bulk_create(
        [CaseSequence(court=court, case_type=t, year=y, last_value=v) for (t, y), v in sequences.items()]
    )
    result.seconds["cases"] = time.perf_counter() - clock

    clock = time.perf_counter()
    members: list[CaseMember] = []
    proceedings: list[Proceeding] = []
    firm_of: dict[uuid.UUID, Organisation] = {}
    for case in rows:
        members.append(CaseMember(case=case, role=MemberRole.PRESIDING_JUDGE, user=case.presiding_judge))
        if case.case_type in PROCEDURE_OF and case.accepted_on is not None:
            firm = firm_of[case.pk] = rng.choice(firms)
            members.append(CaseMember(case=case, role=MemberRole.ADMINISTRATOR, organisation=firm))
            procedure = PROCEDURE_OF[case.case_type]
            proceedings.append(
                Proceeding(
                    case=case,
                    procedure=procedure,
                    branch=procedure,
                    opened_on=case.accepted_on,
                    status="closed" if case.closed_on else "open",
                    closed_on=case.closed_on,
                )
            )
    for chunk in _chunks(members):
        CaseMember.objects.bulk_create(chunk)
    for chunk in _chunks(proceedings):
        Proceeding.objects.bulk_create(chunk)
    records = _raw_insert(
        NodeRecord._meta.db_table, NODE_COLUMNS, _nodes(rng, proceedings, {case.pk: case for case in rows}, today=today)
    )
    result.seconds["proceedings and nodes"] = time.perf_counter() - clock

    clock = time.perf_counter()
    events = append_events(_events(rng, proceedings, {case.pk: case for case in rows}, today=today))
    result.seconds["audit events"] = time.perf_counter() - clock
    result.counts = {
        "cases": len(rows),
        "members": len(members),
        "proceedings": len(proceedings),
        "node records": records,
        "audit events": events,
    }
    return result


NODE_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "proceeding_id",
    "node_key",
    "procedure",
    "position",
    "status",
    "version",
    "started_at",
    "started_by_id",
    "submitted_at",
    "submitted_by_id",
    "completed_at",
    "completed_by_id",
    "deadline_key",
    "due_on",
    "due_basis",
    "holiday_data",
    "calendar_version",
    "extended",
]


def _nodes(
    rng: random.Random, proceedings: list[Proceeding], cases: dict[uuid.UUID, Case], *, today: dt.date
) -> Iterator[tuple[Any, ...]]:
    """Each proceeding's nodes: the first k completed one after the other, the next in progress with a
    deadline (overdue in some cases), the rest waiting; a closed proceeding has them all completed."""
    adapt = _Adapt()
    now = adapt.moment(_moment(today))
    for proceeding in proceedings:
        case = cases[proceeding.case_id]
        nodes = [n for n in get_procedure(proceeding.procedure).nodes if not n.optional and not n.conversion_only]
        reached = len(nodes) if case.closed_on else rng.randrange(len(nodes))
        day = proceeding.opened_on
        for position, node in enumerate(nodes, start=1):
            status, started, completed, due = NodeStatus.BLOCKED, None, None, None
            if position <= reached:
                took = rng.randint(3, 60)
                status, started, completed = NodeStatus.COMPLETED, _moment(day), _moment(day + dt.timedelta(days=took))
                due = day + dt.timedelta(days=rng.randint(15, 60)) if node.deadline_key else None
                day += dt.timedelta(days=took)
            elif position == reached + 1:
                status, started = NodeStatus.IN_PROGRESS, _moment(min(day, today))
                due = day + dt.timedelta(days=rng.randint(15, 90))
            yield (
                adapt.uuid(uuid.uuid4()),
                now,
                now,
                adapt.uuid(proceeding.pk),
                node.key,
                proceeding.procedure,
                position,
                str(status),
                1,
                adapt.moment(started),
                None,
                None,
                None,
                adapt.moment(completed),
                None,
                node.deadline_key or "",
                adapt.day(due),
                "",
                None,
                None,
                False,
            )


def _events(
    rng: random.Random, proceedings: list[Proceeding], cases: dict[uuid.UUID, Case], *, today: dt.date
) -> Iterator[dict[str, Any]]:
    """Per proceeding: a creditors' meeting with its sign-ins and, for the evaluation's reading, a
    question asked and answered. Field values as record_event would store them."""
    for proceeding in proceedings:
        case = cases[proceeding.case_id]
        day = min(proceeding.opened_on + dt.timedelta(days=30), today)
        for _ in range(rng.randint(2, 8)):
            yield _event(day, sources.SIGNED_IN, case, None)
        question = str(uuid.uuid4())
        yield {**_event(day, "meetings.question_asked", case, None), "object_id": question}
        yield {**_event(day, "meetings.question_answered", case, None), "object_id": question}
        yield _event(day, sources.MEETING_CLOSED, case, None)


def _event(day: dt.date, action: str, case: Case, after: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "occurred_at": _moment(day, 3),
        "action": action,
        "case_id": case.pk,
        "object_type": "analytics.Synthetic",
        "object_id": str(uuid.uuid4()),
        "after": after,
    }


EVENT_COLUMNS = [
    "seq",
    "event_id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "case_id",
    "object_type",
    "object_id",
    "before",
    "after",
    "prev_hash",
    "hash",
]


@transaction.atomic
def append_events(events: Iterator[dict[str, Any]]) -> int:
    """Append events to the chain in bulk, under the head's lock, hashed exactly as record_event does."""
    head = AuditHead.objects.select_for_update().get(pk=1)
    adapt = _Adapt()
    state: dict[str, Any] = {"seq": head.last_seq, "prev": head.last_hash}

    def rows() -> Iterator[tuple[Any, ...]]:
        for item in events:
            state["seq"] += 1
            event_id = uuid.uuid4()
            fields = {
                "seq": state["seq"],
                "event_id": str(event_id),
                "occurred_at": format_timestamp(item["occurred_at"]),
                "actor_id": None,
                "actor_label": "system",
                "action": item["action"],
                "case_id": str(item["case_id"]),
                "object_type": item["object_type"],
                "object_id": item["object_id"],
                "before": None,
                "after": item["after"],
                "prev_hash": state["prev"],
            }
            digest = event_hash(fields)
            yield (
                state["seq"],
                adapt.uuid(event_id),
                adapt.moment(item["occurred_at"]),
                None,
                "system",
                item["action"],
                adapt.uuid(item["case_id"]),
                item["object_type"],
                item["object_id"],
                adapt.document(None),
                adapt.document(item["after"]),
                state["prev"],
                digest,
            )
            state["prev"] = digest

    written = _raw_insert(AuditEvent._meta.db_table, EVENT_COLUMNS, rows())
    AuditHead.objects.filter(pk=1).update(last_seq=state["seq"], last_hash=state["prev"])
    return written


def max_seq() -> int:
    return AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0
