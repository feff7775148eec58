"""Reads of proceedings, always scoped to the user asking: a case's node timeline, the judges' supervision
board and the statistics of bankruptcy and liquidation cases."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from smartcourt.accounts.models import Organisation, User
from smartcourt.bankruptcy.choices import OPEN_NODE_STATUSES, Colour, NodeStatus
from smartcourt.bankruptcy.models import NodeOutput, NodeRecord, NodeTransition, Proceeding, Reminder
from smartcourt.bankruptcy.policies import can_operate, can_view_nodes, is_court_operator, is_judge_of
from smartcourt.bankruptcy.rulepack import Node, Output, ProcedureDef, get_procedure
from smartcourt.bankruptcy.schedule import deadline_colour
from smartcourt.cases.choices import CASE_TYPE_CODE, CaseType
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import cases_visible_to, get_case_for
from smartcourt.core.errors import PermissionDenied
from smartcourt.core.lookups import get_or_not_found
from smartcourt.rules.calendar import HolidayCalendar, current_calendar
from smartcourt.rules.deadlines import ANCHORS

# Worst first: the board sorts and colours a case by its most urgent open node.
COLOUR_RANK = {Colour.RED: 0, Colour.YELLOW: 1, Colour.GREEN: 2, Colour.NONE: 3}
PROCEEDING_CASE_TYPES = (CaseType.BANKRUPTCY, CaseType.LIQUIDATION)
STATISTICS_CASE_TYPES = (
    CaseType.BANKRUPTCY_APPLICATION,
    CaseType.BANKRUPTCY,
    CaseType.LIQUIDATION_APPLICATION,
    CaseType.LIQUIDATION,
)
RECENT_REMINDER_DAYS = 7


@dataclass(frozen=True)
class OutputRow:
    """One output of a node as defined, with what has been provided for it (latest last)."""

    output: Output
    provided: list[NodeOutput]

    @property
    def done(self) -> bool:
        return bool(self.provided)


@dataclass(frozen=True)
class NodeRow:
    record: NodeRecord
    node: Node
    colour: Colour
    outputs: list[OutputRow]
    transitions: list[NodeTransition]
    may_operate: bool

    @property
    def missing(self) -> list[Output]:
        return [row.output for row in self.outputs if row.output.required and not row.done]

    @property
    def is_open(self) -> bool:
        return self.record.status in OPEN_NODE_STATUSES

    @property
    def completed_late(self) -> bool | None:
        """For a completed node with a deadline: whether it was completed after it (None otherwise)."""
        record = self.record
        if record.status != NodeStatus.COMPLETED or record.due_on is None or record.completed_at is None:
            return None
        return timezone.localdate(record.completed_at) > record.due_on


@dataclass(frozen=True)
class AnchorRow:
    name: str
    label_zh: str
    label_en: str
    value: dt.date | None


@dataclass(frozen=True)
class ProceedingView:
    case: Case
    proceeding: Proceeding
    procedure: ProcedureDef
    branch: ProcedureDef
    rows: list[NodeRow]
    anchors: list[AnchorRow]
    reminders: list[Reminder]
    is_judge: bool
    is_court_operator: bool
    today: dt.date

    @property
    def can_convert(self) -> bool:
        return self.is_judge and self.branch.conversion is not None and self.proceeding.status == "open"


def _load_case(user: User, case_id: uuid.UUID | str) -> Case:
    case = get_case_for(user, case_id)
    if not can_view_nodes(user, case):
        raise PermissionDenied("Only the court and the appointed administrator see this case's node work")
    return case


def proceeding_for(user: User, case_id: uuid.UUID | str, *, today: dt.date | None = None) -> ProceedingView:
    """A case's node timeline, for court staff of its court and its appointed administrator; NotFound when the
    case is hidden or has no proceeding, PermissionDenied for other members of the case."""
    case = _load_case(user, case_id)
    proceeding = get_or_not_found(Proceeding, f"{case.number} has no bankruptcy proceeding", case=case)
    today = today or timezone.localdate()
    calendar = current_calendar()
    records = (
        proceeding.nodes.order_by("position")
        .select_related("started_by", "submitted_by", "completed_by")
        .prefetch_related(
            Prefetch(
                "outputs",
                queryset=NodeOutput.objects.select_related("dossier_entry", "provided_by").order_by("provided_at"),
            ),
            Prefetch("transitions", queryset=NodeTransition.objects.select_related("actor").order_by("at", "id")),
        )
    )
    rows = [_node_row(record, user=user, case=case, today=today, calendar=calendar) for record in records]
    anchors = {name: dt.date.fromisoformat(value) for name, value in proceeding.anchor_dates.items()}
    reminders = list(
        Reminder.objects.filter(case=case).select_related("record").order_by("-raised_on", "record__position")[:20]
    )
    return ProceedingView(
        case=case,
        proceeding=proceeding,
        procedure=get_procedure(proceeding.procedure),
        branch=get_procedure(proceeding.branch),
        rows=rows,
        anchors=[AnchorRow(a.name, a.label_zh, a.label_en, anchors.get(a.name)) for a in ANCHORS],
        reminders=reminders,
        is_judge=is_judge_of(user, case),
        is_court_operator=is_court_operator(user, case),
        today=today,
    )


def _node_row(record: NodeRecord, *, user: User, case: Case, today: dt.date, calendar: HolidayCalendar) -> NodeRow:
    node = get_procedure(record.procedure).node(record.node_key)
    provided: dict[str, list[NodeOutput]] = defaultdict(list)
    for output in record.outputs.all():
        provided[output.output_key].append(output)
    unfinished = record.status not in {NodeStatus.COMPLETED, NodeStatus.CANCELLED}
    return NodeRow(
        record=record,
        node=node,
        colour=deadline_colour(record.due_on, today, calendar) if unfinished else Colour.NONE,
        outputs=[OutputRow(output, provided.get(output.key, [])) for output in node.outputs],
        transitions=list(record.transitions.all()),
        may_operate=can_operate(user, case, node),
    )


# --- the supervision board ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardFilters:
    """Filters the board understands; empty means any."""

    court: str = ""
    procedure: str = ""
    colour: str = ""
    sort: str = "urgency"


BOARD_SORTS = ("urgency", "due", "number", "-number")


@dataclass(frozen=True)
class OpenNode:
    record: NodeRecord
    node: Node
    colour: Colour


@dataclass(frozen=True)
class BoardRow:
    case: Case
    proceeding: Proceeding | None
    open_nodes: list[OpenNode]
    reminders: int

    @property
    def colour(self) -> Colour:
        colours = [item.colour for item in self.open_nodes]
        return min(colours, key=COLOUR_RANK.__getitem__) if colours else Colour.NONE

    @property
    def next_due(self) -> dt.date | None:
        dates = [item.record.due_on for item in self.open_nodes if item.record.due_on is not None]
        return min(dates) if dates else None


@dataclass(frozen=True)
class StatisticsRow:
    court_code: str
    court_name: str
    year: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class DueNode:
    """An open node with its deadline as it stands today, for the reminders box."""

    case: Case
    record: NodeRecord
    node: Node
    days: int  # calendar days past the deadline (overdue) or left until it


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    colour_counts: dict[str, int]
    reminders: list[Reminder]
    statistics: list[StatisticsRow]
    today: dt.date
    # The reminders box, from the open nodes' deadlines today (not from reminders raised days ago): what is
    # overdue, and what falls due within the next DUE_SOON_DAYS days.
    overdue: list[DueNode] = field(default_factory=list)
    due_soon: list[DueNode] = field(default_factory=list)


DUE_SOON_DAYS = 7


def due_lists(rows: list[BoardRow], today: dt.date) -> tuple[list[DueNode], list[DueNode]]:
    """(overdue, due in the next DUE_SOON_DAYS days) among the rows' open nodes, most urgent first."""
    overdue: list[DueNode] = []
    due_soon: list[DueNode] = []
    for row in rows:
        for item in row.open_nodes:
            due = item.record.due_on
            if due is None:
                continue
            if due < today:
                overdue.append(DueNode(row.case, item.record, item.node, (today - due).days))
            elif due <= today + dt.timedelta(days=DUE_SOON_DAYS):
                due_soon.append(DueNode(row.case, item.record, item.node, (due - today).days))
    overdue.sort(key=lambda d: -d.days)
    due_soon.sort(key=lambda d: d.days)
    return overdue, due_soon


