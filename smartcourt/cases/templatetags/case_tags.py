"""Presentation helpers for case pages: status badges, masked identifiers and readable audit events."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from smartcourt.accounts.choices import Role
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.choices import CASE_TYPE_CODE, CaseStatus, CaseType, Composition, MemberRole, PartyKind, PartyRole
from smartcourt.core.identifiers import mask_identity_number

register = template.Library()

_STATUS_BADGE: dict[str, str] = {
    CaseStatus.PENDING: "text-bg-warning",
    CaseStatus.OPEN: "text-bg-success",
    CaseStatus.CLOSED: "text-bg-secondary",
}

# What each audited action means, as a phrase a court user reads in the case timeline.
ACTION_PHRASES: dict[str, Promise] = {
    "cases.case_created": _("Case registered"),
    "meetings.convened": _("Creditors' meeting convened"),
    "meetings.signed_in": _("Creditor signed in to the meeting"),
    "meetings.question_asked": _("Creditor asked a question"),
    "meetings.question_answered": _("Administrator answered a question"),
    "meetings.vote_cast": _("Creditor voted"),
    "meetings.closed": _("Creditors' meeting closed, results published"),
    "meetings.cancelled": _("Creditors' meeting cancelled"),
    "meetings.document_attached": _("Meeting document added"),
    "meetings.voting_amounts_set": _("Provisional voting amount set"),
    "cases.status_changed": _("Case status changed"),
    "cases.party_added": _("Party added"),
    "cases.member_added": _("Person assigned to the case"),
    "cases.staffed": _("Bench and assistants of the case set"),
    "cases.identity_number_viewed": _("Identity number viewed in full"),
    "accounts.organisation_created": _("Organisation created"),
    "accounts.user_created": _("User created"),
    "administrators.appointed": _("Administrator appointed"),
    "bankruptcy.application_registered": _("Application registered"),
    "bankruptcy.application_ruled": _("Ruling on the application"),
    "bankruptcy.proceeding_opened": _("Proceeding opened"),
    "bankruptcy.proceeding_closed": _("Proceeding closed"),
    "bankruptcy.procedure_converted": _("Procedure converted"),
    "bankruptcy.node_start": _("Node started"),
    "bankruptcy.node_submit": _("Node submitted to the court for confirmation"),
    "bankruptcy.node_confirm": _("Node confirmed by the court"),
    "bankruptcy.node_return": _("Node returned by the court"),
    "bankruptcy.node_complete": _("Node completed"),
    "bankruptcy.node_completed": _("Node completed"),
    "bankruptcy.node_unblock": _("Node ready to be worked on"),
    "bankruptcy.node_record": _("Node recorded"),
    "bankruptcy.output_provided": _("Node material provided"),
    "bankruptcy.date_set": _("Procedure date recorded"),
    "bankruptcy.deadline_extended": _("Deadline extended"),
    "bankruptcy.deadline_recomputed": _("Deadline recomputed"),
    "bankruptcy.reminder_raised": _("Deadline reminder"),
    "correspondence.thread_submitted": _("Request or report submitted"),
    "correspondence.thread_answered": _("Request or report answered"),
    "correspondence.thread_resubmitted": _("Request resubmitted"),
    "dossier.entry_filed": _("Filed into the dossier"),
}

# Labels of the fields that actions write into an event's before/after payloads.
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
# Where one action uses a field name differently from the rest.
ACTION_FIELD_LABELS: dict[tuple[str, str], Promise] = {
    ("cases.staffed", "composition"): _("Composition"),
    ("cases.staffed", "presiding_judge"): _("Presiding judge"),
    ("cases.staffed", "panel_judges"): _("Panel judges"),
    ("cases.staffed", "assistant"): _("Judge assistant"),
    ("cases.staffed", "clerk"): _("Clerk"),
    ("dossier.entry_filed", "number"): _("Entry number"),
}
# Events whose phrase already says what the status became.
_STATUS_IN_PHRASE = ("bankruptcy.node_", "correspondence.")
# Internal identifiers mean nothing to a reader; the readable field next to them says the same thing.
_HIDDEN_FIELDS = frozenset({"user"})

_ACTOR_LABEL = re.compile(r"^(?P<name>.*) \[(?P<role>[a-z_]+)\]$")


@register.filter
def status_badge_class(status: str) -> str:
    return _STATUS_BADGE.get(status, "text-bg-light")


@register.filter
def type_code(case_type: str) -> str:
    """The short code of a case type as written in case numbers: 破申, 破, 民初 …"""
    return CASE_TYPE_CODE.get(case_type, case_type)


@register.filter
def masked(value: str) -> str:
    """An identity number with only its region and check digit showing."""
    return mask_identity_number(value) if value else ""


@register.filter
def get_item(mapping: dict[str, Any], key: object) -> Any:
    return mapping.get(str(key)) if mapping else None


@register.filter
def action_phrase(action: str) -> str:
    phrase = ACTION_PHRASES.get(action)
    return str(phrase) if phrase is not None else action


@register.filter
def actor_display(label: str) -> str:
    """'张明 [judge]' -> '张明 · 法官' (the role in the reader's language)."""
    if label == "system":
        return str(_("System"))
    match = _ACTOR_LABEL.match(label)
    if not match or match["role"] not in Role.values:
        return label
    return f"{match['name']} · {Role(match['role']).label}"


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None
    after: str


def _choice_label(field: str, value: str, action: str) -> str | None:
    if field == "status" and value in CaseStatus.values:
        return str(CaseStatus(value).label)
    if field == "case_type" and value in CaseType.values:
        return str(CaseType(value).label)
    if field == "composition" and value in Composition.values:
        return str(Composition(value).label)
    if field == "kind" and value in PartyKind.values:
        return str(PartyKind(value).label)
    if field == "role":
        roles: Any = MemberRole if action == "cases.member_added" else PartyRole
        if value in roles.values:
            return str(roles(value).label)
    return None


def _display(field: str, value: Any, action: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return "、".join(str(item) for item in value) or "—"
    if isinstance(value, str):
        label = _choice_label(field, value, action)
        if label is not None:
            return label
        if field.endswith("_on"):
            try:
                return formats.date_format(dt.date.fromisoformat(value), "Y-m-d")
            except ValueError:
                return value
    return str(value)


@register.simple_tag
def event_changes(event: AuditEvent) -> list[Change]:
    """The fields an event changed, with their values before (if any) and after, in readable form."""
    before: dict[str, Any] = event.before or {}
    after: dict[str, Any] = event.after or {}
    changes = []
    if after.get("node") and after.get("node_name"):
        after = {**after, "node": f"{after['node']} {after['node_name']}"}
        before = {key: value for key, value in before.items() if key != "node"}
    for field in [*after, *(key for key in before if key not in after)]:
        label = ACTION_FIELD_LABELS.get((event.action, field), FIELD_LABELS.get(field))
        # Technical fields (hashes, ids, sizes, versions) mean nothing to a reader: only labelled ones show.
        if label is None or field in _HIDDEN_FIELDS:
            continue
        if field == "status" and event.action.startswith(_STATUS_IN_PHRASE):
            continue
        old, new = before.get(field), after.get(field)
        if field in before and old == new:
            continue
        # Absent data is not news: an empty value, or "no identity number" on an organisation.
        if field not in before and new in (None, "", False):
            continue
        changes.append(
            Change(
                label=str(label),
                before=_display(field, old, event.action) if field in before else None,
                after=_display(field, new, event.action),
            )
        )
    return changes


@register.filter
def composition_label(value: str) -> str:
    return str(Composition(value).label) if value in Composition.values else value
