"""Reads of cases, always scoped to the user asking."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from smartcourt.accounts.choices import COURT_WIDE_ROLES, Role
from smartcourt.accounts.models import User
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.events import visible_events
from smartcourt.cases.models import Case, CaseMember
from smartcourt.cases.numbers import parse_case_number
from smartcourt.core.lookups import get_or_not_found


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case ``user`` may see.

    - filing clerks and court administrators: every case of their own court;
    - judges, assistants and everyone outside the court: the cases they are members of, personally or
      through their firm or bank (an appointed administrator firm, the supervising bank).
    """
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.role in COURT_WIDE_ROLES and user.organisation_id is not None:
        return Case.objects.filter(court_id=user.organisation_id)
    membership = Q(user=user)
    if user.organisation_id is not None and user.role in {Role.ADMINISTRATOR, Role.BANK_OPERATOR}:
        membership |= Q(organisation_id=user.organisation_id)
    members = CaseMember.objects.filter(membership, case=OuterRef("pk"))
    visible = Case.objects.filter(Exists(members))
    if user.is_court_staff and user.organisation_id is not None:
        # Court staff only ever see their own court's cases, whatever a membership row says.
        visible = visible.filter(court_id=user.organisation_id)
    return visible


def get_case_for(user: User, case_id: uuid.UUID | str) -> Case:
    """The case, if ``user`` may see it; otherwise NotFound, exactly as if it did not exist."""
    return get_or_not_found(
        cases_visible_to(user).select_related("court", "presiding_judge", "origin"), _("No such case"), pk=case_id
    )


@dataclass(frozen=True)
class CaseFilters:
    """Filters a case list understands. Empty values mean 'any'."""

    query: str = ""
    case_type: str = ""
    status: str = ""
    court_code: str = ""
    year: int | None = None


def filter_cases(cases: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    if filters.case_type:
        cases = cases.filter(case_type=filters.case_type)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.court_code:
        cases = cases.filter(court__court_code=filters.court_code)
    if filters.year:
        cases = cases.filter(year=filters.year)
    query = filters.query.strip()
    if query:
        parsed = parse_case_number(query)
        if parsed:
            year, court_code, case_type, sequence = parsed
            cases = cases.filter(year=year, court__court_code=court_code, case_type=case_type, sequence=sequence)
        else:
            cases = cases.filter(
                Q(number__icontains=query) | Q(title__icontains=query) | Q(parties__name__icontains=query)
            ).distinct()
    return cases.select_related("court", "presiding_judge")


def case_timeline(user: User, case: Case) -> QuerySet[AuditEvent]:
    """What happened to the case that ``user`` may see (cases.events: each event type's audience), oldest
    first. The caller has already been allowed to see the case."""
    return visible_events(user, case)


def recent_timeline(user: User, case: Case, *, limit: int | None) -> tuple[list[AuditEvent], int]:
    """The last ``limit`` events of the case that ``user`` may see (all of them if None), oldest first, and
    how many he may see in all."""
    events = case_timeline(user, case)
    total = events.count()
    if limit is None or total <= limit:
        return list(events), total
    return list(reversed(events.order_by("-seq")[:limit])), total


def case_members(case: Case) -> QuerySet[CaseMember]:
    return case.members.select_related("user", "organisation").order_by("role", "created_at")