def require_court_staff(user: User) -> None:
    if not (user.is_authenticated and user.is_active and user.is_court_staff and user.organisation_id):
        raise PermissionDenied("The supervision board is for court staff")


def board_courts(user: User) -> list[Organisation]:
    """The courts whose cases ``user`` can see: the board's court filter."""
    require_court_staff(user)
    return list(Organisation.objects.filter(pk__in=cases_visible_to(user).values("court_id")).order_by("court_code"))


def board_for(user: User, filters: BoardFilters, *, today: dt.date | None = None) -> Board:
    """Every bankruptcy and compulsory-liquidation case ``user`` can see, with its open nodes coloured by
    deadline, filtered and sorted; plus recent reminders and the case statistics. Court staff only."""
    require_court_staff(user)
    today = today or timezone.localdate()
    calendar = current_calendar()
    visible = cases_visible_to(user)
    cases = visible.filter(case_type__in=PROCEEDING_CASE_TYPES).select_related("court", "presiding_judge")
    if filters.court:
        cases = cases.filter(court__court_code=filters.court)
    if filters.procedure:
        cases = cases.filter(proceeding__branch=filters.procedure)
    open_records = NodeRecord.objects.filter(status__in=OPEN_NODE_STATUSES).order_by("position")
    cases = cases.prefetch_related(Prefetch("proceeding__nodes", queryset=open_records, to_attr="open_records"))
    since = today - dt.timedelta(days=RECENT_REMINDER_DAYS)
    reminder_counts = dict(
        Reminder.objects.filter(case__in=visible, raised_on__gte=since)
        .values_list("case")
        .annotate(n=Count("id"))
        .values_list("case", "n")
    )
    rows: list[BoardRow] = []
    for case in cases:
        # A missing reverse one-to-one raises an AttributeError subclass: getattr's default covers it.
        proceeding: Proceeding | None = getattr(case, "proceeding", None)
        items: list[OpenNode] = []
        if proceeding is not None:
            for record in getattr(proceeding, "open_records", []):
                node = get_procedure(record.procedure).node(record.node_key)
                if node.optional and record.status == NodeStatus.PENDING:
                    continue  # an alternative nobody has taken up is not current work
                items.append(OpenNode(record, node, deadline_colour(record.due_on, today, calendar)))
        rows.append(
            BoardRow(case=case, proceeding=proceeding, open_nodes=items, reminders=reminder_counts.get(case.pk, 0))
        )
    colour_counts = {colour: sum(1 for row in rows if row.colour == colour) for colour in Colour.values}
    if filters.colour:
        rows = [row for row in rows if row.colour == filters.colour]
    rows = _sorted(rows, filters.sort)
    overdue, due_soon = due_lists(rows, today)
    reminders = list(
        Reminder.objects.filter(case__in=visible, raised_on__gte=since)
        .select_related("record", "case")
        .order_by("-raised_on", "kind", "due_on")[:50]
    )
    return Board(
        rows=rows,
        colour_counts=colour_counts,
        reminders=reminders,
        statistics=case_statistics(user),
        today=today,
        overdue=overdue,
        due_soon=due_soon,
    )


