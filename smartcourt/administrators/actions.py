"""Writes to the administrator roster and appointments. Each function is one transaction with its audit event.

Appointing here adds the firm to the case (CaseMember, role administrator). Recording the appointment as the
procedure's node N02 is the bankruptcy engine's business: ``smartcourt.bankruptcy.acceptance`` calls this
action and the engine's ``record_appointment`` in one transaction (this app never imports bankruptcy).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.actions import create_organisation
from smartcourt.accounts.choices import OrganisationKind, Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.administrators.choices import AppointmentMethod, Grade
from smartcourt.administrators.draw import APPOINTED_EVENT, draw_digest, draw_index, new_seed
from smartcourt.administrators.models import Appointment, RosterEntry
from smartcourt.audit.actions import record_event
from smartcourt.cases.actions import add_member
from smartcourt.cases.choices import JUDICIAL_MEMBER_ROLES, CaseStatus, CaseType, MemberRole
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.lengths import check_text
from smartcourt.core.lookups import get_or_not_found

MAX_SEED = 200
# Case types that have an administrator (a compulsory liquidation's liquidation group is appointed the same way).
APPOINTABLE_CASE_TYPES = frozenset({CaseType.BANKRUPTCY, CaseType.LIQUIDATION})


def _require_court_admin(actor: User, court: Organisation) -> None:
    if actor.role != Role.COURT_ADMIN or actor.organisation_id != court.pk:
        raise PermissionDenied("Only the court's administrators keep its administrator roster")


def _check_grade(grade: str) -> None:
    if grade not in Grade.values:
        raise DomainError(f"unknown roster grade {grade!r}", field="grade")


@transaction.atomic
def add_to_roster(
    *, actor: User, court: Organisation, firm: Organisation, grade: str, listed_on: dt.date
) -> RosterEntry:
    """Enter a firm on the court's roster in a grade, at the end of the listing order."""
    if court.kind != OrganisationKind.COURT:
        raise DomainError(f"{court.name} is not a court", field="court")
    _require_court_admin(actor, court)
    if firm.kind != OrganisationKind.ADMINISTRATOR_FIRM:
        raise DomainError(f"{firm.name} is not an administrator firm", field="firm")
    _check_grade(grade)
    if listed_on > timezone.localdate():
        raise DomainError("the listing date cannot be in the future", field="listed_on")
    last = RosterEntry.objects.filter(court=court).aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            entry = RosterEntry.objects.create(
                court=court, firm=firm, grade=grade, listed_on=listed_on, position=last + 1
            )
    except IntegrityError as exc:
        raise Conflict(f"{firm.name} is already on the roster of {court.name}", field="firm") from exc
    record_event(
        actor=actor,
        action="administrators.roster_entry_added",
        obj=entry,
        after={
            "court": court.court_code,
            "firm": firm.name,
            "firm_id": str(firm.pk),
            "grade": grade,
            "listed_on": listed_on,
            "position": entry.position,
        },
    )
    return entry


@transaction.atomic
def register_firm(
    *, actor: User, court: Organisation, name: str, credit_code: str, grade: str, listed_on: dt.date
) -> RosterEntry:
    """Register a firm the platform does not know yet and enter it on the court's roster."""
    _require_court_admin(actor, court)
    _check_grade(grade)
    if not credit_code.strip():
        raise DomainError("a firm on the roster needs its unified social credit code", field="credit_code")
    firm = create_organisation(
        actor=actor, kind=OrganisationKind.ADMINISTRATOR_FIRM, name=name, credit_code=credit_code
    )
    return add_to_roster(actor=actor, court=court, firm=firm, grade=grade, listed_on=listed_on)


@transaction.atomic
def update_roster_entry(*, actor: User, entry_id: uuid.UUID, grade: str, active: bool) -> RosterEntry:
    """Change a firm's grade or take it off (or back onto) the active roster."""
    entry = get_or_not_found(
        RosterEntry.objects.select_for_update().select_related("firm"), "No such roster entry", pk=entry_id
    )
    if actor.organisation_id != entry.court_id:
        raise NotFound("No such roster entry")
    _require_court_admin(actor, entry.court)
    _check_grade(grade)
    before = {"grade": entry.grade, "active": entry.active}
    after = {"grade": grade, "active": active}
    if before == after:
        return entry
    RosterEntry.objects.filter(pk=entry.pk).update(grade=grade, active=active, updated_at=timezone.now())
    entry.refresh_from_db()
    record_event(
        actor=actor,
        action="administrators.roster_entry_changed",
        obj=entry,
        before=before,
        after={**after, "firm": entry.firm.name},
    )
    return entry


