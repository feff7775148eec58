"""Writes to cases, parties and memberships. Each function is one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from smartcourt.accounts.choices import OrganisationKind, Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.audit.actions import record_event
from smartcourt.cases.choices import (
    CASE_TRANSITIONS,
    CaseStatus,
    CaseType,
    MemberRole,
    PartyKind,
    PartyRole,
)
from smartcourt.cases.models import Case, CaseMember, CaseSequence, CaseStatusChange, Party
from smartcourt.cases.numbers import format_case_number
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.core.identifiers import validate_credit_code, validate_identity_number
from smartcourt.core.lookups import get_or_not_found


def _take_sequence(*, court: Organisation, case_type: str, year: int) -> int:
    """The next number for (court, type, year), inside the caller's transaction.

    The counter row is created idempotently, then incremented with a conditional UPDATE that holds the
    row lock until commit: a concurrent creator waits, then reads the next value. A rolled-back case
    rolls back its number too, so the sequence stays gap-free.
    """
    CaseSequence.objects.bulk_create(
        [CaseSequence(court=court, case_type=case_type, year=year, last_value=0)], ignore_conflicts=True
    )
    counter = CaseSequence.objects.filter(court=court, case_type=case_type, year=year)
    counter.update(last_value=F("last_value") + 1)
    return counter.values_list("last_value", flat=True).get()


def _require_filing_rights(actor: User, court: Organisation) -> None:
    if actor.role not in {Role.FILING_CLERK, Role.COURT_ADMIN, Role.JUDGE} or actor.organisation_id != court.pk:
        raise PermissionDenied("Only staff of this court can register its cases")


@transaction.atomic
def create_case(
    *,
    actor: User,
    court: Organisation,
    case_type: str,
    title: str,
    filed_on: dt.date,
    cause: str = "",
    presiding_judge: User | None = None,
    origin: Case | None = None,
    year: int | None = None,
) -> Case:
    """Register a case and give it the next case number of its court, type and year."""
    if court.kind != OrganisationKind.COURT:
        raise DomainError(f"{court.name} is not a court", field="court")
    if case_type not in CaseType.values:
        raise DomainError(f"unknown case type {case_type!r}", field="case_type")
    _require_filing_rights(actor, court)
    title = title.strip()
    if not title:
        raise DomainError("a case needs a title", field="title")
    if presiding_judge is not None and (
        presiding_judge.role != Role.JUDGE or presiding_judge.organisation_id != court.pk
    ):
        raise DomainError(f"{presiding_judge} is not a judge of {court.name}", field="presiding_judge")
    if filed_on > timezone.localdate():
        raise DomainError(f"the filing date {filed_on:%Y-%m-%d} is in the future", field="filed_on")
    year = year or filed_on.year
    sequence = _take_sequence(court=court, case_type=case_type, year=year)
    case = Case.objects.create(
        court=court,
        case_type=case_type,
        year=year,
        sequence=sequence,
        number=format_case_number(year=year, court_code=court.court_code, case_type=case_type, sequence=sequence),
        title=title,
        cause=cause,
        filed_on=filed_on,
        presiding_judge=presiding_judge,
        origin=origin,
    )
    record_event(
        actor=actor,
        action="cases.case_created",
        case_id=case.pk,
        obj=case,
        after={
            "number": case.number,
            "title": case.title,
            "case_type": case_type,
            "court": court.court_code,
            "filed_on": filed_on,
            "origin": origin.number if origin else None,
        },
    )
    if presiding_judge is not None:
        _add_member(actor=actor, case=case, role=MemberRole.PRESIDING_JUDGE, user=presiding_judge)
    return case


@transaction.atomic
def change_case_status(
    *, actor: User, case_id: uuid.UUID, to_status: str, on: dt.date | None = None, reason: str = ""
) -> Case:
    """Move a case to another status along the transition table; a concurrent change makes this fail."""
    case = Case.objects.select_for_update().get(pk=case_id)
    if to_status not in CASE_TRANSITIONS.get(case.status, frozenset()):
        raise Conflict(f"case {case.number} cannot go from {case.status} to {to_status}", field="status")
    on = on or timezone.localdate()
    before = {"status": case.status, "accepted_on": case.accepted_on, "closed_on": case.closed_on}
    updates: dict[str, object] = {"status": to_status}
    if to_status == CaseStatus.OPEN:
        updates["accepted_on"] = on
    if to_status == CaseStatus.CLOSED:
        updates["closed_on"] = on
    # Compare-and-set on the status we read: a concurrent transition leaves zero rows to update.
    changed = Case.objects.filter(pk=case.pk, status=case.status).update(**updates, updated_at=timezone.now())
    if changed != 1:
        raise Conflict(f"case {case.number} was changed by someone else; reload and try again")
    CaseStatusChange.objects.create(
        case=case,
        from_status=case.status,
        to_status=to_status,
        changed_at=timezone.now(),
        changed_by=actor,
        reason=reason,
    )
    case.refresh_from_db()
    record_event(
        actor=actor,
        action="cases.status_changed",
        case_id=case.pk,
        obj=case,
        before=before,
        after={"status": case.status, "accepted_on": case.accepted_on, "closed_on": case.closed_on, "reason": reason},
    )
    return case


@transaction.atomic
def add_party(
    *,
    actor: User,
    case: Case,
    role: str,
    kind: str,
    name: str,
    id_number: str = "",
    credit_code: str = "",
    organisation: Organisation | None = None,
    address: str = "",
    phone: str = "",
) -> Party:
    """Add a party, checking the identifier that goes with its kind."""
    if role not in PartyRole.values:
        raise DomainError(f"unknown party role {role!r}", field="role")
    name = name.strip()
    if not name:
        raise DomainError("a party needs a name", field="name")
    if kind == PartyKind.NATURAL_PERSON:
        if credit_code or organisation:
            raise DomainError("a natural person has an identity number, not a credit code", field="credit_code")
        id_number = validate_identity_number(id_number) if id_number else ""
    elif kind == PartyKind.ORGANISATION:
        if id_number:
            raise DomainError("an organisation has a credit code, not an identity number", field="id_number")
        credit_code = validate_credit_code(credit_code) if credit_code else ""
        if organisation is not None and not credit_code:
            credit_code = organisation.credit_code
    else:
        raise DomainError(f"unknown party kind {kind!r}", field="kind")
    party = Party.objects.create(
        case=case,
        role=role,
        kind=kind,
        name=name,
        id_number=id_number,
        credit_code=credit_code,
        organisation=organisation,
        address=address,
        phone=phone,
    )
    record_event(
        actor=actor,
        action="cases.party_added",
        case_id=case.pk,
        obj=party,
        # Identity numbers are personal data: the log keeps that one was given, not its value.
        after={"role": role, "kind": kind, "name": name, "credit_code": credit_code, "has_id_number": bool(id_number)},
    )
    return party


def _add_member(
    *, actor: User, case: Case, role: str, user: User | None = None, organisation: Organisation | None = None
) -> CaseMember:
    if role not in MemberRole.values:
        raise DomainError(f"unknown member role {role!r}", field="role")
    if (user is None) == (organisation is None):
        raise DomainError("a member is either a user or an organisation", field="user")
    try:
        with transaction.atomic():
            member = CaseMember.objects.create(case=case, role=role, user=user, organisation=organisation)
    except IntegrityError as exc:
        raise Conflict(f"{user or organisation} already holds that role on {case.number}") from exc
    record_event(
        actor=actor,
        action="cases.member_added",
        case_id=case.pk,
        obj=member,
        after={
            "role": role,
            "user": str(user.pk) if user else None,
            "user_name": user.full_name if user else None,
            "organisation": organisation.name if organisation else None,
        },
    )
    return member


@transaction.atomic
def add_member(
    *, actor: User, case: Case, role: str, user: User | None = None, organisation: Organisation | None = None
) -> CaseMember:
    """Give a user, or a whole firm or bank, a role on a case."""
    return _add_member(actor=actor, case=case, role=role, user=user, organisation=organisation)


@transaction.atomic
def reveal_identity_number(*, actor: User, case_id: uuid.UUID, party_id: uuid.UUID) -> str:
    """A party's full identity number, for court staff of the case's court only, and never unrecorded.

    Identity numbers are masked everywhere by default (DESIGN.md §6); seeing one in full is an act that the
    audit log keeps, with who and which party, but not the number itself.
    """
    case = get_case_for(actor, case_id)
    party = get_or_not_found(case.parties.all(), "No such party", pk=party_id)
    if not actor.is_court_staff:
        raise PermissionDenied("Only court staff may see identity numbers in full")
    if not party.id_number:
        raise DomainError(f"{party.name} has no identity number on file", field="party")
    record_event(
        actor=actor,
        action="cases.identity_number_viewed",
        case_id=case.pk,
        obj=party,
        after={"party": party.name, "role": party.role},
    )
    return party.id_number
