"""Case events: what each audited action is called, who may see it, and how its fields read.

One rule decides what a viewer sees of a case event (DESIGN §6 "what a viewer sees"): every event type
declares its ``Audience``, and each audience is one of the predicates of ``cases.policies`` that guard the
pages the event belongs to. A creditor does not see the administrator's requests in the timeline because he
may not open the requests page; the supervising bank sees its account's movements because it may open the
account page. The timeline, the evaluation's evidence lists and any export read events through
``visible_events``.

Each domain app declares its own event types in its ``events.py`` (found by ``autodiscover``, as Django's
admin finds ``admin.py``), so the labels of its choices stay with the app that owns them. An action nobody
declared is shown to the case's court staff only, under its code: the test of the demo fails on it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import formats
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from smartcourt.accounts.models import User
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.models import Case
from smartcourt.cases.policies import (
    AnyUser,
    is_bank_of_case,
    is_court_staff_of_case,
    may_see_case_work,
    takes_part_in,
)
from smartcourt.core.money import fen_to_grouped_yuan


class Audience(enum.StrEnum):
    """Who sees an event, from the widest to the narrowest. Each is the rule of a page (see ``_RULES``)."""

    # Everybody who may open the case page: the case's facts as the court announces them.
    CASE = "case"
    # Those who take part in the proceeding (creditors, parties, their lawyers) and those who conduct it: what
    # the claims table, the meetings and the distribution summaries show them. Not the supervising bank.
    PARTICIPANTS = "participants"
    # Those who conduct the case and the bank that holds its supervised account: the account and its movements.
    ACCOUNT = "account"
    # Those who conduct the case (court staff of its court, the appointed administrator): the node work,
    # requests and reports, documents, the dossier, every claim, payments, distributions, meeting follow-up.
    CASE_WORK = "case_work"
    # The case's court only (who looked at an identity number in full).
    COURT = "court"


# The predicate behind each audience; the caller has already been allowed to see the case.
_RULES: dict[Audience, Callable[[AnyUser, Case], bool]] = {
    Audience.CASE: lambda user, case: True,
    Audience.PARTICIPANTS: takes_part_in,
    Audience.ACCOUNT: lambda user, case: may_see_case_work(user, case) or is_bank_of_case(user, case),
    Audience.CASE_WORK: may_see_case_work,
    Audience.COURT: is_court_staff_of_case,
}

Values = Mapping[str, Promise | str]


@dataclass(frozen=True)
class EventType:
    """One kind of audited action on a case."""

    action: str
    phrase: Promise
    audience: Audience
    # Labels of this event's fields where they differ from the common ones (FIELD_LABELS); a field with no
    # label anywhere is technical (a hash, an id, a size) and not shown.
    labels: Mapping[str, Promise] = field(default_factory=dict)
    # Readable values of coded fields: {"decision": Decision.choices-as-dict}.
    values: Mapping[str, Values] = field(default_factory=dict)
    # Fields that are shown nowhere although they have a common label.
    hidden: frozenset[str] = frozenset()


_TYPES: dict[str, EventType] = {}


def declare(*types: EventType) -> None:
    """Declare event types (each app's ``events.py``). Declaring one action twice is a mistake."""
    for event_type in types:
        if event_type.action in _TYPES and _TYPES[event_type.action] != event_type:
            raise ValueError(f"event type {event_type.action} is declared twice")
        _TYPES[event_type.action] = event_type


def autodiscover() -> None:
    autodiscover_modules("events")


def event_type(action: str) -> EventType | None:
    return _TYPES.get(action)


def declared_actions() -> frozenset[str]:
    return frozenset(_TYPES)


def audiences_of(user: AnyUser, case: Case) -> frozenset[Audience]:
    """The audiences ``user`` belongs to on ``case`` (a case he may see)."""
    return frozenset(audience for audience, rule in _RULES.items() if rule(user, case))


def may_see_event(user: AnyUser, case: Case, action: str, *, actor_id: object = None) -> bool:
    """The one rule, for one event: its audience's predicate, or the viewer did it himself."""
    if isinstance(user, User) and actor_id is not None and actor_id == user.pk:
        return True
    declared = _TYPES.get(action)
    audience = declared.audience if declared is not None else Audience.COURT
    return _RULES[audience](user, case)


def visible_events(user: AnyUser, case: Case) -> QuerySet[AuditEvent]:
    """The events of ``case`` that ``user`` may see, oldest first: the same rule as ``may_see_event``, as a
    query (one predicate call per audience, not per event)."""
    allowed = audiences_of(user, case)
    actions = [action for action, declared in _TYPES.items() if declared.audience in allowed]
    visible = Q(action__in=actions)
    if Audience.COURT in allowed:
        visible |= ~Q(action__in=list(_TYPES))  # undeclared actions: the court only
    if isinstance(user, User):
        visible |= Q(actor_id=user.pk)
    return AuditEvent.objects.filter(visible, case_id=case.pk).order_by("seq")


# Labels of the fields that actions write into an event's before/after payloads, shared by all events.
FIELD_LABELS: dict[str, Promise] = {
    "number": _("Case number"),
    "title": _("Title"),
    "case_type": _("Case type"),
    "court": _("Court"),
    "filed_on": _("Filed on"),
    "accepted_on": _("Accepted on"),
    "closed_on": _("Closed on"),
    "origin": _("Origin case"),
    "status": _("Status"),
    "reason": _("Reason"),
    "role": _("Role"),
    "kind": _("Kind"),
    "name": _("Name"),
    "party": _("Party"),
    "credit_code": _("Credit code"),
    "has_id_number": _("Identity number given"),
    "user_name": _("User"),
    "organisation": _("Organisation"),
    "node": _("Node"),
    "output_name": _("Material"),
    "file_name": _("File"),
    "subject": _("Subject"),
    "decision": _("Decision"),
    "reasons": _("Reasons"),
    "method": _("Method"),
    "firm": _("Administrator"),
    "procedure": _("Procedure"),
    "announced_on": _("Announced on"),
    "claims_period_ends_on": _("Claims period ends on"),
    "meeting_on": _("Meeting on"),
    "declared_bankrupt_on": _("Declared bankrupt on"),
    "terminated_on": _("Terminated on"),
    "due_on": _("Due on"),
}
# Internal identifiers mean nothing to a reader; the readable field next to them says the same thing.
_HIDDEN_FIELDS = frozenset({"user"})


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None
    after: str


def _display(field_name: str, value: Any, values: Mapping[str, Values]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return "、".join(_display(field_name, item, values) for item in value) or "—"
    if field_name.endswith("_fen") and isinstance(value, int):
        return f"{fen_to_grouped_yuan(value)} {_('yuan')}"
    if isinstance(value, str):
        labels = values.get(field_name)
        if labels is not None and value in labels:
            return str(labels[value])
        if field_name.endswith("_on"):
            try:
                return formats.date_format(dt.date.fromisoformat(value), "Y-m-d")
            except ValueError:
                return value
    return str(value)


def event_phrase(action: str) -> str:
    declared = _TYPES.get(action)
    return str(declared.phrase) if declared is not None else action


def event_changes(event: AuditEvent, *, status_in_phrase: Iterable[str] = ()) -> list[Change]:
    """The fields an event changed, with their values before (if any) and after, in readable form."""
    declared = _TYPES.get(event.action)
    labels: Mapping[str, Promise] = declared.labels if declared else {}
    values: Mapping[str, Values] = declared.values if declared else {}
    hidden = (declared.hidden if declared else frozenset()) | _HIDDEN_FIELDS
    before: dict[str, Any] = event.before or {}
    after: dict[str, Any] = event.after or {}
    if after.get("node") and after.get("node_name"):
        after = {**after, "node": f"{after['node']} {after['node_name']}"}
        before = {key: value for key, value in before.items() if key != "node"}
    changes = []
    for name in [*after, *(key for key in before if key not in after)]:
        label = labels.get(name, FIELD_LABELS.get(name))
        # Technical fields (hashes, ids, sizes, versions) mean nothing to a reader: only labelled ones show.
        if label is None or name in hidden:
            continue
        if name == "status" and event.action.startswith(tuple(status_in_phrase)):
            continue
        old, new = before.get(name), after.get(name)
        if name in before and old == new:
            continue
        # Absent data is not news: an empty value, or "no identity number" on an organisation.
        if name not in before and new in (None, "", False, []):
            continue
        changes.append(
            Change(
                label=str(label),
                before=_display(name, old, values) if name in before else None,
                after=_display(name, new, values),
            )
        )
    return changes


def choices_of(*choice_classes: Any) -> dict[str, Promise | str]:
    """Value labels from TextChoices classes, for ``EventType.values``."""
    merged: dict[str, Promise | str] = {}
    for choices in choice_classes:
        merged.update(dict(choices.choices))
    return merged


# The cases app's own events (the rest are declared in each app's events.py).
def _declare_case_events() -> None:
    from smartcourt.cases.choices import CaseStatus, CaseType, Composition, MemberRole, PartyKind, PartyRole

    declare(
        EventType(
            "cases.case_created",
            _("Case registered"),
            Audience.CASE,
            values={"case_type": choices_of(CaseType)},
        ),
        EventType(
            "cases.status_changed", _("Case status changed"), Audience.CASE, values={"status": choices_of(CaseStatus)}
        ),
        EventType(
            "cases.party_added",
            _("Party added"),
            Audience.CASE,
            values={"kind": choices_of(PartyKind), "role": choices_of(PartyRole)},
        ),
        EventType(
            "cases.member_added",
            _("Person assigned to the case"),
            Audience.CASE,
            values={"role": choices_of(MemberRole)},
        ),
        # The bench and assistants are named on the case page to everybody who sees the case.
        EventType(
            "cases.staffed",
            _("Bench and assistants of the case set"),
            Audience.CASE,
            labels={
                "composition": _("Composition"),
                "presiding_judge": _("Presiding judge"),
                "panel_judges": _("Panel judges"),
                "assistant": _("Judge assistant"),
                "clerk": _("Clerk"),
            },
            values={"composition": choices_of(Composition)},
        ),
        EventType("cases.identity_number_viewed", _("Identity number viewed in full"), Audience.COURT),
    )


_declare_case_events()