MAX_DRAW_WEIGHT = 10
# The reason for a draw weight is read with the roster's history: a paragraph at most.
MAX_REASON = 500


@transaction.atomic
def set_draw_weight(*, actor: User, entry_id: uuid.UUID, weight: int, reason: str) -> RosterEntry:
    """Give a firm more or fewer tickets in this court's random draws (1 to 10), with the reason (for example
    its evaluation). Draws already made keep the weights they were drawn with, in their snapshot."""
    entry = get_or_not_found(
        RosterEntry.objects.select_for_update().select_related("firm"), "No such roster entry", pk=entry_id
    )
    if actor.organisation_id != entry.court_id:
        raise NotFound("No such roster entry")
    _require_court_admin(actor, entry.court)
    if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= MAX_DRAW_WEIGHT:
        raise DomainError(f"a draw weight is a whole number from 1 to {MAX_DRAW_WEIGHT}", field="weight")
    reason = reason.strip()
    if not reason:
        raise DomainError("give the reason for the weight", field="reason")
    reason = check_text(reason, MAX_REASON, label=_("The reason"), field="reason")
    if entry.draw_weight == weight:
        return entry
    before = {"draw_weight": entry.draw_weight}
    RosterEntry.objects.filter(pk=entry.pk).update(draw_weight=weight, updated_at=timezone.now())
    entry.refresh_from_db()
    record_event(
        actor=actor,
        action="administrators.draw_weight_changed",
        obj=entry,
        before=before,
        after={"draw_weight": weight, "firm": entry.firm.name, "reason": reason},
    )
    return entry


# --- appointment ----------------------------------------------------------------------------------------------


def _candidate(entry: RosterEntry) -> dict[str, Any]:
    candidate: dict[str, Any] = {
        "firm_id": str(entry.firm_id),
        "name": entry.firm.name,
        "credit_code": entry.firm.credit_code,
        "grade": entry.grade,
    }
    # Snapshots of unweighted entries stay as they always were, so earlier draws verify unchanged.
    if entry.draw_weight != 1:
        candidate["weight"] = entry.draw_weight
    return candidate


def _rotation_order(entries: list[RosterEntry], court: Organisation) -> list[tuple[RosterEntry, dt.datetime | None]]:
    """Entries by the date of their firm's last appointment in this court's cases, never-appointed first,
    ties by listing order."""
    last = dict(
        Appointment.objects.filter(case__court=court, firm_id__in=[entry.firm_id for entry in entries])
        .values("firm_id")
        .annotate(last=Max("appointed_at"))
        .values_list("firm_id", "last")
    )
    ordered = sorted(
        entries, key=lambda entry: (last.get(entry.firm_id) is not None, last.get(entry.firm_id) or 0, entry.position)
    )
    return [(entry, last.get(entry.firm_id)) for entry in ordered]


def _require_presiding(actor: User, case: Case) -> None:
    sits = (
        case.presiding_judge_id == actor.pk or case.members.filter(user=actor, role__in=JUDICIAL_MEMBER_ROLES).exists()
    )
    if actor.role != Role.JUDGE or not sits:
        raise PermissionDenied("Only a judge of the case's panel appoints its administrator")


@dataclass(frozen=True)
class AppointmentChoice:
    """How the judge asks for the administrator to be chosen: ``firm`` for the judge's choice, ``grade`` (any
    if None) and for a draw a ``seed`` (a fresh one if None) otherwise."""

    method: str
    firm: Organisation | None = None
    seed: str | None = None
    grade: str | None = None
    appointed_on: dt.date | None = None

    def cleaned(self, *, accepted_on: dt.date | None) -> AppointmentChoice:
        """The choice checked, with the date (today if none), the grade as text ("" for the judge's choice or
        any grade) and the draw's seed filled in; or the DomainError naming the field at fault. What needs the
        roster (is the firm on it, is anyone of the grade) is the action's to check."""
        if self.method not in AppointmentMethod.values:
            raise DomainError(f"unknown appointment method {self.method!r}", field="method")
        if self.grade:
            _check_grade(self.grade)
        appointed_on = self.appointed_on or timezone.localdate()
        if appointed_on > timezone.localdate() or (accepted_on and appointed_on < accepted_on):
            raise DomainError("the appointment date must lie between the acceptance and today", field="appointed_on")
        if self.method == AppointmentMethod.JUDGE_CHOICE:
            if self.firm is None:
                raise DomainError("choose the firm to appoint", field="firm")
            return replace(self, grade="", seed="", appointed_on=appointed_on)
        if self.firm is not None:
            raise DomainError("rotation and draws choose the firm themselves; do not name one", field="firm")
        seed = ""
        if self.method == AppointmentMethod.RANDOM_DRAW:
            seed = (self.seed or "").strip() or new_seed()
            if len(seed) > MAX_SEED:
                raise DomainError(f"the seed is longer than {MAX_SEED} characters", field="seed")
        return replace(self, grade=str(self.grade or ""), seed=seed, appointed_on=appointed_on)


