"""Staffing a case (issue 15.15): the court names who sits on it and who assists, in one audited action.

Before, nothing in the interface named a judge assistant on a case registered through intake, so a payment
request over a limit (which the assistant reviews) could never be approved. ``staff_case`` sets the whole
bench at once: the presiding judge (承办法官/审判长), the other judges of the collegial panel (合议庭), or none
where the case is heard by a sole judge (独任), the judge assistant (法官助理) and the clerk (书记员)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.choices import STAFF_MEMBER_ROLES, Composition, MemberRole
from smartcourt.cases.models import Case, CaseMember
from smartcourt.cases.policies import is_court_admin_of_case, is_judge_of_court
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import DomainError, PermissionDenied

# A collegial panel has three or more judges, an odd number (Organic Law of the People's Courts art. 30).
MIN_PANEL = 3
MAX_PANEL = 7
# Who may hold the clerk's part (书记员): the court's assistants and clerks; the platform has no separate role.
CLERK_ROLES = frozenset({Role.JUDGE_ASSISTANT, Role.FILING_CLERK})


@dataclass(frozen=True)
class Staffing:
    """The court's people on a case, as set."""

    composition: str
    presiding_judge: User | None
    panel_judges: tuple[User, ...]
    assistant: User | None
    clerk: User | None


def can_staff(user: User, case: Case) -> bool:
    """The court administrator of the case's court (who assigns cases for the division), or the presiding
    judge (who forms the panel and names his assistant and clerk)."""
    return is_court_admin_of_case(user, case) or (is_judge_of_court(user, case) and case.presiding_judge_id == user.pk)


def staffing_of(case: Case) -> Staffing:
    members = [m for m in case.members.select_related("user") if m.user is not None and m.role in STAFF_MEMBER_ROLES]

    def first(role: str) -> User | None:
        return next((m.user for m in members if m.role == role), None)

    panel = tuple(
        sorted((m.user for m in members if m.role == MemberRole.PANEL_JUDGE and m.user), key=lambda u: u.full_name)
    )
    return Staffing(
        composition=case.composition,
        presiding_judge=case.presiding_judge,
        panel_judges=panel,
        assistant=first(MemberRole.JUDGE_ASSISTANT),
        clerk=first(MemberRole.CLERK),
    )


def _court_user(case: Case, user_id: uuid.UUID | str | None, roles: frozenset[str], *, field: str) -> User | None:
    if user_id in (None, ""):
        return None
    try:
        user = User.objects.get(pk=user_id)
    except (User.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise DomainError(_("No such person at this court"), field=field) from exc
    if user.organisation_id != case.court_id or user.role not in roles or not user.is_active:
        raise DomainError(
            _("%(name)s cannot take this part at %(court)s") % {"name": user.full_name, "court": case.court.name},
            field=field,
        )
    return user


def _summary(staffing: Staffing) -> dict[str, object]:
    return {
        "composition": staffing.composition,
        "presiding_judge": staffing.presiding_judge.full_name if staffing.presiding_judge else None,
        "panel_judges": [user.full_name for user in staffing.panel_judges],
        "assistant": staffing.assistant.full_name if staffing.assistant else None,
        "clerk": staffing.clerk.full_name if staffing.clerk else None,
    }


def _panel(case: Case, composition: str, presiding: User, judge_ids: Sequence[uuid.UUID | str]) -> list[User]:
    """The judges beside the presiding one, each a judge of the court named once; none for a sole judge, and
    for a collegial panel an odd number of at least MIN_PANEL and at most MAX_PANEL in all."""
    panel: list[User] = []
    for user_id in judge_ids:
        judge = _court_user(case, user_id, frozenset({Role.JUDGE}), field="panel_judges")
        if judge is None:
            continue
        if judge.pk == presiding.pk or judge in panel:
            raise DomainError(
                _("%(name)s is named twice on the panel") % {"name": judge.full_name}, field="panel_judges"
            )
        panel.append(judge)
    if composition == Composition.SOLE and panel:
        raise DomainError(_("A sole judge sits without a panel"), field="panel_judges")
    size = len(panel) + 1
    if composition == Composition.COLLEGIAL and (size < MIN_PANEL or size > MAX_PANEL or size % 2 == 0):
        raise DomainError(
            _("A collegial panel has %(min)s or more judges, an odd number (at most %(max)s); %(size)s named")
            % {"min": MIN_PANEL, "max": MAX_PANEL, "size": size},
            field="panel_judges",
        )
    return panel


@transaction.atomic
def staff_case(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    composition: str,
    presiding_judge_id: uuid.UUID | str,
    panel_judge_ids: Sequence[uuid.UUID | str] = (),
    assistant_id: uuid.UUID | str | None = None,
    clerk_id: uuid.UUID | str | None = None,
) -> Staffing:
    """Set who sits on and assists with ``case``. The whole bench is given each time: members of these four
    parts who are not named again leave the case (and no longer see it unless they hold another part).

    - collegial panel: the presiding judge and further judges of the court, three or more in all and an odd
      number; a sole judge: the presiding judge alone, no panel judges;
    - the assistant must be a judge assistant of the court; the clerk a court assistant or clerk."""
    case = get_case_for(actor, case_id)
    case = Case.objects.select_for_update(of=("self",)).select_related("court").get(pk=case.pk)
    if not can_staff(actor, case):
        raise PermissionDenied(_("Only the court administrator or the presiding judge staffs a case"))
    if composition not in Composition.values:
        raise DomainError(_("Unknown composition %(value)r") % {"value": composition}, field="composition")
    presiding = _court_user(case, presiding_judge_id, frozenset({Role.JUDGE}), field="presiding_judge")
    if presiding is None:
        raise DomainError(_("Name the presiding judge"), field="presiding_judge")
    panel = _panel(case, composition, presiding, panel_judge_ids)
    assistant = _court_user(case, assistant_id, frozenset({Role.JUDGE_ASSISTANT}), field="assistant")
    clerk = _court_user(case, clerk_id, CLERK_ROLES, field="clerk")

    before = staffing_of(case)
    wanted: set[tuple[str, uuid.UUID]] = {(MemberRole.PRESIDING_JUDGE, presiding.pk)}
    wanted |= {(MemberRole.PANEL_JUDGE, judge.pk) for judge in panel}
    wanted |= {
        (role, user.pk) for role, user in ((MemberRole.JUDGE_ASSISTANT, assistant), (MemberRole.CLERK, clerk)) if user
    }
    current = {
        (member.role, member.user_id): member
        for member in CaseMember.objects.filter(case=case, role__in=STAFF_MEMBER_ROLES, user__isnull=False)
        if member.user_id is not None
    }
    for key, member in current.items():
        if key not in wanted:
            member.delete()
    for role, user_id in sorted(wanted - set(current), key=lambda item: (item[0], str(item[1]))):
        CaseMember.objects.create(case=case, role=role, user_id=user_id)
    Case.objects.filter(pk=case.pk).update(presiding_judge=presiding, composition=composition)
    case.refresh_from_db()
    after = staffing_of(case)
    record_event(
        actor=actor,
        action="cases.staffed",
        case_id=case.pk,
        obj=case,
        before=_summary(before),
        after=_summary(after),
    )
    return after
