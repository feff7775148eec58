"""What each role's home page shows: counts and short lists of the user's own cases.

Reads only, always from the queryset ``cases_visible_to(user)`` gives, so a home page can never show more
than the user may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.cases.choices import CASE_TYPE_CODE, CaseStatus, CaseType, MemberRole
from smartcourt.cases.models import Case, CaseMember
from smartcourt.cases.selectors import cases_visible_to

HOME_LIST_LENGTH = 10


@dataclass(frozen=True)
class Tally:
    """One number on a home page, linking to the case list filtered the same way."""

    label: str
    count: int
    query: str
    code: str = ""


def _tally_by(cases: QuerySet[Case], field: str, choices: Any, *, extra_query: str = "") -> list[Tally]:
    # One aggregate query: a filtered COUNT per choice.
    totals = cases.aggregate(**{f"n_{value}": Count("pk", filter=Q(**{field: value})) for value in choices.values})
    param = "type" if field == "case_type" else field
    return [
        Tally(
            label=str(label),
            count=totals[f"n_{value}"],
            query=f"{param}={value}{extra_query}",
            code=CASE_TYPE_CODE.get(value, "") if field == "case_type" else "",
        )
        for value, label in choices.choices
    ]


def _where_member(cases: QuerySet[Case], user: User, role: str) -> QuerySet[Case]:
    """The cases on which the user, or the firm or bank the user works for, holds ``role``."""
    who = Q(user=user)
    if user.organisation_id is not None:
        who |= Q(organisation_id=user.organisation_id)
    return cases.filter(Exists(CaseMember.objects.filter(who, case=OuterRef("pk"), role=role)))


def _recent(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("court", "presiding_judge")[:HOME_LIST_LENGTH]


def _judge_home(user: User, cases: QuerySet[Case]) -> dict[str, object]:
    active = cases.exclude(status=CaseStatus.CLOSED)
    return {
        "presiding": _recent(active.filter(presiding_judge=user)),
        "panel": _recent(_where_member(active, user, MemberRole.PANEL_JUDGE).exclude(presiding_judge=user)),
        "by_status": _tally_by(cases, "status", CaseStatus),
        "by_type": _tally_by(cases, "case_type", CaseType),
    }


def _assistant_home(user: User, cases: QuerySet[Case]) -> dict[str, object]:
    return {
        "assisting": _recent(cases.exclude(status=CaseStatus.CLOSED)),
        "by_status": _tally_by(cases, "status", CaseStatus),
    }


def _clerk_home(user: User, cases: QuerySet[Case]) -> dict[str, object]:
    year = timezone.localdate().year
    return {
        "year": year,
        "pending": _recent(cases.filter(status=CaseStatus.PENDING)),
        "pending_count": cases.filter(status=CaseStatus.PENDING).count(),
        "by_type": _tally_by(cases.filter(year=year), "case_type", CaseType, extra_query=f"&year={year}"),
    }


def _court_admin_home(user: User, cases: QuerySet[Case]) -> dict[str, object]:
    year = timezone.localdate().year
    return {
        "year": year,
        "recent": _recent(cases),
        "by_status": _tally_by(cases, "status", CaseStatus),
        "by_type": _tally_by(cases.filter(year=year), "case_type", CaseType, extra_query=f"&year={year}"),
    }


def _member_home(role: str) -> Callable[[User, QuerySet[Case]], dict[str, object]]:
    def build(user: User, cases: QuerySet[Case]) -> dict[str, object]:
        mine = _where_member(cases, user, role)
        return {"mine": _recent(mine), "by_status": _tally_by(mine, "status", CaseStatus)}

    return build


def _party_home(user: User, cases: QuerySet[Case]) -> dict[str, object]:
    return {"mine": _recent(cases), "by_status": _tally_by(cases, "status", CaseStatus)}


_HOME_PAGES: dict[str, Callable[[User, QuerySet[Case]], dict[str, object]]] = {
    Role.JUDGE: _judge_home,
    Role.JUDGE_ASSISTANT: _assistant_home,
    Role.FILING_CLERK: _clerk_home,
    Role.COURT_ADMIN: _court_admin_home,
    Role.ADMINISTRATOR: _member_home(MemberRole.ADMINISTRATOR),
    Role.CREDITOR: _member_home(MemberRole.CREDITOR),
    Role.PARTY: _party_home,
    Role.BANK_OPERATOR: _member_home(MemberRole.BANK),
}


def home_page(user: User) -> tuple[str, dict[str, object]]:
    """The template and context of ``user``'s home page."""
    if user.role not in _HOME_PAGES:
        return "cases/home/party.html", _party_home(user, cases_visible_to(user))
    return f"cases/home/{user.role}.html", _HOME_PAGES[user.role](user, cases_visible_to(user))