@transaction.atomic
def appoint_administrator(
    *,
    actor: User,
    case: Case,
    method: str,
    firm: Organisation | None = None,
    seed: str | None = None,
    grade: str | None = None,
    appointed_on: dt.date | None = None,
) -> Appointment:
    """Appoint the case's administrator from the court's roster: the judge's choice (``firm`` must have an
    active entry), rotation or a random draw among the active entries of ``grade`` (any grade if None).

    The draw's seed (given, or 32 random bytes in hex), the ordered candidate list, the digest and the index
    go into the row and into the audit event, so that anyone can redo the draw (``draw.verify_draw``)."""
    case = get_case_for(actor, case.pk)
    _require_presiding(actor, case)
    if case.case_type not in APPOINTABLE_CASE_TYPES or case.status != CaseStatus.OPEN:
        raise DomainError(f"{case.number} is not an accepted bankruptcy or liquidation case", field="case")
    choice = AppointmentChoice(method=method, firm=firm, seed=seed, grade=grade, appointed_on=appointed_on).cleaned(
        accepted_on=case.accepted_on
    )
    grade, appointed_on = choice.grade or "", choice.appointed_on or timezone.localdate()
    if case.members.filter(role=MemberRole.ADMINISTRATOR).exists() or Appointment.objects.filter(case=case).exists():
        raise Conflict(f"{case.number} already has an administrator")

    # Locked, so that two rotations at the same moment cannot both pick the same firm.
    roster = list(
        RosterEntry.objects.select_for_update()
        .filter(court_id=case.court_id, active=True)
        .select_related("firm")
        .order_by("position")
    )
    seed_used, digest, index = choice.seed or "", "", None
    if choice.firm is not None:
        firm = choice.firm
        entry = next((entry for entry in roster if entry.firm_id == firm.pk), None)
        if entry is None:
            raise DomainError(f"{firm.name} is not an active firm on the roster of this court", field="firm")
        candidates = [_candidate(entry)]
    else:
        pool = [entry for entry in roster if not grade or entry.grade == grade]
        if not pool:
            label = f"grade {grade!r}" if grade else "any grade"
            raise DomainError(f"no active firm of {label} is on the roster of this court", field="grade")
        if method == AppointmentMethod.ROTATION:
            order = _rotation_order(pool, case.court)
            candidates = [
                {**_candidate(entry), "last_appointed_at": last.isoformat() if last else None} for entry, last in order
            ]
            entry, index = order[0][0], 0
        else:
            candidates = [_candidate(entry) for entry in pool]
            digest = draw_digest(seed_used, candidates)
            index = draw_index(digest, candidates)
            entry = pool[index]

    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                case=case,
                firm=entry.firm,
                roster_entry=entry,
                method=method,
                grade=grade,
                seed=seed_used,
                candidates=candidates,
                digest=digest,
                drawn_index=index,
                appointed_by=actor,
                appointed_at=timezone.now(),
                appointed_on=appointed_on,
            )
    except IntegrityError as exc:
        raise Conflict(f"{case.number} already has an administrator") from exc
    record_event(
        actor=actor,
        action=APPOINTED_EVENT,
        case_id=case.pk,
        obj=appointment,
        after={
            "case": case.number,
            "method": method,
            "firm": entry.firm.name,
            "firm_id": str(entry.firm_id),
            "grade": grade,
            "seed": seed_used,
            "candidates": candidates,
            "digest": digest,
            "drawn_index": index,
            "appointed_on": appointed_on,
        },
    )
    add_member(actor=actor, case=case, role=MemberRole.ADMINISTRATOR, organisation=entry.firm)
    return appointment
