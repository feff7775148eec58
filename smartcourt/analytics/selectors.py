"""The dashboards' figures, scoped to the user: a judge sees the cases he presides over, the court's
administrator and filing clerks the whole court (the same cases cases_visible_to gives them), nobody else any.

Every panel is one table (header + rows) that the page shows beside its chart, the chart draws and the xlsx
export writes: the three can never disagree.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.analytics.models import CaseFact, NodeFact, Refresh
from smartcourt.cases.choices import CASE_TYPE_CODE, CaseType
from smartcourt.core.errors import PermissionDenied

# The four types the dashboards are about, in the order of the issue.
TYPES = [CaseType.BANKRUPTCY_APPLICATION, CaseType.BANKRUPTCY, CaseType.LIQUIDATION_APPLICATION, CaseType.LIQUIDATION]
COURT_WIDE = frozenset({Role.COURT_ADMIN, Role.FILING_CLERK})


@dataclass(frozen=True)
class Filters:
    court_id: uuid.UUID | None = None
    year: int | None = None
    case_type: str = ""


@dataclass
class Panel:
    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]
    # How the chart draws the table: "bar" or "line" per numeric column index; the first column is the axis.
    series: dict[int, str] = field(default_factory=dict)
    stack: bool = False

    def chart(self) -> dict[str, Any]:
        return {
            "categories": [str(row[0]) for row in self.rows],
            "series": [
                {
                    "name": self.header[index],
                    "type": kind,
                    "data": [float(row[index]) if isinstance(row[index], Decimal) else row[index] for row in self.rows],
                    **({"stack": "total"} if self.stack and kind == "bar" else {}),
                }
                for index, kind in self.series.items()
            ],
        }


def may_see_dashboards(user: User) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.organisation_id and user.role in COURT_WIDE | {Role.JUDGE}
    )


def _scope(user: User) -> tuple[QuerySet[CaseFact], QuerySet[NodeFact]]:
    """The summary rows of the cases the user may see. For the court-wide roles cases_visible_to is "every
    case of the user's own court", so the summary is filtered by that court's id directly: the same set (a
    test holds the two equal) without a subquery over every case in each of the page's queries."""
    if not may_see_dashboards(user):
        raise PermissionDenied(_("The dashboards are for judges and the court's administrators"))
    if user.role in COURT_WIDE:
        return (
            CaseFact.objects.filter(court_id=user.organisation_id),
            NodeFact.objects.filter(court_id=user.organisation_id),
        )
    return (
        CaseFact.objects.filter(judge=user, court_id=user.organisation_id),
        NodeFact.objects.filter(judge=user, court_id=user.organisation_id),
    )


def court_choices(user: User) -> list[Organisation]:
    cases, _nodes = _scope(user)
    return list(Organisation.objects.filter(pk__in=cases.values("court_id").distinct()).order_by("name"))


def year_choices(user: User) -> list[int]:
    cases, _nodes = _scope(user)
    return sorted(set(cases.values_list("year", flat=True).distinct()), reverse=True)


def last_refresh() -> Refresh | None:
    return Refresh.objects.first()


def _filtered(user: User, filters: Filters) -> tuple[QuerySet[CaseFact], QuerySet[NodeFact]]:
    cases, nodes = _scope(user)
    if filters.court_id:
        cases, nodes = cases.filter(court_id=filters.court_id), nodes.filter(court_id=filters.court_id)
    if filters.case_type:
        cases, nodes = cases.filter(case_type=filters.case_type), nodes.filter(case_type=filters.case_type)
    return cases, nodes


def _yuan(fen: int | None) -> Decimal:
    return (Decimal(fen or 0) / 100).quantize(Decimal("0.01"))


def _types(filters: Filters) -> list[str]:
    return [filters.case_type] if filters.case_type in TYPES else list(TYPES)


