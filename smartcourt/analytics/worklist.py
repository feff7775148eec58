"""What waits for a user: the work list at the top of his home page (issue 16.8).

A judge sees the payments he must decide, the requests he must answer, the nodes he must confirm and the
deadlines of his cases (overdue apart from due within a week); an assistant the payments to review; an
administrator his overdue and due nodes and what the court returned to him; a creditor the next dates of his
cases. Everything is read through the user-scoped selectors and the page rules, so the list links only to pages
the user may open. It sits with the reporting apps because it reads several domain apps at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.bankruptcy.choices import OPEN_NODE_STATUSES, NodeStatus
from smartcourt.bankruptcy.models import NodeRecord, Proceeding
from smartcourt.bankruptcy.rulepack import get_procedure
from smartcourt.cases.models import Case
from smartcourt.cases.policies import is_appointed_administrator, is_judge_of, may_see_case_work
from smartcourt.cases.selectors import cases_visible_to
from smartcourt.claims.selectors import claim_deadlines, tracker_for
from smartcourt.correspondence.choices import ThreadStatus
from smartcourt.correspondence.models import Thread
from smartcourt.funds.choices import PaymentStatus
from smartcourt.funds.models import PaymentRequest
from smartcourt.funds.selectors import court_queue

DUE_SOON_DAYS = 7
LIST_LENGTH = 10


@dataclass(frozen=True)
class Item:
    case_number: str
    text: str
    url: str
    when: str = ""
    urgent: bool = False


@dataclass
class Section:
    key: str
    heading: str
    items: list[Item] = field(default_factory=list)
    total: int = 0
    empty: str = ""


@dataclass
class WorkList:
    sections: list[Section] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(section.total for section in self.sections)


def _section(key: str, heading: str, items: list[Item], empty: str) -> Section:
    return Section(key=key, heading=heading, items=items[:LIST_LENGTH], total=len(items), empty=empty)


def _node_deadlines(user: User, cases: list[Case], *, operator: str | None, today: dt.date) -> list[Section]:
    """Overdue nodes and nodes due within DUE_SOON_DAYS, most urgent first (``operator``: only the nodes this
    side works, e.g. the administrator's)."""
    records = (
        NodeRecord.objects.filter(proceeding__case__in=cases, status__in=OPEN_NODE_STATUSES, due_on__isnull=False)
        .select_related("proceeding__case")
        .order_by("due_on")
    )
    overdue: list[Item] = []
    soon: list[Item] = []
    for record in records:
        node = get_procedure(record.procedure).node(record.node_key)
        if node.optional and record.status == NodeStatus.PENDING:
            continue  # an alternative nobody has taken up is not work
        if operator is not None and node.operator != operator:
            continue
        assert record.due_on is not None
        case = record.proceeding.case
        url = reverse("bankruptcy:case_nodes", args=[case.pk]) + f"#node-{record.node_key}"
        text = f"{record.node_key} {node.name_zh}"
        days = (record.due_on - today).days
        if days < 0:
            when = _("due %(due)s, %(days)d days late") % {"due": record.due_on.isoformat(), "days": -days}
            overdue.append(Item(case.number, text, url, when, urgent=True))
        elif days <= DUE_SOON_DAYS:
            when = _("due %(due)s, in %(days)d days") % {"due": record.due_on.isoformat(), "days": days}
            soon.append(Item(case.number, text, url, when))
    # Records come by deadline: the longest overdue first.
    return [
        _section("overdue", _("Overdue nodes"), overdue, _("Nothing is overdue.")),
        _section("due_soon", _("Due in the next 7 days"), soon, _("Nothing falls due in the next 7 days.")),
    ]


def _payments(user: User, heading: str) -> Section:
    items = [
        Item(
            p.case.number,
            f"#{p.number} {p.payee_name}",
            reverse("funds:payment", args=[p.case_id, p.pk]),
            p.created_at.date().isoformat(),
        )
        for p in court_queue(user)
    ]
    return _section("payments", heading, items, _("No payment waits for you."))


def _judge(user: User, cases: list[Case], today: dt.date) -> list[Section]:
    mine = [case for case in cases if is_judge_of(user, case)]
    threads = Thread.objects.filter(
        case__in=mine, status__in=[ThreadStatus.SUBMITTED, ThreadStatus.RESUBMITTED]
    ).select_related("case")
    confirm = NodeRecord.objects.filter(
        proceeding__case__in=mine, status=NodeStatus.AWAITING_CONFIRMATION
    ).select_related("proceeding__case")
    return [
        _payments(user, _("Payments to decide")),
        _section(
            "requests",
            _("Requests and reports to answer"),
            [
                Item(t.case.number, t.subject, reverse("correspondence:detail", args=[t.case_id, t.pk]))
                for t in threads.order_by("created_at")
            ],
            _("No request waits for your answer."),
        ),
        _section(
            "confirm",
            _("Nodes to confirm"),
            [
                Item(
                    r.proceeding.case.number,
                    f"{r.node_key} {get_procedure(r.procedure).node(r.node_key).name_zh}",
                    reverse("bankruptcy:case_nodes", args=[r.proceeding.case_id]) + f"#node-{r.node_key}",
                )
                for r in confirm.order_by("submitted_at")
            ],
            _("No node waits for your confirmation."),
        ),
        *_node_deadlines(user, mine, operator=None, today=today),
    ]


def _assistant(user: User, cases: list[Case], today: dt.date) -> list[Section]:
    return [
        _payments(user, _("Payments to review")),
        *_node_deadlines(user, [c for c in cases if may_see_case_work(user, c)], operator=None, today=today),
    ]


def _administrator(user: User, cases: list[Case], today: dt.date) -> list[Section]:
    mine = [case for case in cases if is_appointed_administrator(user, case)]
    returned: list[Item] = [
        Item(
            r.proceeding.case.number,
            f"{r.node_key} {get_procedure(r.procedure).node(r.node_key).name_zh}",
            reverse("bankruptcy:case_nodes", args=[r.proceeding.case_id]) + f"#node-{r.node_key}",
            _("node returned by the court"),
            urgent=True,
        )
        for r in NodeRecord.objects.filter(proceeding__case__in=mine, status=NodeStatus.RETURNED).select_related(
            "proceeding__case"
        )
    ]
    returned += [
        Item(
            t.case.number,
            t.subject,
            reverse("correspondence:detail", args=[t.case_id, t.pk]),
            _("more information asked"),
            urgent=True,
        )
        for t in Thread.objects.filter(case__in=mine, status=ThreadStatus.MORE_INFO_REQUESTED).select_related("case")
    ]
    returned += [
        Item(
            p.case.number,
            f"#{p.number} {p.payee_name}",
            reverse("funds:payment", args=[p.case_id, p.pk]),
            _("payment returned for changes"),
            urgent=True,
        )
        for p in PaymentRequest.objects.filter(case__in=mine, status=PaymentStatus.RETURNED).select_related("case")
    ]
    return [
        *_node_deadlines(user, mine, operator="administrator", today=today),
        _section("returned", _("Returned to you"), returned, _("Nothing was returned to you.")),
    ]


def _creditor(user: User, cases: list[Case], today: dt.date) -> list[Section]:
    """The next dates of the creditor's cases: the end of the claims period and the meeting, as announced."""
    items: list[Item] = []
    proceedings = Proceeding.objects.filter(case__in=cases).select_related("case")
    for proceeding in proceedings:
        anchors = proceeding.anchor_dates or {}
        for label, value in (
            (_("Claims period ends"), anchors.get("claims_period_ends_on")),
            (_("Creditors' meeting"), anchors.get("meeting_on")),
        ):
            day = dt.date.fromisoformat(value) if value else None
            if day is not None and day >= today:
                items.append(
                    Item(
                        proceeding.case.number,
                        label,
                        reverse("cases:detail", args=[proceeding.case_id]),
                        day.isoformat(),
                    )
                )
    # The dates of his own claims: the objection period and the last day to sue (EBL art. 58).
    labels = {
        "declaration": _("End of the declaration period"),
        "objection": _("End of the objection period"),
        "suit": _("Last day to sue"),
    }
    for claim in tracker_for(user)[:200]:
        for key, deadline in claim_deadlines(claim, today=today).items():
            if key != "declaration" and deadline.days_left >= 0:
                items.append(
                    Item(
                        claim.case.number,
                        f"{labels[key]} · {claim.case.title}",
                        reverse("claims:tracker"),
                        deadline.on.isoformat(),
                        urgent=deadline.days_left <= DUE_SOON_DAYS,
                    )
                )
    items.sort(key=lambda item: item.when)
    return [_section("dates", _("Your next dates"), items, _("No date is announced yet in your cases."))]


_BUILDERS: dict[str, Callable[[User, list[Case], dt.date], list[Section]]] = {
    Role.JUDGE: _judge,
    Role.JUDGE_ASSISTANT: _assistant,
    Role.ADMINISTRATOR: _administrator,
    Role.CREDITOR: _creditor,
    Role.PARTY: _creditor,
}


def work_list(user: User, *, today: dt.date | None = None) -> WorkList | None:
    """The user's work list, or None for roles whose home page already is one (the clerk's intake queue)."""
    builder = _BUILDERS.get(user.role)
    if builder is None:
        return None
    cases = list(cases_visible_to(user).filter(~Q(status="closed")).select_related("court"))
    return WorkList(sections=builder(user, cases, today or timezone.localdate()))