def _sorted(rows: list[BoardRow], sort: str) -> list[BoardRow]:
    far = dt.date.max
    if sort == "due":
        return sorted(rows, key=lambda row: (row.next_due or far, row.case.number))
    if sort == "number":
        return sorted(
            rows, key=lambda row: (row.case.court.court_code, row.case.year, row.case.case_type, row.case.sequence)
        )
    if sort == "-number":
        return sorted(
            rows,
            key=lambda row: (row.case.court.court_code, row.case.year, row.case.case_type, row.case.sequence),
            reverse=True,
        )
    return sorted(rows, key=lambda row: (COLOUR_RANK[row.colour], row.next_due or far, row.case.number))


def case_statistics(user: User) -> list[StatisticsRow]:
    """Counts of 破申, 破, 强清申 and 强清 cases per court and year, among the cases ``user`` can see."""
    counted: QuerySet[Case] = cases_visible_to(user).filter(case_type__in=STATISTICS_CASE_TYPES)
    found = (
        counted.values("court__court_code", "court__name", "year", "case_type")
        .annotate(n=Count("id"))
        .order_by("court__court_code", "-year")
    )
    rows: dict[tuple[str, int], StatisticsRow] = {}
    for item in found:
        key = (item["court__court_code"], item["year"])
        if key not in rows:
            rows[key] = StatisticsRow(
                court_code=item["court__court_code"],
                court_name=item["court__name"],
                year=item["year"],
                counts={CASE_TYPE_CODE[case_type]: 0 for case_type in STATISTICS_CASE_TYPES},
            )
        rows[key].counts[CASE_TYPE_CODE[item["case_type"]]] = item["n"]
    return sorted(rows.values(), key=lambda row: (row.court_code, -row.year))