def cases_per_month(user: User, filters: Filters) -> Panel:
    """Cases received (by type) and closed, per month of the year."""
    cases, _nodes = _filtered(user, filters)
    cases = cases.filter(case_type__in=TYPES)
    received_q, closed_q = cases, cases.filter(closed_month__isnull=False)
    if filters.year:
        received_q, closed_q = received_q.filter(year=filters.year), closed_q.filter(closed_year=filters.year)
    received: dict[tuple[Any, str], int] = {
        (row["filed_month"], row["case_type"]): row["n"]
        for row in received_q.values("filed_month", "case_type").annotate(n=Count("case_id")).order_by()
    }
    closed: dict[Any, int] = {
        row["closed_month"]: row["n"] for row in closed_q.values("closed_month").annotate(n=Count("case_id")).order_by()
    }
    months = sorted({month for month, _t in received} | set(closed))
    types = _types(filters)
    rows = [
        [month.strftime("%Y-%m"), *[received.get((month, t), 0) for t in types], closed.get(month, 0)]
        for month in months
    ]
    header = [_("Month"), *[_("Received %(code)s") % {"code": CASE_TYPE_CODE[t]} for t in types], _("Closed")]
    series = {i + 1: "bar" for i in range(len(types))} | {len(types) + 1: "line"}
    return Panel("months", _("Cases received and closed per month"), header, rows, series=series, stack=True)


def nodes(user: User, filters: Filters) -> Panel:
    """Cases at each node now, and the mean days a completed node took."""
    _cases, node_q = _filtered(user, filters)
    if filters.year:
        node_q = node_q.filter(year=filters.year)
    rows = []
    for row in (
        node_q.values("node_key")
        .annotate(current=Sum("current"), completed=Sum("completed"), days=Sum("completed_days"), late=Sum("overdue"))
        .order_by("node_key")
    ):
        mean = (Decimal(row["days"]) / row["completed"]).quantize(Decimal("0.1")) if row["completed"] else Decimal(0)
        rows.append([row["node_key"], row["current"], row["late"], row["completed"], mean])
    header = [_("Node"), _("Cases at the node"), _("Overdue"), _("Completed"), _("Mean days to complete")]
    return Panel(
        "nodes", _("Cases per node and time spent per node"), header, rows, series={1: "bar", 2: "bar", 4: "line"}
    )


def _year(cases: QuerySet[CaseFact], filters: Filters) -> QuerySet[CaseFact]:
    return cases.filter(year=filters.year) if filters.year else cases


def overdue_by_judge(user: User, filters: Filters) -> Panel:
    cases, _nodes = _filtered(user, filters)
    rows = [
        [row["judge__full_name"] or _("(none)"), row["cases"], row["nodes"] or 0, row["days"] or 0]
        for row in _year(cases, filters)
        .filter(overdue_nodes__gt=0)
        .values("judge__full_name")
        .annotate(cases=Count("case_id"), nodes=Sum("overdue_nodes"), days=Sum("overdue_days"))
        .order_by("-nodes", "judge__full_name")
    ]
    header = [_("Judge"), _("Cases with overdue nodes"), _("Overdue nodes"), _("Days overdue")]
    return Panel("judges", _("Overdue nodes per judge"), header, rows, series={2: "bar"})


def overdue_by_firm(user: User, filters: Filters) -> Panel:
    cases, _nodes = _filtered(user, filters)
    rows = [
        [row["firm__name"] or _("(none)"), row["cases"], row["nodes"] or 0, row["days"] or 0]
        for row in _year(cases, filters)
        .filter(overdue_nodes__gt=0)
        .values("firm__name")
        .annotate(cases=Count("case_id"), nodes=Sum("overdue_nodes"), days=Sum("overdue_days"))
        .order_by("-nodes", "firm__name")
    ]
    header = [_("Administrator firm"), _("Cases with overdue nodes"), _("Overdue nodes"), _("Days overdue")]
    return Panel("firms", _("Overdue nodes per administrator firm"), header, rows, series={2: "bar"})


