"""Reads of the roster and of appointments, scoped to the user asking."""

from __future__ import annotations

import uuid

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from smartcourt.accounts.choices import OrganisationKind
from smartcourt.accounts.models import Organisation, User
from smartcourt.administrators.models import Appointment, RosterEntry
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import NotFound
from smartcourt.core.lookups import get_or_not_found


def roster_court_for(user: User) -> Organisation:
    """The court whose roster ``user`` may read: court staff read their own court's; nobody else reads one."""
    if not user.is_authenticated or not user.is_court_staff or user.organisation is None:
        raise NotFound("No such roster")
    return user.organisation


def roster_entries(court: Organisation, *, active_only: bool = False) -> QuerySet[RosterEntry]:
    """The court's roster in listing order, with each firm's last appointment and its number of appointments
    in this court's cases."""
    in_court = Q(firm__appointments__case__court=court)
    entries = RosterEntry.objects.filter(court=court).select_related("firm")
    if active_only:
        entries = entries.filter(active=True)
    return entries.annotate(
        last_appointed_at=Max("firm__appointments__appointed_at", filter=in_court),
        appointment_count=Count("firm__appointments", filter=in_court),
    ).order_by("position")


def firms_not_on_roster(court: Organisation) -> QuerySet[Organisation]:
    listed = RosterEntry.objects.filter(court=court, firm=OuterRef("pk")).values("pk")
    return (
        Organisation.objects.filter(kind=OrganisationKind.ADMINISTRATOR_FIRM)
        .exclude(pk__in=Subquery(listed))
        .order_by("name")
    )


def get_appointment_for(user: User, appointment_id: uuid.UUID | str) -> Appointment:
    """The appointment, if ``user`` may see its case; otherwise NotFound, as if it did not exist."""
    appointment = get_or_not_found(
        Appointment.objects.select_related("firm", "appointed_by", "case"), "No such appointment", pk=appointment_id
    )
    get_case_for(user, appointment.case_id)
    return appointment


def appointment_of(case_id: uuid.UUID) -> Appointment | None:
    """The case's appointment; the caller has already been allowed to see the case."""
    return Appointment.objects.select_related("firm", "appointed_by").filter(case_id=case_id).first()