def money(user: User, filters: Filters) -> Panel:
    """Funds under supervision and distributions paid, by firm."""
    cases, _nodes = _filtered(user, filters)
    rows = [
        [row["firm__name"], _yuan(row["funds"]), row["paid"] or 0, _yuan(row["paid_fen"])]
        for row in _year(cases, filters)
        .filter(firm__isnull=False)
        .values("firm__name")
        .annotate(funds=Sum("funds_fen"), paid=Sum("distributions_paid"), paid_fen=Sum("distributions_paid_fen"))
        .order_by("firm__name")
    ]
    header = [
        _("Administrator firm"),
        _("Funds under supervision (yuan)"),
        _("Distributions paid"),
        _("Distributions paid (yuan)"),
    ]
    return Panel(
        "money", _("Funds under supervision and distributions paid"), header, rows, series={1: "bar", 3: "bar"}
    )


def claims_and_meetings(user: User, filters: Filters) -> Panel:
    """Claims declared and confirmed, creditors' meetings and sign-ins, by case type."""
    cases, _nodes = _filtered(user, filters)
    rows = []
    for row in (
        _year(cases, filters)
        .filter(case_type__in=TYPES)
        .values("case_type")
        .annotate(
            declared=Sum("claims_declared"),
            declared_fen=Sum("claims_declared_fen"),
            confirmed=Sum("claims_confirmed"),
            confirmed_fen=Sum("claims_confirmed_fen"),
            meetings=Sum("meetings_closed"),
            sign_ins=Sum("meeting_sign_ins"),
        )
        .order_by("case_type")
    ):
        meetings = row["meetings"] or 0
        per_meeting = (Decimal(row["sign_ins"] or 0) / meetings).quantize(Decimal("0.1")) if meetings else Decimal(0)
        rows.append(
            [
                CASE_TYPE_CODE[row["case_type"]],
                row["declared"] or 0,
                _yuan(row["declared_fen"]),
                row["confirmed"] or 0,
                _yuan(row["confirmed_fen"]),
                meetings,
                row["sign_ins"] or 0,
                per_meeting,
            ]
        )
    header = [
        _("Case type"),
        _("Claims declared"),
        _("Declared (yuan)"),
        _("Claims confirmed"),
        _("Confirmed (yuan)"),
        _("Meetings held"),
        _("Sign-ins"),
        _("Attendance per meeting"),
    ]
    return Panel(
        "claims",
        _("Claims declared and confirmed, meeting attendance"),
        header,
        rows,
        series={1: "bar", 3: "bar", 7: "line"},
    )


def online_filing(user: User, filters: Filters) -> Panel:
    """The share of first-instance civil cases filed online, per court and month received (the Beijing courts
    reported 82.9% in 2022): docketed from an online filing (网上立案) over all 民初 cases received."""
    cases, _nodes = _filtered(user, filters)
    civil = _year(cases, filters).filter(case_type=CaseType.CIVIL_FIRST_INSTANCE)
    rows = []
    for row in (
        civil.values("filed_month", "court__name")
        .annotate(total=Count("case_id"), online=Count("case_id", filter=Q(filed_online=True)))
        .order_by("filed_month", "court__name")
    ):
        share = (Decimal(100 * row["online"]) / row["total"]).quantize(Decimal("0.1"))
        rows.append([row["filed_month"].strftime("%Y-%m"), row["court__name"], row["online"], row["total"], share])
    header = [_("Month"), _("Court"), _("Filed online"), _("First-instance civil cases"), _("Share filed online (%)")]
    return Panel(
        "online", _("First-instance civil cases filed online"), header, rows, series={2: "bar", 3: "bar", 4: "line"}
    )


PANELS = {
    "months": cases_per_month,
    "nodes": nodes,
    "judges": overdue_by_judge,
    "firms": overdue_by_firm,
    "money": money,
    "claims": claims_and_meetings,
    "online": online_filing,
}


def dashboard(user: User, filters: Filters) -> list[Panel]:
    return [build(user, filters) for build in PANELS.values()]


def totals(user: User, filters: Filters) -> dict[str, int]:
    cases, _nodes = _filtered(user, filters)
    cases = _year(cases, filters)
    return cases.aggregate(cases=Count("case_id"), overdue=Sum("overdue_nodes"), closed=Count("closed_month")) | {
        "open_overdue_cases": cases.filter(overdue_nodes__gt=0).count()
    }
